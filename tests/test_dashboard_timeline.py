"""Timeline frames and figure: honest dates, one colour per country, selection, titles at the time."""

import pandas as pd
import pytest

from dashboard import colors, timeline
from dashboard.filters import Filters
from dashboard_fixtures import CANBERRA, CANBERRA_ART, TOKYO, TOKYO_ART, build_tables, queried

TABLES = build_tables()


@pytest.mark.parametrize(
    "start, end, precision, label",
    [
        ("2022-01-01", "2022-12-31", "year", "2022 (year only)"),
        ("2021-01-01", "2022-12-31", "year", "2021–2022 (year only)"),
        ("2024-05-01", "2024-05-31", "month", "May 2024 (month only)"),
        ("2024-05-01", "2024-05-01", "day", "2024-05-01"),
        ("2023-01-30", "2023-01-31", "day", "2023-01-30 – 2023-01-31"),
        (None, None, None, "date unknown"),
    ],
)
def test_date_label_says_how_precise_the_date_is(start, end, precision, label):
    assert timeline.date_label(start, end, precision) == label


def test_meeting_frame_carries_hover_facts():
    frame = timeline.meeting_frame(TABLES).set_index("meeting_id")
    canberra, tokyo = frame.loc[CANBERRA], frame.loc[TOKYO]
    assert canberra["participants"] == "Jane Doe, Ravi Kumar, Ken Mori, United States"
    assert canberra["topics"] == "Supply chain security, Critical infrastructure"
    assert canberra["finish"] - canberra["start"] == pd.Timedelta(days=1)
    assert tokyo["dates"] == "2022 (year only)" and bool(tokyo["approximate"])
    assert tokyo["finish"] == pd.Timestamp("2023-01-01")


def _traces(group_by="country"):
    return timeline.timeline_figure(timeline.meeting_frame(TABLES), group_by).data


def test_year_only_meeting_is_a_hatched_pale_bar_over_its_whole_year():
    (tokyo,) = [t for t in _traces() if TOKYO in [c[0] for c in t.customdata]]
    assert list(tokyo.text) == ["working group · Tokyo · 2022 (year only)"]
    assert tokyo.marker.pattern.shape == "/" and tokyo.marker.opacity < 1
    assert pd.Timestamp(tokyo.base[0]) == pd.Timestamp("2022-01-01")
    assert tokyo.x[0] == pytest.approx(365 * 86_400_000)


def test_exact_meeting_is_solid_and_coloured_by_host():
    (canberra,) = [t for t in _traces() if CANBERRA in [c[0] for c in t.customdata]]
    assert canberra.marker.pattern.shape == "" and canberra.marker.opacity == 1
    assert canberra.marker.color == colors.country_color("AUS")
    assert canberra.x[0] == pytest.approx(86_400_000)
    assert "Jane Doe" in canberra.customdata[0][4] and "Canberra" in canberra.customdata[0][2]


@pytest.mark.parametrize("group_by, rows", [("country", ["Australia", "Japan"]), ("kind", ["principals meeting", "working group"])])
def test_grouping_sets_the_groups_and_each_meeting_has_a_bar(group_by, rows):
    figure = timeline.timeline_figure(timeline.meeting_frame(TABLES), group_by)
    assert list(figure.layout.yaxis.ticktext) == rows
    assert sum(len(t.customdata) for t in figure.data) == len(timeline.meeting_frame(TABLES).dropna(subset=["start"]))


def test_bar_labels_say_kind_and_place_without_ids():
    frame = pd.DataFrame({"kind": ["dialogue", "meeting", "working group"], "place": ["Tokyo", "Delhi", "Perth"],
                          "approximate": [False, False, True], "dates": ["2024-05-01", "2024-06-01", "2022 (year only)"]})
    assert timeline.short_labels(frame).tolist() == ["dialogue · Tokyo", "Delhi", "working group · Perth · 2022 (year only)"]


def _meetings(starts, group="Japan"):
    start = pd.to_datetime(pd.Series(starts))
    return pd.DataFrame({"meeting_id": [f"mtg-{i}" for i in range(len(starts))], "country_name": group, "start": start,
                         "finish": start + pd.Timedelta(days=1)})


def test_lanes_keep_bars_and_labels_apart_in_date_order():
    frame = _meetings(["2021-01-01", "2021-01-02", "2021-01-03", "2025-03-01", "2025-12-30"])
    lane = timeline.lanes(frame, "country_name", pd.Series(["dialogue · Tokyo"] * 5))
    assert lane.tolist()[:3] == [0, 1, 2]  # three meetings in three days: their labels would overlap
    assert lane.tolist()[3:] == [0, 0]  # years later the first row is free again
    wide = timeline.lanes(frame, "country_name", pd.Series(["x" * 400] * 5))
    assert wide.tolist() == [0, 1, 2, 3, 4]  # labels wider than the whole axis: every meeting needs a row of its own


def test_three_hundred_meetings_in_four_groups_take_far_fewer_rows_and_never_overlap():
    starts = list(pd.date_range("2021-01-01", periods=300, freq="6D"))
    frame = _meetings(starts).assign(country_name=["Australia", "India", "Japan", "United States"] * 75)
    frame["lane"] = timeline.lanes(frame, "country_name", pd.Series(["principals meeting · New Delhi"] * 300))
    rows = frame.groupby("country_name")["lane"].max().add(1).sum()
    assert rows <= 100  # against 300 rows of one meeting each
    for _, lane in frame.sort_values("start").groupby(["country_name", "lane"]):
        assert (lane["start"].iloc[1:].values >= lane["finish"].iloc[:-1].values).all()


def test_month_counts_and_drill_down():
    meetings = timeline.meeting_frame(TABLES)
    counts = timeline.month_counts(meetings)
    # the Tokyo meeting is known only to 2022: it belongs to no month, so not to January's bar either
    assert counts[["month", "country_name", "meetings"]].astype(str).values.tolist() == [["2024-05-01", "Australia", "1"]]
    assert timeline.in_month(meetings, "2024-05")["meeting_id"].tolist() == [CANBERRA]
    assert timeline.in_month(meetings, "2022-01").empty and timeline.in_month(meetings, "2022-07").empty
    assert timeline.year_only(meetings) == ("Not in the bars: 1 meeting(s) known only to the year (2022: 1), which belong to no "
                                            "month. Show each meeting, with the sidebar's dates narrowed to that year, to see them.")
    assert timeline.year_only(meetings[meetings["meeting_id"] == CANBERRA]) is None
    figure = timeline.aggregate_figure(counts)
    assert sum(len(t.x) for t in figure.data) == 1 and figure.layout.barmode == "stack"


def test_meetings_known_to_the_month_count_in_it_and_those_known_to_the_year_in_no_month():
    """A generated year of reports: each month has its own meetings, and one in ten is known only to the year (dated
    1 January to 31 December, as the pipeline writes them). January must not carry them."""
    rows = []
    for month in range(1, 13):
        for day in (3, 17):
            rows.append(dict(start_date=f"2023-{month:02d}-{day:02d}", end_date=f"2023-{month:02d}-{day:02d}", date_precision="day"))
        rows.append(dict(start_date=f"2023-{month:02d}-01", end_date=f"2023-{month:02d}-{28 if month == 2 else 30}", date_precision="month"))
    rows += [dict(start_date="2023-01-01", end_date="2023-12-31", date_precision="year")] * 5
    meetings = pd.DataFrame(rows).assign(
        meeting_id=[f"mtg-{n}" for n in range(len(rows))], name="Quad meeting", kind="meeting", city="Tokyo", place_id="tokyo",
        country="JPN", n_sources=1, status="held")
    frame = timeline.meeting_facts(TABLES, meetings)
    counts = timeline.month_counts(frame)
    assert counts["meetings"].tolist() == [3] * 12  # two known to the day and one to the month, in every month
    assert [len(timeline.in_month(frame, f"2023-{m:02d}")) for m in (1, 6, 12)] == [3, 3, 3]
    assert "5 meeting(s) known only to the year (2023: 5)" in timeline.year_only(frame)
    event = {"points": [{"customdata": ["2024-05"]}]}
    assert timeline.month_from_selection(event) == "2024-05"


def test_texts_from_articles_are_escaped_in_the_chart():
    tables = {**TABLES, "meetings": TABLES["meetings"].assign(city=["<b>Canberra</b>", "Tokyo"][: len(TABLES["meetings"])])}
    figure = timeline.timeline_figure(timeline.meeting_frame(tables))
    shown = " ".join(str(v) for t in figure.data for v in [*t.text, *[c for row in t.customdata for c in row]])
    assert "<b>Canberra" not in shown and "&lt;b&gt;Canberra" in shown


def test_grouping_must_be_known():
    with pytest.raises(ValueError):
        timeline.timeline_figure(timeline.meeting_frame(TABLES), "weekday")


def test_empty_frame_gives_an_empty_figure():
    empty = queried(TABLES, Filters(countries=("CHN",)))
    assert timeline.meeting_frame(empty).empty
    assert len(timeline.timeline_figure(timeline.meeting_frame(empty)).data) == 0


def test_selection_event_names_the_meeting():
    event = {"points": [{"curve_number": 0, "point_index": 0, "customdata": [TOKYO, "x"]}], "box": [], "lasso": []}
    assert timeline.meeting_from_selection(event) == TOKYO
    assert timeline.meeting_from_selection({"points": []}) is None
    assert timeline.meeting_from_selection(None) is None


def test_title_at_the_time_is_the_one_reported_nearest_the_meeting():
    roles = TABLES["roles"]
    assert timeline.title_at(roles, "per-ravi-kumar", "2022-01-01", "2022-12-31") == ("Deputy Coordinator", "2023-03-10")
    assert timeline.title_at(roles, "per-ravi-kumar", "2024-05-01", "2024-05-01") == ("National Cyber Security Coordinator", "2024-05-02")
    assert timeline.title_at(roles, "per-ken-mori", "2024-05-01", "2024-05-01") == (None, None)


def test_participants_detail_names_titles_and_evidence():
    detail = timeline.participants_detail(TABLES, TOKYO).set_index("participant")
    assert detail.loc["Ravi Kumar", "title_at_the_time"] == "Deputy Coordinator"
    assert detail.loc["Ravi Kumar", "article_id"] == TOKYO_ART
    assert "Ravi Kumar" in detail.loc["Ravi Kumar", "evidence"]
    assert "Japan (no person named)" in detail.index


def test_attendees_lists_each_participant_once_with_the_earliest_sentence_and_a_count():
    tables = dict(TABLES)
    hosted = TABLES["participants"].query("meeting_id == @CANBERRA and person_id == 'per-ken-mori'")["sentence_id"].iloc[0]
    again = pd.DataFrame([{"meeting_id": CANBERRA, "person_id": "per-ken-mori", "org_id": None, "country": "JPN",
                           "article_id": CANBERRA_ART, "sentence_id": 0}])  # the dateline sentence, before the one naming them all
    tables["participants"] = pd.concat([TABLES["participants"], again.astype(TABLES["participants"].dtypes)], ignore_index=True)
    detail = timeline.participants_detail(tables, CANBERRA)
    assert list(detail["participant"]).count("Ken Mori") == 2
    seats = timeline.attendees(detail)
    assert list(seats["participant"]) == ["Jane Doe", "Ravi Kumar", "Ken Mori", "United States (no person named)"]
    mori = seats.set_index("participant").loc["Ken Mori"]
    assert (mori["sentence_id"], mori["sentences"]) == (0, 2) and hosted != 0
    assert seats.set_index("participant").loc["Ravi Kumar", "title_at_the_time"] == "National Cyber Security Coordinator"
    assert timeline.attendees(detail.iloc[:0]).empty


def test_topics_and_evidence_detail_quote_sentences():
    topics = timeline.topics_detail(TABLES, CANBERRA)
    assert set(topics["topic"]) == {"Supply chain security", "Critical infrastructure"}
    assert all(m in e for m, e in zip(topics["matched"], topics["evidence"]))
    evidence = timeline.evidence_detail(TABLES, CANBERRA)
    assert list(evidence["article_id"]) == [CANBERRA_ART]
    assert "met in Canberra" in evidence["text"][0]


def test_country_colours_are_fixed_for_quad_and_stable_for_others():
    assert colors.country_color("IND") == colors.QUAD["IND"]
    assert colors.country_color("chn") == colors.country_color("CHN") in colors.PALETTE
    assert colors.country_color(None) == colors.UNKNOWN
    assert len({colors.country_color(c) for c in colors.QUAD}) == 4


def test_a_country_named_alone_is_listed_only_when_nobody_represents_it():
    tables = dict(TABLES)
    extra = pd.DataFrame([{"meeting_id": CANBERRA, "person_id": None, "org_id": None, "country": "IND",
                           "article_id": CANBERRA_ART, "sentence_id": 2}])
    tables["participants"] = pd.concat([TABLES["participants"], extra.astype(TABLES["participants"].dtypes)], ignore_index=True)
    detail = timeline.participants_detail(tables, CANBERRA)
    assert list(detail["participant"]) == ["Jane Doe", "Ravi Kumar", "Ken Mori", "United States (no person named)"]


def test_a_planned_meeting_says_so_with_its_dates():
    tables = {**TABLES, "meetings": TABLES["meetings"].assign(status=TABLES["meetings"]["meeting_id"].map({TOKYO: "planned"}).fillna("held"))}
    frame = timeline.meeting_frame(tables).set_index("meeting_id")
    assert frame.loc[TOKYO, "dates"] == "2022 (year only) · planned"
    assert frame.loc[CANBERRA, "dates"] == "2024-05-01"
