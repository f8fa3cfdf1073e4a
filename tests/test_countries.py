"""Countries from names, short forms, demonyms and possessives; the shared literal-phrase regex."""

import re

import pytest
from hypothesis import given, strategies as st

from data_pipeline.countries import country_phrases, find_countries, literal_pattern
from data_pipeline.kb import load_kb


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def found(text, kb):
    return [(text[s.start : s.end], s.entity_id) for s in find_countries(text, kb)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Australia's cyber envoy spoke.", [("Australia", "AUS")]),
        ("US, U.S., USA, United States and America", [("US", "USA"), ("U.S.", "USA"), ("USA", "USA"), ("United States", "USA"), ("America", "USA")]),
        ("Japanese and Indian officials met Australian and American counterparts.",
         [("Japanese", "JPN"), ("Indian", "IND"), ("Australian", "AUS"), ("American", "USA")]),
        ("The United States of America signed.", [("United States of America", "USA")]),
        ("Officials from Viet Nam and Türkiye attended.", [("Viet Nam", "VNM"), ("Türkiye", "TUR")]),
        ("A US-India statement", [("US", "USA"), ("India", "IND")]),
        ("North Korea and South Korean firms", [("North Korea", "PRK"), ("South Korean", "KOR")]),
        ("Papua New Guinea joined.", [("Papua New Guinea", "PNG")]),
    ],
)
def test_names_short_forms_and_demonyms(text, expected, kb):
    assert found(text, kb) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Let us meet.",  # "us" is not the US
        "a free and open Indo-Pacific",
        "shipping lanes of the Indian Ocean",
        "patrols in the South China Sea",
        "Indiana and Indianapolis",  # whole words only
        "South Australia and Western Australia",  # states, not the country
        "Latin American markets",
        "New Jersey",
    ],
)
def test_words_that_are_not_countries(text, kb):
    assert found(text, kb) == []


def test_every_span_is_a_known_phrase_of_its_country(kb):
    text = "India, Japan, Australia and the U.S. met; China's and Russian delegations watched."
    phrases = country_phrases(kb)
    spans = find_countries(text, kb)
    assert [phrases[text[s.start : s.end]] for s in spans] == [s.entity_id for s in spans]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))


def test_inverted_iso_names_are_not_phrases(kb):
    assert "Korea, Republic of" not in country_phrases(kb)
    assert country_phrases(kb)["Republic of Korea"] == "KOR"


def test_an_analyst_alias_is_recognised_in_a_kb_loaded_with_it(tmp_path):
    extra = tmp_path / "mine.toml"
    extra.write_text('[[countries]]\nalpha3 = "NZL"\naliases = ["Aotearoa"]\n', encoding="utf-8")
    assert found("Aotearoa hosted.", load_kb()) == []
    assert found("Aotearoa hosted.", load_kb([extra])) == [("Aotearoa", "NZL")]


phrase = st.text(alphabet="abAB .'-", min_size=1, max_size=6)


@given(st.lists(phrase, min_size=1, max_size=8), phrase)
def test_literal_pattern_matches_exactly_its_phrases(phrases, other):
    pattern = re.compile(literal_pattern(phrases))
    assert all(pattern.fullmatch(p) for p in phrases)
    assert (pattern.fullmatch(other) is not None) == (other in phrases)


def test_literal_pattern_prefers_the_longest_phrase():
    assert re.match(literal_pattern(["New", "New Delhi", "New Delhi East"]), "New Delhi East side").group() == "New Delhi East"
    assert re.match(literal_pattern([]), "anything") is None
