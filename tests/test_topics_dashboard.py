"""The topics page's frames and figures on hand-built tables small enough to count by eye.

Two topics are signalled, a third never is; one sentence matches two phrases of
the same topic (it must count once); one meeting is known only to the year, so
it has no month; one article is undated.
"""

import json

import pandas as pd
import pytest

from dashboard import state, topics
from data_pipeline import schema
from test_network import make_tables, open_page

SUPPLY, INFRA, WORKFORCE = "Supply chain security", "Critical infrastructure", "Cyber workforce"
M1_LABEL, M2_LABEL = "Cyber talks, 2024-05-01, Canberra", "Cyber talks, 2025 (year only), Tokyo"


def topic_mention(topic_id, article_id, sentence_id, meeting_id, matched):
    return dict(topic_id=topic_id, article_id=article_id, sentence_id=sentence_id, meeting_id=meeting_id, matched=matched)


def article(article_id, title, published, texts):
    return dict(article_id=article_id, title=title, published=published, date_source="header" if published else "unknown", source=f"{article_id}.txt", text=" ".join(texts))


TEXTS = {
    "art-a": ["The software supply chain, and supply chain risk, led the agenda.", "Critical infrastructure in the US was discussed."],
    "art-b": ["Officials met in Tokyo.", "They agreed on supply chain principles."],
    "art-c": ["India is protecting critical infrastructure."],
}


@pytest.fixture(scope="module")
def tables():
    sentences = [
        dict(article_id=a, sentence_id=i, start=0, end=len(t), text=t) for a, texts in TEXTS.items() for i, t in enumerate(texts)
    ]
    built = make_tables(
        articles=[article("art-a", "Canberra talks", "2024-05-02", TEXTS["art-a"]), article("art-b", "Tokyo round", "2025-03-11", TEXTS["art-b"]), article("art-c", "Undated note", None, TEXTS["art-c"])],
        sentences=sentences,
        countries=[dict(country=c, name=n, quad_member=True) for c, n in [("AUS", "Australia"), ("IND", "India"), ("JPN", "Japan"), ("USA", "United States")]],
        meetings=[
            dict(meeting_id="m1", name="Cyber talks", kind="dialogue", start_date="2024-05-01", end_date="2024-05-01", date_precision="day", city="Canberra", country="AUS", n_sources=1),
            dict(meeting_id="m2", name="Cyber talks", kind="dialogue", start_date="2025-01-01", end_date="2025-12-31", date_precision="year", city="Tokyo", country="JPN", n_sources=1),
        ],
        meeting_sources=[dict(meeting_id="m1", article_id="art-a", sentence_id=0), dict(meeting_id="m2", article_id="art-b", sentence_id=0)],
        participants=[
            dict(meeting_id="m1", country="AUS", article_id="art-a", sentence_id=0),
            dict(meeting_id="m1", country="IND", article_id="art-a", sentence_id=0),
            dict(meeting_id="m2", country="JPN", article_id="art-b", sentence_id=0),
        ],
        mentions=[
            dict(article_id="art-a", sentence_id=1, start=100, end=102, surface="US", entity_type="country", entity_id="USA"),
            dict(article_id="art-c", sentence_id=0, start=0, end=5, surface="India", entity_type="country", entity_id="IND"),
        ],
        topics=[
            dict(topic_id="supply", label=SUPPLY, description="Risks in what is bought and built.", nist_csf_function="Govern", quad_area="Secure software"),
            dict(topic_id="infra", label=INFRA, description="Systems a society runs on.", nist_csf_function="Protect", quad_area="Critical infrastructure protection"),
            dict(topic_id="workforce", label=WORKFORCE, description="Skills and people.", nist_csf_function="Govern", quad_area="Capacity building"),
        ],
        topic_mentions=[
            topic_mention("supply", "art-a", 0, "m1", "software supply chain"),
            topic_mention("supply", "art-a", 0, "m1", "supply chain"),
            topic_mention("supply", "art-b", 1, "m2", "supply chain"),
            topic_mention("infra", "art-a", 1, None, "Critical infrastructure"),
            topic_mention("infra", "art-c", 0, None, "critical infrastructure"),
        ],
    )
    assert not [p for p in schema.problems(built) if "not traceable" not in p]
    return built


def test_counts_are_of_distinct_meetings_articles_and_sentences(tables):
    counts = topics.topic_counts(tables)
    assert list(counts.itertuples(index=False, name=None)) == [
        ("supply", SUPPLY, 2, 2, 2),
        ("infra", INFRA, 0, 2, 2),
        ("workforce", WORKFORCE, 0, 0, 0),
    ]


def test_counts_follow_the_filtered_topics_table(tables):
    narrowed = {**tables, "topics": tables["topics"][tables["topics"]["topic_id"] == "infra"]}
    assert list(topics.topic_counts(narrowed)["topic_id"]) == ["infra"]
    assert list(topics.topic_meeting_matrix(narrowed).index) == []


def test_counts_figure_has_a_bar_per_topic_and_measure(tables):
    figure = topics.counts_figure(topics.topic_counts(tables))
    bars = {trace.name: dict(zip(trace.y, trace.x)) for trace in figure.data}
    assert bars == {"meetings": {SUPPLY: 2, INFRA: 0, WORKFORCE: 0}, "stories": {SUPPLY: 2, INFRA: 2, WORKFORCE: 0}}


def test_topic_by_meeting_in_date_order_with_dates_as_precise_as_known(tables):
    matrix = topics.topic_meeting_matrix(tables)
    assert list(matrix.columns) == [M1_LABEL, M2_LABEL]
    assert matrix.to_dict(orient="index") == {SUPPLY: {M1_LABEL: 1, M2_LABEL: 1}}


def test_topic_by_country_counts_named_countries_and_meeting_participants(tables):
    matrix = topics.topic_country_matrix(tables)
    assert list(matrix.columns) == ["Australia", "India", "Japan", "United States"]
    assert matrix.to_dict(orient="index") == {
        INFRA: {"Australia": 0, "India": 1, "Japan": 0, "United States": 1},
        SUPPLY: {"Australia": 1, "India": 1, "Japan": 1, "United States": 0},
    }


def test_heatmap_shows_the_matrix(tables):
    matrix = topics.topic_country_matrix(tables)
    heatmap = topics.heatmap_figure(matrix, title="Topics by country").data[0]
    assert list(heatmap.x) == list(matrix.columns) and list(heatmap.y) == list(matrix.index)
    assert heatmap.z.tolist() == matrix.to_numpy().tolist()


@pytest.mark.parametrize(
    ("by", "period", "expected"),
    [
        ("article", "year", [("2024", "infra", 1), ("2024", "supply", 1), ("2025", "supply", 1)]),
        ("article", "month", [("2024-05", "infra", 1), ("2024-05", "supply", 1), ("2025-03", "supply", 1)]),
        ("meeting", "year", [("2024", "supply", 1), ("2025", "supply", 1)]),
        ("meeting", "month", [("2024-05", "supply", 1)]),  # the 2025 meeting has no known month
    ],
)
def test_topics_over_time(tables, by, period, expected):
    frame = topics.topics_over_time(tables, by=by, period=period)
    assert list(frame[["period", "topic_id", "count"]].itertuples(index=False, name=None)) == expected
    figure = topics.over_time_figure(frame, by=by)
    assert sum(sum(trace.y) for trace in figure.data) == sum(c for *_, c in expected)


def test_over_time_refuses_unknown_choices(tables):
    with pytest.raises(ValueError):
        topics.topics_over_time(tables, by="week")


def test_topic_detail(tables):
    assert topics.topic_detail(tables, "infra") == dict(
        topic_id="infra", label=INFRA, description="Systems a society runs on.", nist_csf_function="Protect",
        quad_area="Critical infrastructure protection", meetings=0, stories=2, sentences=2,
    )
    with pytest.raises(KeyError):
        topics.topic_detail(tables, "nothing")
    assert topics.topic_detail(tables, "infra", topics.topic_counts(tables)) == topics.topic_detail(tables, "infra")  # counts given


def test_topic_sentences_lists_each_sentence_once_with_what_matched(tables):
    found = topics.topic_sentences(tables, "supply")
    assert list(found.columns) == ["title", "published", "sentence", "matched", "meeting", "article_id", "sentence_id"]
    assert list(found[["article_id", "sentence_id", "matched", "meeting"]].itertuples(index=False, name=None)) == [
        ("art-a", 0, "software supply chain; supply chain", M1_LABEL),
        ("art-b", 1, "supply chain", M2_LABEL),
    ]
    assert found["sentence"].tolist() == [TEXTS["art-a"][0], TEXTS["art-b"][1]]
    first = topics.topic_sentences(tables, "supply", first=1)  # what a page quotes: the oldest, read alone
    pd.testing.assert_frame_equal(first, found.head(1))


def test_everything_copes_with_empty_tables():
    empty = make_tables()
    assert topics.topic_counts(empty).empty
    assert topics.topic_meeting_matrix(empty).empty and topics.topic_country_matrix(empty).empty
    assert topics.topics_over_time(empty).empty
    assert topics.topic_sentences(empty, "supply").empty
    topics.counts_figure(topics.topic_counts(empty))
    topics.over_time_figure(topics.topics_over_time(empty))


def test_tables_are_left_untouched(tables):
    before = {name: frame.copy() for name, frame in tables.items()}
    topics.topic_counts(tables), topics.topic_country_matrix(tables), topics.topics_over_time(tables, by="meeting"), topics.topic_sentences(tables, "supply")
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


# ---- the page, run headless on the dashboard fixture ---------------------------------------------

def quotes(at):
    return [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote")]


def chart_spec(at, key):
    return json.loads(next(c.proto.spec for c in at.get("plotly_chart") if key in c.proto.id))


def test_page_shows_a_topic_its_place_in_the_frameworks_and_its_sentences(tmp_path, monkeypatch):
    at, fixture = open_page(tmp_path, monkeypatch, "topics")
    first = topics.topic_counts(fixture).iloc[0]
    assert at.selectbox(key="topics_topic").value == first["topic_id"]
    assert at.subheader[0].value == first["label"]
    at.selectbox(key="topics_topic").set_value("cyber-workforce").run()
    assert not at.exception
    assert at.subheader[0].value == "Cyber workforce"
    assert any("Quad area: Capacity building" in c.value for c in at.caption)
    assert len(quotes(at)) == 1 and "cyber workforce skills" in quotes(at)[0]
    assert len(at.get("page_link")) == 1
    assert at.query_params["topic"] == "cyber-workforce"  # the linked selection, in the URL


def test_over_time_is_drawn_when_opened_and_follows_the_date_and_period_chosen(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "topics")
    assert not any("over_time" in c.proto.id for c in at.get("plotly_chart"))  # closed: not computed on every rerun
    at.session_state["topics_over_time_open"] = True  # what a click on the expander leaves
    at.run()
    periods = lambda: {x for trace in chart_spec(at, "over_time")["data"] for x in trace["x"]}  # noqa: E731
    assert periods() == {"2023", "2024"}  # articles published
    at.radio(key="topics_by").set_value("meeting").run()
    assert periods() == {"2022", "2024"}  # meetings held
    at.radio(key="topics_period").set_value("month").run()
    assert periods() == {"2024-05"}  # the 2022 meeting has no known month


def test_topics_page_says_when_nothing_matches(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "topics", **{"from": "2031-01-01"})
    assert [i.value for i in at.info] == [state.NOTHING_MATCHES]
    assert not quotes(at)


def test_month_heatmap_by_default_and_a_clicked_cell_opens_its_sentences(tmp_path, monkeypatch):
    at, fixture = open_page(tmp_path, monkeypatch, "topics")
    spec = chart_spec(at, "heatmap_chart")
    assert spec["data"][0]["type"] == "heatmap" and set(spec["data"][0]["x"]) == set(topics.topic_matrix(fixture, "month").columns)
    cells = spec["data"][1]["customdata"]  # one clickable point per non-empty cell
    matrix = topics.topic_matrix(fixture, "month")
    assert len(cells) == int((matrix.to_numpy() > 0).sum())
    label, month = cells[0]
    expected = topics.cell_sentences(fixture, "month", label, month)
    assert len(expected) == matrix.loc[label, month] > 0
    assert set(expected["published"].str.slice(0, 7)) == {month}
    at.session_state[state.key("topics", "clicked_cell")] = (label, month)  # what a click on the cell leaves
    at.run()
    assert at.subheader[0].value == label and at.selectbox(key="topics_cell").value == month
    assert len(quotes(at)) == len(expected)
    assert at.query_params["cell"] in (month, [month])


def test_meeting_heatmap_and_the_over_time_settings_live_in_the_url(tmp_path, monkeypatch):
    at, fixture = open_page(tmp_path, monkeypatch, "topics", heatmap="meeting", by="meeting", period="month")
    assert at.segmented_control(key="topics_heatmap").value == "meeting"
    assert set(chart_spec(at, "heatmap_chart")["data"][0]["x"]) == set(topics.topic_meeting_matrix(fixture).columns)
    assert at.radio(key="topics_by").value == "meeting" and at.radio(key="topics_period").value == "month"
