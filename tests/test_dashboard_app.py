"""The dashboard run headless (Streamlit AppTest) on the hand-built data version: each page reacts to filters and selections."""

from pathlib import Path
from urllib.parse import parse_qs

import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from dashboard_fixtures import CANBERRA, CANBERRA_ART, HOSTILE_ART, TOKYO, TOKYO_ART, build_tables, manifest
from data_pipeline import store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


@pytest.fixture(scope="module")
def data_folder(tmp_path_factory):
    folder = tmp_path_factory.mktemp("data") / "fixture"
    tables = build_tables()
    store.write_tables(folder, tables, manifest(tables))
    return folder


@pytest.fixture
def app(data_folder, monkeypatch):
    """Open a page, optionally with URL parameters, and return the run app."""
    monkeypatch.setenv("QUAD_DATA_DIR", str(data_folder))

    def _open(page: str = "overview", **params) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=30)
        for name, value in params.items():
            at.query_params[name] = value
        at.run()
        if page != "overview":
            at.switch_page(state.page_path(page)).run()
        assert not at.exception, at.exception
        return at

    return _open


def url(at, name: str) -> list[str]:
    """A query parameter's values (AppTest gives a lone value as a string)."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def texts(at) -> str:
    return "\n".join(e.value for kind in ("markdown", "caption", "info") for e in at.get(kind))


def test_overview_counts_follow_the_filters(app):
    at = app()
    assert metrics(at) == {"Articles": "3", "Meetings": "2", "People": "3", "Organisations": "2", "Countries": "5"}
    assert "fixture0001" in texts(at) and "2022-01-01 to 2024-06-01" in texts(at)
    assert any("python -m data_pipeline build" in c.value for c in at.code)
    at.sidebar.multiselect(key="filter_countries").select("CHN").run()
    assert metrics(at)["Meetings"] == "0" and metrics(at)["Articles"] == "1"
    assert any("No meeting matches" in i.value for i in at.info)
    assert url(at, "country") == ["CHN"]


def test_a_filter_matching_nothing_says_so_on_every_page(app):
    for page in ("overview", "timeline", "sources", "data"):
        at = app(page, **{"from": "2030-01-01"})
        assert not at.exception
        assert any(i.value == state.NOTHING_MATCHES for i in at.info), page


def test_filters_come_from_the_url_and_unknown_values_are_dropped(app):
    at = app(country=["JPN", "ZZZ"], kind="working group")
    assert at.sidebar.multiselect(key="filter_countries").value == ["JPN"]
    assert metrics(at)["Meetings"] == "1"
    at.sidebar.button(key="filter_reset").click().run()
    assert metrics(at)["Meetings"] == "2"
    assert "country" not in at.query_params and "kind" not in at.query_params


def test_timeline_detail_shows_year_precision_titles_at_the_time_and_evidence_links(app):
    at = app("timeline")
    assert at.get("plotly_chart")
    at.selectbox(key="timeline_meeting").select(TOKYO).run()
    assert metrics(at) == {"Dates": "2022 (year only)", "Date precision": "year", "Place": "Tokyo", "Host": "Japan"}
    participants = at.dataframe[0].value.set_index("participant")
    assert participants.loc["Ravi Kumar", "title_at_the_time"] == "Deputy Coordinator"
    assert participants.loc["Ravi Kumar", "source"].startswith("sources?")
    link = at.get("page_link")[0].proto
    assert parse_qs(link.query_string) == {"meeting": [TOKYO], "article": [TOKYO_ART], "sentence": ["0"]}
    assert url(at, "meeting") == [TOKYO]


def test_timeline_groups_by_kind_and_colours_by_country(app):
    at = app("timeline")
    at.segmented_control(key="timeline_group_by").set_value("kind").run()
    figure = plotly.io.from_json(at.get("plotly_chart")[0].proto.spec)
    assert {y for trace in figure.data for y in trace.y} == {"principals meeting", "working group"}
    assert {trace.text[0] for trace in figure.data} == {"2024-05-01", "2022 (year only)"}


def test_a_meeting_selected_in_the_url_opens_its_detail(app):
    at = app("timeline", meeting=CANBERRA)
    assert metrics(at)["Dates"] == "2024-05-01"
    assert "National Cyber Security Coordinator" in set(at.dataframe[0].value["title_at_the_time"])


def _reader_html(at) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def test_sources_link_opens_the_sentence_highlighted(app):
    at = app("timeline", meeting=CANBERRA)
    query = parse_qs(at.get("page_link")[0].proto.query_string)
    at = app("sources", **query)
    body = _reader_html(at)
    assert 'id="sentence-0"' in body and "Canberra" in body
    assert at.selectbox(key="sources_article").value == CANBERRA_ART
    assert any("Sentence 0" in m.value for m in at.markdown)


def test_sources_reader_escapes_the_article(app):
    at = app("sources")
    at.selectbox(key="sources_article").select(HOSTILE_ART).run()
    body = _reader_html(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "<script>" not in body
    assert url(at, "article") == [HOSTILE_ART]


def test_sources_search_narrows_the_articles(app):
    at = app("sources")
    at.text_input(key="sources_search").input("canberra").run()
    assert at.selectbox(key="sources_article").options == ["2024-05-02 · Quad cyber chiefs meet in Canberra"]


def test_data_page_lists_filtered_tables_with_downloads(app):
    at = app("data", person="per-jane-doe")
    counts = at.dataframe[0].value.set_index("table")
    assert counts.loc["meetings", "rows"] == 1 and counts.loc["meetings", "of"] == 2
    at.selectbox(key="data_table").select("people").run()
    assert set(at.dataframe[1].value["person_id"]) == {"per-jane-doe", "per-ravi-kumar", "per-ken-mori"}
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[0].startswith("Download all tables") and "people.csv (3 rows)" in labels[1]


def test_missing_data_folder_is_explained_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("QUAD_DATA_DIR", str(tmp_path / "nowhere"))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "No data folder" in at.error[0].value and "python -m data_pipeline build" in at.error[0].value


def test_broken_data_folder_is_explained(tmp_path, monkeypatch):
    (tmp_path / "manifest.json").write_text('{"build_id": "broken"}', "utf-8")
    (tmp_path / "articles.parquet").write_bytes(b"not parquet")
    monkeypatch.setenv("QUAD_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert "cannot be read" in at.error[0].value
