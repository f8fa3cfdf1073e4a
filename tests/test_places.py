"""Places from the curated list, and the dateline's place even when unlisted."""

import pytest

from data_pipeline import ids
from data_pipeline.entities import find_entities
from data_pipeline.kb import load_kb
from data_pipeline.model import Dateline, Document
from data_pipeline.places import find_places
from data_pipeline.sentences import split_sentences


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def entities(text, kb, dateline=None):
    document = Document(ids.article_id(text), "", text, None, split_sentences(text))
    return find_entities(document, kb, dateline)


def places(text, kb):
    return [(text[s.start : s.end], s.entity_id) for s in find_places(text, kb)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Talks moved from New Delhi to Delhi.", [("New Delhi", "new-delhi"), ("Delhi", "delhi")]),
        ("They met in Washington, D.C. on Friday.", [("Washington, D.C.", "washington")]),
        ("Bangalore, now Bengaluru, hosts the summit.", [("Bangalore", "bengaluru"), ("Bengaluru", "bengaluru")]),
        ("Officials flew from Tokyo via Singapore to Honolulu.", [("Tokyo", "tokyo"), ("Singapore", "singapore"), ("Honolulu", "honolulu")]),
        ("Sydneysiders and the new york office", []),  # whole words, and names are case-sensitive
    ],
)
def test_listed_places_and_aliases(text, expected, kb):
    assert places(text, kb) == expected


def test_place_findings_carry_the_country_and_first_sentence(kb):
    text = "The group met in Canberra. Later it met in Osaka. It returned to Canberra."
    found = entities(text, kb)
    assert {(p.place_id, p.name, p.country, p.sentence_id) for p in found.places} == {
        ("canberra", "Canberra", "AUS", 0),
        ("osaka", "Osaka", "JPN", 1),
    }
    assert [m.sentence_id for m in found.mentions if m.entity_id == "canberra"] == [0, 2]


def test_an_unlisted_dateline_place_is_a_place(kb):
    text = "Nadi, Feb 2: Pacific officials discussed cyber capacity."
    dateline = Dateline(0, 11, "Nadi, Feb 2", None, "Nadi", "FJI", None)
    found = entities(text, kb, dateline)
    assert [(m.surface, m.entity_id) for m in found.mentions if m.entity_type == "place"] == [("Nadi", "nadi")]
    assert found.places[0].place_id == "nadi" and found.places[0].country == "FJI"


def test_a_dateline_in_capitals_is_its_listed_place(kb):
    text = "TOKYO (Wire) - Officials met in Tokyo."
    dateline = Dateline(0, 12, "TOKYO (Wire)", "tokyo", "Tokyo", "JPN", None)
    mentions = [(m.start, m.surface, m.entity_id) for m in entities(text, kb, dateline).mentions]
    assert mentions == [(0, "TOKYO", "tokyo"), (32, "Tokyo", "tokyo")]


def test_without_dateline_unlisted_cities_are_not_guessed(kb):
    assert entities("They met in Nadi and in Springfield.", kb).places == ()
