"""Network page: who met whom, who holds which post, who speaks for which country, and the sentences behind each link.

Thin: controls → `dashboard.network` (graph, seeded layout, figure) → render.
A click on the chart only sets the "Sentences behind" selectbox (through the
chart's callback), so the selectbox is the one source of truth and also works
where clicking does not (keyboard, tests).
"""

from functools import partial

import networkx as nx
import pandas as pd
import streamlit as st

from dashboard import blocks, downloads, network, state

PAGE = "network"
KEYS = {name: state.key(PAGE, name) for name in ("node_types", "edge_types", "linked_only", "focus", "steps", "size_by", "color_by", "chart", "element")}
SEED = 7
MAX_LINKS = 25


def _signature(graph: nx.Graph) -> tuple:
    """What the layout and centrality depend on: the nodes and the typed links."""
    return tuple(sorted(graph)), tuple(sorted((*sorted((u, v)), r) for u, v, r in graph.edges(data="relation")))


# Both take seconds on a graph of a thousand nodes; a click on the chart reruns the page with the same graph.
@st.cache_data(max_entries=16, show_spinner="Laying out the network…")
def _layout(signature: tuple, _graph: nx.Graph) -> dict:
    return network.layout(_graph, seed=SEED)


@st.cache_data(max_entries=16, show_spinner="Measuring centrality…")
def _centrality(signature: tuple, _graph: nx.Graph) -> pd.DataFrame:
    return network.centrality(_graph)


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


st.title("Network")
state.linked_notice()
st.caption("People, organisations, countries and meetings, linked as the articles report them. Click a node, or the small ring in the middle of a link, to read the sentences behind it.")

tables = state.filtered_tables()
if tables["articles"].empty:
    st.info(state.NOTHING_MATCHES)
    st.stop()

with st.container(border=True):
    left, middle, right = st.columns([2, 2, 1])
    node_types = left.multiselect("Nodes", network.NODE_TYPES, default=list(network.NODE_TYPES), key=KEYS["node_types"])
    edge_types = middle.multiselect("Links", list(network.EDGE_TYPES), default=list(network.EDGE_TYPES), format_func=network.EDGE_TYPES.get, key=KEYS["edge_types"])
    linked_only = right.checkbox("Hide unlinked nodes", value=True, key=KEYS["linked_only"])
    full = network.build_graph(tables, node_types=node_types, edge_types=edge_types)
    if linked_only:
        full = network.without_isolates(full)
    focus_options = [None, *sorted(full, key=lambda n: full.nodes[n]["label"])]
    if KEYS["focus"] not in st.session_state and state.selection("entity") in full:
        st.session_state[KEYS["focus"]] = state.selection("entity")  # arriving with a linked entity
    _keep_valid(KEYS["focus"], focus_options)
    left, middle, right, last = st.columns([3, 1, 1, 1])
    focus = left.selectbox(
        "Focus on",
        focus_options,
        format_func=lambda n: "the whole network" if n is None else network.element_label(full, n),
        key=KEYS["focus"],
        on_change=_on_focus,
    )
    steps = middle.radio("Steps", (1, 2), horizontal=True, key=KEYS["steps"], disabled=focus is None, help="How far from the focus to show: direct links only, or their links too")
    size_by = right.radio("Size by", network.SIZE_BY, horizontal=True, key=KEYS["size_by"], help="Degree counts links; betweenness measures how often a node sits on the shortest path between two others")
    color_by = last.radio("Colour by", network.COLOR_BY, horizontal=True, key=KEYS["color_by"])

graph = network.focus(full, focus, steps) if focus else full
if len(graph) == 0:
    st.info("No links of the chosen kinds between the chosen nodes. Add node or link types above, show unlinked nodes, or widen the filters.")
    st.stop()

signature = _signature(graph)
ranking = _centrality(signature, graph)
st.plotly_chart(
    network.network_figure(graph, _layout(signature, graph), size_by=size_by, color_by=color_by, ranking=ranking),
    key=KEYS["chart"],
    on_select=_on_chart_select,
    selection_mode="points",
)
st.caption(f"{graph.number_of_nodes()} nodes, {graph.number_of_edges()} links. Symbols: ● person, ■ organisation, ◆ country, ★ meeting.")

options = [None, *network.elements(graph)]
_keep_valid(KEYS["element"], options)
element = st.selectbox(
    "Sentences behind",
    options,
    format_func=lambda e: "choose a node or link" if e is None else network.element_label(graph, e),
    key=KEYS["element"],
)
if element is not None:
    if isinstance(element, str) and element != focus:
        st.button(f"Focus the network on {graph.nodes[element]['label']}", key=state.key(PAGE, "focus_on"), on_click=_focus_on, args=(element,))
    evidence = network.evidence_for(graph, tables, element)
    if evidence.empty:
        st.info("No sentence in the filtered articles supports this one.")
    blocks.evidence_quotes(evidence, limit=MAX_LINKS)
    if len(evidence) > MAX_LINKS:
        st.caption(f"The first {MAX_LINKS} of {len(evidence)} sentences; all are in the table below.")
        st.dataframe(evidence, hide_index=True, key=state.key(PAGE, "evidence"))

with st.expander("Centrality", expanded=False):
    if network.betweenness_is_estimated(graph):
        st.caption(f"Betweenness is estimated from {network.BETWEENNESS_SAMPLES} sampled nodes: the graph has more than "
                   f"{network.EXACT_BETWEENNESS_UP_TO} nodes. Focus on an entity for exact figures.")
    st.dataframe(ranking, hide_index=True, key=state.key(PAGE, "centrality"))

left, middle, right = st.columns(3)
left.download_button("GraphML", partial(network.to_graphml, graph), file_name="quad-network.graphml", mime="application/graphml+xml", key=state.key(PAGE, "graphml"), icon=":material/download:")
middle.download_button("GEXF", partial(network.to_gexf, graph), file_name="quad-network.gexf", mime="application/xml", key=state.key(PAGE, "gexf"), icon=":material/download:")
right.download_button("Centrality CSV", partial(downloads.csv_bytes, ranking), file_name="quad-network-centrality.csv", mime="text/csv", key=state.key(PAGE, "centrality_csv"), icon=":material/download:")
