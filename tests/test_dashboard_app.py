"""The dashboard run headless (Streamlit AppTest) on the hand-built data version: each page reacts to filters and selections."""

from pathlib import Path
from urllib.parse import parse_qs

import duckdb
import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data, filters, state
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
    assert metrics(at) == {"Stories": "3", "Meetings": "2", "People": "3", "Organisations": "2", "Countries": "5"}
    assert "fixture0001" in texts(at) and "2022-01-01 to 2024-06-01" in texts(at)
    assert any("python -m data_pipeline build" in m.value for m in at.markdown)
    at.sidebar.multiselect(key="filter_countries").select("CHN").run()
    assert metrics(at)["Meetings"] == "0" and metrics(at)["Stories"] == "1"
    assert any("No meeting matches" in i.value for i in at.info)
    assert url(at, "country") == ["CHN"]


def test_overview_counts_are_grouped_in_thousands(app, monkeypatch):
    """At 1,000,000 articles the Overview said 999822 stories."""
    from dashboard import stories

    monkeypatch.setattr(stories, "count", lambda tables: 999_822)
    assert metrics(app())["Stories"] == "999,822"


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
    assert list(figure.layout.yaxis.ticktext) == ["principals meeting", "working group"]
    assert {trace.text[0] for trace in figure.data} == {"principals meeting · Canberra", "working group · Tokyo · 2022 (year only)"}
    assert at.query_params["group"] in ("kind", ["kind"])  # a copied link keeps the grouping


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
    assert any("The sentence you came from" in m.value for m in at.markdown)
    assert not any("Sentence 0" in m.value or "art-" in m.value for m in [*at.markdown, *at.caption])


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
    assert url(at, "q") == ["canberra"]  # a copied link keeps the search


def test_search_finds_a_person_named_in_a_sentence_and_marks_the_hit_escaped(app):
    at = app("sources", q="Ravi Kumar")
    quotes = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote")]
    assert len(quotes) == 2  # the Canberra report and the Tokyo piece both name him
    assert all('title="search hit">Ravi Kumar</mark>' in q for q in quotes)
    assert [link.proto.label for link in at.get("page_link")][:2] == ["Read in source"] * 2
    at = app("sources", q="<script>")
    hit = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote")]
    assert hit and "<script>" not in " ".join(hit) and "&lt;script&gt;</mark>" in hit[0]


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


def test_a_page_whose_query_runs_out_of_memory_says_so_and_the_others_are_drawn(tmp_path, monkeypatch):
    """At 1,000,000 articles the Network page's first layout read every mention, past the memory DuckDB may use."""
    folder = tmp_path / "data"  # its own folder: no network layout cached on disk from the other tests
    tables = build_tables()
    store.write_tables(folder, tables, manifest(tables))
    monkeypatch.setenv("QUAD_DATA_DIR", str(folder))
    real = data.query

    def short_of_memory(connection, sql, params=None):
        if sql.startswith("SELECT * FROM (SELECT * FROM mentions)"):  # the whole table, as the layout reads it
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB "
                                              "(953.9 MiB/953.6 MiB used)\nPossible solutions: ...")
        return real(connection, sql, params)

    monkeypatch.setattr(data, "query", short_of_memory)
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception and not at.error and metrics(at)["Meetings"] == "2"
    at.switch_page(state.page_path("network")).run()
    assert not at.exception
    message = at.error[0].value
    assert "needs more memory than the dashboard gives a query" in message and "could not allocate" in message
    assert "Possible solutions" not in message


def test_the_network_of_a_version_with_too_many_mentions_is_not_made_and_the_page_says_why(app, monkeypatch):
    """At 1,000,000 articles (20.4 million mentions) making the network's parts took the server past 22 GB."""
    from dashboard import network

    bound = network.MAX_MENTIONS
    monkeypatch.setattr(network, "MAX_MENTIONS", 3)
    at = app("network")
    assert "is not drawn: it holds" in at.info[0].value and "reads at most 3 into memory" in at.info[0].value
    assert not at.get("plotly_chart")
    monkeypatch.setattr(network, "MAX_MENTIONS", bound)
    at = app("network")
    assert not at.info and at.get("plotly_chart")


# ---- linked selection filtering every page ---------------------------------------------------

def linked_toggle(at):
    return at.sidebar.toggle(key=state.LINKED_KEY)


def notices(at) -> list[str]:
    return [c.value for c in at.caption if "Filtered by the selection" in c.value]


def topic_options(at) -> set[str]:
    return set(at.selectbox(key="topics_topic").options)


def network_nodes(at) -> str:
    return "\n".join(at.selectbox(key="network_element").options)  # the drawn nodes and links: the whole network here


def test_a_meeting_picked_on_the_timeline_filters_the_other_pages_while_the_toggle_is_on(app):
    at = app("timeline")
    assert linked_toggle(at).value is False
    at.selectbox(key="timeline_meeting").select(CANBERRA).run()
    at.switch_page(state.page_path("topics")).run()
    everything = topic_options(at)
    assert everything == {"Supply chain security", "Critical infrastructure", "Cyber workforce", "Ransomware"}
    assert not notices(at)

    linked_toggle(at).set_value(True).run()
    assert not at.exception
    assert url(at, "linked") == ["1"] and url(at, "meeting") == [CANBERRA]
    assert topic_options(at) == {"Supply chain security", "Critical infrastructure"}
    assert "Quad Senior Cyber Group principals meeting" in notices(at)[0]
    at.switch_page(state.page_path("network")).run()
    nodes = network_nodes(at)
    assert "Quad Senior Cyber Group principals meeting" in nodes and "Jane Doe" in nodes
    assert "Quad cyber working group meeting" not in nodes and "China" not in nodes
    assert notices(at)
    at.switch_page(state.page_path("timeline")).run()
    assert parse_qs(at.get("page_link")[0].proto.query_string)["linked"] == ["1"]  # a sentence link keeps the view

    linked_toggle(at).set_value(False).run()
    assert "linked" not in at.query_params and not notices(at)
    at.switch_page(state.page_path("network")).run()
    assert "Quad cyber working group meeting" in network_nodes(at)
    at.switch_page(state.page_path("topics")).run()
    assert topic_options(at) == everything


def test_a_copied_link_with_the_toggle_reproduces_the_filtered_view(app):
    at = app("overview", entity="person:per-jane-doe", linked="1")
    assert linked_toggle(at).value is True
    assert metrics(at)["Meetings"] == "1" and metrics(at)["Stories"] == "1"
    assert "person Jane Doe" in notices(at)[0]
    without = app("overview", entity="person:per-jane-doe")
    assert linked_toggle(without).value is False and metrics(without)["Meetings"] == "2"


def test_a_selection_narrows_the_sidebar_filters_and_the_page_says_why_nothing_is_left(app):
    at = app("overview", topics="cyber-workforce", topic="supply-chain-security")
    assert at.sidebar.multiselect(key="filter_topics").value == ["cyber-workforce"]
    assert url(at, "topics") == ["cyber-workforce"] and url(at, "topic") == ["supply-chain-security"]
    assert metrics(at)["Meetings"] == "1"
    linked_toggle(at).set_value(True).run()
    assert any(i.value == state.NOTHING_MATCHES for i in at.info)
    assert "topic Supply chain security" in notices(at)[0]


def test_filter_and_selection_names_never_share_a_url_parameter():
    assert not set(filters.PARAMS.values()) & {*state.SELECTION_KINDS, state.LINKED_PARAM, *state.READER_PARAMS}


def test_the_meetings_filter_comes_from_the_url_like_the_others(app):
    at = app("data", meetings=TOKYO)
    assert at.sidebar.multiselect(key="filter_meetings").value == [TOKYO]
    counts = at.dataframe[0].value.set_index("table")
    assert counts.loc["meetings", "rows"] == 1 and counts.loc["articles", "rows"] == 1


def test_the_add_page_shows_no_filters_and_the_filters_survive_a_visit_to_it(app):
    at = app("timeline", country="AUS")
    assert at.sidebar.multiselect(key="filter_countries").value == ["AUS"]
    at.switch_page(state.page_path("add")).run()
    assert not at.exception
    assert not [w for w in at.sidebar.multiselect if w.key == "filter_countries"]
    at.switch_page(state.page_path("timeline")).run()
    assert at.sidebar.multiselect(key="filter_countries").value == ["AUS"]


def test_data_page_describes_tables_without_the_contract_formulas(app):
    at = app("data")
    assert not at.dataframe[0].value["about"].str.contains("==|`", regex=True).any()
    at.selectbox(key="data_table").select("mentions").run()
    assert not any("==" in m.value for m in at.markdown)


def test_the_sidebar_meetings_list_holds_the_latest_and_a_linked_one(app, monkeypatch):
    from dashboard import filters

    monkeypatch.setattr(filters, "MEETING_CHOICES", 1)
    at = app("people")
    listed = at.sidebar.multiselect(key="filter_meetings").options
    assert len(listed) == 1 and "2024" in listed[0]  # the latest of the fixture's meetings
    at = app("people", meetings=TOKYO)  # an older meeting from a link is listed, chosen, and filters
    assert at.sidebar.multiselect(key="filter_meetings").value == [TOKYO] and len(at.sidebar.multiselect(key="filter_meetings").options) == 2


def test_the_sidebar_people_list_holds_the_most_mentioned_and_a_linked_one_and_says_so(app, monkeypatch):
    from dashboard import filters

    monkeypatch.setattr(filters, "ENTITY_CHOICES", 1)
    at = app("overview")
    assert at.sidebar.multiselect(key="filter_people").options == ["Ravi Kumar"]  # named in both articles
    assert any(c.value.startswith("Lists the 1 people most mentioned within the dates above, of 3") for c in at.sidebar.caption)
    at = app("overview", person="per-ken-mori")  # another from a link is listed, chosen, and filters
    people = at.sidebar.multiselect(key="filter_people")
    assert people.value == ["per-ken-mori"] and people.options == ["Ken Mori", "Ravi Kumar"]


def test_sources_lists_the_newest_articles_and_the_one_a_link_opened(app, monkeypatch):
    from dashboard import sources

    monkeypatch.setattr(sources, "LISTED", 1)
    at = app("sources")
    assert len(at.dataframe[0].value) == 1 and any(c.value.startswith("The newest 1 of ") for c in at.caption)
    assert len(at.selectbox(key="sources_article").options) == 1
    at = app("sources", article=TOKYO_ART)  # an older article opened by a link is offered and read
    assert TOKYO_ART not in set(at.dataframe[0].value["article_id"])
    assert len(at.selectbox(key="sources_article").options) == 2 and at.selectbox(key="sources_article").value == TOKYO_ART


def test_timeline_lists_the_latest_meetings_and_the_selected_one_when_there_are_many(app, monkeypatch):
    from dashboard import filters

    monkeypatch.setattr(filters, "MEETING_CHOICES", 1)
    at = app("timeline")
    box = at.selectbox(key="timeline_meeting")
    assert len(box.options) == 1 and "2024" in box.options[0]
    assert any(c.value.startswith("The list holds the latest 1 of the ") for c in at.caption)
    at = app("timeline", meeting=TOKYO)  # a meeting selected elsewhere is listed and opened
    assert at.selectbox(key="timeline_meeting").value == TOKYO and len(at.selectbox(key="timeline_meeting").options) == 2


def test_the_data_page_cuts_long_text_cells_in_its_preview_and_says_so(app):
    at = app("data")
    at.selectbox(key="data_table").select("articles").run()
    texts = at.dataframe[1].value["text"]
    assert texts.str.len().max() == 301 and texts.str.endswith("…").sum() == 1  # one article is longer than 300 characters
    assert any("Text longer than 300 characters is cut here (text)" in c.value for c in at.caption)
