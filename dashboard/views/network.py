"""Network page: who met whom, who holds which post, who speaks for which country, and the sentences behind each link.

Thin: controls → `dashboard.network` (graph, communities, layout, figure) → render.
Communities, positions and betweenness come from the whole network of the data
version (`network_cache`, on disk), so a filter only picks which nodes to draw and
never recomputes the slow parts; a node the whole network lacks (none should) gets
a layout of the view. Each graph is assembled from the version's nodes and links
(`network.Parts`, also kept on disk) and the ids the filters keep. The chart draws only the view's most linked nodes ("Draw at
most"), since thousands of dots cost the browser seconds and tell an analyst nothing
more; everything else (focus, minimum links, connect tool, table) uses the whole
view. A click on the chart only sets the "Sentences behind"
selectbox (through the chart's callback), so the selectbox is the one source of
truth and also works where clicking does not (keyboard, tests). Every setting is
in the URL (`url_settings`); the focus is the shared entity selection (`?entity=`).
"""

import json
from functools import partial
from pathlib import Path

import networkx as nx
import pandas as pd
import streamlit as st

from dashboard import blocks, data, downloads, network, network_cache, overlaps, state, table_access
from dashboard.url_settings import Setting, bind, flag

PAGE = "network"
KEYS = {name: state.key(PAGE, name) for name in (
    "node_types", "edge_types", "linked_only", "drawn", "focus", "steps", "min_links", "size_by", "color_by", "chart", "element",
    "connect_a", "connect_b", "connect_through",
)}
# How the connect tool may pass between its two ends: label, node types allowed in between.
THROUGH = {"person": ("officials", ("person",)), "any": ("anything", network.NODE_TYPES)}
SEED = 7
MAX_LINKS = 25
MAX_PATHS = 8
RANKED_SHOWN = 1_000  # rows of the "Most linked" table drawn in the browser; its CSV has every node of the view


def _edge_text(element) -> str:
    return "|".join(element) if isinstance(element, tuple) else element


def _edge_value(text: str):
    return tuple(sorted(text.split("|"))) if "|" in text else text


SETTINGS = {
    "node_types": Setting("nodes", list(network.DEFAULT_NODE_TYPES), network.NODE_TYPES, many=True),
    "edge_types": Setting("links", list(network.EDGE_TYPES), tuple(network.EDGE_TYPES), many=True),
    "linked_only": Setting("unlinked_hidden", True, (True, False), cast=flag),
    "drawn": Setting("drawn", network.DEFAULT_DRAWN, network.DRAWN_OPTIONS, cast=int),
    "steps": Setting("steps", 1, tuple(range(1, network.MAX_STEPS + 1)), cast=int),
    "min_links": Setting("min_links", 1, None, cast=int),
    "size_by": Setting("size", "degree", tuple(network.SIZE_BY)),
    "color_by": Setting("colour", "community", tuple(network.COLOR_BY)),
}


def _version(build_id: str) -> Path | None:
    """The folder of this data version, where its caches are kept; None when a newer version landed meanwhile (what
    is computed for this one then stays in memory)."""
    ds = state.dataset()
    return ds.version if ds.build_id == build_id else None


@st.cache_resource(max_entries=8, show_spinner="Finding communities and laying out the network (once per data version)…")
def _overview(folder: str, build_id: str, node_types: tuple[str, ...], edge_types: tuple[str, ...]) -> pd.DataFrame:
    """Communities, positions and centrality of the whole network of this version and these types, from disk when kept
    (the whole graph is assembled only when they are not)."""
    def compute() -> pd.DataFrame:
        everything = network.assemble(_parts(folder, build_id, state.dataset()), node_types=node_types, edge_types=edge_types)
        return network.overview(everything, seed=SEED)

    version = _version(build_id)
    return compute() if version is None else network_cache.cached(network_cache.overview_path(version, node_types, edge_types), compute)


@st.cache_resource(max_entries=2, show_spinner="Reading the network of this data version (once)…")
def _parts(folder: str, build_id: str, _ds: data.Dataset) -> network.Parts:
    """Every node and link of the version with the sentences behind them, read from the whole tables once per version
    (20 s at 100,000 articles) and kept on disk beside it, so that a new server process reads them in a second: each
    filtered graph is assembled from them."""
    compute = partial(network.parts, _ds.tables)
    version = _version(build_id)
    if version is None:
        return compute()
    paths = network_cache.parts_paths(version, network.PARTS_FRAMES)
    return network_cache.cached_frames(paths, build_id, network.Parts.from_frames, compute, network.Parts.frames)


@st.cache_resource(show_spinner=False)
def _graphs() -> network_cache.Budgeted[nx.Graph]:
    """The filtered graphs kept by this server process, shared by its sessions, within `network_cache.GRAPH_BUDGET`."""
    return network_cache.Budgeted(network_cache.GRAPH_BUDGET, network.graph_bytes)


def _filtered_graph(tables: data.Tables, node_types=network.NODE_TYPES, edge_types=tuple(network.EDGE_TYPES),
                    linked_only: bool = False) -> nx.Graph:
    """The graph of the filtered tables with these types, once per data version, filters and types while it stays in
    `_graphs`: the version's parts with what the filters keep (only ids are read); shared between reruns and sessions:
    the page's steps copy it, never change it."""
    ds = state.dataset()
    node_types, edge_types = tuple(sorted(node_types)), tuple(sorted(edge_types))
    key = (str(ds.folder), ds.build_id, json.dumps(state.applied_params(), sort_keys=True), node_types, edge_types, linked_only)

    def assemble() -> nx.Graph:
        kept = network.kept(tables.column) if tables.filtered else None
        return network.assemble(_parts(str(ds.folder), ds.build_id, ds), kept, node_types=node_types, edge_types=edge_types,
                                linked_only=linked_only)

    return _graphs().get(key, assemble)


@st.cache_data(max_entries=16, show_spinner="Laying out the network…")
def _layout(signature: tuple, _graph: nx.Graph) -> dict:
    return network.layout(_graph, seed=SEED)


def _whole(node_types, edge_types) -> pd.DataFrame:
    """The whole network's overview of these types (see `_overview`)."""
    ds = state.dataset()
    return _overview(str(ds.folder), ds.build_id, tuple(sorted(node_types)), tuple(sorted(edge_types)))


def _choices(graph: nx.Graph, node_types, edge_types, keys: dict[str, str]) -> list[str]:
    """The nodes a list offers (`network.choices`, by the whole network's links), keeping what the session, the
    link (`keys`: widget key → URL parameter) or the linked entity already chose."""
    overview = _whole(node_types, edge_types) if len(graph) > network.CHOICES_UP_TO else None
    links = {} if overview is None else dict(zip(overview["node"], overview["degree"]))
    chosen = [value for key, param in keys.items() for value in (st.session_state.get(key), *st.query_params.get_all(param))]
    return network.choices(graph, links, network.CHOICES_UP_TO, keep=[*chosen, state.selection("entity")])


def _choices_note(graph: nx.Graph, what: str) -> None:
    if len(graph) > network.CHOICES_UP_TO:
        st.caption(f"{what} offers {network.CHOICES_UP_TO:,} of the {len(graph):,} entities: officials, organisations and countries, "
                   "then the most linked meetings. Narrow the filters to choose among the others.")


def _signature(graph: nx.Graph) -> tuple:
    return tuple(sorted(graph)), tuple(sorted((*sorted((u, v)), r) for u, v, r in graph.edges(data="relation")))


def _ranking_csv(graph: nx.Graph, ranking: pd.DataFrame, membership: dict[str, int]) -> bytes:
    """Made when the button is clicked: the whole view's ranking (tens of thousands of rows at 100,000 articles)."""
    return downloads.csv_bytes(network.ranking_table(graph, ranking, membership))


def _keep_valid(key: str, options: list) -> None:
    """Forget a remembered choice that the current filters no longer offer (a widget may not hold a missing option)."""
    if key in st.session_state and st.session_state[key] not in options:
        st.session_state[key] = None


def _on_chart_select() -> None:
    points = st.session_state[KEYS["chart"]]["selection"]["points"]
    chosen = [network.element_from_customdata(point.get("customdata")) for point in points]
    chosen = [element for element in chosen if element is not None]
    if chosen:
        st.session_state[KEYS["element"]] = chosen[0]


def _on_focus() -> None:
    state.select("entity", st.session_state[KEYS["focus"]])


def _focus_on(node: str) -> None:
    st.session_state[KEYS["focus"]] = node
    state.select("entity", node)


def _controls(tables: dict[str, pd.DataFrame]) -> tuple[nx.Graph, tuple, tuple, str | None, int, int, str, str, int]:
    for name in ("node_types", "edge_types", "linked_only", "drawn"):
        bind(KEYS[name], SETTINGS[name])
    left, middle, right, last = st.columns([2, 2, 1, 1])
    node_types = left.multiselect("Show", network.NODE_TYPES, format_func=lambda t: network.NODE_NAMES[t].capitalize(), key=KEYS["node_types"])
    edge_types = middle.multiselect("Links", list(network.EDGE_TYPES), format_func=network.EDGE_TYPES.get, key=KEYS["edge_types"])
    linked_only = right.checkbox("Hide unlinked", key=KEYS["linked_only"])
    drawn = last.selectbox("Draw at most", network.DRAWN_OPTIONS, format_func=lambda n: "all" if n == 0 else f"{n:,}", key=KEYS["drawn"],
                           help="The chart draws this many of the most linked; “Around”, “Minimum links”, the connect tool and the table use them all. "
                                f"Up to {overlaps.SPREAD_UP_TO:,} drawn, nodes are moved from where the layout put them so that no name is "
                                "covered and no marker hidden")
    full = _filtered_graph(tables, node_types, edge_types, linked_only)
    focus_options = [None, *_choices(full, node_types, edge_types, {KEYS["focus"]: "entity"})]
    if KEYS["focus"] not in st.session_state and state.selection("entity") in full:
        st.session_state[KEYS["focus"]] = state.selection("entity")  # arriving with a linked entity (?entity=)
    _keep_valid(KEYS["focus"], focus_options)
    for name in ("steps", "min_links", "size_by", "color_by"):
        bind(KEYS[name], SETTINGS[name])
    st.session_state[KEYS["min_links"]] = max(1, min(int(st.session_state[KEYS["min_links"]]), 50))
    columns = st.columns([3, 1.6, 1.1, 1.6, 2.4])
    focus = columns[0].selectbox(
        "Around", focus_options, format_func=lambda n: "the whole network" if n is None else network.element_label(full, n),
        key=KEYS["focus"], on_change=_on_focus, help="Show only one entity and what is within a few links of it",
    )
    steps = columns[1].radio("Steps", tuple(range(1, network.MAX_STEPS + 1)), horizontal=True, key=KEYS["steps"], disabled=focus is None,
                             help="How far from the entity to show: direct links only, or their links too")
    min_links = columns[2].number_input("Minimum links", min_value=1, max_value=50, step=1, key=KEYS["min_links"],
                                        help="Hide entities with fewer links, to see the hubs of a crowded network")
    size_by = columns[3].radio("Size by", list(network.SIZE_BY), format_func=network.SIZE_BY.get, horizontal=True, key=KEYS["size_by"],
                               help="Links: how many entities it is linked to. Bridging role: how often it lies on the shortest way between two others (0 to 1)")
    color_by = columns[4].radio("Colour by", list(network.COLOR_BY), format_func=network.COLOR_BY.get, horizontal=True, key=KEYS["color_by"],
                                help="Communities are groups more linked among themselves than to the rest, found once for the whole network")
    _choices_note(full, "“Around”")
    return full, tuple(sorted(node_types)), tuple(sorted(edge_types)), focus, steps, int(min_links), size_by, color_by, drawn


def _connect(tables: dict[str, pd.DataFrame], node_types: tuple, edge_types: tuple) -> None:
    """"How are A and B connected?": shortest paths and common neighbours over every kind of entity and link.

    The graph of every kind is assembled only once two entities are chosen: the choices need only the entities (and,
    when there are many, the links each has in the network drawn above: `_choices`).
    """
    st.subheader("How are two entities connected?")
    entities = _filtered_graph(tables, edge_types=())
    options = [None, *_choices(entities, node_types, edge_types, {KEYS[k]: k for k in ("connect_a", "connect_b")})]
    for name, param in (("connect_a", "connect_a"), ("connect_b", "connect_b")):
        bind(KEYS[name], Setting(param, None, options))
    bind(KEYS["connect_through"], Setting("connect_through", "person", tuple(THROUGH)))
    left, right, last = st.columns([2, 2, 1])
    label = partial(lambda graph, n: "choose" if n is None else network.element_label(graph, n), entities)
    a = left.selectbox("From", options, format_func=label, key=KEYS["connect_a"])
    b = right.selectbox("To", options, format_func=label, key=KEYS["connect_b"])
    through = last.radio("Through", list(THROUGH), format_func=lambda t: THROUGH[t][0], key=KEYS["connect_through"],
                         help="Only officials in between (who speaks for whom, who met whom), or any entity, meetings included")
    _choices_note(entities, "Each list")
    if a is None or b is None or a == b:
        st.caption("Choose two entities, for example two countries, to see the officials, meetings and organisations that link them.")
        return
    everything = _filtered_graph(tables)
    paths = network.connections(everything, a, b, through=THROUGH[through][1])
    if not paths:
        st.info("These two are not connected in the filtered articles.")
        return
    common = network.common_neighbours(everything, a, b)
    if common:
        st.markdown("**Linked to both:**")
        st.text("; ".join(everything.nodes[n]["label"] for n in common))
    officials = network.officials_between(everything, paths)
    if officials:
        st.markdown("**Officials who link them:**")
        st.text("; ".join(network.element_label(everything, n) for n in officials))
    shown = f"the first {MAX_PATHS} of {len(paths)}" if len(paths) > MAX_PATHS else str(len(paths))
    steps = len(paths[0]) - 1
    st.markdown(f"**Shortest {'path' if len(paths) == 1 else 'paths'}**: {shown}, {steps} {'link' if steps == 1 else 'links'} {'long' if len(paths) == 1 else 'each'}")
    for path in paths[:MAX_PATHS]:
        with st.expander(" → ".join(everything.nodes[n]["label"] for n in path)):
            evidence = network.path_evidence(everything, tables, path)
            for link, rows in evidence.groupby("link", sort=False):
                st.caption(link)
                blocks.evidence_quotes(rows, limit=3)


def main() -> None:
    st.title("Network")
    state.linked_notice()
    st.caption("Officials, organisations, countries and meetings, linked as the articles report them. Click a node, or the small ring in the middle of a link, to read the sentences behind it.")
    tables = state.filtered_tables()
    if table_access.count(tables, "articles") == 0:  # counted, not read: the articles carry every text (3 s at 100,000)
        st.info(state.NOTHING_MATCHES)
        return
    refused = network.not_drawn(state.dataset().manifest.get("row_counts", {}))
    if refused:
        st.info(refused)
        return
    with st.container(border=True):
        full, node_types, edge_types, focus, steps, min_links, size_by, color_by, limit = _controls(tables)
    graph = network.focus(full, focus, steps) if focus else full
    if min_links > 1:
        graph = network.at_least_links(graph, min_links)
    if len(graph) == 0:
        st.info("Nothing to draw: no links of the chosen kinds between the chosen nodes, or none with that many links. "
                "Show more kinds above, lower “Minimum links”, or widen the filters.")
        return
    overview = _whole(node_types, edge_types)
    ranking = network.view_ranking(graph, overview)
    drawn = network.most_linked(graph, ranking, limit)
    positions = {n: (x, y) for n, x, y in overview[["node", "x", "y"]].itertuples(index=False) if n in drawn}
    if len(positions) < len(drawn):
        positions = _layout(_signature(drawn), drawn)
    membership = dict(zip(overview["node"], overview["community"]))
    st.plotly_chart(
        network.network_figure(drawn, positions, size_by=size_by, color_by=color_by, ranking=ranking, membership=membership),
        key=KEYS["chart"], on_select=_on_chart_select, selection_mode="points", config={"displaylogo": False},
    )
    communities = len(set(membership.get(n) for n in graph))
    st.caption(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links, {communities} {'community' if communities == 1 else 'communities'}. "
               "Symbols: ● official, ■ organisation, ◆ country, ★ meeting. The most linked members of each community are named.")
    if drawn is not graph:
        st.caption(f"Drawn: the {len(drawn):,} most linked of the {len(graph):,} nodes and the {drawn.number_of_edges():,} links among them "
                   "(“Draw at most” above). “Around”, “Minimum links”, the connect tool and the table below use every node.")

    options = [None, *network.elements(drawn)]
    _keep_valid(KEYS["element"], options)
    element = st.selectbox("Sentences behind", options, format_func=lambda e: "choose a node or link" if e is None else network.element_label(graph, e),
                           key=KEYS["element"])
    if element is not None:
        if isinstance(element, str) and element != focus:
            st.button(f"Show only what is around {graph.nodes[element]['label']}", key=state.key(PAGE, "focus_on"), on_click=_focus_on, args=(element,))
        evidence = network.evidence_for(graph, tables, element)
        if evidence.empty:
            st.info("No sentence in the filtered articles supports this one.")
        blocks.evidence_quotes(evidence, limit=MAX_LINKS)
        if len(evidence) > MAX_LINKS:
            st.caption(f"The first {MAX_LINKS} of {len(evidence)} sentences.")

    with st.container(border=True):
        _connect(tables, node_types, edge_types)

    with st.expander("Most linked", expanded=False):
        if len(overview) > network.EXACT_BETWEENNESS_UP_TO:  # the bridging role is the whole network's (`view_ranking`)
            st.caption(f"The bridging role is estimated from a seeded sample of {network.BETWEENNESS_MIN_SAMPLES} to "
                       f"{network.BETWEENNESS_SAMPLES} entities, fewer the larger the network: it has more than {network.EXACT_BETWEENNESS_UP_TO}.")
        if len(ranking) > RANKED_SHOWN:
            st.caption(f"The {RANKED_SHOWN:,} most linked of {len(ranking):,}; “This view (CSV)” below has them all.")
        st.dataframe(network.ranking_table(graph, ranking.head(RANKED_SHOWN), membership), hide_index=True, key=state.key(PAGE, "centrality"))
    left, middle, right = st.columns(3)
    left.download_button("This view (CSV)", partial(_ranking_csv, graph, ranking, membership), file_name="quad-network.csv", mime="text/csv", key=state.key(PAGE, "centrality_csv"), icon=":material/download:")
    middle.download_button("GraphML", partial(network.to_graphml, graph), file_name="quad-network.graphml", mime="application/graphml+xml", key=state.key(PAGE, "graphml"), icon=":material/download:")
    right.download_button("GEXF", partial(network.to_gexf, graph), file_name="quad-network.gexf", mime="application/xml", key=state.key(PAGE, "gexf"), icon=":material/download:")


main()
