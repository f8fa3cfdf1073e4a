"""Which sentences the statistical name reader is asked about: only where a name can stand that no rule placed.

The model costs several times the rules per word, so the cheap choice of sentences is most of what keeps
a build with the model fast. The articles are written for the project.
"""

from __future__ import annotations

from datetime import date

import pytest

from data_pipeline import entities
from data_pipeline.kb import load_kb
from data_pipeline.model import Document
from data_pipeline.sentences import split_sentences


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def sent_to_model(text: str, kb, monkeypatch) -> list[str]:
    asked: list[str] = []

    def spy(whole: str, bounds) -> list[tuple[int, int]]:
        asked.extend(whole[start:end] for start, end in bounds)
        return []

    monkeypatch.setattr(entities.ner, "person_spans", spy)
    entities.find_entities(Document("art-test", "t", text, date(2025, 3, 4), split_sentences(text)), kb, None)
    return asked


def test_regions_alone_are_not_sent_but_a_name_beside_one_is(kb, monkeypatch):
    text = (
        "Training for officials from Southeast Asia and the Middle East will expand, the partners said. "
        "Officials from Central Asia met Jane Okafor in Delhi. "
        "The talks attended by Australia's Meredith Langford ended."
    )
    assert sent_to_model(text, kb, monkeypatch) == [
        "Officials from Central Asia met Jane Okafor in Delhi.",
        "The talks attended by Australia's Meredith Langford ended.",
    ]


def test_names_the_rules_placed_are_not_sent(kb, monkeypatch):
    text = "Foreign Minister Tom Fairley said the talks went well. Secretary Ana Ruiz agreed."
    assert sent_to_model(text, kb, monkeypatch) == []
