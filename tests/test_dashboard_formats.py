"""The dashboard on a wire story republished three times and a two-page PDF, built by the pipeline."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import sources, state, stories, topics
from data_pipeline import cli, store
from tests.conftest import ROOT
from tests.test_formats import STATEMENT, _pdf

APP = str(ROOT / "dashboard" / "app.py")
WIRE = ROOT / "tests" / "formats" / "wire"


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    inputs = tmp_path_factory.mktemp("inputs")
    (inputs / "statement.pdf").write_bytes(_pdf(STATEMENT))
    out = tmp_path_factory.mktemp("formats") / "data"
    assert cli.main(["build", str(WIRE), str(inputs / "statement.pdf"), "--out", str(out), "--jobs", "1"]) == 0
    return out


@pytest.fixture(scope="module")
def tables(folder):
    return store.read_tables(folder)


def _article(tables, name: str) -> str:
    articles = tables["articles"]
    return articles.loc[articles["source"].str.endswith(name), "article_id"].iloc[0]


def test_stories_count_copies_once_and_name_the_other_outlets(tables):
    assert len(tables["articles"]) == 5 and stories.count(tables) == 3
    herald = _article(tables, "outlet_b_pacific_herald.txt")
    others = stories.copies(tables, herald)
    assert [s.rsplit("/", 1)[-1] for s in others["source"]] == ["outlet_a_daily_courier.txt", "outlet_c_morning_post.txt"]
    assert stories.copies(tables, _article(tables, "own_report_tokyo_gazette.txt")).empty


def test_articles_per_topic_count_stories(tables):
    counts = topics.topic_counts(tables).set_index("topic_id")
    mentions = tables["topic_mentions"]
    cables = mentions[mentions["article_id"].isin(tables["articles"].loc[tables["articles"]["source"].str.contains("outlet_"), "article_id"])]
    topic = cables["topic_id"].iloc[0]
    assert cables[cables["topic_id"] == topic]["article_id"].nunique() == 3
    assert counts.loc[topic, "stories"] == mentions[mentions["topic_id"] == topic]["article_id"].map(stories.story_of(tables)).nunique()
    assert counts.loc[topic, "stories"] < mentions[mentions["topic_id"] == topic]["article_id"].nunique()


def test_pdf_sentences_know_their_page(tables):
    pdf = _article(tables, "statement.pdf")
    assert sources.page_count(tables, pdf) == 2
    sentences = tables["sentences"][tables["sentences"]["article_id"] == pdf].set_index("text")["sentence_id"]
    assert sources.sentence_page(tables, pdf, int(sentences["The next principals meeting will be hosted by Japan."])) == 2
    assert sources.sentence_page(tables, pdf, 0) == 1
    assert sources.page_count(tables, _article(tables, "outlet_a_daily_courier.txt")) == 0
    assert sources.sentence_page(tables, _article(tables, "outlet_a_daily_courier.txt"), 0) is None


def _open(folder, monkeypatch, page: str, **params) -> AppTest:
    monkeypatch.setenv("QUAD_DATA_DIR", str(folder))
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(state.page_path(page)).run()
    assert not at.exception, at.exception
    return at


def test_sources_reader_says_also_published_by_and_the_page(folder, tables, monkeypatch):
    herald = _article(tables, "outlet_b_pacific_herald.txt")
    at = _open(folder, monkeypatch, "sources", article=herald)
    captions = [c.value for c in at.caption]
    (also,) = [c for c in captions if c.startswith("Also published by")]
    assert "outlet\\_a\\_daily\\_courier" in also and "outlet\\_c\\_morning\\_post" in also
    pdf = _article(tables, "statement.pdf")
    last = tables["sentences"][tables["sentences"]["article_id"] == pdf]["sentence_id"].max()
    at = _open(folder, monkeypatch, "sources", article=pdf, sentence=str(last))
    assert any("**The sentence you came from** (page 2)" in m.value for m in at.markdown)
    assert any("2 pages" in c.value for c in at.caption)


def test_overview_counts_stories(folder, monkeypatch):
    at = _open(folder, monkeypatch, "overview")
    (stories_metric,) = [m for m in at.metric if m.label == "Stories"]
    assert stories_metric.value == "3" and "5 article(s)" in stories_metric.proto.help
