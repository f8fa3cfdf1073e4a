"""Linking per-article extractions into the tables of the contract.

Ids are derived from names and texts, so the same person, organisation or place
in two articles is already one entity, except a person one article names only in
short ("President Biden") and another in full, who is joined to the full name
when exactly one fits (`name_forms`). What needs most judgement is meetings: two
reports of the same meeting (same place, overlapping dates, compatible kinds)
become one meeting with several sources, and the most precise date wins
(`meeting_blocks` decides which reports are one meeting, comparing reports only
within blocks of place and overlapping days, so linking grows with the corpus).
"""

from __future__ import annotations

import gc
from collections import defaultdict
from datetime import date
from typing import Iterable

import numpy as np
import pandas as pd

from . import article_rows, extraction_store, schema
from .article_rows import Kept
from .extraction_store import Batch
from .ids import slug
from .kb import QUAD_MEMBERS, KnowledgeBase
from .meeting_blocks import Report, cluster_meetings, most_specific
from .model import ArticleExtraction, DateSpan, MeetingFinding
from .name_forms import shorter_forms
from .story_groups import story_ids
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


def _meeting_id(best: MeetingFinding, span: DateSpan | None, first_article: str, taken: set[str]) -> str:
    where = best.city or best.country or best.name
    when = span.start.isoformat() if span else f"undated-{first_article[4:12]}"
    base = f"mtg-{when}-{slug(where)}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


def _span_columns(span: DateSpan | None) -> dict:
    if span is None:
        return {"start_date": None, "end_date": None, "date_precision": None}
    return {"start_date": span.start.isoformat(), "end_date": span.end.isoformat(), "date_precision": span.precision}


def _one_id_per_person(gathered: list[Kept]) -> tuple[dict[str, str], dict[str, str]]:
    """({found person id: the person id it stands for}, {person id: name}): a short form of a name in one article
    ("President Biden") is the person another article names in full ("Joe Biden") when exactly one full name
    fits (`name_forms`) and the two are not given different countries or only different posts."""
    names: dict[str, str] = {}
    countries: dict[str, set[str]] = defaultdict(set)
    posts: dict[str, set[str]] = defaultdict(set)
    for ex in gathered:
        for p in ex.entities.people:
            names.setdefault(p.person_id, p.name)
        for r in ex.entities.roles:
            countries[r.person_id].update([r.country] if r.country else [])
            posts[r.person_id].update([r.title.lower()] if r.title else [])

    def conflict(short: str, full: str) -> bool:
        return bool(countries[short] and countries[full] and not countries[short] & countries[full]
                    or posts[short] and posts[full] and not posts[short] & posts[full])

    return shorter_forms(names, conflict), names


def _with_meetings(topic_mentions: pd.DataFrame, reported: dict[str, list]) -> pd.DataFrame:
    """Topic mentions with the meeting of the report each belongs to (by its article and `meeting_index`), if any."""
    reports = pd.DataFrame({"article_id": pd.array(reported["article_id"], dtype=schema.DTYPES["str"]),
                            "meeting_index": pd.array(reported["meeting_index"], dtype="Int64"),
                            "meeting_id": pd.array(reported["meeting_id"], dtype=schema.DTYPES["str"])})
    found = topic_mentions[["article_id", "meeting_index"]].merge(reports, how="left", on=["article_id", "meeting_index"])
    return topic_mentions.drop(columns="meeting_index").assign(meeting_id=found["meeting_id"].array)


def _join(frame: pd.DataFrame, column: str, joined: dict[str, str], among: pd.Series | None = None) -> None:
    """Replace, in place, the ids of `column` that `joined` maps, in the rows `among` selects (every row if None)."""
    if joined:
        hit = frame[column].isin(list(joined))
        hit &= among.fillna(False) if among is not None else True
        frame.loc[hit, column] = frame.loc[hit, column].map(joined)


def link(extractions: Iterable[ArticleExtraction], kb: KnowledgeBase, map_blocks=map) -> dict[str, pd.DataFrame]:
    """All tables of the contract from extractions made in this process, encoded a slice at a time as a build's
    own are (`extraction_store.SLICE`, `link_batches`)."""
    encoded = (Batch.of(extractions) for extractions in batches(extractions, extraction_store.SLICE))
    return link_batches(encoded, kb, map_blocks)


def link_batches(batches: Iterable[Batch], kb: KnowledgeBase, map_blocks=map) -> dict[str, pd.DataFrame]:
    """All tables of the contract from batches of extractions (in a stable order, whatever the order they come in);
    `map_blocks` runs the merging of each block of meeting reports (in this process, or on an engine's workers).

    `batches` is read once, one at a time: each batch's own rows are made at once (`article_rows.rows`) and only what
    links articles is kept (`Kept`), so a build can stream extractions from its workers or its stored parts.
    """
    try:
        return _linked(batches, kb, map_blocks)
    finally:
        gc.unfreeze()  # what `_linked` froze goes back to the collector


def _linked(batches: Iterable[Batch], kb: KnowledgeBase, map_blocks) -> dict[str, pd.DataFrame]:
    # every table has its columns and types even when no batch comes
    frames = {name: [frame] for name, frame in article_rows.rows(Batch.of([])).items()}
    gathered: list[Kept] = []
    signatures: dict[str, np.ndarray] = {}
    for batch in batches:
        for name, frame in article_rows.rows(batch).items():
            frames[name].append(frame)
        gathered += article_rows.kept(batch)
        signatures.update(article_rows.signatures(batch))
        # What is kept so far leaves the garbage collector's sight (`link_batches` gives it back): millions of small
        # objects (names, dates, reports: 39 an article at 10,000) that live to the end and hold no cycle, which
        # every full collection walked again, a quarter more of them each time (36 s of CPU at 100,000
        # articles, a quarter of linking and reading the stored parts). Frozen objects are still freed when
        # no longer used; only a cycle among them would wait for the end to be collected.
        gc.freeze()
    gathered.sort(key=lambda kept: kept.article_id)  # the first article to name a place or a person names it
    rows = _columns(("meetings", "meeting_sources", "participants"))
    places: dict[str, dict] = {}
    organizations: dict[str, dict] = {}
    people: dict[str, dict] = {}
    latest_role: dict[str, tuple] = {}
    joined, names = _one_id_per_person(gathered)

    def person_of(person_id: str) -> str:
        return joined.get(person_id, person_id)

    for ex in gathered:
        aid = ex.article_id
        if ex.dateline and ex.dateline.place_id:
            places.setdefault(ex.dateline.place_id, {"place_id": ex.dateline.place_id, "name": ex.dateline.place_name, "country": ex.dateline.country})
        entities = ex.entities
        for p in entities.places:
            places.setdefault(p.place_id, {"place_id": p.place_id, "name": p.name, "country": p.country})
        for o in entities.organizations:
            known = organizations.setdefault(o.org_id, {"org_id": o.org_id, "name": o.name, "kind": o.kind, "country": o.country})
            known["country"] = known["country"] or o.country
        for p in entities.people:
            person_id = person_of(p.person_id)
            known = people.setdefault(person_id, {"person_id": person_id, "name": names[person_id], "honorific": p.honorific,
                                                    "post_nominals": p.post_nominals, "title": None, "org_id": None, "country": None})
            known["honorific"] = known["honorific"] or p.honorific
            known["post_nominals"] = known["post_nominals"] or p.post_nominals
        for r in entities.roles:
            person_id = person_of(r.person_id)
            # the latest post wins, but a later mention without a post or a country does not erase them
            order = (ex.published or date.min, aid, r.sentence_id)
            for aspect, known in (("post", r.title), ("country", r.country), ("any", True)):
                key = (person_id, aspect)
                if known and (key not in latest_role or order > latest_role[key][0]):
                    latest_role[key] = (order, r)

    for (person_id, aspect), (_, role) in latest_role.items():
        if person_id in people and aspect != "country":
            if aspect == "post" or (person_id, "post") not in latest_role:
                people[person_id].update(title=role.title, org_id=role.org_id)
        if person_id in people and aspect == "country":
            people[person_id]["country"] = role.country

    taken: set[str] = set()
    reported: dict[str, list] = {"article_id": [], "meeting_index": [], "meeting_id": []}  # the meeting of each report
    reports = (Report(ex.article_id, i, f) for ex in gathered for i, f in enumerate(ex.meetings))
    for cluster in cluster_meetings(reports, map_blocks):
        best = cluster.best
        articles = sorted({r.article_id for r in cluster.reports})
        span = cluster.span
        meeting_id = _meeting_id(best, span, articles[0], taken)
        _append(rows["meetings"],
                meeting_id=meeting_id, name=best.name,
                kind=most_specific([best.kind, *(r.finding.kind for r in cluster.reports)]),
                **_span_columns(span),
                city=best.city, place_id=best.place_id, country=best.country, n_sources=len(articles),
                # a meeting one article announced and another reports as held took place
                status="held" if any(r.finding.status == "held" for r in cluster.reports) else "planned")
        if best.place_id and best.place_id not in places:
            places[best.place_id] = {"place_id": best.place_id, "name": best.city or best.place_id, "country": best.country}
        for report in cluster.reports:
            aid, finding = report.article_id, report.finding
            _append(reported, article_id=aid, meeting_index=report.index, meeting_id=meeting_id)
            _extend(rows["meeting_sources"], meeting_id=[meeting_id] * len(finding.sentence_ids),
                    article_id=[aid] * len(finding.sentence_ids), sentence_id=list(finding.sentence_ids))
            attending = finding.participants
            _extend(rows["participants"], meeting_id=[meeting_id] * len(attending),
                    person_id=[person_of(p.person_id) for p in attending], org_id=[p.org_id for p in attending],
                    country=[p.country for p in attending], article_id=[aid] * len(attending),
                    sentence_id=[p.sentence_id for p in attending])
    del gathered

    tables = {name: pd.concat(frames.pop(name), ignore_index=True) for name in article_rows.TABLES}
    mentions, roles = tables["mentions"], tables["roles"]
    _join(mentions, "entity_id", joined, among=mentions["entity_type"] == "person")
    _join(roles, "person_id", joined)
    tables["topic_mentions"] = _with_meetings(tables["topic_mentions"], reported)
    countries = set(QUAD_MEMBERS) | {c for c in mentions.loc[mentions["entity_type"] == "country", "entity_id"].unique() if c}
    countries |= {c for c in roles["country"].dropna().unique() if c}
    for name in ("participants", "meetings"):
        countries |= {c for c in rows[name]["country"] if c}
    countries |= {r["country"] for r in (*places.values(), *organizations.values(), *people.values()) if r["country"]}
    rows["countries"] = [{"country": c, "name": kb.countries[c].name, "quad_member": c in QUAD_MEMBERS}
                         for c in sorted(countries)]
    rows["places"] = sorted(places.values(), key=lambda r: r["place_id"])
    rows["organizations"] = sorted(organizations.values(), key=lambda r: r["org_id"])
    rows["people"] = sorted(people.values(), key=lambda r: r["person_id"])
    rows["topics"] = [{"topic_id": t.topic_id, "label": t.label, "description": t.description,
                       "nist_csf_function": t.nist_csf_function, "quad_area": t.quad_area} for t in kb.topics.values()]
    stories = story_ids(signatures)
    rows["stories"] = {"article_id": list(stories), "story_id": list(stories.values())}

    for name in schema.TABLES:  # each table's lists are let go once its frame is made
        tables[name] = _in_key_order(name, tables[name] if name in tables else _frame(name, rows.pop(name)))
    tables["sentences"]["text"] = _sentence_texts(tables["articles"], tables["sentences"])
    return tables


def _sentence_texts(articles: pd.DataFrame, sentences: pd.DataFrame) -> pd.Series:
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


def _in_key_order(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame sorted by its table's key, the first row of each key kept. The order and the duplicates are
    found on the key columns alone and the frame is copied once: the articles table holds every text, and
    copying it twice (dropping, then sorting) was a build's peak memory."""
    key = list(schema.TABLES[name].key)
    keys = frame[key].sort_values(key, na_position="first", kind="stable")  # a stable sort keeps the first first
    return frame.take(keys.index[~keys.duplicated().to_numpy()]).reset_index(drop=True)
