"""Adding articles to a linked version: only what the new articles touch is linked again.

Linking every article of 100,000 again to add one took most of a minute. The version before holds every table,
and what linking read to make them (`link_state`), so an add makes the new articles' own rows, and links again
only what they can change:

- the join of short names to full names, from every person id's forms (a few hundred names, not the articles);
- the meetings at the places their reports name, merged again from every report at those places
  (`meeting_blocks`): a new report can join two meetings, or become the best report of one;
- the stories of the band buckets their signatures fall in (`StoryIndex.added`);
- the places, organisations and people they name, where one of them is the first article to give a value (the
  version keeps which article gave each, `Entities.given`), and each person's latest post.

The result must be the tables a full link gives (`tests/test_link_added.py` compares them over many adds). Where
that cannot be known from what the version keeps, `link_added` gives None and the build links every article:

- a person id found under another name than the version's first (which name comes first is a matter of order);
- a join the version made that no longer holds, or a new join of a short name an earlier article found.

The build itself links every article when the version's state is missing, damaged or written by other linking
code, when an article of the version is no longer among the inputs as it was, or when an added article has the id of
one there (`build._before`).

A large add (more rows in the parts its articles fall in than `table_spill.SPILL_AFTER` articles have) writes its
articles' per-article rows to disk as it reads them (`table_spill`) and merges them into the version's parts a
part at a time, as a large build makes its parts: 250,000 articles added to 250,000 fall in every part, and held
in memory with the old rows of those parts they took more than 22 GB.
"""

from __future__ import annotations

import bisect
import collections
import gc
from typing import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from . import article_rows, link_state, schema, table_files
from .extraction_store import Batch, decoded
from .kb import KnowledgeBase
from .link import (Entities, Linked, Meetings, by_id, countries, finish_parts, gather, in_key_order, join_people,
                   sentence_texts, stories, with_meetings)
from .link_state import Forms, LinkState
from .meeting_blocks import Report, cluster_meetings, place_key
from .model import MeetingFinding
from .table_files import Kept
from .table_spill import Spill

_MEETING_TABLES = ("meetings", "meeting_sources", "participants")
CUTS = 64  # places new rows go in, up to which a table is cut into pieces rather than taken row by row


def link_added(old: dict[str, pd.DataFrame], kept: Kept, state: LinkState, batches: Iterable[Batch],
               kb: KnowledgeBase, spill: Spill | None = None) -> Linked | None:
    """The tables of the version `old` (linked with `state`) with the articles of `batches` added, equal to linking
    them all; None when that cannot be known without linking them all (see the module).

    The per-article tables of `old` hold only the parts the added articles fall in, and so do the tables returned:
    the other parts (`kept`) stay as they are (`table_files`), and are the version's (`Linked.parts`). With a
    `spill`, `old` holds no per-article rows and `kept` every part: the added rows are merged into theirs on disk."""
    try:
        return _added(old, kept, state, batches, kb, spill)
    finally:
        gc.unfreeze()  # what `gather` froze goes back to the collector


def _added(old: dict[str, pd.DataFrame], kept: Kept, state: LinkState, batches: Iterable[Batch], kb: KnowledgeBase,
           spill: Spill | None) -> Linked | None:
    found = gather(batches, spill)
    new = found.tables()
    forms = Forms.of(found.gathered)
    if any(state.forms.names.get(person_id, name) != name for person_id, name in forms.names.items()):
        return None
    forms = state.forms.merged(forms)
    joined = forms.joins()
    if any(joined.get(short) != full for short, full in state.joined.items()):
        return None
    if _found_before(old, kept, set(joined) - set(state.joined)):
        return None

    def person_of(person_id: str) -> str:
        return joined.get(person_id, person_id)

    entities = Entities(state.latest)
    for ex in found.gathered:
        entities.add(ex, person_of, forms.names)
    given = dict(state.given)
    places, organizations, people = (_with_given(old[table], table, entities, given) for table in ("places", "organizations", "people"))

    meetings, touched, reports = _merged_meetings(state, found, person_of)
    for place_id, row in meetings.places.items():  # a place no article names is named as its first meeting names it
        if ("places", place_id, "row") not in given:
            places[place_id] = row

    join_people(new, joined)
    new["topic_mentions"] = with_meetings(new["topic_mentions"], meetings.reported)
    tables = {name: in_key_order(name, frame) for name, frame in new.items()}
    tables["sentences"]["text"] = sentence_texts(tables["articles"], tables["sentences"])
    old = old | {"topic_mentions": _moved(old["topic_mentions"], touched, meetings.reported)}
    tables = {name: _merged(name, old[name], tables[name]) for name in article_rows.TABLES}
    for name in _MEETING_TABLES:
        untouched = old[name][~old[name]["meeting_id"].isin(touched.meeting_ids)].reset_index(drop=True)
        tables[name] = _merged(name, untouched, in_key_order(name, schema.conform(name, pd.DataFrame(meetings.rows[name]))))
    tables["places"] = by_id("places", places.values())
    tables["organizations"] = by_id("organizations", organizations.values())
    tables["people"] = by_id("people", entities.with_posts(people).values())
    if spill is not None:
        kept = _merged_parts(spill, joined, kept)
    tables["countries"] = countries(tables, kb, kept.named("country"))
    tables["topics"] = old["topics"]
    index = state.index.added(found.signatures)
    tables["stories"] = stories(index, sorted(kept.column("articles", "article_id") + tables["articles"]["article_id"].tolist()))
    return Linked(tables, LinkState(forms, joined, reports, entities.latest, given, index), kept)


def _merged_parts(spill: Spill, joined: dict[str, str], kept: Kept) -> Kept:
    """The version's parts with the spilled rows of the added articles merged in, a part at a time: each part they
    fall in is made from the spill as a large build makes it (`link.finish_parts`) and merged with the same part of
    the version before (`kept`); the other parts stay as they are. Not checked yet: the new version's check reads
    every part."""
    added = finish_parts(spill, joined)
    files = {name: dict(kept.files.get(name, {})) for name in table_files.PARTED}
    for name, parts in added.files.items():
        for part, path in parts.items():
            if part in files[name]:
                before = schema.conform(name, table_files.read([files[name][part]]))
                _merged(name, before, schema.conform(name, table_files.read([path]))).to_parquet(path, index=False)
            files[name][part] = path
        files[name] = dict(sorted(files[name].items()))  # in part order, as the tables' key order runs
    return Kept(files, checked=False)


def _found_before(old: dict[str, pd.DataFrame], kept: Kept, person_ids: set[str]) -> bool:
    """Whether any row of the version holds one of `person_ids` (short names only the new articles join)."""
    if not person_ids:
        return False
    mentions = old["mentions"]
    return bool(mentions.loc[mentions["entity_type"] == "person", "entity_id"].isin(person_ids).any()
                or not kept.named("person").isdisjoint(person_ids)
                or any(old[name]["person_id"].isin(person_ids).any() for name in ("roles", "participants", "people")))


def _with_given(old: pd.DataFrame, table: str, new: Entities, given: dict[tuple[str, str, str], str]) -> dict[str, dict]:
    """The rows of an entity table of the version (by id) with what the new articles give (`new`): a new id's row,
    and for a known id the values whose giving article (`given`, updated here) comes after a new one, or is none."""
    key = schema.TABLES[table].key[0]
    rows = {row[key]: row for row in old.astype(object).where(old.notna(), None).to_dict("records")}
    added = getattr(new, table)
    for (name, entity_id, part), article_id in new.given.items():
        if name != table or (entity_id in rows and given.get((name, entity_id, part), article_id) < article_id):
            continue
        given[(name, entity_id, part)] = article_id
        columns = Entities.GIVEN[table] if part == "row" else (part,)
        rows[entity_id] = rows[entity_id] | {c: added[entity_id][c] for c in columns} if entity_id in rows else dict(added[entity_id])
    return rows


class _Touched:
    """The version's meetings at the places the new reports name: their ids, and the report (article, index)
    behind each (article, meeting)."""

    def __init__(self, rows: pa.Table):
        self.meeting_ids = set(rows.column("meeting_id").to_pylist())
        self.index_of = dict(zip(zip(rows.column("article_id").to_pylist(), rows.column("meeting_id").to_pylist()),
                                 rows.column("meeting_index").to_pylist()))


def _merged_meetings(state: LinkState, found, person_of) -> tuple[Meetings, _Touched, pa.Table]:
    """The meetings of the new reports and of every report at the places they name, merged again.

    Meeting ids are told apart in merging order (`link._unique`), so the version's meetings that could take an id
    one of these takes (same day and place name, or a report without a place) are given their ids again with
    them, and with every meeting at their places, until none is left that could."""
    added = [Report(ex.article_id, i, f) for ex in found.gathered for i, f in enumerate(ex.meetings)]
    keys = {place_key(r.finding) for r in added if r.finding.span is not None} - {None}
    alone: set[str] = set()  # meetings of one report without a place or a date, merged again to be named again
    stored = state.reports
    while True:
        at = pc.or_(pc.is_in(stored.column("place_key"), pa.array(sorted(keys), pa.string())).fill_null(False),
                    pc.is_in(stored.column("meeting_id"), pa.array(sorted(alone), pa.string())))
        rows, others = stored.filter(at), stored.filter(pc.invert(at))
        again = [Report(a, i, f) for a, i, f in zip(rows.column("article_id").to_pylist(), rows.column("meeting_index").to_pylist(),
                                                    decoded(MeetingFinding, rows.column("finding").combine_chunks()))]
        meetings = Meetings()
        for cluster in cluster_meetings(sorted(again + added, key=lambda r: (r.article_id, r.index))):
            meetings.add(cluster, person_of)
        names = pa.array(sorted({*meetings.reported["meeting_id"], *meetings.reported["base"],
                                 *rows.column("meeting_id").to_pylist(), *rows.column("base").to_pylist()}), pa.string())
        clash = others.filter(pc.or_(pc.is_in(others.column("base"), names), pc.is_in(others.column("meeting_id"), names)))
        if not len(clash):
            break
        keys |= {key for key in clash.column("place_key").to_pylist() if key is not None}
        alone |= {m for m, key in zip(clash.column("meeting_id").to_pylist(), clash.column("place_key").to_pylist()) if key is None}
    findings = pa.concat_tables([rows.select(["article_id", "meeting_index", "finding"]), found.findings])
    reports = pa.concat_tables([others, link_state.reports(findings, meetings.reported)])
    return meetings, _Touched(rows), reports.sort_by([("article_id", "ascending"), ("meeting_index", "ascending")])


def _moved(topic_mentions: pd.DataFrame, touched: _Touched, reported: dict[str, list]) -> pd.DataFrame:
    """Topic mentions of the version's touched meetings, given the meeting their report is in now."""
    hit = topic_mentions["meeting_id"].isin(touched.meeting_ids).to_numpy()
    if not hit.any():
        return topic_mentions
    now = dict(zip(zip(reported["article_id"], reported["meeting_index"]), reported["meeting_id"]))
    rows = topic_mentions.loc[hit, ["article_id", "meeting_id"]]
    moved = [now[(a, touched.index_of[(a, m)])] for a, m in zip(rows["article_id"], rows["meeting_id"])]
    topic_mentions = topic_mentions.copy()
    topic_mentions.loc[hit, "meeting_id"] = moved
    return topic_mentions


def _sortable(value) -> tuple:
    """A key value as the tables are sorted: missing values first."""
    return (0,) if value is None else (1, value)


def _bounds(old: pd.Series, new: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Where each value of `new` goes among the sorted values of `old` (none missing): the first and one past the last
    old row with that value. Counted by Arrow over the old column, once per distinct new value, when there are few (an
    added article's id, its topics, its people): turning the column into Python objects to search it cost most of a
    second a table at 100,000 articles; many values (the rows of many meetings) are searched for in such a copy."""
    wanted = new.to_numpy(dtype=object)
    distinct = sorted(set(wanted))
    if len(distinct) > CUTS:
        first = old.to_numpy(dtype=object)
        return np.searchsorted(first, wanted, side="left"), np.searchsorted(first, wanted, side="right")
    column = old.array.__arrow_array__()
    below = {v: pc.sum(pc.less(column, v)).as_py() or 0 for v in distinct}
    up_to = {v: pc.sum(pc.less_equal(column, v)).as_py() or 0 for v in distinct}
    return np.array([below[v] for v in wanted], dtype=np.int64), np.array([up_to[v] for v in wanted], dtype=np.int64)


def _merged(name: str, old: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """`old` and `new`, both in the table's key order and with no key in common, as one frame in key order: the old
    frame cut where each new row goes, with the new rows in between, so that no old row is sorted again or copied
    one by one. Where a new row goes is found on the first key column for every row at once (an article or a
    meeting the old rows lack), and only among the old rows with the same first value (a topic, a person) by a
    binary search of their whole keys, read as Arrow scalars."""
    if new.empty:
        return old
    key = list(schema.TABLES[name].key)
    if old[key[0]].isna().any() or new[key[0]].isna().any():
        lows, highs = np.zeros(len(new), dtype=np.int64), np.full(len(new), len(old))
    else:
        lows, highs = _bounds(old[key[0]], new[key[0]])
    columns = [old[c].array.__arrow_array__() for c in key]

    def old_key(i: int) -> tuple:
        return tuple(_sortable(column[i].as_py()) for column in columns)

    rows = new[key].astype(object).where(new[key].notna(), None).itertuples(index=False)
    positions = [low if low == high else bisect.bisect_left(range(low, high), tuple(_sortable(v) for v in row), key=old_key) + low
                 for row, low, high in zip(rows, lows.tolist(), highs.tolist())]
    cuts = sorted(collections.Counter(positions).items())
    if len(cuts) > CUTS:  # the rows of many meetings: one take of every row costs less than so many pieces
        return pd.concat([old, new], ignore_index=True).take(np.insert(np.arange(len(old)), positions, len(old) + np.arange(len(new)))).reset_index(drop=True)
    pieces, cut, at_new = [], 0, 0
    for at, count in cuts:
        pieces += [old.iloc[cut:at], new.iloc[at_new : at_new + count]]
        cut, at_new = at, at_new + count
    return pd.concat([*pieces, old.iloc[cut:]], ignore_index=True)
