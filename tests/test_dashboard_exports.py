"""'Download this view': one row per meeting with the columns an analyst pastes, never codes or ids."""

import pytest

from dashboard import downloads, exports
from dashboard_fixtures import CANBERRA, TOKYO, build_tables
from test_network import open_page

TABLES = build_tables()


@pytest.mark.parametrize(
    "start, end, precision, shown",
    [("2023-08-01", "2023-08-01", "day", "2023-08-01"), ("2023-08-01", "2023-08-02", "day", "2023-08-01 to 2023-08-02"),
     ("2023-08-01", "2023-08-31", "month", "2023-08"), ("2022-01-01", "2022-12-31", "year", "2022"), (None, None, None, "")],
)
def test_dates_keep_the_precision_of_the_sources(start, end, precision, shown):
    assert exports.precise_date(start, end, precision) == shown


def test_meeting_rows_name_officials_with_titles_countries_and_a_source():
    rows = exports.meeting_rows(TABLES)
    assert list(rows.columns) == exports.COLUMNS
    canberra = rows[rows["Place"] == "Canberra"].iloc[0]
    assert canberra["Date"] == "2024-05-01" and canberra["Host country"] == "Australia"
    assert "Jane Doe (Secretary)" in canberra["Officials"].split("; ")
    assert "Ravi Kumar (National Cyber Security Coordinator)" in canberra["Officials"].split("; ")
    assert "United States" in canberra["Countries taking part"].split("; ")  # countries apart from officials
    assert canberra["Source"] == "Quad cyber chiefs meet in Canberra" and "Canberra" in canberra["Source sentence"]
    tokyo = rows[rows["Place"] == "Tokyo"].iloc[0]
    assert tokyo["Date"] == "2022"
    assert rows["Date"].tolist() == sorted(rows["Date"], reverse=True)  # latest first
    text = rows.drop(columns="Source link").astype(str).to_string()  # the link is the input's own name
    assert "mtg-" not in text and "art-" not in text and "per-" not in text and "None" not in text


def test_rows_can_be_limited_to_the_meetings_of_a_view_and_are_safe_in_a_spreadsheet():
    rows = exports.meeting_rows(TABLES, [TOKYO])
    assert rows["Place"].tolist() == ["Tokyo"]
    hostile = {**TABLES, "meetings": TABLES["meetings"].assign(name=lambda f: f["name"].where(f["meeting_id"] != CANBERRA, "=cmd()"))}
    assert b"'=cmd()" in downloads.csv_bytes(exports.meeting_rows(hostile))


def test_overview_and_timeline_offer_the_view_as_csv(tmp_path, monkeypatch):
    for page, key in (("overview", "overview_meetings_csv"), ("timeline", "timeline_meetings_csv")):
        at, _ = open_page(tmp_path / page, monkeypatch, page)
        assert key in {d.key for d in at.get("download_button")}


def test_meetings_with_nobody_named_and_no_topic_get_empty_cells_not_errors():
    bare = {**TABLES, "participants": TABLES["participants"].iloc[0:0], "topic_mentions": TABLES["topic_mentions"].iloc[0:0]}
    rows = exports.meeting_rows(bare)
    assert len(rows) == len(TABLES["meetings"])
    assert set(rows["Officials"]) == {""} and set(rows["Topics"]) == {""} and set(rows["Countries taking part"]) == {""}


@pytest.mark.parametrize("same_day", [False, True])
def test_the_latest_meetings_are_the_first_rows_without_building_the_others(same_day):
    tables = {**TABLES, "meetings": TABLES["meetings"].assign(start_date="2023-08-01")} if same_day else TABLES  # ties keep table order
    everything = exports.meeting_rows(tables)
    for count in (1, 2, len(everything)):
        latest = exports.latest_meetings(tables, count)
        assert len(latest) == count
        assert exports.meeting_rows(tables, latest).equals(everything.head(count))


def test_rows_of_some_meetings_equal_those_rows_of_every_meeting():
    everything = exports.meeting_rows(TABLES)
    for place in ("Tokyo", "Canberra"):
        ids = TABLES["meetings"].loc[TABLES["meetings"]["city"] == place, "meeting_id"]
        assert exports.meeting_rows(TABLES, ids).equals(everything[everything["Place"] == place].reset_index(drop=True))
