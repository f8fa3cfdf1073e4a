"""The statistical name reader: the pinned model, its checks, and names the rules alone cannot see.

Articles here are written for the project in the styles real reports use: names with no trigger word
beside them ("the talks attended by COUNTRY's NAME"), initials, speaker labels.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from data_pipeline import build, ner
from data_pipeline.extract import extract_article
from data_pipeline.kb import load_kb
from data_pipeline.model import RawArticle


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def people_of(text: str, kb, published=date(2025, 3, 4)):
    extraction = extract_article(RawArticle("art-test", "t", text, published, "header", "test"), kb)
    roles = {r.person_id: r for r in extraction.entities.roles}
    return {p.name: (roles[p.person_id].title, roles[p.person_id].country) if p.person_id in roles else (None, None)
            for p in extraction.entities.people}


def test_the_installed_model_is_the_pinned_one():
    """make test installs the hash-pinned package; its meta and NER weights must be those models.toml pins."""
    info = ner.model_info()
    assert info is not None, "no allowed NER model is installed: run make test (it installs requirements-model.txt)"
    pinned = next(m for m in ner.allowed_models() if m["package"] == info.package)
    assert (info.name, info.version, info.ner_sha256) == (pinned["name"], pinned["version"], pinned["ner_sha256"])


def test_changed_weights_or_meta_are_refused(tmp_path):
    info = ner.model_info()
    if info is None:
        pytest.skip("no model installed")
    expected = next(m for m in ner.allowed_models() if m["package"] == info.package)
    _, folder, _ = ner.verify(info.package, expected)
    copy = tmp_path / "model"
    shutil.copytree(folder, copy)
    assert ner.check_folder(info.package, copy, expected)[0] == info
    weights = copy / "ner" / "model"
    weights.write_bytes(weights.read_bytes()[:-1] + b"\0")
    assert ner.check_folder(info.package, copy, expected)[0] is None
    assert ner.check_folder(info.package, copy, {**expected, "version": "9.9.9"})[0] is None


@pytest.fixture
def model():
    if ner.model_info() is None:
        pytest.skip("no model installed")


def test_names_without_trigger_words_get_the_country_the_text_gives(kb, model):
    text = (
        "Foreign ministers from the four countries met in Canberra on Monday. The talks attended by Australia's "
        "Meredith Langford, India's Arvind Kulkarni, Japan's Haruka Sugimoto and Daniel Whitcombe from the "
        "United States covered undersea cables."
    )
    people = people_of(text, kb)
    assert people == {
        "Meredith Langford": (None, "AUS"), "Arvind Kulkarni": (None, "IND"),
        "Haruka Sugimoto": (None, "JPN"), "Daniel Whitcombe": (None, "USA"),
    }


def test_a_model_name_takes_the_post_written_before_it(kb, model):
    text = "Soon after the ceremony, Vice President Colin Ashdown welcomed the delegation to Washington."
    assert people_of(text, kb) == {"Colin Ashdown": ("Vice President", None)}


def test_model_spans_that_are_not_names_are_dropped(kb, model):
    # lower-case uses elsewhere in the article mark ordinary words, whatever the model says of them
    text = (
        "Schools across the country joined the campaign. Teachers said schools and students took part in the "
        "cyber hygiene drills run by the Kendriya Vidyalaya schools network."
    )
    assert people_of(text, kb) == {}


def test_rules_alone_without_the_model(kb, monkeypatch):
    monkeypatch.setenv("QUAD_NER", "off")
    ner._chosen.cache_clear()
    try:
        assert ner.model_info() is None
        text = "The talks attended by Australia's Meredith Langford ended. Secretary Tom Fairley said they went well."
        assert people_of(text, kb) == {"Tom Fairley": ("Secretary", None)}
        assert "rules only" in ner.extractor_label(None)
    finally:
        monkeypatch.delenv("QUAD_NER")
        ner._chosen.cache_clear()


def test_the_model_is_part_of_the_fingerprint_and_the_manifest(tmp_path, monkeypatch):
    with_model = build.fingerprint(())
    source = tmp_path / "a.txt"
    source.write_text("date 2025-03-04 Talks\n\nThe talks attended by Australia's Meredith Langford ended.\n")
    manifest = build.build_tables([source]).manifest
    assert manifest["extractor"]["model"] == (ner.model_info().as_dict() if ner.model_info() else None)
    monkeypatch.setenv("QUAD_NER", "off")
    ner._chosen.cache_clear()
    try:
        assert build.fingerprint(()) != with_model or ner.model_info() is None
        assert build.build_tables([source]).manifest["extractor"]["model"] is None
    finally:
        monkeypatch.delenv("QUAD_NER")
        ner._chosen.cache_clear()
