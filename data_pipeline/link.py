"""Linking per-article extractions into the tables of the contract.

Ids are derived from names and texts, so the same person, organisation or place
in two articles is already one entity, except a person one article names only in
short ("President Biden") and another in full, who is joined to the full name
when exactly one fits (`name_forms`). What needs most judgement is meetings: two
reports of the same meeting (same place, overlapping dates, compatible kinds)
become one meeting with several sources, and the most precise date wins
(`meeting_blocks` decides which reports are one meeting, comparing reports only
within blocks of place and overlapping days, so linking grows with the corpus).

Linking also gives what it read across articles (`link_state.LinkState`), which
the version keeps, so that an add links only what its new articles touch
(`link_added`, with the same `Entities` and `Meetings`).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa

from . import article_rows, extraction_store, link_state, schema, table_files
from .article_rows import Kept
from .extraction_store import Batch
from .ids import slug
from .kb import QUAD_MEMBERS, KnowledgeBase
from .link_state import Forms, LinkState
from .meeting_blocks import Cluster, Report, cluster_meetings, most_specific, place_key
from .model import ArticleExtraction, DateSpan, MeetingFinding
from .story_groups import StoryIndex
from .table_spill import Spill
from .windowed import batches

CUT = 50_000  # sentences whose texts are cut from their articles' at once (a few megabytes of Python strings)


def _frame(name: str, rows: list[dict] | dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=schema.TABLES[name].column_names)
    return schema.conform(name, frame)


def _columns(names: Iterable[str]) -> dict[str, dict[str, list]]:
    """An empty list per column of each named table: the tables made across articles (meetings, their sources and
    participants) are gathered column by column, a list slot per value instead of a dict per row."""
    return {name: {column: [] for column in schema.TABLES[name].column_names} for name in names}


def _append(table: dict[str, list], **row) -> None:
    """One row, by column name."""
    for column, value in row.items():
        table[column].append(value)


def _extend(table: dict[str, list], **columns: list) -> None:
    """Several rows, given as one list of values per column (all of one length)."""
    for column, values in columns.items():
        table[column].extend(values)


def _meeting_base(best: MeetingFinding, span: DateSpan | None, first_article: str) -> str:
    """A meeting's id before it is told apart from another meeting of the same day and place (`_unique`)."""
    where = best.city or best.country or best.name
    when = span.start.isoformat() if span else f"undated-{first_article[4:12]}"
    return f"mtg-{when}-{slug(where)}"


def _unique(base: str, taken: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… when meetings met before took it; the id is then taken."""
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _span_columns(span: DateSpan | None) -> dict:
    if span is None:
        return {"start_date": None, "end_date": None, "date_precision": None}
    return {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(), "date_precision": span.precision}


class Entities:
    """Places, organisations and people as the articles name them, fed in article order (`add`): the first article
    to name one gives its row, a later one only fills what is missing (an organisation's country, a person's
    honorific), and a person's post and country are those of the latest role (`latest`, by publication, article and
    sentence; a later mention without a post or a country does not erase them). `given` says which article gave each
    row and each value filled, so that an add can tell whether one of its articles comes first (`link_added`)."""

    GIVEN = {"places": ("name", "country"), "organizations": ("name", "kind"), "people": ("name",)}  # by the first
    FILLED = {"organizations": ("country",), "people": ("honorific", "post_nominals")}  # by the first that has one

    def __init__(self, latest: dict[tuple[str, str], tuple] | None = None):
        self.places: dict[str, dict] = {}
        self.organizations: dict[str, dict] = {}
        self.people: dict[str, dict] = {}
        self.latest: dict[tuple[str, str], tuple] = dict(latest or {})  # (person, aspect) -> (order, role)
        self.given: dict[tuple[str, str, str], str] = {}  # (table, id, "row" or a column filled) -> article id

    def add(self, ex: Kept, person_of, names: dict[str, str]) -> None:
        aid = ex.article_id
        if ex.dateline and ex.dateline.place_id:
            self._first("places", ex.dateline.place_id, aid, name=ex.dateline.place_name, country=ex.dateline.country)
        entities = ex.entities
        for p in entities.places:
            self._first("places", p.place_id, aid, name=p.name, country=p.country)
        for o in entities.organizations:
            self._first("organizations", o.org_id, aid, name=o.name, kind=o.kind, country=o.country)
        for p in entities.people:
            person_id = person_of(p.person_id)
            self._first("people", person_id, aid, name=names[person_id], honorific=p.honorific, post_nominals=p.post_nominals,
                        title=None, org_id=None, country=None)
        for r in entities.roles:
            order = (ex.published or date.min, aid, r.sentence_id)
            for aspect, known in (("post", r.title), ("country", r.country), ("any", True)):
                key = (person_of(r.person_id), aspect)
                if known and (key not in self.latest or order > self.latest[key][0]):
                    self.latest[key] = (order, r)

    def _first(self, table: str, entity_id: str, article_id: str, **row) -> None:
        """The entity's row, if this is the first article to name it; and the values it lacks that this one gives."""
        rows = getattr(self, table)
        filled = self.FILLED.get(table, ())
        if entity_id not in rows:
            rows[entity_id] = {schema.TABLES[table].key[0]: entity_id, **row} | {column: None for column in filled}
            self.given[(table, entity_id, "row")] = article_id
        known = rows[entity_id]
        for column in filled:
            if not known[column]:
                known[column] = row[column]
                if row[column]:
                    self.given[(table, entity_id, column)] = article_id

    def with_posts(self, people: dict[str, dict]) -> dict[str, dict]:
        """`people` with each one's post, organisation and country from their latest role, if any."""
        for (person_id, aspect), (_, role) in self.latest.items():
            if person_id in people and aspect != "country":
                if aspect == "post" or (person_id, "post") not in self.latest:
                    people[person_id].update(title=role.title, org_id=role.org_id)
            if person_id in people and aspect == "country":
                people[person_id]["country"] = role.country
        return people


class Meetings:
    """The rows of the meetings, their sources and participants, made cluster by cluster (`add`), and the meeting of
    each report (`reported`, with its place's blocking key and the meeting's id before `_unique`)."""

    def __init__(self):
        self.rows = _columns(("meetings", "meeting_sources", "participants"))
        self.reported: dict[str, list] = {"article_id": [], "meeting_index": [], "meeting_id": [], "place_key": [], "base": []}
        self.places: dict[str, dict] = {}  # each best report's place, as the first meeting there names it
        self.taken: set[str] = set()  # the meeting ids given so far

    def add(self, cluster: Cluster, person_of) -> None:
        best = cluster.best
        articles = sorted({r.article_id for r in cluster.reports})
        span = cluster.span
        base = _meeting_base(best, span, articles[0])
        meeting_id = _unique(base, self.taken)
        _append(self.rows["meetings"],
                meeting_id=meeting_id, name=best.name,
                kind=most_specific([best.kind, *(r.finding.kind for r in cluster.reports)]),
                **_span_columns(span),
                city=best.city, place_id=best.place_id, country=best.country, n_sources=len(articles),
                # a meeting one article announced and another reports as held took place
                status="held" if any(r.finding.status == "held" for r in cluster.reports) else "planned")
        if best.place_id:
            self.places.setdefault(best.place_id, {"place_id": best.place_id, "name": best.city or best.place_id, "country": best.country})
        for report in cluster.reports:
            aid, finding = report.article_id, report.finding
            _append(self.reported, article_id=aid, meeting_index=report.index, meeting_id=meeting_id,
                    place_key=place_key(finding) if finding.span else None, base=base)
            _extend(self.rows["meeting_sources"], meeting_id=[meeting_id] * len(finding.sentence_ids),
                    article_id=[aid] * len(finding.sentence_ids), sentence_id=list(finding.sentence_ids))
            attending = finding.participants
            _extend(self.rows["participants"], meeting_id=[meeting_id] * len(attending),
                    person_id=[person_of(p.person_id) for p in attending], org_id=[p.org_id for p in attending],
                    country=[p.country for p in attending], article_id=[aid] * len(attending),
                    sentence_id=[p.sentence_id for p in attending])


def with_meetings(topic_mentions: pd.DataFrame, reported: dict[str, list]) -> pd.DataFrame:
    """Topic mentions with the meeting of the report each belongs to (by its article and `meeting_index`), if any."""
    reports = pd.DataFrame({"article_id": pd.array(reported["article_id"], dtype=schema.DTYPES["str"]),
                            "meeting_index": pd.array(reported["meeting_index"], dtype="Int64"),
                            "meeting_id": pd.array(reported["meeting_id"], dtype=schema.DTYPES["str"])})
    found = topic_mentions[["article_id", "meeting_index"]].merge(reports, how="left", on=["article_id", "meeting_index"])
    return topic_mentions.drop(columns="meeting_index").assign(meeting_id=found["meeting_id"].array)


def join_people(tables: dict[str, pd.DataFrame], joined: dict[str, str]) -> None:
    """The people ids of mentions and roles that `joined` maps replaced, in place."""
    join_mentions(tables["mentions"], joined)
    _join(tables["roles"], "person_id", joined)


def join_mentions(mentions: pd.DataFrame, joined: dict[str, str]) -> None:
    _join(mentions, "entity_id", joined, among=mentions["entity_type"] == "person")


def _join(frame: pd.DataFrame, column: str, joined: dict[str, str], among: pd.Series | None = None) -> None:
    """Replace, in place, the ids of `column` that `joined` maps, in the rows `among` selects (every row if None)."""
    if joined:
        hit = frame[column].isin(list(joined))
        hit &= among.fillna(False) if among is not None else True
        frame.loc[hit, column] = frame.loc[hit, column].map(joined)


def countries(tables: dict[str, pd.DataFrame], kb: KnowledgeBase, mentioned: Iterable[str] = ()) -> pd.DataFrame:
    """The countries table: the Quad's members and every country a row of the other tables names, or `mentioned`
    (the countries of the mentions an add keeps where they are, `table_files.Kept`)."""
    mentions = tables["mentions"]
    found = set(QUAD_MEMBERS) | set(mentioned) | set(mentions.loc[mentions["entity_type"] == "country", "entity_id"].dropna().unique())
    for name in ("roles", "participants", "meetings", "places", "organizations", "people"):
        found |= set(tables[name]["country"].dropna().unique())
    found.discard("")
    return _frame("countries", [{"country": c, "name": kb.countries[c].name, "quad_member": c in QUAD_MEMBERS}
                                for c in sorted(found)])


def topics(kb: KnowledgeBase) -> pd.DataFrame:
    return _frame("topics", [{"topic_id": t.topic_id, "label": t.label, "description": t.description,
                              "nist_csf_function": t.nist_csf_function, "quad_area": t.quad_area} for t in kb.topics.values()])


def by_id(name: str, rows: Iterable[dict]) -> pd.DataFrame:
    """A table of entities (places, organisations, people) from their rows, in order of id."""
    key = schema.TABLES[name].key[0]
    return _frame(name, sorted(rows, key=lambda row: row[key]))


def stories(index: StoryIndex, article_ids: Iterable[str]) -> pd.DataFrame:
    """The stories table of these articles (`StoryIndex.stories`)."""
    found = index.stories(article_ids)
    return _frame("stories", {"article_id": list(found), "story_id": list(found.values())})


@dataclass(frozen=True)
class Linked:
    """The tables of the contract, and what an add needs to link only what it touches (`link_state.LinkState`)."""

    tables: dict[str, pd.DataFrame]
    state: LinkState
    # the per-article tables' parts a large build made on disk (`table_spill`): `tables` has none of their rows
    parts: table_files.Kept = table_files.Kept()


def link(extractions: Iterable[ArticleExtraction], kb: KnowledgeBase, map_blocks=map) -> dict[str, pd.DataFrame]:
    """All tables of the contract from extractions made in this process, encoded a slice at a time as a build's
    own are (`extraction_store.SLICE`, `link_batches`)."""
    encoded = (Batch.of(extractions) for extractions in batches(extractions, extraction_store.SLICE))
    return link_batches(encoded, kb, map_blocks).tables


def link_batches(batches: Iterable[Batch], kb: KnowledgeBase, map_blocks=map, spill: Spill | None = None) -> Linked:
    """All tables of the contract from batches of extractions (in a stable order, whatever the order they come in),
    and the state an add starts from; `map_blocks` runs the merging of each block of meeting reports (in this
    process, or on an engine's workers).

    `batches` is read once, one at a time: each batch's own rows are made at once (`article_rows.rows`) and only what
    links articles is kept (`Kept`), so a build can stream extractions from its workers or its stored parts. With
    `spill`, the per-article tables' rows go to disk as they are made and come back as the parts of the version
    (`Linked.parts`, `finish_parts`), so they are never all in memory.
    """
    try:
        return _linked(batches, kb, map_blocks, spill)
    finally:
        gc.unfreeze()  # what `_linked` froze goes back to the collector


@dataclass
class Gathered:
    """What linking reads of every batch: each article's own rows (ids as found), what links it to the others
    (`Kept`, in article order), its story signature and its meeting reports as stored."""

    frames: dict[str, list[pd.DataFrame]]
    gathered: list[Kept]
    signatures: dict[str, np.ndarray]
    findings: pa.Table

    def tables(self) -> dict[str, pd.DataFrame]:
        """Each article's own rows, a table at a time let go of its pieces once they are one frame."""
        return {name: pd.concat(self.frames.pop(name), ignore_index=True) for name in article_rows.TABLES}


def gather(batches: Iterable[Batch], spill: Spill | None = None) -> Gathered:
    """Every batch read once, the rows of the per-article tables to `spill` if given; call it where `gc.unfreeze()`
    follows (`link_batches`)."""
    # every table has its columns and types even when no batch comes
    frames = {name: [frame] for name, frame in article_rows.rows(Batch.of([])).items()}
    gathered: list[Kept] = []
    signatures: dict[str, np.ndarray] = {}
    findings = [article_rows.reports(Batch.of([]))]
    for batch in batches:
        for name, frame in article_rows.rows(batch).items():
            if spill is not None and name in table_files.PARTED:
                spill.add(name, frame)
            else:
                frames[name].append(frame)
        gathered += article_rows.kept(batch)
        signatures.update(article_rows.signatures(batch))
        findings.append(article_rows.reports(batch))
        # What is kept so far leaves the garbage collector's sight (`link_batches` gives it back): millions of small
        # objects (names, dates, reports: 39 an article at 10,000) that live to the end and hold no cycle, which
        # every full collection walked again, a quarter more of them each time (36 s of CPU at 100,000
        # articles, a quarter of linking and reading the stored parts). Frozen objects are still freed when
        # no longer used; only a cycle among them would wait for the end to be collected.
        gc.freeze()
    gathered.sort(key=lambda kept: kept.article_id)  # the first article to name a place or a person names it
    return Gathered(frames, gathered, signatures, pa.concat_tables(findings))


def _linked(batches: Iterable[Batch], kb: KnowledgeBase, map_blocks, spill: Spill | None) -> Linked:
    found = gather(batches, spill)
    gathered, signatures = found.gathered, found.signatures
    forms = Forms.of(gathered)
    joined = forms.joins()

    def person_of(person_id: str) -> str:
        return joined.get(person_id, person_id)

    entities = Entities()
    for ex in gathered:
        entities.add(ex, person_of, forms.names)
    meetings = Meetings()
    for cluster in cluster_meetings((Report(ex.article_id, i, f) for ex in gathered for i, f in enumerate(ex.meetings)), map_blocks):
        meetings.add(cluster, person_of)
    del gathered
    found.gathered = []

    tables = found.tables()
    join_people(tables, joined)
    tables["topic_mentions"] = with_meetings(tables["topic_mentions"], meetings.reported)
    tables["places"] = by_id("places", ({**meetings.places, **entities.places}).values())
    tables["organizations"] = by_id("organizations", entities.organizations.values())
    tables["people"] = by_id("people", entities.with_posts(entities.people).values())
    tables |= {name: _frame(name, meetings.rows.pop(name)) for name in ("meetings", "meeting_sources", "participants")}
    parts = finish_parts(spill, joined) if spill is not None else table_files.Kept()
    tables["countries"] = countries(tables, kb, parts.named("country"))
    tables["topics"] = topics(kb)
    index = StoryIndex.of(signatures)
    tables["stories"] = stories(index, signatures)

    for name in schema.TABLES:  # each table's frame is let go once it is in key order
        tables[name] = in_key_order(name, tables[name])
    tables["sentences"]["text"] = sentence_texts(tables["articles"], tables["sentences"])
    state = LinkState(forms, joined, link_state.reports(found.findings, meetings.reported), entities.latest, entities.given, index)
    return Linked(tables, state, parts)


def finish_parts(spill: Spill, joined: dict[str, str]) -> table_files.Kept:
    """The version's parts of the per-article tables made from `spill`, a part at a time, as linking makes the whole
    tables in memory: each in key order, mentions with the full names short ones stand for, sentences with their
    texts cut from their articles' (an article's rows are all in its part)."""
    spill.close()
    files: dict[str, dict[str, Path]] = {name: {} for name in table_files.PARTED}
    for part in table_files.PARTS:
        frames = {name: schema.conform(name, spill.take(name, part)) for name in table_files.PARTED if part in spill.parts(name)}
        if "mentions" in frames:
            join_mentions(frames["mentions"], joined)
        frames = {name: in_key_order(name, frame) for name, frame in frames.items()}
        if "sentences" in frames:
            frames["sentences"]["text"] = sentence_texts(frames["articles"], frames["sentences"])
        for name, frame in frames.items():
            files[name][part] = path = spill.folder / "tables" / name / f"{part}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.to_parquet(path, index=False)
    return table_files.Kept(files, checked=False)


def sentence_texts(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
    """Each sentence's text, cut from its article's text by its offsets, as extraction cut it (`sentences`).

    Made only once both tables are in key order, `CUT` sentences at a time: until then the sentences table holds
    no text, so a build never holds a sentence's text twice (at 100,000 synthetic articles the sentences' texts
    are 350 MB, and sorting the table copied them once more at the end of linking, its peak memory)."""
    position = pd.Index(articles["article_id"]).get_indexer(sentences["article_id"])
    starts, ends = sentences["start"].to_numpy(dtype=np.int64), sentences["end"].to_numpy(dtype=np.int64)
    pieces = [pd.Series([], dtype=schema.DTYPES["str"])]
    for at in range(0, len(sentences), CUT):
        used, local = np.unique(position[at : at + CUT], return_inverse=True)
        texts = articles["text"].take(used).tolist()
        cut = [texts[i][s:e] for i, s, e in zip(local.tolist(), starts[at : at + CUT].tolist(), ends[at : at + CUT].tolist())]
        pieces.append(pd.Series(cut, dtype=schema.DTYPES["str"]))
    return pd.concat(pieces, ignore_index=True)


def in_key_order(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame sorted by its table's key, the first row of each key kept. The order and the duplicates are
    found on the key columns alone and the frame is copied once: the articles table holds every text, and
    copying it twice (dropping, then sorting) was a build's peak memory."""
    key = list(schema.TABLES[name].key)
    keys = frame[key].sort_values(key, na_position="first", kind="stable")  # a stable sort keeps the first first
    return frame.take(keys.index[~keys.duplicated().to_numpy()]).reset_index(drop=True)
