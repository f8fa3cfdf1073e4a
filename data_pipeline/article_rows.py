"""What linking takes from a batch of extractions: each article's own rows, and what links it to the others.

The articles, pages, sentences, mentions, roles and topic mentions tables hold a
row per item an extraction lists (millions at 100,000 articles). They are made
here from a batch's Arrow records (`extraction_store.Batch`, as a part stores
them) by flattening the records' lists, a column at a time: no Python step per
row and no decoding into objects, which took a third of adding one article to
a folder of 10,000 or 100,000. Only what links articles (`Kept`) is decoded,
without the sentences, mentions, dates and topics that make most of a record.

Two values need every article: the person a short name stands for, and the
meeting a topic mention belongs to. Rows carry the id found and, for topic
mentions, the index of the article's meeting report (`meeting_index`) until
linking maps them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import schema
from .extraction_store import Batch, decoded
from .model import Dateline, Entities, MeetingFinding, OrgFinding, PersonFinding, PlaceFinding, RoleFinding
from .pages import page_spans

TABLES = ("articles", "pages", "sentences", "mentions", "roles", "topic_mentions")
_PANDAS_TYPES = {pa.string(): pd.StringDtype(), pa.large_string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}


def _field(array: pa.Array, *path: str) -> pa.Array:
    """A field of a struct array, null where the struct is (a record without a dateline has no dateline place)."""
    for name in path:
        array = pc.struct_field(array, name)
    return array


def _items(lists: pa.ListArray) -> tuple[pa.StructArray, pa.Array]:
    """Every item of every record's list, in order, and the position of the record each item belongs to."""
    return lists.flatten(), pc.list_parent_indices(lists)


def _iso(dates: pa.Array) -> pa.Array:
    """Dates as the contract writes them, YYYY-MM-DD (`date.isoformat`)."""
    return pc.cast(dates, pa.string())


def _frame(name: str, columns: dict[str, pa.Array | list], length: int) -> pd.DataFrame:
    """A table's frame from Arrow arrays (or Python lists), a column left out being null throughout."""
    arrays = {c: pa.array(columns[c]) if isinstance(columns.get(c), list) else columns.get(c, pa.nulls(length, pa.string()))
              for c in schema.TABLES[name].column_names}
    frame = pa.table(arrays).to_pandas(types_mapper=_PANDAS_TYPES.get)
    return schema.conform(name, frame)


def rows(batch: Batch) -> dict[str, pd.DataFrame]:
    """The six tables of the articles of `batch`, with the ids found (a short name not yet joined to a full one);
    topic mentions carry `meeting_index`, the article's meeting report they belong to, in a column of their own."""
    records, articles, n = batch.records, batch.articles, len(batch)
    ids = _field(records, "document", "article_id")
    published = _iso(_field(records, "document", "published"))
    tables = {"articles": _frame("articles", {
        "article_id": ids, "title": [a.title for a in articles], "published": published,
        "date_source": _field(records, "date_source"), "dateline": _field(records, "dateline", "surface"),
        "dateline_place_id": _field(records, "dateline", "place_id"), "source": [a.source for a in articles],
        "text": [a.text for a in articles]}, n)}

    pages = [(a.article_id, *page) for a in articles for page in page_spans(a.pages, len(a.text))]
    tables["pages"] = _frame("pages", {c: [p[i] for p in pages] for i, c in enumerate(("article_id", "page", "start", "end"))},
                             len(pages))

    sentences, of = _items(_field(records, "document", "sentences"))
    tables["sentences"] = _frame("sentences", {  # the text is cut once the table is in order (`link`)
        "article_id": ids.take(of), "sentence_id": _field(sentences, "index"), "start": _field(sentences, "start"),
        "end": _field(sentences, "end")}, len(sentences))

    mentions, of = _items(_field(records, "entities", "mentions"))
    dates, date_of = _items(_field(records, "dates"))
    spans = _field(dates, "span")
    tables["mentions"] = pd.concat([
        _frame("mentions", {"article_id": ids.take(of), **{c: _field(mentions, c) for c in
                            ("sentence_id", "start", "end", "surface", "entity_type", "entity_id")}}, len(mentions)),
        _frame("mentions", {"article_id": ids.take(date_of), **{c: _field(dates, c) for c in ("sentence_id", "start", "end", "surface")},
                            "entity_type": pa.repeat("date", len(dates)),
                            "entity_id": pc.binary_join_element_wise(_iso(_field(spans, "start")), _iso(_field(spans, "end")), "/")},
               len(dates))], ignore_index=True)

    roles, of = _items(_field(records, "entities", "roles"))
    tables["roles"] = _frame("roles", {**{c: _field(roles, c) for c in ("person_id", "title", "org_id", "country", "sentence_id")},
                                       "as_of": published.take(of), "article_id": ids.take(of)}, len(roles))

    topics, of = _items(_field(records, "topics"))
    frame = _frame("topic_mentions", {"article_id": ids.take(of),
                                      **{c: _field(topics, c) for c in ("topic_id", "sentence_id", "matched")}}, len(topics))
    tables["topic_mentions"] = frame.assign(meeting_index=pd.array(_field(topics, "meeting_index").to_pylist(), dtype="Int64"))
    return tables


def reports(batch: Batch) -> pa.Table:
    """Each meeting report of the batch's articles as stored (`finding`), with its article and its index among the
    article's reports: what an add reads again of the reports at the places it touches (`link_state`)."""
    lists = _field(batch.records, "meetings")
    findings, of = _items(lists)
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    starts = np.cumsum(lengths) - lengths
    return pa.table({"article_id": _field(batch.records, "document", "article_id").take(of),
                     "meeting_index": pa.array(np.arange(len(findings)) - starts[of.to_numpy(zero_copy_only=False)], pa.int64()),
                     "finding": findings})


@dataclass(frozen=True, slots=True)
class Kept:
    """What linking keeps of an article until every article is seen: what the tables across articles (places,
    organisations, people, meetings) are made from, without its text, sentences, mentions or topics, which become
    rows at once (`rows`). This is what lets a build link 100,000 articles without holding them."""

    article_id: str
    published: date | None
    dateline: Dateline | None
    entities: Entities  # without its mentions
    meetings: tuple[MeetingFinding, ...]


def kept(batch: Batch) -> list[Kept]:
    """What links each article of `batch` to the others, decoded from its records."""
    records = batch.records
    found = {name: decoded(tuple[kind, ...], _field(records, "entities", name))
             for name, kind in (("organizations", OrgFinding), ("places", PlaceFinding), ("people", PersonFinding),
                                ("roles", RoleFinding))}
    entities = [Entities(organizations=o, places=pl, people=pe, roles=r)
                for o, pl, pe, r in zip(found["organizations"], found["places"], found["people"], found["roles"])]
    return [Kept(*fields) for fields in zip(_field(records, "document", "article_id").to_pylist(),
                                            _field(records, "document", "published").to_pylist(),
                                            decoded(Dateline, _field(records, "dateline")), entities,
                                            decoded(tuple[MeetingFinding, ...], _field(records, "meetings")))]


def signatures(batch: Batch) -> dict[str, np.ndarray]:
    """Each article's story signature (`stories.signature`), as one array (128 Python ints an article are 4.6 kB;
    as an array, 1.1 kB: half a gigabyte less at 100,000 articles)."""
    lists = _field(batch.records, "signature")
    values = lists.flatten().to_numpy(zero_copy_only=False).astype(np.uint64)
    ends = np.cumsum(pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False))
    return dict(zip(_field(batch.records, "document", "article_id").to_pylist(), np.split(values, ends[:-1])))
