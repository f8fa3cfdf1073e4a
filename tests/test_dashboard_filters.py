"""The sidebar filters as pure functions: what each facet keeps, that tables stay linked, and the URL round trip."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import Filters, apply_filters, from_query_params, meeting_ids, to_query_params
from dashboard_fixtures import CANBERRA, CANBERRA_ART, HOSTILE_ART, TOKYO, TOKYO_ART, build_tables
from data_pipeline import schema

TABLES = build_tables()


@pytest.mark.parametrize(
    "filters, expected",
    [
        (Filters(), {CANBERRA, TOKYO}),
        # A year-only meeting spans its year, so any day of 2022 overlaps it.
        (Filters(date_from=dt.date(2022, 6, 1), date_to=dt.date(2022, 6, 30)), {TOKYO}),
        (Filters(date_from=dt.date(2022, 12, 31)), {CANBERRA, TOKYO}),
        (Filters(date_from=dt.date(2023, 1, 1)), {CANBERRA}),
        (Filters(date_to=dt.date(2024, 4, 30)), {TOKYO}),
        (Filters(countries=("AUS",)), {CANBERRA}),  # host
        (Filters(countries=("USA",)), {CANBERRA}),  # attended without a named person
        (Filters(countries=("JPN",)), {CANBERRA, TOKYO}),
        (Filters(countries=("CHN",)), set()),
        (Filters(people=("per-jane-doe",)), {CANBERRA}),
        (Filters(people=("per-ravi-kumar",)), {CANBERRA, TOKYO}),
        (Filters(organizations=("org-aus-home-affairs",)), {CANBERRA}),
        (Filters(topics=("cyber-workforce",)), {TOKYO}),
        (Filters(topics=("cyber-workforce", "supply-chain-security")), {CANBERRA, TOKYO}),
        (Filters(meeting_kinds=("working group",)), {TOKYO}),
        (Filters(meeting_kinds=("working group",), people=("per-jane-doe",)), set()),
    ],
)
def test_meetings_kept_by_each_facet(filters, expected):
    assert meeting_ids(TABLES, filters) == expected
    assert set(apply_filters(TABLES, filters)["meetings"]["meeting_id"]) == expected


def test_no_filter_returns_every_table_unchanged():
    out = apply_filters(TABLES, Filters())
    assert out.keys() == TABLES.keys()
    assert all(out[name] is TABLES[name] for name in TABLES)


def test_rows_linked_to_a_kept_meeting_follow_it():
    out = apply_filters(TABLES, Filters(meeting_kinds=("working group",)))
    assert set(out["articles"]["article_id"]) == {TOKYO_ART}
    assert set(out["sentences"]["article_id"]) == {TOKYO_ART}
    assert set(out["participants"]["meeting_id"]) == {TOKYO}
    assert set(out["people"]["person_id"]) == {"per-ravi-kumar"}
    # Ravi's roles come only from the kept article: the title reported in 2024 is gone.
    assert list(out["roles"]["title"]) == ["Deputy Coordinator"]
    assert set(out["places"]["place_id"]) == {"tokyo"}
    assert set(out["topic_mentions"]["topic_id"]) == {"cyber-workforce"}


def test_articles_about_no_meeting_stay_when_they_match_article_facets():
    out = apply_filters(TABLES, Filters(countries=("CHN",)))
    assert out["meetings"].empty
    assert set(out["articles"]["article_id"]) == {HOSTILE_ART}
    assert "CHN" in set(out["countries"]["country"])
    by_date = apply_filters(TABLES, Filters(date_from=dt.date(2024, 5, 15)))
    assert set(by_date["articles"]["article_id"]) == {HOSTILE_ART}


def test_topic_filter_restricts_topics_and_their_mentions():
    out = apply_filters(TABLES, Filters(topics=("ransomware",)))
    assert list(out["topics"]["topic_id"]) == ["ransomware"]
    assert set(out["topic_mentions"]["topic_id"]) == {"ransomware"}
    assert set(out["articles"]["article_id"]) == {HOSTILE_ART}


def test_quad_members_always_listed():
    out = apply_filters(TABLES, Filters(countries=("CHN",)))
    assert {"AUS", "IND", "JPN", "USA"} <= set(out["countries"]["country"])


def test_inputs_are_not_modified():
    before = {name: frame.copy() for name, frame in TABLES.items()}
    apply_filters(TABLES, Filters(countries=("IND",), date_from=dt.date(2024, 1, 1)))
    for name, frame in TABLES.items():
        assert frame.equals(before[name])


ids = st.sampled_from
filter_values = st.builds(
    Filters,
    date_from=st.none() | st.dates(dt.date(2021, 1, 1), dt.date(2025, 1, 1)),
    date_to=st.none() | st.dates(dt.date(2021, 1, 1), dt.date(2025, 1, 1)),
    countries=st.lists(ids(["AUS", "IND", "JPN", "USA", "CHN", "FRA"]), max_size=3),
    organizations=st.lists(ids(["org-aus-home-affairs", "quad", "org-unknown"]), max_size=2),
    people=st.lists(ids(["per-jane-doe", "per-ravi-kumar", "per-ken-mori"]), max_size=2),
    topics=st.lists(ids(["ransomware", "cyber-workforce", "supply-chain-security", "incident-response"]), max_size=2),
    meeting_kinds=st.lists(ids(["principals meeting", "working group", "dialogue"]), max_size=2),
)


@given(filter_values)
def test_filtered_tables_keep_the_contract(filters):
    """Whatever the filters, no dangling id: a downloaded CSV's references resolve within the download."""
    out = apply_filters(TABLES, filters)
    assert schema.problems(out) == []


@given(filter_values)
def test_query_params_round_trip(filters):
    params = to_query_params(filters)
    assert all(isinstance(v, (str, list)) for v in params.values())
    assert from_query_params(params) == filters


def test_query_params_are_readable_and_tolerant():
    filters = Filters(date_from=dt.date(2023, 1, 30), countries=("JPN", "IND", "IND"))
    assert to_query_params(filters) == {"from": "2023-01-30", "country": ["IND", "JPN"]}
    assert to_query_params(Filters()) == {}
    # Single values for list facets, a bad date, unknown parameters: kept, dropped, ignored.
    parsed = from_query_params({"country": "IND", "to": "31/01/2023", "article": "art-x", "kind": ["working group"]})
    assert parsed == Filters(countries=("IND",), meeting_kinds=("working group",))


def test_filters_compare_equal_regardless_of_order():
    assert Filters(countries=("JPN", "AUS")) == Filters(countries=["AUS", "JPN", "AUS"])
    assert not Filters().active and Filters(topics=("ransomware",)).active


def test_linked_articles_include_participant_evidence():
    out = apply_filters(TABLES, Filters(people=("per-jane-doe",)))
    assert set(out["articles"]["article_id"]) == {CANBERRA_ART}
