"""The Sources reader: an article's text with its mentions and topic sentences marked, as safe HTML.

Article text comes from the outside world, so every piece of it goes through
`html.escape`; the only markup in the output is our own `<mark>` elements and
one wrapping `<div>`. Mentions are marked inside sentences; a sentence that
signals a topic is tinted, and the sentence a link pointed at is emphasised
and anchored so the analyst sees the exact words behind a fact.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import pandas as pd

from dashboard import colors, table_access
from data_pipeline.pages import page_of

__all__ = ["LISTED", "Span", "article_list", "mention_spans", "topic_sentences", "highlight_html", "legend_html", "quote_html",
           "search_sentences", "mention_table", "sentence_page", "page_count"]

MARKED_TYPES = ("person", "organization", "country", "place", "date")
_TOPIC_TINT = "rgba(238, 202, 59, 0.22)"
_SELECTED = "rgba(255, 214, 0, 0.55)"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    entity_type: str
    label: str  # what the hover says, e.g. "person: Jane Doe"


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")
# Where GitHub-flavoured Markdown would start a link of its own from plain text: "://", "www." and the "@" of an
# e-mail address. It finds them after escapes are resolved, so a backslash cannot stop it; an invisible word joiner can.
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def literal(text: str) -> str:
    """`text` escaped so Markdown (a title, a caption, `st.info`) shows it as written: no links (not even a bare
    `https://…`, `www.…` or e-mail address), images, HTML, code spans or emphasis. For article text and
    metadata, and anything else an upload, a URL or a user supplied; the one path such text takes into Markdown."""
    return _MARKDOWN.sub(r"\\\1", _AUTOLINK.sub(WORD_JOINER, str(text)))


# Articles the Sources page lists in its table and its reader's choice at once: the newest this many of those the
# filters and the search keep (and the one a link opened). At 10,000 articles the whole list was 2.8 MB per run.
LISTED = 1000


def article_list(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Articles newest first, with how many meetings and mentions each contributes (counted by DuckDB: 2 million
    mentions at 100,000 articles)."""
    meetings = _per_article(tables, "SELECT article_id, count(DISTINCT meeting_id) AS n FROM {meeting_sources} GROUP BY article_id")
    mentions = _per_article(tables, "SELECT article_id, count(*) AS n FROM {mentions} GROUP BY article_id")
    frame = table_access.columns(tables, "articles", ["article_id", "published", "title", "source"]).copy()
    frame["meetings"] = frame["article_id"].map(meetings).fillna(0).astype(int)
    frame["mentions"] = frame["article_id"].map(mentions).fillna(0).astype(int)
    return frame.sort_values(["published", "title"], ascending=[False, True], na_position="last").reset_index(drop=True)


def _per_article(tables: dict[str, pd.DataFrame], query: str) -> pd.Series:
    """Article id → the count `query` gives it."""
    counted = table_access.sql(tables, query)
    return pd.Series(counted["n"].to_numpy(), index=counted["article_id"].astype(str).to_numpy())


def _page_starts(tables: dict[str, pd.DataFrame], article_id: str) -> list[int]:
    pages = tables["pages"][tables["pages"]["article_id"] == article_id].sort_values("page")
    return [int(s) for s in pages["start"]]


def page_count(tables: dict[str, pd.DataFrame], article_id: str) -> int:
    """Pages of the article's original (a PDF); 0 when it has none."""
    return len(_page_starts(tables, article_id))


def sentence_page(tables: dict[str, pd.DataFrame], article_id: str, sentence_id: int) -> int | None:
    """The page of the original the sentence starts on, for evidence that says "page 2"; None without pages."""
    sentence = tables["sentences"][(tables["sentences"]["article_id"] == article_id) & (tables["sentences"]["sentence_id"] == sentence_id)]
    if sentence.empty:
        return None
    return page_of(_page_starts(tables, article_id), int(sentence["start"].iloc[0]))


def _entity_names(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], str]:
    names = {}
    for entity_type, table, id_column, name_column in (
        ("person", "people", "person_id", "name"),
        ("organization", "organizations", "org_id", "name"),
        ("country", "countries", "country", "name"),
        ("place", "places", "place_id", "name"),
    ):
        frame = tables[table]
        names.update({(entity_type, i): n for i, n in zip(frame[id_column], frame[name_column])})
    return names


def mention_spans(tables: dict[str, pd.DataFrame], article_id: str) -> list[Span]:
    """Non-overlapping spans to mark: where mentions overlap, the longer (then earlier) one wins."""
    rows = tables["mentions"][(tables["mentions"]["article_id"] == article_id) & tables["mentions"]["entity_type"].isin(MARKED_TYPES)]
    names = _entity_names(tables)
    rows = rows.assign(_length=rows["end"] - rows["start"]).sort_values(["_length", "start"], ascending=[False, True])
    chosen: list[Span] = []
    for row in rows.itertuples(index=False):
        if any(row.start < s.end and s.start < row.end for s in chosen):
            continue
        name = names.get((row.entity_type, row.entity_id), row.entity_id)
        chosen.append(Span(int(row.start), int(row.end), row.entity_type, f"{row.entity_type}: {name}"))
    return sorted(chosen, key=lambda s: s.start)


def topic_sentences(tables: dict[str, pd.DataFrame], article_id: str) -> dict[int, list[str]]:
    """Sentence id → labels of the topics it signals."""
    rows = tables["topic_mentions"][tables["topic_mentions"]["article_id"] == article_id].merge(tables["topics"][["topic_id", "label"]], on="topic_id")
    return {int(k): sorted(set(v)) for k, v in rows.groupby("sentence_id")["label"]}


def _mark(text: str, *, style: str, title: str, element_id: str | None = None) -> str:
    anchor = f' id="{html.escape(element_id)}"' if element_id else ""
    return f'<mark{anchor} style="{style}" title="{html.escape(title)}">{text}</mark>'


def _marked(text: str, offset: int, spans: list[Span]) -> str:
    """Escaped text of [offset, offset+len(text)) with the spans inside it marked."""
    out, cursor = [], offset
    for span in spans:
        if span.start < offset or span.end > offset + len(text):
            continue
        out.append(html.escape(text[cursor - offset : span.start - offset]))
        colour = colors.type_color(span.entity_type)
        style = f"background:none;color:inherit;border-bottom:2px solid {colour};padding:0 1px"
        out.append(_mark(html.escape(text[span.start - offset : span.end - offset]), style=style, title=span.label))
        cursor = span.end
    out.append(html.escape(text[cursor - offset :]))
    return "".join(out)


def highlight_html(
    text: str,
    sentences: pd.DataFrame,
    spans: list[Span],
    *,
    topics: dict[int, list[str]] | None = None,
    selected: int | None = None,
) -> str:
    """The article as HTML: sentences (tinted when they signal a topic, emphasised when selected) with mentions marked.

    `sentences` holds `sentence_id`, `start`, `end` into `text`; text between
    sentences (spaces, blank lines) is kept so paragraphs survive.
    """
    topics = topics or {}
    out, cursor = [], 0
    for row in sentences.sort_values("start").itertuples(index=False):
        start, end, sentence_id = int(row.start), int(row.end), int(row.sentence_id)
        out.append(_marked(text[cursor:start], cursor, spans))
        body = _marked(text[start:end], start, spans)
        if sentence_id == selected:
            style = f"background:{_SELECTED};outline:2px solid #B8860B;border-radius:3px;padding:1px 0"
            title = "the sentence you came from" + (f" — topics: {', '.join(topics[sentence_id])}" if sentence_id in topics else "")
            body = _mark(body, style=style, title=title, element_id=f"sentence-{sentence_id}")
        elif sentence_id in topics:
            body = _mark(body, style=f"background:{_TOPIC_TINT};color:inherit", title=f"topics: {', '.join(topics[sentence_id])}")
        out.append(body)
        cursor = end
    out.append(_marked(text[cursor:], cursor, spans))
    return f'<div style="white-space:pre-wrap;line-height:1.7;font-size:1rem">{"".join(out)}</div>'


def legend_html() -> str:
    """A key to the marks, in the same style as the reader."""
    items = [
        _mark(html.escape(t), style=f"background:none;color:inherit;border-bottom:2px solid {colors.type_color(t)}", title=t)
        for t in MARKED_TYPES
    ]
    items.append(_mark("topic sentence", style=f"background:{_TOPIC_TINT};color:inherit", title="topic sentence"))
    items.append(_mark("selected sentence", style=f"background:{_SELECTED}", title="selected sentence"))
    return '<div style="font-size:0.85rem">' + " · ".join(items) + "</div>"


def quote_html(sentence: str, title: str, published: str | None, *, hit: str | None = None) -> str:
    """An evidence sentence as a block quote with its article, all escaped; the words `hit` marked where they occur."""
    where = html.escape(title) + (f" · {html.escape(published)}" if published else " · date unknown")
    return (
        '<blockquote style="margin:0.3rem 0;padding:0.2rem 0.8rem;border-left:3px solid #B8860B">'
        f'{_with_hits(sentence, hit)}<br><small style="opacity:0.75">{where}</small></blockquote>'
    )


def _with_hits(text: str, hit: str | None) -> str:
    """Escaped text with each case-insensitive occurrence of `hit` in a <mark>: the text is escaped piece by piece,
    so a search for "<b>" marks the characters and never becomes markup."""
    if not hit:
        return html.escape(text)
    pieces = re.split(f"({re.escape(hit)})", text, flags=re.IGNORECASE)
    return "".join(_mark(html.escape(piece), style=f"background:{_SELECTED}", title="search hit") if i % 2 else html.escape(piece)
                   for i, piece in enumerate(pieces))


# The sentences that may contain a search, asked of DuckDB so that only they come into pandas (1.6 million sentences
# at 100,000 articles): DuckDB's lower() is Python's casefold() on ASCII text, so an ASCII sentence is a candidate
# exactly when it matches; a sentence with any other character (its bytes outnumber its characters) is always one,
# and Python's rule decides (casefold() also folds "ß" to "ss", "ﬁ" to "fi", which lower() does not).
_MAY_CONTAIN = "contains(lower(text), $search_needle) OR strlen(text) <> length(text)"


def search_sentences(tables: dict[str, pd.DataFrame], query: str) -> pd.DataFrame:
    """Sentences that contain `query` (case-insensitive, as written: a name, a phrase, an organisation), newest first.

    Columns: title, published, sentence, article_id, sentence_id; no row for an empty query.
    """
    columns = ["title", "published", "sentence", "article_id", "sentence_id"]
    needle = query.strip().casefold()
    if not needle:
        return pd.DataFrame(columns=columns)
    sentences = table_access.candidates(tables, "sentences", _MAY_CONTAIN, {"search_needle": needle})
    found = sentences[sentences["text"].str.casefold().str.contains(needle, regex=False)]
    found = found.rename(columns={"text": "sentence"}).merge(table_access.columns(tables, "articles", ["article_id", "title", "published"]), on="article_id")
    return found.sort_values(["published", "article_id", "sentence_id"], ascending=[False, True, True], na_position="last", ignore_index=True)[columns]


_KIND = {"person": "official", "organization": "organisation", "country": "country", "place": "place", "date": "date"}


def mention_table(tables: dict[str, pd.DataFrame], article_id: str) -> pd.DataFrame:
    """What the reader marked in an article, as a reader says it: the words, what they are, who or what they name."""
    rows = tables["mentions"][tables["mentions"]["article_id"] == article_id].sort_values("start")
    names = _entity_names(tables)
    return pd.DataFrame({
        "Sentence": (rows["sentence_id"] + 1).astype("int64").values,
        "As written": rows["surface"].astype(str).values,
        "Kind": rows["entity_type"].map(_KIND).fillna(rows["entity_type"]).values,
        "Means": [names.get((t, i), i.replace("/", " to ") if t == "date" else i) for t, i in zip(rows["entity_type"], rows["entity_id"])],
    })
