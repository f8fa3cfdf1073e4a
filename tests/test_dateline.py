from dataclasses import replace
from datetime import date

import pytest

from data_pipeline.dateline import find_dateline
from data_pipeline.kb import PlaceEntry, load_kb
from data_pipeline.model import DateSpan

PLACES = (
    PlaceEntry("new-delhi", "New Delhi", "IND"),
    PlaceEntry("washington", "Washington", "USA", ("Washington DC",)),
    PlaceEntry("tokyo", "Tokyo", "JPN"),
    PlaceEntry("canberra", "Canberra", "AUS"),
)
KB = replace(load_kb(), places={p.place_id: p for p in PLACES})


def day(iso: str) -> DateSpan:
    d = date.fromisoformat(iso)
    return DateSpan(d, d, "day")


@pytest.mark.parametrize(
    "text, published, surface, place_id, country, span",
    [
        ("New Delhi, Jan 31: The group met.", date(2023, 2, 1), "New Delhi, Jan 31", "new-delhi", "IND", day("2023-01-31")),
        ("WASHINGTON, March 3, 2024 — Officials met.", None, "WASHINGTON, March 3, 2024", "washington", "USA", day("2024-03-03")),
        ("TOKYO (Reuters) - Japan said on Monday.", date(2024, 5, 6), "TOKYO (Reuters)", "tokyo", "JPN", None),
        ("Canberra, 12 February 2024: The minister said.", None, "Canberra, 12 February 2024", "canberra", "AUS", day("2024-02-12")),
        ("Washington DC, Dec. 30: Talks ended.", date(2024, 1, 2), "Washington DC, Dec. 30", "washington", "USA", day("2023-12-30")),
        # a place not in the knowledge base is still the dateline, without an id
        ("Kyiv, May 5: Officials met.", date(2024, 5, 6), "Kyiv, May 5", None, "UKR", day("2024-05-05")),
        ("NAYPYIDAW (AFP) -- Talks opened.", None, "NAYPYIDAW (AFP)", None, None, None),
        # the agency after the date, as many wires write it
        ("CANBERRA, May 2 (AAP) - Envoys met.", date(2024, 5, 3), "CANBERRA, May 2 (AAP)", "canberra", "AUS", day("2024-05-02")),
        # agency style names the country or state after the city
        ("TOKYO, Japan (AP) — Envoys met.", None, "TOKYO, Japan (AP)", "tokyo", "JPN", None),
        ("OSAKA, Japan, May 3 (Reuters) - Envoys met.", date(2024, 5, 6), "OSAKA, Japan, May 3 (Reuters)", None, None, day("2024-05-03")),
    ],
)
def test_dateline_styles(text, published, surface, place_id, country, span):
    dateline = find_dateline(text, KB, published)
    assert dateline.surface == surface == text[dateline.start : dateline.end]
    assert (dateline.place_id, dateline.date) == (place_id, span)
    if place_id:
        assert dateline.country == country
    else:
        assert dateline.place_id is None


def test_an_unknown_city_takes_the_country_written_after_it():
    assert find_dateline("OSAKA, Japan, May 3 (Reuters) - Envoys met.", KB, None).country == "JPN"


def test_unknown_all_caps_place_is_named_in_title_case():
    assert find_dateline("NAYPYIDAW (AFP) -- Talks opened.", KB, None).place_name == "Naypyidaw"


def test_known_place_takes_its_knowledge_base_name():
    dateline = find_dateline("NEW DELHI: The ministry said.", KB, None)
    assert (dateline.place_id, dateline.place_name, dateline.date) == ("new-delhi", "New Delhi", None)


def test_date_without_year_needs_the_article_date():
    dateline = find_dateline("Tokyo, Jan 31: The group met.", KB, None)
    assert dateline.place_id == "tokyo" and dateline.date is None


def test_date_without_year_is_on_or_before_the_article_date():
    assert find_dateline("Tokyo, Dec 31: Talks.", KB, date(2024, 1, 3)).date == day("2023-12-31")


def test_dateline_after_a_byline_or_notice():
    text = "By Staff Reporter\nGenerated summary, not an original report.\n\nTOKYO, Jan 5 — Talks opened."
    dateline = find_dateline(text, KB, date(2024, 1, 6))
    assert (dateline.surface, dateline.place_id) == ("TOKYO, Jan 5", "tokyo")
    assert text[dateline.start : dateline.end] == dateline.surface


def test_no_dateline_after_a_long_paragraph():
    text = "Officials say " + "many things " * 30 + "today.\n\nTOKYO, Jan 5 — Talks opened."
    assert find_dateline(text, KB, date(2024, 1, 6)) is None


@pytest.mark.parametrize(
    "text",
    [
        "The Quad Senior Cyber Group met in New Delhi on Monday.",
        "Background: the group was set up in 2021.",
        "Quad cyber officials - who met last week - agreed.",
        "In Tokyo, officials met.",
        # a transcript's speaker label, with an honorific or a post, is no place
        "MR. SULLIVAN: Good afternoon.",
        "FOREIGN MINISTER WONG: Thank you.",
    ],
)
def test_texts_without_a_dateline(text):
    assert find_dateline(text, KB, date(2024, 1, 1)) is None
