"""The sidebar filters and the linked selection as pure functions: what each keeps, that tables stay linked, and the URL round trip."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pandas as pd

from dashboard.filters import Filters, from_query_params, selection_filters, to_query_params
from dashboard_fixtures import CANBERRA, CANBERRA_ART, HOSTILE_ART, TOKYO, TOKYO_ART, build_tables, queried
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
        (Filters(meetings=(TOKYO,)), {TOKYO}),
        (Filters(meetings=(TOKYO, CANBERRA), countries=("AUS",)), {CANBERRA}),
        (Filters(meetings=("mtg-unknown",)), set()),
    ],
)
def test_meetings_kept_by_each_facet(filters, expected):
    assert set(queried(TABLES, filters)["meetings"]["meeting_id"]) == expected


def test_no_filter_returns_every_table_unchanged():
    out = queried(TABLES, Filters())
    assert out.keys() == TABLES.keys()
    for name in TABLES:
        pd.testing.assert_frame_equal(out[name], TABLES[name], obj=name)


def test_rows_linked_to_a_kept_meeting_follow_it():
    out = queried(TABLES, Filters(meeting_kinds=("working group",)))
    assert set(out["articles"]["article_id"]) == {TOKYO_ART}
    assert set(out["sentences"]["article_id"]) == {TOKYO_ART}
    assert set(out["participants"]["meeting_id"]) == {TOKYO}
    assert set(out["people"]["person_id"]) == {"per-ravi-kumar"}
    # Ravi's roles come only from the kept article: the title reported in 2024 is gone.
    assert list(out["roles"]["title"]) == ["Deputy Coordinator"]
    assert set(out["places"]["place_id"]) == {"tokyo"}
    assert set(out["topic_mentions"]["topic_id"]) == {"cyber-workforce"}


def test_articles_about_no_meeting_stay_when_they_match_article_facets():
    out = queried(TABLES, Filters(countries=("CHN",)))
    assert out["meetings"].empty
    assert set(out["articles"]["article_id"]) == {HOSTILE_ART}
    assert "CHN" in set(out["countries"]["country"])
    by_date = queried(TABLES, Filters(date_from=dt.date(2024, 5, 15)))
    assert set(by_date["articles"]["article_id"]) == {HOSTILE_ART}


def test_topic_filter_restricts_topics_and_their_mentions():
    out = queried(TABLES, Filters(topics=("ransomware",)))
    assert list(out["topics"]["topic_id"]) == ["ransomware"]
    assert set(out["topic_mentions"]["topic_id"]) == {"ransomware"}
    assert set(out["articles"]["article_id"]) == {HOSTILE_ART}


def test_quad_members_always_listed():
    out = queried(TABLES, Filters(countries=("CHN",)))
    assert {"AUS", "IND", "JPN", "USA"} <= set(out["countries"]["country"])


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
    meetings=st.lists(ids([CANBERRA, TOKYO, "mtg-unknown"]), max_size=2),
)


# Each example runs every table's query: fewer examples than the default; tests/test_dashboard_queries.py compares
# the queries with the pandas reference on fixed combinations of three data versions.
QUERIED_EXAMPLES = settings(max_examples=30, deadline=None)


@QUERIED_EXAMPLES
@given(filter_values)
def test_filtered_tables_keep_the_contract(filters):
    """Whatever the filters, no dangling id: a downloaded CSV's references resolve within the download."""
    out = queried(TABLES, filters)
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
    # Topics and meetings take the plural; the singular names belong to the linked selection.
    both = to_query_params(Filters(topics=("ransomware",), meetings=(TOKYO,)))
    assert both == {"topics": ["ransomware"], "meetings": [TOKYO]}
    assert from_query_params({"topic": "ransomware", "meeting": TOKYO}) == Filters()


def test_the_sidebar_lists_the_most_mentioned_people_within_the_dates_and_the_chosen_ones():
    from dashboard import filters, table_access

    tables = build_tables()  # Ravi Kumar is named in both articles (2023 and 2024), Jane Doe and Ken Mori in the 2024 one

    def offered(facet, *args) -> tuple[list[str], int]:
        rows = table_access.sql(tables, *filters.offered_entities(facet, *args))
        return list(rows["id"]), int(rows["listed"].iloc[0])

    assert offered("people", None, None, [], 1) == (["per-ravi-kumar"], 3)
    assert offered("people", None, None, [], 2) == (["per-jane-doe", "per-ravi-kumar"], 3)  # a tie goes by name; listed by name
    assert offered("people", dt.date(2024, 1, 1), None, [], 1) == (["per-jane-doe"], 3)  # counted in the articles the dates keep
    assert offered("people", None, dt.date(2023, 12, 31), [], 1) == (["per-ravi-kumar"], 3)
    # a chosen one stays listed; one the data lacks, or a hostile value, is not
    assert offered("people", None, None, ["per-ken-mori", "' OR 1=1 --", "per-nobody"], 1) == (["per-ken-mori", "per-ravi-kumar"], 3)
    assert offered("people", None, None, [], 100)[0] == list(tables["people"].sort_values("name")["person_id"])
    organizations, listed = offered("organizations", None, None, [], 100)
    assert organizations == list(tables["organizations"].sort_values("name")["org_id"]) and listed == len(tables["organizations"])


def test_filters_compare_equal_regardless_of_order():
    assert Filters(countries=("JPN", "AUS")) == Filters(countries=["AUS", "JPN", "AUS"])
    assert not Filters().active and Filters(topics=("ransomware",)).active


def test_linked_articles_include_participant_evidence():
    out = queried(TABLES, Filters(people=("per-jane-doe",)))
    assert set(out["articles"]["article_id"]) == {CANBERRA_ART}


def test_a_meeting_facet_keeps_only_the_articles_reporting_it():
    out = queried(TABLES, Filters(meetings=(CANBERRA,)))
    assert set(out["articles"]["article_id"]) == {CANBERRA_ART}  # not the article about no meeting
    assert set(out["participants"]["meeting_id"]) == {CANBERRA}


# ---- linked selection ------------------------------------------------------------------------

BOTH = {CANBERRA, TOKYO}


@pytest.mark.parametrize(
    "selection, meetings, articles",
    [
        ({}, BOTH, {CANBERRA_ART, TOKYO_ART, HOSTILE_ART}),
        ({"meeting": None, "topic": None, "entity": None}, BOTH, {CANBERRA_ART, TOKYO_ART, HOSTILE_ART}),
        ({"meeting": TOKYO}, {TOKYO}, {TOKYO_ART}),
        ({"topic": "supply-chain-security"}, {CANBERRA}, {CANBERRA_ART}),
        ({"topic": "ransomware"}, set(), {HOSTILE_ART}),
        ({"entity": "person:per-jane-doe"}, {CANBERRA}, {CANBERRA_ART}),
        ({"entity": "person:per-ravi-kumar"}, BOTH, {CANBERRA_ART, TOKYO_ART}),
        ({"entity": "organization:org-aus-home-affairs"}, {CANBERRA}, {CANBERRA_ART}),
        ({"entity": "country:AUS"}, {CANBERRA}, {CANBERRA_ART}),
        ({"entity": "country:CHN"}, set(), {HOSTILE_ART}),
        ({"entity": "meeting:" + TOKYO}, {TOKYO}, {TOKYO_ART}),
        # Selections narrow each other: a meeting and a topic it never discussed leave nothing.
        ({"meeting": CANBERRA, "topic": "cyber-workforce"}, set(), set()),
        ({"meeting": CANBERRA, "entity": "person:per-ravi-kumar"}, {CANBERRA}, {CANBERRA_ART}),
        ({"meeting": CANBERRA, "entity": "meeting:" + TOKYO}, set(), set()),
    ],
)
def test_each_selection_narrows_every_table(selection, meetings, articles):
    out = queried(TABLES, Filters(), selection)
    assert set(out["meetings"]["meeting_id"]) == meetings
    assert set(out["articles"]["article_id"]) == articles
    assert schema.problems(out) == []


def test_a_selected_meeting_keeps_only_its_topics_people_and_places():
    out = queried(TABLES, Filters(), {"meeting": CANBERRA})
    assert set(out["topic_mentions"]["topic_id"]) == {"supply-chain-security", "critical-infrastructure"}
    assert set(out["people"]["person_id"]) == {"per-jane-doe", "per-ravi-kumar", "per-ken-mori"}
    assert set(out["places"]["place_id"]) == {"canberra"}
    topic = queried(TABLES, Filters(), {"topic": "cyber-workforce"})
    assert list(topic["topics"]["topic_id"]) == ["cyber-workforce"]


def test_a_selection_narrows_the_sidebar_filters_and_never_widens_them():
    japan = Filters(countries=("JPN",))
    assert set(queried(TABLES, japan, {"meeting": TOKYO})["meetings"]["meeting_id"]) == {TOKYO}
    # Within the sidebar's topics a value widens; a selected topic outside them leaves nothing.
    workforce = Filters(topics=("cyber-workforce",))
    out = queried(TABLES, workforce, {"topic": "supply-chain-security"})
    assert out["meetings"].empty and out["topics"].empty
    assert queried(TABLES, Filters(meeting_kinds=("working group",)), {"entity": "person:per-jane-doe"})["meetings"].empty


@pytest.mark.parametrize("entity", ["place:canberra", "person:", "per-jane-doe", "date:2024-05-01/2024-05-01", ""])
def test_an_entity_no_facet_covers_is_left_out_not_guessed(entity):
    assert selection_filters({"entity": entity}) == {}
    out = queried(TABLES, Filters(), {"entity": entity})
    for name in TABLES:
        pd.testing.assert_frame_equal(out[name], TABLES[name], obj=name)


def test_selection_filters_name_the_kinds_that_narrow():
    assert selection_filters({"meeting": TOKYO, "topic": None, "entity": "country:IND"}) == {
        "meeting": Filters(meetings=(TOKYO,)),
        "entity": Filters(countries=("IND",)),
    }


selections = st.fixed_dictionaries(
    {},
    optional={
        "meeting": st.none() | ids([CANBERRA, TOKYO, "mtg-unknown"]),
        "topic": st.none() | ids(["ransomware", "cyber-workforce", "supply-chain-security", "incident-response"]),
        "entity": st.none() | ids(["person:per-jane-doe", "person:per-ken-mori", "organization:quad", "country:IND", "country:CHN", "meeting:" + TOKYO, "place:tokyo"]),
    },
)


@QUERIED_EXAMPLES
@given(filter_values, selections)
def test_a_selection_keeps_the_contract_and_only_removes_rows(filters, selection):
    narrowed = queried(TABLES, filters, selection)
    assert schema.problems(narrowed) == []
    wider = queried(TABLES, filters)
    for name, table in schema.TABLES.items():
        rows = lambda frame: set(frame[list(table.key)].astype(str).itertuples(index=False))  # noqa: E731
        assert rows(narrowed[name]) <= rows(wider[name]), name


def test_the_sidebar_lists_the_latest_meetings_within_the_dates_and_every_chosen_one(monkeypatch):
    from dashboard import filters, table_access

    rows = [(f"m{n}", f"2023-0{n}-10", f"2023-0{n}-11") for n in range(1, 8)] + [("undated", None, None)]
    meetings = pd.DataFrame(
        [dict(meeting_id=m, name=f"Talks {m}", start_date=start, end_date=end, date_precision="day") for m, start, end in reversed(rows)]
    ).astype("string")  # in no particular order: the list sorts by first day, undated last

    def offered(*args) -> list[str]:
        return list(table_access.sql({"meetings": meetings}, *filters.offered_meetings(*args))["meeting_id"])

    monkeypatch.setattr(filters, "MEETING_CHOICES", 3)
    assert offered(None, None, []) == ["m6", "m7", "undated"]
    assert offered(None, None, ["m1"]) == ["m1", "m6", "m7", "undated"]  # a chosen one stays listed
    assert offered(None, None, ["m1", "' OR 1=1 --", "gone"]) == ["m1", "m6", "m7", "undated"]  # one the data lacks is not
    # the date filter's rule: ends on or after From, starts on or before To; an undated meeting matches no date
    assert offered(dt.date(2023, 2, 11), dt.date(2023, 5, 10), []) == ["m3", "m4", "m5"]
    assert offered(dt.date(2023, 2, 11), dt.date(2023, 3, 1), []) == ["m2"]
    monkeypatch.setattr(filters, "MEETING_CHOICES", 100)
    assert offered(None, None, []) == [m for m, _, _ in rows]
