"""Timeline frames and figure: honest dates, one colour per country, selection, titles at the time."""

import pandas as pd
import pytest

from dashboard import colors, timeline
from dashboard.filters import Filters, apply_filters
from dashboard_fixtures import CANBERRA, CANBERRA_ART, TOKYO, TOKYO_ART, build_tables

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
    assert list(tokyo.text) == ["2022 (year only)"]
    assert tokyo.marker.pattern.shape == "/" and tokyo.marker.opacity < 1
    assert pd.Timestamp(tokyo.base[0]) == pd.Timestamp("2022-01-01")
    assert tokyo.x[0] == pytest.approx(365 * 86_400_000)


def test_exact_meeting_is_solid_and_coloured_by_host():
    (canberra,) = [t for t in _traces() if CANBERRA in [c[0] for c in t.customdata]]
    assert canberra.marker.pattern.shape == "" and canberra.marker.opacity == 1
    assert canberra.marker.color == colors.country_color("AUS")
    assert canberra.x[0] == pytest.approx(86_400_000)
    assert "Jane Doe" in canberra.customdata[0][4] and "Canberra" in canberra.customdata[0][2]


@pytest.mark.parametrize("group_by, rows", [("country", {"Australia", "Japan"}), ("kind", {"principals meeting", "working group"})])
def test_grouping_sets_the_groups_and_each_meeting_has_a_row(group_by, rows):
    traces = _traces(group_by)
    assert {group for t in traces for group in t.y[0]} == rows
    labels = [label for t in traces for label in t.y[1]]
    assert len(labels) == len(set(labels)) == len(timeline.meeting_frame(TABLES).dropna(subset=["start"]))


def test_row_labels_are_short_and_never_clash():
    frame = pd.DataFrame({"name": ["Cyber dialogue", "Cyber dialogue", "A" * 60], "place": ["Tokyo", "Tokyo", "Delhi"],
                          "meeting_id": ["mtg-1", "mtg-2", "mtg-3"]})
    assert timeline.row_labels(frame).tolist() == [
        "Cyber dialogue · Tokyo (mtg-1)", "Cyber dialogue · Tokyo (mtg-2)", "A" * 41 + "… · Delhi"]


def test_grouping_must_be_known():
    with pytest.raises(ValueError):
        timeline.timeline_figure(timeline.meeting_frame(TABLES), "weekday")


def test_empty_frame_gives_an_empty_figure():
    empty = apply_filters(TABLES, Filters(countries=("CHN",)))
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
