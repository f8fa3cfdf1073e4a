"""The reader's HTML: article text is always escaped, only our own marks are markup, spans land on the right words."""

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pandas as pd
import pytest

from dashboard import data, sources, table_access
from dashboard.filters import Filters, stages
from dashboard_fixtures import CANBERRA_ART, HOSTILE_ART, TOKYO_ART, build_tables

TABLES = build_tables()


class Tags(HTMLParser):
    """Collects start tags and the text inside each <mark>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.marked, self._open = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "mark":
            self._open.append([dict(attrs), ""])

    def handle_endtag(self, tag):
        if tag == "mark":
            self.marked.append(tuple(self._open.pop()))

    def handle_data(self, data):
        for item in self._open:
            item[1] += data


def render(article_id, selected=None):
    article = TABLES["articles"].set_index("article_id").loc[article_id]
    sentences = TABLES["sentences"][TABLES["sentences"]["article_id"] == article_id]
    return article["text"], sources.highlight_html(
        article["text"], sentences, sources.mention_spans(TABLES, article_id),
        topics=sources.topic_sentences(TABLES, article_id), selected=selected,
    )


def parse(markup):
    parser = Tags()
    parser.feed(markup)
    return parser


def test_script_in_article_text_is_escaped_never_markup():
    text, markup = render(HOSTILE_ART)
    assert "<script>" not in markup
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
    assert set(parse(markup).tags) <= {"div", "mark"}


def test_markup_removed_gives_back_the_article_text():
    for article_id in (CANBERRA_ART, TOKYO_ART, HOSTILE_ART):
        text, markup = render(article_id, selected=0)
        assert html.unescape(re.sub(r"<[^>]+>", "", markup)) == text


def test_mentions_are_marked_on_their_surface_with_the_entity_name():
    _, markup = render(CANBERRA_ART)
    marked = {(a["title"], t) for a, t in parse(markup).marked if "title" in a}
    assert ("person: Jane Doe", "Jane Doe") in marked
    assert ("organization: Department of Home Affairs", "Department of Home Affairs") in marked
    assert ("date: 2024-05-01/2024-05-01", "May 1") in marked
    assert ("country: United States", "United States") in marked


def test_selected_sentence_is_anchored_and_topic_sentences_tinted():
    _, markup = render(CANBERRA_ART, selected=1)
    marks = parse(markup).marked
    (selected,) = [(a, t) for a, t in marks if a.get("id") == "sentence-1"]
    assert selected[1].startswith("Jane Doe, Secretary")
    (topic,) = [(a, t) for a, t in marks if a.get("title", "").startswith("topics:")]
    assert topic[0]["title"] == "topics: Critical infrastructure, Supply chain security"
    assert "supply chain security" in topic[1]


def test_overlapping_mentions_keep_the_longer():
    spans = sources.mention_spans(
        {**TABLES, "mentions": pd.concat([TABLES["mentions"], TABLES["mentions"].iloc[[5]].assign(start=lambda f: f["start"] + 14, surface="Home Affairs", entity_id="quad")])},
        CANBERRA_ART,
    )
    starts = [(s.start, s.end) for s in spans]
    assert all(a_end <= b_start for (_, a_end), (b_start, _) in zip(starts, starts[1:]))
    assert any(s.label == "organization: Department of Home Affairs" for s in spans)


def test_titles_in_attributes_are_escaped():
    spans = [sources.Span(0, 5, "person", 'person: "><script>x</script>')]
    markup = sources.highlight_html("Alice met.", pd.DataFrame({"sentence_id": [0], "start": [0], "end": [10]}), spans)
    assert "<script>" not in markup and set(parse(markup).tags) == {"div", "mark"}


def test_quote_escapes_sentence_and_title():
    markup = sources.quote_html("<b>bold</b>", '=HYPERLINK("x")<i>', None)
    assert "<b>" not in markup and "<i>" not in markup and "date unknown" in markup


def test_article_list_counts_meetings_and_mentions_newest_first():
    listing = sources.article_list(TABLES)
    assert list(listing["article_id"]) == [HOSTILE_ART, CANBERRA_ART, TOKYO_ART]
    assert dict(zip(listing["article_id"], listing["meetings"])) == {HOSTILE_ART: 0, CANBERRA_ART: 1, TOKYO_ART: 1}
    assert listing.set_index("article_id").loc[CANBERRA_ART, "mentions"] == 11


# ---- the search, asked of DuckDB: the same sentences as Python's case-blind match over every sentence ---------------

# Sentences where DuckDB's lower() and Python's casefold() part ways ("ß" folds to "ss", "ﬁ" to "fi", the Kelvin sign
# to "k", a final sigma to "σ"), and one where only the case differs; added to the fixture's Canberra article.
FOLDED = ["Die Straße nach Canberra war lang.", "The ﬁrst Quad meeting on cyber.", "ΣΊΣΥΦΟΣ read the communiqué.",
          "A 5 \u212a rise, said HOME AFFAIRS.", "Officials met in TOKYO; 100% agreed_on it."]


def _with_folded_sentences() -> dict[str, pd.DataFrame]:
    tables = build_tables()
    sentences = tables["sentences"]
    last = int(sentences["sentence_id"].max()) + 1
    added = pd.DataFrame([dict(article_id=CANBERRA_ART, sentence_id=last + i, start=0, end=len(text), text=text) for i, text in enumerate(FOLDED)])
    return {**tables, "sentences": pd.concat([sentences, added.astype(sentences.dtypes.to_dict())], ignore_index=True)}


FOLDED_TABLES = _with_folded_sentences()
SEARCHES = ["strasse", "STRASSE", "Straße", "first", "ﬁrst", "σίσυφος", "ΣΊΣΥΦΟΣ", "k", "\u212a", "home affairs", "Canberra",
            "ravi kumar", "tokyo", "100%", "_on", "%", "'", "\\", "<b>", "a", "nothing matches this"]


@pytest.fixture(scope="module")
def connection(tmp_path_factory):
    """A data version of the fixture with the folded sentences, and a DuckDB connection to it as the dashboard makes."""
    folder = tmp_path_factory.mktemp("version")
    for name, frame in FOLDED_TABLES.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return data.connect(folder)


@pytest.mark.parametrize("chosen", [Filters(), Filters(date_from=dt.date(2024, 1, 1)), Filters(countries=("JPN",))])
def test_the_search_asked_of_duckdb_finds_what_python_finds_in_every_sentence(connection, chosen):
    in_pandas = dict(data.Tables(connection, stages(chosen, {})))  # every filtered table read, as the search did before
    found_any = False
    for query in SEARCHES:
        lazy = data.Tables(connection, stages(chosen, {}))
        asked = sources.search_sentences(lazy, query)
        assert "sentences" not in lazy._read  # asked of DuckDB, not read whole
        pd.testing.assert_frame_equal(asked, sources.search_sentences(in_pandas, query), obj=query)
        found_any |= not asked.empty
    assert found_any


def test_the_search_brings_into_pandas_only_the_sentences_that_may_match(connection):
    needle = "ravi kumar"
    candidates = table_access.candidates(data.Tables(connection), "sentences", sources._MAY_CONTAIN, {"search_needle": needle})
    every = FOLDED_TABLES["sentences"]
    # the ASCII sentences that match, and every sentence with another character, for Python's rule to decide
    expected = {(a, s) for a, s, t in zip(every["article_id"], every["sentence_id"], every["text"]) if needle in t.casefold() or not t.isascii()}
    assert set(zip(candidates["article_id"], candidates["sentence_id"])) == expected and len(expected) < len(every)
