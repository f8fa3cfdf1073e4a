"""The network of who met whom, who holds which post and who speaks for which country.

Three pure steps, so each can be tested on a small hand-built graph and the page
only wires widgets to them: `build_graph` (tables → graph), `layout` (graph →
seeded positions, so the picture does not jump on every rerun) and
`network_figure` (graph + positions → plotly figure). Every node and edge
carries `evidence`, the (article_id, sentence_id) pairs it rests on, because an
analyst trusts a link only when they can read the sentence behind it;
`evidence_for` turns those pairs back into sentences. Nothing here imports
streamlit or mutates its inputs.
"""

from __future__ import annotations

import io
from collections import defaultdict
from itertools import combinations
from typing import Iterable, Union

import networkx as nx
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
    "without_isolates",
    "focus",
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
SIZE_BY = ("degree", "betweenness")
COLOR_BY = ("type", "country")

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
EXACT_BETWEENNESS_UP_TO, BETWEENNESS_SAMPLES = 500, 200
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
        meeting: ", ".join(part for part in (name, date_label(start, end, precision), city) if part)
        for meeting, (name, start, end, precision, city) in zip(meetings["meeting_id"], rows.itertuples(index=False))
    }


def _labels(frame: pd.DataFrame, node_type: str) -> list[str]:
    if node_type == "meeting":
        return list(meeting_labels(frame).values())
    return [str(v) for v in frame[_ENTITY_TABLES[node_type][2]]]


def _grouped_pairs(frame: pd.DataFrame, keys: list[str]) -> dict:
    """Sorted distinct (article_id, sentence_id) pairs per key (a value, or a tuple for several keys).

    One pass over plain tuples: a pandas group-by per entity costs seconds on a
    thousand articles, and the page builds the graph on every rerun.
    """
    found: dict = defaultdict(set)
    rows = frame[[*keys, "article_id", "sentence_id"]].dropna()
    for *key, article, sentence in rows.itertuples(index=False, name=None):
        found[key[0] if len(key) == 1 else tuple(key)].add((str(article), int(sentence)))
    return {key: sorted(pairs) for key, pairs in found.items()}


def _node_evidence(tables: dict[str, pd.DataFrame], node_type: str) -> dict[str, Evidence]:
    """Sentences naming each entity (meetings: the sentences reporting them)."""
    if node_type == "meeting":
        return _grouped_pairs(tables["meeting_sources"], ["meeting_id"])
    mentions = tables["mentions"]
    return _grouped_pairs(mentions[mentions["entity_type"] == node_type], ["entity_id"])


def _add_nodes(graph: nx.Graph, tables: dict[str, pd.DataFrame], node_types: Iterable[str]) -> None:
    for node_type in NODE_TYPES:
        if node_type not in node_types:
            continue
        table, id_column, _, country_column = _ENTITY_TABLES[node_type]
        evidence = _node_evidence(tables, node_type)
        rows = tables[table].sort_values(id_column)
        for entity, label, country in zip(rows[id_column], _labels(rows, node_type), rows[country_column]):
            graph.add_node(
                node_id(node_type, entity),
                type=node_type,
                label=label,
                country=None if pd.isna(country) else str(country),
                entity_id=str(entity),
                evidence=evidence.get(entity, []),
            )


def _attendee(person, org, country) -> str | None:
    """Who a participants row says took part: the person, else the organisation, else only the country."""
    for node_type, entity in (("person", person), ("organization", org), ("country", country)):
        if pd.notna(entity):
            return node_id(node_type, entity)
    return None


def _attended(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], Evidence]:
    rows = tables["participants"]
    attendees = [_attendee(*row) for row in rows[["person_id", "org_id", "country"]].itertuples(index=False)]
    rows = rows.assign(attendee=pd.Series(attendees, index=rows.index, dtype="object"))
    return {(a, node_id("meeting", m)): pairs for (a, m), pairs in _grouped_pairs(rows, ["attendee", "meeting_id"]).items()}


def _holds_role(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], Evidence]:
    return {
        (node_id("person", p), node_id("organization", o)): pairs
        for (p, o), pairs in _grouped_pairs(tables["roles"], ["person_id", "org_id"]).items()
    }


def _represents(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], Evidence]:
    """A person speaks for the country of a reported post or of a meeting seat; an organisation for its own country.

    An organisation's country comes from the knowledge base rather than a
    sentence, so its evidence is the sentences pairing it with that country
    (roles, seats) or, failing those, the sentences that name it.
    """
    columns = ["person_id", "org_id", "country", "article_id", "sentence_id"]
    posts = pd.concat([tables["roles"][columns], tables["participants"][columns]], ignore_index=True)
    found = {
        (node_id("person", p), node_id("country", c)): pairs
        for (p, c), pairs in _grouped_pairs(posts, ["person_id", "country"]).items()
    }
    seats = _grouped_pairs(posts, ["org_id", "country"])
    named = _node_evidence(tables, "organization")
    for org, country in tables["organizations"].dropna(subset=["country"])[["org_id", "country"]].itertuples(index=False):
        found[(node_id("organization", org), node_id("country", country))] = seats.get((org, country)) or named.get(org, [])
    return found


def _co_attended(tables: dict[str, pd.DataFrame]) -> dict[tuple[str, str], tuple[Evidence, list[str]]]:
    """Pairs of people at the same meeting, with both people's participation sentences and the meetings shared."""
    seen = _grouped_pairs(tables["participants"], ["meeting_id", "person_id"])
    attendees: dict[str, list[str]] = defaultdict(list)
    for meeting, person in sorted(seen):
        attendees[meeting].append(person)
    found: dict[tuple[str, str], tuple[set, set]] = {}
    for meeting, people in attendees.items():
        for a, b in combinations(people, 2):
            evidence, meetings = found.setdefault((node_id("person", a), node_id("person", b)), (set(), set()))
            evidence.update(seen[(meeting, a)], seen[(meeting, b)])
            meetings.add(node_id("meeting", meeting))
    return {pair: (sorted(evidence), sorted(meetings)) for pair, (evidence, meetings) in found.items()}


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
    node_types, edge_types = set(node_types), set(edge_types)
    unknown = (node_types - set(NODE_TYPES)) | (edge_types - set(EDGE_TYPES))
    if unknown:
        raise ValueError(f"unknown node or edge type(s): {sorted(unknown)}")
    graph = nx.Graph()
    _add_nodes(graph, tables, node_types)
    plain = {"attended": _attended, "holds_role": _holds_role, "represents": _represents}
    for edge_type in EDGE_TYPES:
        if edge_type not in edge_types:
            continue
        if edge_type == "co_attended":
            edges = {pair: dict(evidence=ev, meetings=ms, weight=len(ms)) for pair, (ev, ms) in _co_attended(tables).items()}
        else:
            edges = {pair: dict(evidence=ev, weight=len(ev)) for pair, ev in plain[edge_type](tables).items()}
        for (u, v), attributes in sorted(edges.items()):
            if u in graph and v in graph:
                graph.add_edge(u, v, relation=edge_type, **attributes)
    return graph


def without_isolates(graph: nx.Graph) -> nx.Graph:
    """A copy without unlinked nodes, which only crowd the picture."""
    return graph.subgraph([n for n in graph if graph.degree(n) > 0]).copy()


def focus(graph: nx.Graph, node: str, steps: int = 1) -> nx.Graph:
    """A new graph of the node and everything within `steps` (1 or 2) edges of it."""
    if node not in graph:
        raise KeyError(f"{node} is not in the graph")
    if steps not in (1, 2):
        raise ValueError(f"steps must be 1 or 2, not {steps}")
    return nx.ego_graph(graph, node, radius=steps).copy()


def betweenness_is_estimated(graph: nx.Graph) -> bool:
    return len(graph) > EXACT_BETWEENNESS_UP_TO


def centrality(graph: nx.Graph) -> pd.DataFrame:
    """Degree (number of links) and normalised betweenness of every node, most linked first.

    Exact betweenness costs nodes × links, many seconds beyond a few hundred
    nodes; larger graphs get networkx's estimate from a fixed, seeded sample of
    source nodes, so the same graph always gets the same figures.
    """
    if not len(graph):
        betweenness = {}
    elif betweenness_is_estimated(graph):
        betweenness = nx.betweenness_centrality(graph, k=BETWEENNESS_SAMPLES, seed=0)
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


def layout(graph: nx.Graph, *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Seeded spring positions; the graph is first rebuilt in sorted order, so equal graphs get equal positions."""
    ordered = nx.Graph()
    ordered.add_nodes_from(sorted(graph))
    ordered.add_edges_from(sorted(tuple(sorted(e)) for e in graph.edges))
    positions = nx.spring_layout(ordered, seed=seed) if len(ordered) else {}
    return {n: (float(x), float(y)) for n, (x, y) in positions.items()}


def _sizes(ranking: pd.DataFrame, size_by: str) -> dict[str, float]:
    """Marker sizes spread linearly between the smallest and largest score."""
    if size_by not in SIZE_BY:
        raise ValueError(f"size_by must be one of {SIZE_BY}, not {size_by!r}")
    scores = ranking.set_index("node")[size_by].to_dict()
    low, high = min(scores.values(), default=0), max(scores.values(), default=0)
    span = high - low
    return {n: _MIN_SIZE + (_MAX_SIZE - _MIN_SIZE) * ((s - low) / span if span else 0.5) for n, s in scores.items()}


def _hover(data: dict) -> str:
    return f"<b>{data['label']}</b><br>{data['type']}<br>country: {data['country'] or 'unknown'}"


def _edge_traces(graph: nx.Graph, positions: dict) -> list[go.Scatter]:
    """Per edge type: its lines, and a point at each midpoint that can be hovered and selected."""
    traces = []
    for edge_type, name in EDGE_TYPES.items():
        edges = sorted(tuple(sorted((u, v))) for u, v, r in graph.edges(data="relation") if r == edge_type)
        if not edges:
            continue
        dash, colour = _EDGE_STYLE[edge_type]
        xs, ys = [], []
        for u, v in edges:
            xs += [positions[u][0], positions[v][0], None]
            ys += [positions[u][1], positions[v][1], None]
        traces.append(go.Scatter(x=xs, y=ys, mode="lines", name=name, legendgroup=edge_type, line=dict(dash=dash, color=colour, width=1.5), hoverinfo="skip"))
        traces.append(
            go.Scatter(
                x=[(positions[u][0] + positions[v][0]) / 2 for u, v in edges],
                y=[(positions[u][1] + positions[v][1]) / 2 for u, v in edges],
                mode="markers",
                name=name,
                legendgroup=edge_type,
                showlegend=False,
                marker=dict(size=7, color=colour, opacity=0.35, symbol="circle-open"),
                customdata=[[u, v] for u, v in edges],
                hovertext=[f"{graph.nodes[u]['label']} — {name} — {graph.nodes[v]['label']}<br>{len(graph.edges[u, v]['evidence'])} sentence(s)" for u, v in edges],
                hoverinfo="text",
            )
        )
    return traces


def _written_labels(graph: nx.Graph, sizes: dict) -> dict[str, str]:
    """Short labels for the LABELLED largest nodes (ties by label); every other node is named on hover only."""
    largest = sorted(graph, key=lambda n: (-sizes[n], graph.nodes[n]["label"], n))[:LABELLED]
    short = {n: graph.nodes[n]["label"] for n in largest}
    return {n: text if len(text) <= _LABEL_WIDTH else text[: _LABEL_WIDTH - 1] + "…" for n, text in short.items()}


def _node_traces(graph: nx.Graph, positions: dict, sizes: dict, color_by: str) -> list[go.Scatter]:
    """One trace per colour group, so the legend explains the colours; the symbol always shows the type."""
    if color_by not in COLOR_BY:
        raise ValueError(f"color_by must be one of {COLOR_BY}, not {color_by!r}")
    written = _written_labels(graph, sizes)
    groups: dict[str, list[str]] = defaultdict(list)
    for n, data in sorted(graph.nodes(data=True)):
        groups[data[color_by] or "unknown"].append(n)
    traces = []
    for group, nodes in sorted(groups.items()):
        colour = colors.type_color(group) if color_by == "type" else colors.country_color(None if group == "unknown" else group)
        traces.append(
            go.Scatter(
                x=[positions[n][0] for n in nodes],
                y=[positions[n][1] for n in nodes],
                mode="markers+text",
                name=group,
                text=[written.get(n, "") for n in nodes],
                textposition="top center",
                textfont=dict(size=10),
                marker=dict(
                    size=[sizes[n] for n in nodes],
                    color=colour,
                    symbol=[_SYMBOLS[graph.nodes[n]["type"]] for n in nodes],
                    line=dict(width=1, color="#ffffff"),
                ),
                customdata=[[n] for n in nodes],
                hovertext=[_hover(graph.nodes[n]) for n in nodes],
                hoverinfo="text",
            )
        )
    return traces


def network_figure(graph: nx.Graph, positions: dict[str, tuple[float, float]], *, size_by: str = "degree", color_by: str = "type",
                   ranking: pd.DataFrame | None = None) -> go.Figure:
    """Nodes sized by `size_by` and coloured by type or country; edges dashed by type.

    `ranking` is `centrality(graph)` when the caller already has it (it is the slow part).

    Each point's customdata is ``[node]`` or ``[u, v]`` (an edge's midpoint),
    which `element_from_customdata` turns back into a graph element.
    """
    missing = set(graph) - set(positions)
    if missing:
        raise ValueError(f"no position for {len(missing)} node(s), e.g. {sorted(missing)[:3]}")
    figure = go.Figure(_edge_traces(graph, positions) + _node_traces(graph, positions, _sizes(centrality(graph) if ranking is None else ranking, size_by), color_by))
    axis = dict(showgrid=False, zeroline=False, showticklabels=False, title=None)
    figure.update_layout(
        xaxis=axis,
        yaxis=axis,
        hovermode="closest",
        clickmode="event+select",
        legend=dict(title=None, orientation="h", yanchor="bottom", y=1.02),
        margin=dict(l=10, r=10, t=40, b=10),
        height=640,
    )
    return figure


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


def _node_text(data: dict) -> str:
    return " · ".join(part for part in (data["label"], data["type"], data["country"]) if part)


def element_label(graph: nx.Graph, element: Element) -> str:
    """A node's label, type and country, or both ends and the edge type; distinct for distinct elements."""
    if isinstance(element, str):
        return _node_text(graph.nodes[element])
    u, v = element
    return f"{_node_text(graph.nodes[u])} — {EDGE_TYPES[graph.edges[u, v]['relation']]} — {_node_text(graph.nodes[v])}"


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
