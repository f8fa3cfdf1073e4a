"""The network of who met whom, who holds which post and who speaks for which country.

Three pure steps, so each can be tested on a small hand-built graph and the page
only wires widgets to them: `build_graph` (tables → graph), `layout` (graph →
seeded positions, so the picture does not jump on every rerun) and
`network_figure` (graph + positions → plotly figure). `build_graph` is `parts`
(tables → nodes and links with what keeps each) then `assemble`, so the page reads
a data version's parts once and assembles the graph of any filters from the ids
they keep, the same graph as built from the filtered tables. Every node and edge
carries `evidence`, the (article_id, sentence_id) pairs it rests on, because an
analyst trusts a link only when they can read the sentence behind it;
`evidence_for` turns those pairs back into sentences. Nothing here imports
streamlit or mutates its inputs.
"""

from __future__ import annotations

import html
import io
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations, islice
from typing import Callable, Iterable, Union

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import colors
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
    "Parts",
    "parts",
    "Kept",
    "kept",
    "assemble",
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


def _grouped_pairs(frame: pd.DataFrame, keys: list[str]) -> dict:
    """Sorted distinct (article_id, sentence_id) pairs per key (a value, or a tuple for several keys).

    One pass over plain values: a pandas group-by per entity costs seconds on a
    thousand articles, and the page builds the graph for every new filter.
    """
    found: dict = defaultdict(set)
    rows = frame[[*keys, "article_id", "sentence_id"]].dropna()
    # Plain Python values column by column: iterating Arrow-backed columns row by row doubled the build at 10,000 articles.
    columns = [rows[k].to_numpy(dtype=object) for k in keys]
    key_values = columns[0] if len(keys) == 1 else zip(*columns)
    pairs = zip(rows["article_id"].astype(str).to_numpy(dtype=object), rows["sentence_id"].astype("int64").tolist())
    for key, pair in zip(key_values, pairs):
        found[key].add(pair)
    return {key: sorted(found_pairs) for key, found_pairs in found.items()}


def _node_evidence(tables: dict[str, pd.DataFrame], node_type: str) -> dict[str, Evidence]:
    """Sentences naming each entity (meetings: the sentences reporting them)."""
    if node_type == "meeting":
        return _grouped_pairs(tables["meeting_sources"], ["meeting_id"])
    mentions = tables["mentions"]
    return _grouped_pairs(mentions[mentions["entity_type"] == node_type], ["entity_id"])


@dataclass(frozen=True)
class _Node:
    id: str
    type: str
    label: str
    country: str | None
    entity_id: str
    evidence: Evidence  # a meeting's: kept with the meeting; any other's: each pair kept with its article


@dataclass(frozen=True)
class _Link:
    """A link and the sentences it may rest on, each kept by what the filters keep of the table it came from:
    `by_article` from article rows (mentions, roles), `by_meeting` from meeting rows (participants). A link with
    no sentence left goes, unless it has a `fallback` (an organisation's country: the sentences naming it)."""

    u: str
    v: str
    relation: str
    by_article: Evidence = ()
    by_meeting: dict[str, Evidence] = field(default_factory=dict)
    fallback: Evidence | None = None


@dataclass(frozen=True)
class Parts:
    """What `assemble` makes a graph of: the nodes, and the links in the order they are added."""

    country_names: dict[str, str]
    nodes: list[_Node]
    links: list[_Link]


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


def _nodes(tables: dict[str, pd.DataFrame], node_types: set[str]) -> list[_Node]:
    nodes = []
    for node_type in NODE_TYPES:
        if node_type not in node_types:
            continue
        table, id_column, _, country_column = _ENTITY_TABLES[node_type]
        evidence = _node_evidence(tables, node_type)
        rows = tables[table].sort_values(id_column)
        nodes += [
            _Node(node_id(node_type, entity), node_type, label, None if pd.isna(country) else str(country), str(entity), evidence.get(entity, []))
            for entity, label, country in zip(rows[id_column], _labels(rows, node_type), rows[country_column])
        ]
    return nodes


def _attendee(person, org, country) -> str | None:
    """Who a participants row says took part: the person, else the organisation, else only the country."""
    for node_type, entity in (("person", person), ("organization", org), ("country", country)):
        if pd.notna(entity):
            return node_id(node_type, entity)
    return None


def _attended(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], dict]:
    rows = tables["participants"]
    attendees = [_attendee(*row) for row in rows[["person_id", "org_id", "country"]].itertuples(index=False)]
    rows = rows.assign(attendee=pd.Series(attendees, index=rows.index, dtype="object"))
    return {(a, node_id("meeting", m)): dict(by_meeting={m: pairs}) for (a, m), pairs in _grouped_pairs(rows, ["attendee", "meeting_id"]).items()}


def _holds_role(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], dict]:
    return {
        (node_id("person", p), node_id("organization", o)): dict(by_article=pairs)
        for (p, o), pairs in _grouped_pairs(tables["roles"], ["person_id", "org_id"]).items()
    }


def _posts(tables: dict[str, pd.DataFrame], holder: str) -> dict[tuple[str, str], dict]:
    """(holder, country) → the sentences of reported posts (by article) and of meeting seats (by meeting)."""
    found: dict[tuple[str, str], dict] = defaultdict(lambda: dict(by_article=[], by_meeting={}))
    for key, pairs in _grouped_pairs(tables["roles"], [holder, "country"]).items():
        found[key]["by_article"] = pairs
    for (meeting, *key), pairs in _grouped_pairs(tables["participants"], ["meeting_id", holder, "country"]).items():
        found[tuple(key)]["by_meeting"][meeting] = pairs
    return found


def _represents(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], dict]:
    """A person speaks for the country of a reported post or of a meeting seat; an organisation for its own country.

    An organisation's country comes from the knowledge base rather than a
    sentence, so its evidence is the sentences pairing it with that country
    (roles, seats) or, failing those, the sentences that name it.
    """
    found = {(node_id("person", p), node_id("country", c)): sources for (p, c), sources in _posts(tables, "person_id").items()}
    seats = _posts(tables, "org_id")
    named = _node_evidence(tables, "organization")
    for org, country in tables["organizations"].dropna(subset=["country"])[["org_id", "country"]].itertuples(index=False):
        found[(node_id("organization", org), node_id("country", country))] = dict(seats.get((org, country), {}), fallback=named.get(org, []))
    return found


def _co_attended(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], dict]:
    """Pairs of people at the same meeting, with both people's participation sentences per meeting shared."""
    seen = _grouped_pairs(tables["participants"], ["meeting_id", "person_id"])
    attendees: dict[str, list[str]] = defaultdict(list)
    for meeting, person in sorted(seen):
        attendees[meeting].append(person)
    found: dict[tuple[str, str], dict] = {}
    for meeting, people in attendees.items():
        for a, b in combinations(people, 2):
            shared = found.setdefault((node_id("person", a), node_id("person", b)), dict(by_meeting={}))
            shared["by_meeting"][meeting] = sorted(set(seen[(meeting, a)]).union(seen[(meeting, b)]))
    return found


def _types(node_types: Iterable[str], edge_types: Iterable[str]) -> tuple[set[str], set[str]]:
    node_types, edge_types = set(node_types), set(edge_types)
    unknown = (node_types - set(NODE_TYPES)) | (edge_types - set(EDGE_TYPES))
    if unknown:
        raise ValueError(f"unknown node or edge type(s): {sorted(unknown)}")
    return node_types, edge_types


def parts(tables: dict[str, pd.DataFrame], *, node_types: Iterable[str] = NODE_TYPES, edge_types: Iterable[str] = tuple(EDGE_TYPES)) -> Parts:
    """The nodes and links of these tables, limited to the types asked for, with what each rests on: `assemble` makes
    the graph, of all of it or of what filters keep. Built once for a data version's whole tables, it gives every
    filtered graph without reading the filtered tables again (seconds at thousands of articles)."""
    node_types, edge_types = _types(node_types, edge_types)
    sources = {"attended": _attended, "holds_role": _holds_role, "represents": _represents, "co_attended": _co_attended}
    links = [
        _Link(u, v, edge_type, **found)
        for edge_type in EDGE_TYPES if edge_type in edge_types
        for (u, v), found in sorted(sources[edge_type](tables).items())
    ]
    return Parts(dict(zip(tables["countries"]["country"], tables["countries"]["name"])), _nodes(tables, node_types), links)


def assemble(parts: Parts, kept: Kept | None = None, *, node_types: Iterable[str] = NODE_TYPES,
             edge_types: Iterable[str] = tuple(EDGE_TYPES)) -> nx.Graph:
    """The graph of `parts`, or of what the filters keep of them, with only these node and edge types: the same graph,
    in the same order, as `build_graph` makes of the filtered tables with those types (a sentence stays when its
    article, or its meeting, is kept; the tests check this). Attribute values may be shared with `parts`: neither
    may be changed."""
    node_types, edge_types = _types(node_types, edge_types)

    def by_article(pairs: Evidence) -> Evidence:
        return list(pairs) if kept is None else [pair for pair in pairs if pair[0] in kept.articles]

    names = parts.country_names if kept is None else {c: n for c, n in parts.country_names.items() if c in kept.ids["country"]}
    graph = nx.Graph(country_names=names)
    graph.add_nodes_from(
        (node.id, dict(type=node.type, label=node.label, country=node.country, entity_id=node.entity_id,
                       evidence=node.evidence if node.type == "meeting" else by_article(node.evidence)))
        for node in parts.nodes if node.type in node_types and (kept is None or node.entity_id in kept.ids[node.type])
    )
    for link in parts.links:
        if link.relation not in edge_types or link.u not in graph or link.v not in graph:
            continue
        meetings = [m for m in link.by_meeting if kept is None or m in kept.ids["meeting"]]
        evidence = sorted(set(by_article(link.by_article)).union(*(link.by_meeting[m] for m in meetings)))
        if not evidence and link.fallback is None:
            continue
        evidence = evidence or by_article(link.fallback)
        if link.relation == "co_attended":
            graph.add_edge(link.u, link.v, relation=link.relation, evidence=evidence, meetings=sorted(node_id("meeting", m) for m in meetings), weight=len(meetings))
        else:
            graph.add_edge(link.u, link.v, relation=link.relation, evidence=evidence, weight=len(evidence))
    return graph


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
    """A copy without unlinked nodes, which only crowd the picture."""
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
                hovertext=[f"{html.escape(graph.nodes[u]['label'])} — {name} — {html.escape(graph.nodes[v]['label'])}<br>{len(graph.edges[u, v]['evidence'])} sentence(s)" for u, v in edges],
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


def _node_traces(graph: nx.Graph, positions: dict, sizes: dict, color_by: str, membership: dict[str, int] | None,
                 ranking: pd.DataFrame, scatter) -> list:
    """One trace per colour group, so the legend explains the colours; the symbol always shows the type."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {list(COLOR_BY)}, not {color_by!r}")
    written = _written_labels(graph, sizes, membership)
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
    ranking = centrality(graph) if ranking is None else ranking
    scatter = go.Scattergl if len(graph) > WEBGL_ABOVE else go.Scatter
    figure = go.Figure(_edge_traces(graph, positions, scatter) + _node_traces(graph, positions, _sizes(ranking, size_by), color_by, membership, ranking, scatter))
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
        evidence = sorted(set(graph.nodes[element]["evidence"]).union(*(graph.edges[element, n]["evidence"] for n in graph[element])))
    else:
        evidence = graph.edges[element]["evidence"]
    keys = pd.DataFrame(evidence, columns=["article_id", "sentence_id"]).astype({"article_id": "string", "sentence_id": "Int64"})
    sentences = tables["sentences"][["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"})
    titles = tables["articles"][["article_id", "title", "published"]]
    found = keys.merge(sentences, on=["article_id", "sentence_id"], how="inner").merge(titles, on="article_id", how="left")
    return found[["title", "published", "sentence", "article_id", "sentence_id"]].sort_values(["article_id", "sentence_id"], ignore_index=True)


def _flat(value):
    """GraphML and GEXF take only scalars: evidence becomes `article#sentence; ...`, other lists `a; b`."""
    if isinstance(value, list):
        return "; ".join(f"{v[0]}#{v[1]}" if isinstance(v, tuple) else str(v) for v in value)
    return value


def _serialisable(graph: nx.Graph) -> nx.Graph:
    """A copy with flat attributes and no missing values (the writers reject None)."""
    flat = nx.Graph()
    for n, data in graph.nodes(data=True):
        flat.add_node(n, **{k: _flat(v) for k, v in data.items() if v is not None})
    for u, v, data in graph.edges(data=True):
        flat.add_edge(u, v, **{k: _flat(value) for k, value in data.items() if value is not None})
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
