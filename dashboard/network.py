"""The network of who met whom, who holds which post and who speaks for which country.

Three pure steps, so each can be tested on a small hand-built graph and the page
only wires widgets to them: `build_graph` (tables → graph), `layout` (graph →
seeded positions, so the picture does not jump on every rerun) and
`network_figure` (graph + positions → plotly figure). `build_graph` is `parts`
(tables → nodes and links with what keeps each) then `assemble`, so the page reads
a data version's parts once and assembles the graph of any filters from the ids
they keep, the same graph as built from the filtered tables. Every node and edge
rests on (article_id, sentence_id) pairs, because an analyst trusts a link only
when they can read the sentence behind it: a graph holds how many each link has
(`sentences`), `evidence` reads the pairs of one node or link from the graph's
parts (millions of pairs at 100,000 articles stay arrays, never Python objects),
and `evidence_for` turns them into sentences. Nothing here imports streamlit or
mutates its inputs.
"""

from __future__ import annotations

import html
import io
import sys
from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import Callable, Iterable, Union

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import colors, overlaps, table_access
from dashboard.timeline import date_label

__all__ = [
    "NODE_TYPES",
    "EDGE_TYPES",
    "SIZE_BY",
    "COLOR_BY",
    "Element",
    "node_id",
    "meeting_labels",
    "build_graph",
    "graph_bytes",
    "MAX_MENTIONS",
    "not_drawn",
    "Parts",
    "parts",
    "Kept",
    "kept",
    "assemble",
    "evidence",
    "without_isolates",
    "at_least_links",
    "focus",
    "MAX_STEPS",
    "communities",
    "community_layout",
    "overview",
    "connections",
    "common_neighbours",
    "path_evidence",
    "officials_between",
    "view_ranking",
    "DRAWN_OPTIONS",
    "DEFAULT_DRAWN",
    "most_linked",
    "CHOICES_UP_TO",
    "choices",
    "ranking_table",
    "community_names",
    "NODE_NAMES",
    "DEFAULT_NODE_TYPES",
    "WEBGL_ABOVE",
    "betweenness_samples",
    "centrality",
    "layout",
    "network_figure",
    "elements",
    "element_from_customdata",
    "element_label",
    "evidence_for",
    "to_graphml",
    "to_gexf",
]

NODE_TYPES = ("person", "organization", "country", "meeting")
# Edge type → the label shown in legends and hovers.
EDGE_TYPES = {
    "attended": "attended",
    "holds_role": "holds a role at",
    "represents": "represents",
    "co_attended": "co-attended",
}
# What a node type is called where analysts read.
NODE_NAMES = {"person": "officials", "organization": "organisations", "country": "countries", "meeting": "meetings"}
_NODE_NOUN = {"person": "official", "organization": "organisation", "country": "country", "meeting": "meeting"}
# The view analysts ask for first: officials and the meetings that join them.
DEFAULT_NODE_TYPES = ("person", "meeting")
SIZE_BY = {"degree": "number of links", "betweenness": "bridging role"}
# The mentions a version may hold for the page to make its network's parts (`parts`), which reads the whole tables
# into memory once per version: at 2 million (100,000 synthetic articles) that took 20 s and kept 250 MiB, but at
# 20.4 million (1,000,000) the server grew past 22 GB and the kernel killed it, every session with it.
MAX_MENTIONS = 4_000_000
COLOR_BY = {"community": "community", "country": "country", "type": "kind"}
MAX_STEPS = 3
# Beyond this many nodes the browser draws with WebGL (Scattergl): SVG slows to seconds per redraw.
WEBGL_ABOVE = 300
# How many nodes the chart draws at most, the most linked first (0: all). Beyond a few hundred dots an analyst reads
# nothing more, while the browser spends seconds on them: at 1,000 articles (686 nodes) a rerun drew in 2.0 s with
# 250 nodes, 5.1 s with 500 and 6.3 s with all (bench/README.md); 5,000 nodes and 20,000 links made 6.5 MB of figure.
DRAWN_OPTIONS = (100, 250, 500, 1000, 2000, 0)
DEFAULT_DRAWN = 250
# Beyond this many nodes a list of choices ("Around", the connect tool's ends) offers this many (`choices`): every
# option is labelled on the server and sent to the browser on every run, and at 100,000 articles a view has tens of
# thousands of meetings.
CHOICES_UP_TO = 1_000
# Each community's most linked members carry a written label; the rest are named on hover.
LABELS_PER_COMMUNITY = 3

# A node id, or the two node ids of an edge.
Element = Union[str, tuple[str, str]]
Evidence = list[tuple[str, int]]

# The entity table behind each node type: (table, id column, label column, country column).
_ENTITY_TABLES = {
    "person": ("people", "person_id", "name", "country"),
    "organization": ("organizations", "org_id", "name", "country"),
    "country": ("countries", "country", "name", "country"),
    "meeting": ("meetings", "meeting_id", "name", "country"),
}
_SYMBOLS = {"person": "circle", "organization": "square", "country": "diamond", "meeting": "star"}
_EDGE_STYLE = {  # dash pattern and colour: edge types stay apart even printed in grey
    "attended": ("solid", "#7f7f7f"),
    "holds_role": ("dash", "#8c564b"),
    "represents": ("dot", "#17becf"),
    "co_attended": ("dashdot", "#bcbd22"),
}
_MIN_SIZE, _MAX_SIZE = 10.0, 36.0
EXACT_BETWEENNESS_UP_TO = 500
# Beyond, betweenness is estimated from a seeded sample of source nodes, each costing a pass over the graph: 200 of
# them while nodes + links × 200 stay within BETWEENNESS_WORK (the 10,000-article version, 25,000 nodes and links,
# took 7 s of CPU), fewer beyond so the work stays the same, never fewer than BETWEENNESS_MIN_SAMPLES (at 100,000
# articles, 260,000 nodes and links, 200 samples took 160 s of CPU).
BETWEENNESS_SAMPLES, BETWEENNESS_MIN_SAMPLES, BETWEENNESS_WORK = 200, 25, 6_000_000
# A community with more members is laid out by springs only for its most linked; the rest are placed among their
# neighbours, with a seeded nudge of this share of the community's radius (`_community_positions`). 499: from 500 nodes
# networkx's spring layout switches to a method that minimises with scipy (0.5 s for 499 nodes, 2.8 s for 501).
SPRING_UP_TO, NUDGE = 499, 0.03
# Beyond this many nodes, written labels overlap into a blur: only the largest nodes carry one, the rest hover.
LABELLED = 25
_LABEL_WIDTH = 32


def node_id(node_type: str, entity_id: str) -> str:
    """Prefix ids with their type: an organisation id and a country code could otherwise coincide."""
    return f"{node_type}:{entity_id}"


def meeting_labels(meetings: pd.DataFrame) -> dict[str, str]:
    """Meeting id → name, date as precisely as known, and city: meeting names alone repeat from year to year."""
    columns = ["name", "start_date", "end_date", "date_precision", "city"]
    rows = meetings[columns].astype(object).where(meetings[columns].notna(), None)
    return {
        meeting: ", ".join(part for part in (name, date_label(start, end, precision), city if city and city not in name else None) if part)
        for meeting, (name, start, end, precision, city) in zip(meetings["meeting_id"], rows.itertuples(index=False))
    }


def _labels(frame: pd.DataFrame, node_type: str) -> list[str]:
    if node_type == "meeting":
        return list(meeting_labels(frame).values())
    return [str(v) for v in frame[_ENTITY_TABLES[node_type][2]]]


# What keeps a sentence behind a link (see `Parts`): its article, its meeting, or (an organisation's country only,
# when nothing else is left) its article as a fallback.
BY_ARTICLE, BY_MEETING, FALLBACK = 0, 1, 2
# The codes of `Parts`' sentence rows: 32 bits hold them, in half the memory (millions of rows at 100,000 articles).
_CODES = {"node": "int32", "link": "int32", "kind": "int8", "meeting": "int32", "article": "int32", "sentence": "int32"}
# The frames `Parts.frames` writes.
PARTS_FRAMES = ("countries", "nodes", "links", "node_sentences", "link_sentences", "articles", "meetings")


def _pairs(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The distinct rows of keys and (article_id, sentence_id) with every value known: the sentences behind each key,
    as plain Python strings and integers."""
    rows = frame[[*keys, "article_id", "sentence_id"]].dropna()
    rows = pd.DataFrame({**{k: rows[k].astype(str).astype(object) for k in [*keys, "article_id"]}, "sentence_id": rows["sentence_id"].astype("int64")})
    return rows.drop_duplicates(ignore_index=True)


def not_drawn(row_counts: dict[str, int]) -> str | None:
    """Why the network of a version with these row counts (its manifest's) is not made, or None: more mentions than
    `MAX_MENTIONS`, so that one visit to the page cannot take a shared server down."""
    mentions = int(row_counts.get("mentions", 0))
    if mentions <= MAX_MENTIONS:
        return None
    return (f"The network of this data version is not drawn: it holds {mentions:,} mentions, and this page reads at most "
            f"{MAX_MENTIONS:,} into memory to lay a network out (past that, a server of tens of gigabytes). The other "
            "pages work, and the Data page's mentions, participants and roles tables hold the same links for a graph tool.")


def _prefixed(node_type: str, ids: pd.Series) -> pd.Series:
    return (node_type + ":") + ids


def _nodes(tables: dict[str, pd.DataFrame], node_types: set[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The nodes (id, type, label, country, entity_id) in the order they are added, and the sentences naming each
    (node: its row; a meeting's: the sentences reporting it)."""
    nodes, named = [], []
    for node_type in NODE_TYPES:
        if node_type not in node_types:
            continue
        table, id_column, _, country_column = _ENTITY_TABLES[node_type]
        rows = tables[table].sort_values(id_column)
        countries = rows[country_column].astype(object)
        nodes.append(pd.DataFrame({
            "id": _prefixed(node_type, rows[id_column].astype(str).astype(object)).to_numpy(dtype=object),
            "type": node_type,
            "label": _labels(rows, node_type),
            "country": [None if pd.isna(c) else str(c) for c in countries],
            "entity_id": rows[id_column].astype(str).to_numpy(dtype=object),
        }))
        if node_type == "meeting":
            found = _pairs(tables["meeting_sources"], ["meeting_id"]).rename(columns={"meeting_id": "entity_id"})
        else:
            mentions = tables["mentions"]
            found = _pairs(mentions[mentions["entity_type"] == node_type], ["entity_id"])
        named.append(found.assign(id=_prefixed(node_type, found["entity_id"]))[["id", "article_id", "sentence_id"]])
    columns = ["id", "type", "label", "country", "entity_id"]
    frame = pd.concat(nodes, ignore_index=True) if nodes else pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = frame[columns].astype(object)
    frame["country"] = frame["country"].where(frame["country"].notna(), None)  # concatenating turns a missing country into NaN
    return frame, _concat(named, ["id", "article_id", "sentence_id"])


def _concat(frames: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    frames = [f[columns] for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame({c: pd.Series(dtype="int64" if c == "sentence_id" else object) for c in columns})


_LINK_ROWS = ["u", "v", "kind", "meeting_id", "article_id", "sentence_id"]


def _rows(found: pd.DataFrame, u: pd.Series, v: pd.Series, kind: int) -> pd.DataFrame:
    """Link rows: both ends, what keeps the sentence, the meeting (by meeting) and the sentence."""
    meeting = found["meeting_id"] if kind == BY_MEETING else None
    return pd.DataFrame({"u": u, "v": v, "kind": kind, "meeting_id": meeting, "article_id": found["article_id"], "sentence_id": found["sentence_id"]})


def _attended(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Who a participants row says took part (the person, else the organisation, else only the country) and the meeting."""
    rows = tables["participants"]
    attendee = pd.Series(None, index=rows.index, dtype=object)
    for node_type, column in (("country", "country"), ("organization", "org_id"), ("person", "person_id")):  # the last known wins
        known = rows[column].notna()
        attendee[known] = _prefixed(node_type, rows.loc[known, column].astype(str).astype(object))
    found = _pairs(rows.assign(attendee=attendee), ["attendee", "meeting_id"])
    return _rows(found, found["attendee"], _prefixed("meeting", found["meeting_id"]), BY_MEETING), None


def _holds_role(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    found = _pairs(tables["roles"], ["person_id", "org_id"])
    return _rows(found, _prefixed("person", found["person_id"]), _prefixed("organization", found["org_id"]), BY_ARTICLE), None


def _posts(tables: dict[str, pd.DataFrame], holder: str, node_type: str) -> list[pd.DataFrame]:
    """(holder, country) rows of reported posts (by article) and of meeting seats (by meeting)."""
    posts = _pairs(tables["roles"], [holder, "country"])
    seats = _pairs(tables["participants"], ["meeting_id", holder, "country"])
    return [_rows(found, _prefixed(node_type, found[holder]), _prefixed("country", found["country"]), kind)
            for found, kind in ((posts, BY_ARTICLE), (seats, BY_MEETING))]


def _represents(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """A person speaks for the country of a reported post or of a meeting seat; an organisation for its own country.

    An organisation's country comes from the knowledge base rather than a
    sentence, so its link exists whatever the sentences, and its evidence is the
    sentences pairing it with that country (roles, seats) or, failing those, the
    sentences that name it (the link's fallback).
    """
    people = pd.concat(_posts(tables, "person_id", "person"), ignore_index=True)
    own = tables["organizations"].dropna(subset=["country"])
    own = pd.DataFrame({"u": _prefixed("organization", own["org_id"].astype(str).astype(object)),
                        "v": _prefixed("country", own["country"].astype(str).astype(object))})
    seats = pd.concat(_posts(tables, "org_id", "organization"), ignore_index=True).merge(own, on=["u", "v"])
    mentions = tables["mentions"]
    named = _pairs(mentions[mentions["entity_type"] == "organization"], ["entity_id"])
    named = own.merge(named.assign(u=_prefixed("organization", named["entity_id"])), on="u")
    fallback = _rows(named, named["u"], named["v"], FALLBACK)
    links = pd.concat([people[["u", "v"]].assign(fallback=False), own.assign(fallback=True)], ignore_index=True)
    return pd.concat([people, seats, fallback], ignore_index=True), links


def _co_attended(tables: dict[str, pd.DataFrame]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Pairs of people at the same meeting, with both people's participation sentences of each meeting shared."""
    seen = _pairs(tables["participants"], ["meeting_id", "person_id"])
    people = seen[["meeting_id", "person_id"]].drop_duplicates()
    pairs = people.merge(people, on="meeting_id", suffixes=("_a", "_b"))
    pairs = pairs[pairs["person_id_a"] < pairs["person_id_b"]]
    found = pd.concat([pairs.merge(seen, left_on=["meeting_id", end], right_on=["meeting_id", "person_id"]) for end in ("person_id_a", "person_id_b")],
                      ignore_index=True)
    return _rows(found, _prefixed("person", found["person_id_a"]), _prefixed("person", found["person_id_b"]), BY_MEETING), None


def _types(node_types: Iterable[str], edge_types: Iterable[str]) -> tuple[set[str], set[str]]:
    node_types, edge_types = set(node_types), set(edge_types)
    unknown = (node_types - set(NODE_TYPES)) | (edge_types - set(EDGE_TYPES))
    if unknown:
        raise ValueError(f"unknown node or edge type(s): {sorted(unknown)}")
    return node_types, edge_types


def _coded(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype({column: _CODES[column] for column in frame.columns})


@dataclass(frozen=True, eq=False)
class Parts:
    """Every node and link of some tables and the sentences behind each, as columns, for `assemble`.

    `nodes` (id, type, label, country, entity_id) and `links` (u, v, relation,
    fallback) are in the order they are added to a graph. The sentences are rows
    of codes, sorted by the node or link they belong to, so that millions of them
    cost arrays rather than Python objects: `node_sentences` (node: row of
    `nodes`, article: index into `articles`, sentence) and `link_sentences` (link:
    row of `links`, kind: BY_ARTICLE, BY_MEETING or FALLBACK, meeting: index into
    `meetings` or -1, article, sentence). A sentence of a link stays in a filtered
    graph when its article (by article), or its meeting (by meeting), is kept; a
    link with none left goes, unless it has a fallback (an organisation's
    country), whose sentences then stand in, each kept with its article. A
    meeting node's sentences stay with the meeting; any other node's with their
    article. `articles` and `meetings` are sorted, so codes sort as the ids do.
    """

    country_names: dict[str, str]
    nodes: pd.DataFrame
    links: pd.DataFrame
    node_sentences: pd.DataFrame
    link_sentences: pd.DataFrame
    articles: np.ndarray
    meetings: np.ndarray

    def frames(self) -> dict[str, pd.DataFrame]:
        """The parts as frames (to keep on disk: `network_cache`); `from_frames` reads them back."""
        return {
            "countries": pd.DataFrame({"country": list(self.country_names), "name": list(self.country_names.values())}, dtype=object),
            "nodes": self.nodes, "links": self.links, "node_sentences": self.node_sentences, "link_sentences": self.link_sentences,
            "articles": pd.DataFrame({"article_id": self.articles}, dtype=object),
            "meetings": pd.DataFrame({"meeting_id": self.meetings}, dtype=object),
        }

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame]) -> Parts:
        """The parts `frames` wrote, after checking that they hold together (ValueError or KeyError when they do not):
        every code points at a row, rows are sorted as the lookups need, types are known."""
        def strings(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
            frame = frame[columns]
            if not all(pd.api.types.is_string_dtype(frame[c]) and (c == "country" or frame[c].notna().all()) for c in columns):
                raise ValueError(f"missing or non-text values in {columns}")
            return frame.astype(object)

        def codes(frame: pd.DataFrame, columns: dict[str, int]) -> pd.DataFrame:
            frame = frame[list(columns)]
            for column, upper in columns.items():
                values = frame[column].to_numpy()
                if values.dtype.kind not in "iu" or (len(values) and (values.min() < (-1 if column == "meeting" else 0) or values.max() >= upper)):
                    raise ValueError(f"{column} codes out of range")
            return _coded(frame)

        nodes = strings(frames["nodes"], ["id", "type", "label", "country", "entity_id"])
        nodes["country"] = nodes["country"].where(nodes["country"].notna(), None)
        links = strings(frames["links"], ["u", "v", "relation"]).assign(fallback=frames["links"]["fallback"].astype(bool))
        articles, meetings = (strings(frames[name], [column])[column].to_numpy() for name, column in (("articles", "article_id"), ("meetings", "meeting_id")))
        countries = strings(frames["countries"], ["country", "name"])
        node_sentences = codes(frames["node_sentences"], {"node": len(nodes), "article": len(articles), "sentence": 2**31})
        link_sentences = codes(frames["link_sentences"], {"link": len(links), "kind": FALLBACK + 1, "meeting": len(meetings), "article": len(articles), "sentence": 2**31})
        if not (set(nodes["type"]) <= set(NODE_TYPES) and set(links["relation"]) <= set(EDGE_TYPES) and nodes["id"].is_unique
                and all(pd.Index(sorted_ids).is_monotonic_increasing and pd.Index(sorted_ids).is_unique for sorted_ids in (articles, meetings))
                and node_sentences["node"].is_monotonic_increasing and link_sentences["link"].is_monotonic_increasing):
            raise ValueError("the network parts do not hold together")
        return cls(dict(zip(countries["country"], countries["name"])), nodes, links, node_sentences, link_sentences, articles, meetings)

    @cached_property
    def _node_rows(self) -> dict[str, int]:
        return {n: i for i, n in enumerate(self.nodes["id"])}

    @cached_property
    def _link_rows(self) -> dict[tuple[str, str], int]:
        return {(min(u, v), max(u, v)): i for i, (u, v) in enumerate(zip(self.links["u"], self.links["v"]))}

    @cached_property
    def _ends(self) -> tuple[np.ndarray, np.ndarray]:
        """Each link's ends as rows of `nodes` (-1: an end that is no node, such as an organisation missing from its table)."""
        index = pd.Index(self.nodes["id"])
        return index.get_indexer(self.links["u"]), index.get_indexer(self.links["v"])

    @cached_property
    def _starts(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each node's and each link's sentence rows start (and the next one's begin)."""
        return (np.searchsorted(self.node_sentences["node"].to_numpy(), np.arange(len(self.nodes) + 1)),
                np.searchsorted(self.link_sentences["link"].to_numpy(), np.arange(len(self.links) + 1)))


def parts(tables: dict[str, pd.DataFrame], *, node_types: Iterable[str] = NODE_TYPES, edge_types: Iterable[str] = tuple(EDGE_TYPES)) -> Parts:
    """The nodes and links of these tables, limited to the types asked for, with the sentences each rests on: `assemble`
    makes the graph, of all of it or of what filters keep. Built once for a data version's whole tables (and kept on
    disk, `network_cache`), it gives every filtered graph without reading the filtered tables again."""
    node_types, edge_types = _types(node_types, edge_types)
    nodes, named = _nodes(tables, node_types)
    sources = {"attended": _attended, "holds_role": _holds_role, "represents": _represents, "co_attended": _co_attended}
    rows, links = [], []
    for edge_type in EDGE_TYPES:
        if edge_type not in edge_types:
            continue
        found, ends = sources[edge_type](tables)
        ends = found[["u", "v"]].assign(fallback=False) if ends is None else ends
        ends = ends.sort_values("fallback", ascending=False).drop_duplicates(["u", "v"]).sort_values(["u", "v"], ignore_index=True)
        links.append(ends.assign(relation=edge_type))
        rows.append(found.assign(relation=edge_type))
    links = _concat(links, ["u", "v", "relation", "fallback"]).astype({"fallback": bool})
    rows = _concat(rows, [*_LINK_ROWS, "relation"])
    rows["link"] = pd.MultiIndex.from_frame(links[["u", "v", "relation"]]).get_indexer(pd.MultiIndex.from_frame(rows[["u", "v", "relation"]]))
    article_codes, articles = pd.factorize(pd.concat([named["article_id"], rows["article_id"]], ignore_index=True), sort=True)
    meeting_codes, meetings = pd.factorize(rows["meeting_id"], sort=True)
    node_sentences = pd.DataFrame({
        "node": pd.Index(nodes["id"]).get_indexer(named["id"]),
        "article": article_codes[: len(named)],
        "sentence": named["sentence_id"].to_numpy(dtype="int64"),
    })
    link_sentences = pd.DataFrame({
        "link": rows["link"].to_numpy(), "kind": rows["kind"].to_numpy(dtype="int8"), "meeting": meeting_codes,
        "article": article_codes[len(named):], "sentence": rows["sentence_id"].to_numpy(dtype="int64"),
    })
    node_sentences = node_sentences[node_sentences["node"] >= 0].sort_values(["node", "article", "sentence"], ignore_index=True)
    link_sentences = link_sentences.drop_duplicates().sort_values(["link", "article", "sentence", "kind", "meeting"], ignore_index=True)
    return Parts(
        dict(zip(tables["countries"]["country"], tables["countries"]["name"])), nodes, links,
        _coded(node_sentences), _coded(link_sentences), np.asarray(articles, dtype=object), np.asarray(meetings, dtype=object),
    )


@dataclass(frozen=True)
class Kept:
    """What the filters keep (`dashboard.filters`): the articles, and the ids of each node type's table."""

    articles: frozenset[str]
    ids: dict[str, frozenset[str]]


def kept(read: Callable[[str, str], Iterable]) -> Kept:
    """The kept articles and entity ids, from `read(table, column)`: a column of the filtered tables."""
    return Kept(
        articles=frozenset(map(str, read("articles", "article_id"))),
        ids={t: frozenset(map(str, read(table, column))) for t, (table, column, _, _) in _ENTITY_TABLES.items()},
    )


def _distinct(links: np.ndarray, articles: np.ndarray, sentences: np.ndarray) -> np.ndarray:
    """Which rows (sorted by link, article, sentence) start a new (link, article, sentence)."""
    new = np.ones(len(links), dtype=bool)
    new[1:] = (links[1:] != links[:-1]) | (articles[1:] != articles[:-1]) | (sentences[1:] != sentences[:-1])
    return new


@dataclass(frozen=True, eq=False)
class _Sentences:
    """The sentences behind a graph's nodes and links: its parts' rows, kept as `assemble` keeps them (None: all
    articles or all meetings kept). Read for one element at a time (`evidence`), never for all at once."""

    parts: Parts
    articles: np.ndarray | None
    meetings: np.ndarray | None

    def _kept(self, rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Per link row: whether it stands as one of the link's own sentences, and whether as a fallback one."""
        kind, article, meeting = rows["kind"].to_numpy(), rows["article"].to_numpy(), rows["meeting"].to_numpy()
        by_article = np.ones(len(rows), dtype=bool) if self.articles is None else self.articles[article]
        by_meeting = np.ones(len(rows), dtype=bool) if self.meetings is None else self.meetings[np.maximum(meeting, 0)]
        return ((kind == BY_ARTICLE) & by_article) | ((kind == BY_MEETING) & by_meeting), (kind == FALLBACK) & by_article

    def _pairs(self, rows: pd.DataFrame) -> list[tuple[str, int]]:
        return sorted({(self.parts.articles[a], int(s)) for a, s in zip(rows["article"], rows["sentence"])})

    def of_node(self, node: str, node_type: str) -> list[tuple[str, int]]:
        row = self.parts._node_rows.get(node)
        if row is None:
            return []
        starts = self.parts._starts[0]
        rows = self.parts.node_sentences.iloc[starts[row]:starts[row + 1]]
        if node_type != "meeting" and self.articles is not None:
            rows = rows[self.articles[rows["article"].to_numpy()]]
        return self._pairs(rows)

    def of_link(self, u: str, v: str) -> list[tuple[str, int]]:
        row = self.parts._link_rows.get((min(u, v), max(u, v)))
        if row is None:
            return []
        starts = self.parts._starts[1]
        rows = self.parts.link_sentences.iloc[starts[row]:starts[row + 1]]
        own, fallback = self._kept(rows)
        return self._pairs(rows[own] if own.any() else rows[fallback])


def assemble(parts: Parts, kept: Kept | None = None, *, node_types: Iterable[str] = NODE_TYPES,
             edge_types: Iterable[str] = tuple(EDGE_TYPES), linked_only: bool = False) -> nx.Graph:
    """The graph of `parts`, or of what the filters keep of them, with only these node and edge types: the same graph,
    in the same order, as `build_graph` makes of the filtered tables with those types (a sentence stays when its
    article, or its meeting, is kept; the tests check this). Counted with arrays: the sentences themselves are read
    only for the node or link asked for (`evidence`). `linked_only` leaves out unlinked nodes: the nodes and links of
    `without_isolates` of that graph, without building it first (its links then come in the order they were found,
    not in the order of the copy's adjacency). Neither the parts nor the graph's values may be changed."""
    node_types, edge_types = _types(node_types, edge_types)
    nodes = parts.nodes
    chosen = nodes["type"].isin(node_types).to_numpy().copy()
    if kept is not None:
        chosen &= np.fromiter((e in kept.ids[t] for t, e in zip(nodes["type"], nodes["entity_id"])), dtype=bool, count=len(nodes))
    sentences = _Sentences(parts, None if kept is None else pd.Index(parts.articles).isin(list(kept.articles)),
                           None if kept is None else pd.Index(parts.meetings).isin(list(kept.ids["meeting"])))
    names = parts.country_names if kept is None else {c: n for c, n in parts.country_names.items() if c in kept.ids["country"]}

    links, (u_row, v_row) = parts.links, parts._ends
    wanted = links["relation"].isin(edge_types).to_numpy().copy() & (u_row >= 0) & (v_row >= 0)
    wanted[wanted] &= chosen[u_row[wanted]] & chosen[v_row[wanted]]
    rows = parts.link_sentences
    link = rows["link"].to_numpy()
    own, fallback = sentences._kept(rows)
    counts = []
    for keep in (own & wanted[link], fallback & wanted[link]):
        picked = [rows[column].to_numpy()[keep] for column in ("link", "article", "sentence")]
        counts.append(np.bincount(picked[0][_distinct(*picked)], minlength=len(links)))
    count = np.where(counts[0] > 0, counts[0], counts[1])
    wanted &= (counts[0] > 0) | links["fallback"].to_numpy()
    shared = rows.loc[own & wanted[link] & (rows["kind"].to_numpy() == BY_MEETING), ["link", "meeting"]].drop_duplicates()
    shared = shared[links["relation"].to_numpy()[shared["link"].to_numpy()] == "co_attended"].sort_values(["link", "meeting"])
    meetings = {row: [node_id("meeting", parts.meetings[m]) for m in group] for row, group in shared.groupby("link")["meeting"]}
    if linked_only:
        linked = np.zeros(len(nodes), dtype=bool)
        linked[u_row[wanted]] = linked[v_row[wanted]] = True
        chosen &= linked
    graph = nx.Graph(country_names=names, sentences=sentences)
    graph.add_nodes_from((n, dict(type=t, label=label, country=country, entity_id=entity))
                         for n, t, label, country, entity in nodes[chosen].itertuples(index=False))
    graph.add_edges_from(
        (u, v, dict(relation=relation, weight=len(meetings[row]), meetings=meetings[row], sentences=int(count[row])) if relation == "co_attended"
         else dict(relation=relation, weight=int(count[row]), sentences=int(count[row])))
        for row, u, v, relation in zip(np.flatnonzero(wanted), *(links[c].to_numpy()[wanted] for c in ("u", "v", "relation")))
    )
    return graph


def graph_bytes(graph: nx.Graph) -> int:
    """About the memory `graph` holds of its own, counted with `sys.getsizeof`: its dicts of nodes and neighbours, each
    node's and link's attributes (a co-attendance's list of meetings too) and the masks of the sentences it keeps (the
    parts they index are shared by every graph). What a cache of graphs counts against its budget
    (`network_cache.Budgeted`): 103 MiB for the whole network at 100,000 articles, against its RSS growth of 100-130 MiB."""
    size = sys.getsizeof(graph._node) + sys.getsizeof(graph._adj)
    for node, attributes in graph._node.items():
        size += sys.getsizeof(node) + sys.getsizeof(graph._adj[node]) + sys.getsizeof(attributes) + sum(map(sys.getsizeof, attributes.values()))
    for _, _, attributes in graph.edges(data=True):
        size += sys.getsizeof(attributes) + sum(map(sys.getsizeof, attributes.values())) + sum(map(sys.getsizeof, attributes.get("meetings", ())))
    sentences = graph.graph.get("sentences")
    masks = (getattr(sentences, "articles", None), getattr(sentences, "meetings", None))
    return size + sum(mask.nbytes for mask in masks if mask is not None)


def evidence(graph: nx.Graph, element: Element) -> Evidence:
    """The (article_id, sentence_id) pairs a node or link of a graph made by `assemble` rests on, sorted: a node's are
    the sentences naming it (a meeting's: reporting it), a link's those of the rows behind it. None for a graph
    built by hand."""
    sentences = graph.graph.get("sentences")
    if sentences is None:
        return []
    if isinstance(element, str):
        return sentences.of_node(element, graph.nodes[element]["type"])
    return sentences.of_link(*element)


def build_graph(
    tables: dict[str, pd.DataFrame],
    *,
    node_types: Iterable[str] = NODE_TYPES,
    edge_types: Iterable[str] = tuple(EDGE_TYPES),
) -> nx.Graph:
    """The entity network of these tables, limited to the node and edge types asked for.

    Nodes are ``"<type>:<id>"`` with attributes type, label, country, entity_id
    and evidence; every row of an included entity table becomes a node, linked
    or not. Edges carry relation (one of EDGE_TYPES; not "type", which
    GEXF reserves), evidence and weight (the number of evidence
    sentences; for co-attended, the number of shared meetings, listed in
    ``meetings``). An edge is kept only when both its ends are included.
    Nodes and edges are added in sorted order so the same tables always make
    the same graph.
    """
    return assemble(parts(tables, node_types=node_types, edge_types=edge_types))


def without_isolates(graph: nx.Graph) -> nx.Graph:
    """A copy without unlinked nodes, which only crowd the picture (`assemble` can leave them out at once)."""
    return graph.subgraph([n for n in graph if graph.degree(n) > 0]).copy()


def at_least_links(graph: nx.Graph, minimum: int) -> nx.Graph:
    """A copy keeping the nodes with at least `minimum` links in `graph`: thins a crowded picture to its hubs.

    Links are counted once, before thinning, so the rule reads simply ("officials
    with 3 links or more") even though a kept node may lose links to dropped ones.
    """
    return graph.subgraph([n for n in graph if graph.degree(n) >= minimum]).copy()


def focus(graph: nx.Graph, node: str, steps: int = 1) -> nx.Graph:
    """A new graph of the node and everything within `steps` (1 to MAX_STEPS) links of it."""
    if node not in graph:
        raise KeyError(f"{node} is not in the graph")
    if steps not in range(1, MAX_STEPS + 1):
        raise ValueError(f"steps must be 1 to {MAX_STEPS}, not {steps}")
    return nx.ego_graph(graph, node, radius=steps).copy()


def betweenness_is_estimated(graph: nx.Graph) -> bool:
    return len(graph) > EXACT_BETWEENNESS_UP_TO


def betweenness_samples(graph: nx.Graph) -> int:
    """How many source nodes the estimate of a large graph's betweenness starts from (see BETWEENNESS_WORK)."""
    size = graph.number_of_nodes() + graph.number_of_edges()
    return min(len(graph), max(BETWEENNESS_MIN_SAMPLES, min(BETWEENNESS_SAMPLES, BETWEENNESS_WORK // max(size, 1))))


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Degree (number of links) and normalised betweenness of every node, most linked first.

    Exact betweenness costs nodes × links, many seconds beyond a few hundred
    nodes; larger graphs get networkx's estimate from a fixed, seeded sample of
    source nodes (`betweenness_samples`), so the same graph always gets the same figures.
    """
    if not len(graph):
        betweenness = {}
    elif betweenness_is_estimated(graph):
        betweenness = nx.betweenness_centrality(graph, k=betweenness_samples(graph), seed=0)
    else:
        betweenness = nx.betweenness_centrality(graph)
    rows = [
        {
            "node": n,
            "label": data["label"],
            "type": data["type"],
            "country": data["country"],
            "degree": graph.degree(n),
            "betweenness": betweenness[n],
        }
        for n, data in graph.nodes(data=True)
    ]
    frame = pd.DataFrame(rows, columns=["node", "label", "type", "country", "degree", "betweenness"])
    frame = frame.astype({"node": "string", "label": "string", "type": "string", "country": "string", "degree": "int64", "betweenness": "float64"})
    return frame.sort_values(["degree", "betweenness", "node"], ascending=[False, False, True], ignore_index=True)


def _ordered(graph: nx.Graph) -> nx.Graph:
    """The graph rebuilt in sorted order with its weights: layouts and community detection depend on insertion order."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_weighted_edges_from(sorted((*sorted((u, v)), w) for u, v, w in graph.edges(data="weight", default=1)))
    return ordered


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded spring positions; the graph is first rebuilt in sorted order, so equal graphs get equal positions."""
    ordered = _ordered(graph)
    positions = nx.spring_layout(ordered, seed=seed, weight=None) if len(ordered) else {}
    return {n: (float(x), float(y)) for n, (x, y) in positions.items()}


def communities(graph: nx.Graph, *, seed: int = 0) -> dict[str, int]:
    """Louvain communities (groups more linked inside than out), numbered from 0 by size, largest first.

    Seeded and run on the sorted graph, so the same graph always gets the same
    groups and numbers; an unlinked node is a community of its own.
    """
    if not len(graph):
        return {}
    found = nx.community.louvain_communities(_ordered(graph), weight="weight", seed=seed)
    ranked = sorted((sorted(members) for members in found), key=lambda members: (-len(members), members[0]))
    return {n: number for number, members in enumerate(ranked) for n in members}


def _separate(centres: np.ndarray, radii: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Push apart circles (centre, radius) that overlap, a little at a time, until none do (or `rounds` pass)."""
    centres = centres.copy()
    for _ in range(rounds):
        offsets = centres[:, None, :] - centres[None, :, :]
        distance = np.hypot(offsets[..., 0], offsets[..., 1])
        np.fill_diagonal(distance, np.inf)
        overlap = (radii[:, None] + radii[None, :]) * 1.1 - distance
        if (overlap <= 0).all():
            break
        with np.errstate(invalid="ignore", divide="ignore"):  # the diagonal: -inf / inf, masked out below
            push = np.where(overlap > 0, overlap / 2 / np.maximum(distance, 1e-9), 0.0)
        centres += (offsets * push[..., None]).sum(axis=1)
    return centres


def community_layout(graph: nx.Graph, membership: dict[str, int], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions that keep each community together and apart from the others.

    Each community is laid out on its own (seeded spring) in a disc whose area
    grows with its size; the discs are placed where a spring layout of the graph
    of communities (weighted by the links between them) puts them, then pushed
    apart until none overlap. Laying out communities separately is also what
    keeps large graphs affordable: one spring layout of 8,000 nodes took 100 s.
    """
    ordered = _ordered(graph)
    groups: dict[int, list[str]] = defaultdict(list)
    for n in ordered:
        groups[membership[n]].append(n)
    numbers = sorted(groups)
    between = nx.Graph()
    between.add_nodes_from(numbers)
    for u, v in ordered.edges:
        a, b = membership[u], membership[v]
        if a != b:
            between.add_edge(a, b, weight=between.get_edge_data(a, b, {"weight": 0})["weight"] + 1)
    radii = np.array([np.sqrt(len(groups[c])) for c in numbers])
    spread = float(np.sqrt(radii.size) * radii.max()) if numbers else 1.0
    placed = nx.spring_layout(between, seed=seed, scale=spread) if len(numbers) > 1 else {c: (0.0, 0.0) for c in numbers}
    centres = _separate(np.array([placed[c] for c in numbers], dtype=float).reshape(-1, 2), radii)
    positions: dict[str, tuple[float, float]] = {}
    for (cx, cy), radius, number in zip(centres, radii, numbers):
        members = groups[number]
        local = _community_positions(ordered.subgraph(members), radius, seed) if len(members) > 1 else {members[0]: (0.0, 0.0)}
        positions.update({n: (float(cx + x), float(cy + y)) for n, (x, y) in local.items()})
    return positions


def _community_positions(community: nx.Graph, radius: float, seed: int) -> dict:
    """One community's positions in a disc of `radius`: a seeded spring layout of its SPRING_UP_TO most linked members
    (every member when it has no more), then each other member, breadth first from them, at the mean of its neighbours
    already placed, nudged by a seeded offset so that members with the same neighbours do not hide each other.

    A spring layout costs members² per step: 20 s of CPU for a graph shaped like the 10,000-article version's
    (communities of up to 1,136 members), about 100 times that at 100,000 articles. Bounded, a community costs one
    spring layout of SPRING_UP_TO members plus a pass over its links; the chart draws the most linked nodes, which
    keep the spring's places.
    """
    if len(community) <= SPRING_UP_TO:
        return nx.spring_layout(community, seed=seed, scale=radius, weight=None)
    core = sorted(community, key=lambda n: (-community.degree(n), n))[:SPRING_UP_TO]
    positions = {n: np.asarray(p, dtype=float) for n, p in nx.spring_layout(community.subgraph(core), seed=seed, scale=radius, weight=None).items()}
    rng = np.random.default_rng(seed)
    for layer in islice(nx.bfs_layers(community, core), 1, None):
        placed = {n: np.mean([positions[m] for m in community[n] if m in positions], axis=0) for n in sorted(layer)}
        for n, (x, y) in placed.items():
            positions[n] = np.array([x, y]) + rng.normal(scale=radius * NUDGE, size=2)
    for n in community:  # not reached from the core (Louvain's communities are connected, but nothing says so)
        if n not in positions:
            positions[n] = rng.uniform(-radius, radius, size=2) / np.sqrt(2)
    return positions


def overview(graph: nx.Graph, *, seed: int = 7) -> pd.DataFrame:
    """Per node: its community, position and centrality; what the page computes once per data version and view.

    The slow parts of drawing a network (community detection, the layout,
    betweenness) depend only on the whole graph, not on the filters, so the page
    computes them for the unfiltered graph, keeps them on disk beside the data
    version, and draws any filtered view from them.
    """
    membership = communities(graph, seed=0)
    positions = community_layout(graph, membership, seed=seed)
    frame = centrality(graph)
    frame["community"] = frame["node"].map(membership).astype("int64")
    frame["x"] = frame["node"].map(lambda n: positions[n][0]).astype("float64")
    frame["y"] = frame["node"].map(lambda n: positions[n][1]).astype("float64")
    return frame


def view_ranking(graph: nx.Graph, overview: pd.DataFrame) -> pd.DataFrame:
    """`centrality` of a view without recomputing it: links counted in the view, the bridging score of the whole network.

    The view's own betweenness would cost seconds on every filter change, and a
    filtered view's shortest paths say less about who bridges whom than the whole network's.
    """
    nodes = list(graph)
    bridging = dict(zip(overview["node"], overview["betweenness"]))  # a dict: a Series looked up per node took 0.2 s at 5,000 nodes
    frame = pd.DataFrame({
        "node": pd.Series(nodes, dtype="string"),
        "label": pd.Series([graph.nodes[n]["label"] for n in nodes], dtype="string"),
        "type": pd.Series([graph.nodes[n]["type"] for n in nodes], dtype="string"),
        "country": pd.Series([graph.nodes[n]["country"] for n in nodes], dtype="string"),
        "degree": pd.Series([graph.degree(n) for n in nodes], dtype="int64"),
        "betweenness": pd.Series([float(bridging.get(n, 0.0)) for n in nodes], dtype="float64"),
    })
    return frame.sort_values(["degree", "betweenness", "node"], ascending=[False, False, True], ignore_index=True)


def most_linked(graph: nx.Graph, ranking: pd.DataFrame, limit: int) -> nx.Graph:
    """The `limit` first nodes of `ranking` (most linked first) and the links among them; `graph` itself when it has
    no more than that, or `limit` is 0. What the chart draws: the view stays whole for everything else. Attribute
    values are shared with `graph`, so neither may be changed."""
    if limit < 0:
        raise ValueError(f"limit must be 0 (no limit) or more, not {limit}")
    if not limit or len(graph) <= limit:
        return graph
    nodes = ranking["node"].head(limit).tolist()
    drawn = nx.Graph(**graph.graph)
    drawn.add_nodes_from((n, graph.nodes[n]) for n in nodes)
    # The links of the kept nodes read straight from the adjacency: a subgraph view filters every neighbour of
    # every hub through layers of views, a third of a second at 5,000 nodes.
    drawn.add_edges_from((u, v, data) for u in nodes for v, data in graph.adj[u].items() if v in drawn)
    return drawn


def choices(graph: nx.Graph, links: dict[str, int], limit: int = CHOICES_UP_TO, keep: Iterable[str] = ()) -> list[str]:
    """The nodes a list of choices offers, by label: all of them up to `limit`; beyond, `limit` of them, officials,
    organisations and countries before meetings, the most linked first (`links`: node → links in the whole network),
    and every node of `keep` that is in the graph (a choice already made stays)."""
    by_label = lambda n: (graph.nodes[n]["label"], n)  # noqa: E731
    if len(graph) <= limit:
        return sorted(graph, key=by_label)
    ranked = sorted(graph, key=lambda n: (graph.nodes[n]["type"] == "meeting", -links.get(n, 0), graph.nodes[n]["label"], n))
    return sorted({*ranked[:limit], *(n for n in keep if n in graph)}, key=by_label)


def ranking_table(graph: nx.Graph, ranking: pd.DataFrame, membership: dict[str, int]) -> pd.DataFrame:
    """The ranking as an analyst reads it: what each entity is, its country's name, its community; no ids."""
    names = community_names(graph, membership, ranking)
    return pd.DataFrame({
        "Name": ranking["label"].astype(str),
        "Kind": ranking["type"].map(_NODE_NOUN),
        "Country": [_country_name(graph, c) if isinstance(c, str) else "" for c in ranking["country"].astype(object).where(ranking["country"].notna(), None)],
        "Links": ranking["degree"],
        "Bridging role (0 to 1)": ranking["betweenness"].round(4),
        "Community": [names.get(membership.get(n), "") for n in ranking["node"]],
    })


def _sizes(ranking: pd.DataFrame, size_by: str) -> dict[str, float]:
    """Marker sizes spread linearly between the smallest and largest score."""
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {list(SIZE_BY)}, not {size_by!r}")
    scores = ranking.set_index("node")[size_by].to_dict()
    low, high = min(scores.values(), default=0), max(scores.values(), default=0)
    span = high - low
    return {n: _MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * ((s - low) / span if span else 0.5) for n, s in scores.items()}


def _country_name(graph: nx.Graph, country: str | None) -> str:
    return graph.graph.get("country_names", {}).get(country, country) if country else "country unknown"


def _hover(graph: nx.Graph, data: dict) -> str:
    """Hover text of a node; the label comes from the articles, so it is escaped (plotly reads tags in hover text)."""
    return f"<b>{html.escape(data['label'])}</b><br>{_NODE_NOUN[data['type']]}<br>{html.escape(_country_name(graph, data['country']))}"


def _edge_traces(graph: nx.Graph, positions: dict, scatter) -> list:
    """Per edge type: its lines, and a point at each midpoint that can be hovered and selected."""
    traces = []
    for edge_type, name in EDGE_TYPES.items():
        edges = sorted(tuple(sorted((u, v))) for u, v, r in graph.edges(data="relation") if r == edge_type)
        if not edges:
            continue
        dash, colour = _EDGE_STYLE[edge_type]
        ends = np.array([(positions[u], positions[v]) for u, v in edges], dtype=float)  # edge × end × (x, y)
        # One line per edge: both ends then a gap (NaN), all edges of the type in one trace.
        lines = np.concatenate([ends, np.full((len(edges), 1, 2), np.nan)], axis=1).reshape(-1, 2)
        middles = ends.mean(axis=1)
        traces.append(scatter(x=lines[:, 0], y=lines[:, 1], mode="lines", name=name, legendgroup=edge_type, line=dict(dash=dash, color=colour, width=1), opacity=0.5, hoverinfo="skip"))
        traces.append(
            scatter(
                x=middles[:, 0],
                y=middles[:, 1],
                mode="markers",
                name=name,
                legendgroup=edge_type,
                showlegend=False,
                marker=dict(size=7, color=colour, opacity=0.35, symbol="circle-open"),
                customdata=np.array(edges, dtype=object),
                hovertext=[f"{html.escape(graph.nodes[u]['label'])} — {name} — {html.escape(graph.nodes[v]['label'])}<br>{graph.edges[u, v].get('sentences', 0)} sentence(s)" for u, v in edges],
                hoverinfo="text",
            )
        )
    return traces


def _short(text: str) -> str:
    return text if len(text) <= _LABEL_WIDTH else text[: _LABEL_WIDTH - 1] + "…"


def _written_labels(graph: nx.Graph, sizes: dict, membership: dict[str, int] | None) -> dict[str, str]:
    """Short labels for the largest nodes (of each community, when known); every other node is named on hover only."""
    if membership is None:
        largest = sorted(graph, key=lambda n: (-sizes[n], graph.nodes[n]["label"], n))[:LABELLED]
    else:
        members: dict[int, list[str]] = defaultdict(list)
        for n in graph:
            members[membership.get(n, -1)].append(n)
        largest = [n for group in members.values() for n in sorted(group, key=lambda n: (-sizes[n], graph.nodes[n]["label"], n))[:LABELS_PER_COMMUNITY]]
    return {n: html.escape(_short(graph.nodes[n]["label"])) for n in largest}


def community_names(graph: nx.Graph, membership: dict[str, int], ranking: pd.DataFrame) -> dict[int, str]:
    """A name per community: its most linked member ("around Jane Doe"), so the legend says who each colour is."""
    names: dict[int, str] = {}
    for node in ranking["node"]:
        number = membership.get(node)
        if number is not None and number not in names and node in graph:
            names[number] = f"around {_short(graph.nodes[node]['label'])}"
    return names


def _groups(graph: nx.Graph, color_by: str, membership: dict[str, int] | None, ranking: pd.DataFrame) -> dict[str, tuple[str, list[str]]]:
    """Legend entry → (colour, nodes), in legend order."""
    groups: dict[str, list[str]] = defaultdict(list)
    if color_by == "community":
        membership = membership or {}
        names = community_names(graph, membership, ranking)
        # Colours follow the community's number in the whole network, so a community keeps its colour under any filter.
        colour_of = colors.categorical(range(len(colors.CATEGORICAL)))
        shown = sorted({membership[n] for n in graph if membership.get(n) in colour_of})
        for n in sorted(graph):
            number = membership.get(n)
            key = names[number] if number in colour_of else "smaller communities"
            groups[key].append(n)
        palette = {names[number]: colour_of[number] for number in shown} | {"smaller communities": colors.UNKNOWN}
        order = [names[number] for number in shown] + ["smaller communities"]
        return {key: (palette[key], groups[key]) for key in order if groups.get(key)}
    if color_by == "country":
        palette = colors.country_colors(graph.graph.get("country_names", {}))  # every country of the tables, as on other pages
        for n in sorted(graph):
            groups[graph.nodes[n]["country"] or ""].append(n)
        return {(_country_name(graph, code) if code else "country unknown"): (palette.get(code, colors.UNKNOWN), nodes)
                for code, nodes in sorted(groups.items(), key=lambda item: (not item[0], _country_name(graph, item[0])))}
    for n in sorted(graph):
        groups[graph.nodes[n]["type"]].append(n)
    return {NODE_NAMES[t].capitalize(): (colors.type_color(t), groups[t]) for t in NODE_TYPES if groups.get(t)}


def _node_traces(graph: nx.Graph, positions: dict, sizes: dict, written: dict[str, str], color_by: str,
                 membership: dict[str, int] | None, ranking: pd.DataFrame, scatter) -> list:
    """One trace per colour group, so the legend explains the colours; the symbol always shows the type."""
    traces = []
    for name, (colour, nodes) in _groups(graph, color_by, membership, ranking).items():
        traces.append(
            scatter(
                x=np.array([positions[n][0] for n in nodes], dtype=float),
                y=np.array([positions[n][1] for n in nodes], dtype=float),
                mode="markers+text",
                name=html.escape(name),
                text=[written.get(n, "") for n in nodes],
                textposition="top center",
                textfont=dict(size=11, color="#1B1F24"),
                marker=dict(
                    size=np.array([sizes[n] for n in nodes], dtype=float),
                    color=colour,
                    symbol=[_SYMBOLS[graph.nodes[n]["type"]] for n in nodes],
                    line=dict(width=1, color="#ffffff"),
                ),
                customdata=np.array([[n] for n in nodes], dtype=object),
                hovertext=[_hover(graph, graph.nodes[n]) for n in nodes],
                hoverinfo="text",
            )
        )
    return traces


def _apart(graph: nx.Graph, positions: dict, sizes: dict, written: dict[str, str]) -> dict[str, tuple[float, float]]:
    """The drawn nodes' positions, moved where no written name would be covered nor a marker hidden (`overlaps`)."""
    nodes = sorted(graph)
    moved = overlaps.spread(np.array([positions[n] for n in nodes], dtype=float), np.array([sizes[n] for n in nodes]),
                            [_short(graph.nodes[n]["label"]) if n in written else "" for n in nodes])
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, moved)}


def network_figure(graph: nx.Graph, positions: dict[str, tuple[float, float]], *, size_by: str = "degree", color_by: str = "type",
                   ranking: pd.DataFrame | None = None, membership: dict[str, int] | None = None) -> go.Figure:
    """Nodes sized by `size_by` and coloured by community, country or type; edges dashed by type.

    `ranking` is `centrality(graph)` when the caller already has it (it is the
    slow part); `membership` maps nodes to communities (needed to colour by
    community, and then each community's most linked members are labelled).
    Above WEBGL_ABOVE nodes the traces are WebGL (Scattergl), which the browser
    draws in milliseconds where SVG takes seconds.

    Each point's customdata is ``[node]`` or ``[u, v]`` (an edge's midpoint),
    which `element_from_customdata` turns back into a graph element.
    """
    missing = set(graph) - set(positions)
    if missing:
        raise ValueError(f"no position for {len(missing)} node(s), e.g. {sorted(missing)[:3]}")
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {list(COLOR_BY)}, not {color_by!r}")
    ranking = centrality(graph) if ranking is None else ranking
    scatter = go.Scattergl if len(graph) > WEBGL_ABOVE else go.Scatter
    sizes = _sizes(ranking, size_by)
    written = _written_labels(graph, sizes, membership)
    positions = _apart(graph, positions, sizes, written)
    figure = go.Figure(_edge_traces(graph, positions, scatter) + _node_traces(graph, positions, sizes, written, color_by, membership, ranking, scatter))
    axis = dict(showgrid=False, zeroline=False, showticklabels=False, title=None)
    figure.update_layout(
        xaxis=axis,
        yaxis=dict(axis, scaleanchor="x"),
        hovermode="closest",
        clickmode="event+select",
        legend=dict(title=None, orientation="v", x=1.01, xanchor="left", y=1, yanchor="top"),
        margin=dict(l=10, r=10, t=10, b=10),
        height=720,
        plot_bgcolor="#FFFFFF",
    )
    return figure


def connections(graph: nx.Graph, a: str, b: str, *, through: Iterable[str] = NODE_TYPES) -> list[list[str]]:
    """The shortest paths from a to b whose inner nodes are of the types `through`, in order of the labels along them.

    `through=("person",)` answers "which officials link Australia and Japan?".
    At most 1,000 paths are enumerated, which bounds the time on dense graphs.
    """
    if a not in graph or b not in graph or a == b:
        return []
    allowed = set(through)
    view = graph.subgraph([n for n in graph if n in (a, b) or graph.nodes[n]["type"] in allowed])
    try:
        paths = list(islice(nx.all_shortest_paths(view, a, b), 1000))
    except nx.NetworkXNoPath:
        return []
    return sorted(paths, key=lambda path: [graph.nodes[n]["label"] for n in path])


def common_neighbours(graph: nx.Graph, a: str, b: str) -> list[str]:
    """Nodes linked directly to both a and b (a meeting both attended, an official of both), by label."""
    if a not in graph or b not in graph:
        return []
    return sorted(nx.common_neighbors(graph, a, b), key=lambda n: (graph.nodes[n]["label"], n))


def officials_between(graph: nx.Graph, paths: list[list[str]]) -> list[str]:
    """The officials that the paths pass through (not their ends), by label."""
    inner = {n for path in paths for n in path[1:-1] if graph.nodes[n]["type"] == "person"}
    return sorted(inner, key=lambda n: (graph.nodes[n]["label"], n))


def path_evidence(graph: nx.Graph, tables: dict[str, pd.DataFrame], path: list[str]) -> pd.DataFrame:
    """The sentences behind each link of a path, in path order, each row naming its link."""
    parts = [
        evidence_for(graph, tables, tuple(sorted((u, v)))).assign(link=element_label(graph, (u, v)))
        for u, v in zip(path, path[1:])
    ]
    columns = ["link", "title", "published", "sentence", "article_id", "sentence_id"]
    return pd.concat(parts, ignore_index=True)[columns] if parts else pd.DataFrame(columns=columns)


def elements(graph: nx.Graph) -> list[Element]:
    """Every node (by label) then every edge (as a sorted pair): the choices when no chart click is possible."""
    nodes = sorted(graph, key=lambda n: (graph.nodes[n]["label"], n))
    return [*nodes, *sorted(tuple(sorted(e)) for e in graph.edges)]


def element_from_customdata(customdata) -> Element | None:
    """The node or edge (a sorted pair) behind a selected point of `network_figure`; None for anything else."""
    if not isinstance(customdata, (list, tuple)) or not all(isinstance(c, str) for c in customdata):
        return None
    if len(customdata) == 1:
        return customdata[0]
    if len(customdata) == 2:
        return tuple(sorted(customdata))
    return None


def _node_text(graph: nx.Graph, data: dict) -> str:
    """"Jane Doe (official, Australia)": what the node is and where it belongs, without codes."""
    if data["type"] == "country":
        return f"{data['label']} (country)"
    where = f", {_country_name(graph, data['country'])}" if data["country"] else ""
    return f"{data['label']} ({_NODE_NOUN[data['type']]}{where})"


def element_label(graph: nx.Graph, element: Element) -> str:
    """A node's label, type and country, or both ends and the edge type; distinct for distinct elements."""
    if isinstance(element, str):
        return _node_text(graph, graph.nodes[element])
    u, v = element
    return f"{_node_text(graph, graph.nodes[u])} — {EDGE_TYPES[graph.edges[u, v]['relation']]} — {_node_text(graph, graph.nodes[v])}"


def evidence_for(graph: nx.Graph, tables: dict[str, pd.DataFrame], element: Element) -> pd.DataFrame:
    """The sentences a node or edge rests on, with their article's title and date, in reading order.

    A node rests on the sentences naming it and on those behind its links in
    this graph: a country may never be named yet be the one an official speaks for.
    """
    if isinstance(element, str):
        pairs = sorted(set(evidence(graph, element)).union(*(evidence(graph, (element, n)) for n in graph[element])))
    else:
        pairs = evidence(graph, element)
    keys = pd.DataFrame(pairs, columns=["article_id", "sentence_id"]).astype({"article_id": "string", "sentence_id": "Int64"})
    articles = keys["article_id"].unique()  # only their rows are read: the tables hold millions of sentences
    sentences = table_access.rows(tables, "sentences", "article_id", articles)[["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    titles = table_access.rows(tables, "articles", "article_id", articles)[["article_id", "title", "published"]]
    found = keys.merge(sentences, on=["article_id", "sentence_id"], how="inner").merge(titles, on="article_id", how="left")
    return found[["title", "published", "sentence", "article_id", "sentence_id"]].sort_values(["article_id", "sentence_id"], ignore_index=True)


def _flat(value):
    """GraphML and GEXF take only scalars: evidence becomes `article#sentence; ...`, other lists `a; b`."""
    if isinstance(value, list):
        return "; ".join(f"{v[0]}#{v[1]}" if isinstance(v, tuple) else str(v) for v in value)
    return value


def _attributes(graph: nx.Graph, element: Element, data: dict) -> dict:
    """An element's flat attributes with its evidence (read now: the graph holds only how many sentences there are)."""
    found = {k: _flat(v) for k, v in data.items() if v is not None and k != "sentences"}
    return found | {"evidence": _flat(evidence(graph, element))} if "sentences" in graph.graph else found


def _serialisable(graph: nx.Graph) -> nx.Graph:
    """A copy with flat attributes and no missing values (the writers reject None)."""
    flat = nx.Graph()
    for n, data in graph.nodes(data=True):
        flat.add_node(n, **_attributes(graph, n, data))
    for u, v, data in graph.edges(data=True):
        flat.add_edge(u, v, **_attributes(graph, (u, v), data))
    return flat


def to_graphml(graph: nx.Graph) -> bytes:
    """The graph as GraphML for Gephi, yEd or Cytoscape."""
    buffer = io.BytesIO()
    nx.write_graphml(_serialisable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(graph: nx.Graph) -> bytes:
    """The graph as GEXF for Gephi."""
    buffer = io.BytesIO()
    nx.write_gexf(_serialisable(graph), buffer, encoding="utf-8")
    return buffer.getvalue()
