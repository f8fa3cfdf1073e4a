"""The network page's pure steps on a small, hand-built set of tables whose graph can be drawn on paper.

Two meetings: a Canberra one attended by three officials and, with no official
named, the United States; a Tokyo one attended by two of them and, with no
country named, the Quad as a forum.
"""

import datetime as dt
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from dashboard import colors, network, state
from dashboard.filters import Filters
from dashboard_fixtures import build_tables, queried
from data_pipeline import schema

ANN, RAJ, KENJI = "person:per-ann-lee", "person:per-raj-mehta", "person:per-kenji-sato"
HOME, NSCS, QUAD = "organization:org-aus-home-affairs", "organization:org-ind-nscs", "organization:quad"
M1, M2 = "meeting:mtg-2024-05-01-canberra", "meeting:mtg-2025-03-10-tokyo"


def make_tables(**frames: list[dict]) -> dict[str, pd.DataFrame]:
    """Every table of the contract: these rows where given, empty elsewhere; meetings held unless a row says not."""
    frames["meetings"] = [{"status": "held", **row} for row in frames.get("meetings", [])]
    return {name: schema.conform(name, pd.DataFrame(frames.get(name, []), columns=t.column_names)) for name, t in schema.TABLES.items()}


def sentence_rows(article_id: str, texts: list[str]) -> list[dict]:
    rows, start = [], 0
    for i, text in enumerate(texts):
        rows.append(dict(article_id=article_id, sentence_id=i, start=start, end=start + len(text), text=text))
        start += len(text) + 1
    return rows


def mention(article_id, sentence_id, entity_type, entity_id, surface="x"):
    return dict(article_id=article_id, sentence_id=sentence_id, start=sentence_id * 100, end=sentence_id * 100 + 1, surface=surface, entity_type=entity_type, entity_id=entity_id)


def seat(meeting, person, org, country, article_id, sentence_id):
    return dict(meeting_id=meeting, person_id=person, org_id=org, country=country, article_id=article_id, sentence_id=sentence_id)


A_TEXTS = ["Secretary Ann Lee of Home Affairs opened the talks.", "She met Raj Mehta of the NSCS in Canberra.", "Kenji Sato and a US delegation joined.", "Mehta heads cyber policy at the NSCS."]
B_TEXTS = ["Lee and Sato met again in Tokyo.", "The Quad partners sent observers.", "Sato represents Japan."]


@pytest.fixture(scope="module")
def tables():
    built = make_tables(
        articles=[
            dict(article_id="art-a", title="Canberra talks", published="2024-05-02", date_source="header", source="a.txt", text=" ".join(A_TEXTS)),
            dict(article_id="art-b", title="Tokyo follow-up", published="2025-03-11", date_source="header", source="b.txt", text=" ".join(B_TEXTS)),
        ],
        sentences=sentence_rows("art-a", A_TEXTS) + sentence_rows("art-b", B_TEXTS),
        countries=[dict(country=c, name=n, quad_member=q) for c, n, q in [("AUS", "Australia", True), ("IND", "India", True), ("JPN", "Japan", True), ("USA", "United States", True), ("CHN", "China", False)]],
        organizations=[
            dict(org_id="org-aus-home-affairs", name="Department of Home Affairs", kind="government body", country="AUS"),
            dict(org_id="org-ind-nscs", name="National Security Council Secretariat", kind="government body", country="IND"),
            dict(org_id="quad", name="Quad", kind="forum", country=None),
        ],
        people=[
            dict(person_id="per-ann-lee", name="Ann Lee", title="Secretary", org_id="org-aus-home-affairs", country="AUS"),
            dict(person_id="per-raj-mehta", name="Raj Mehta", org_id="org-ind-nscs", country="IND"),
            dict(person_id="per-kenji-sato", name="Kenji Sato", country="JPN"),
        ],
        roles=[
            dict(person_id="per-ann-lee", title="Secretary", org_id="org-aus-home-affairs", country="AUS", as_of="2024-05-02", article_id="art-a", sentence_id=0),
            dict(person_id="per-raj-mehta", title="head", org_id="org-ind-nscs", country="IND", as_of="2024-05-02", article_id="art-a", sentence_id=3),
            dict(person_id="per-kenji-sato", title=None, org_id=None, country="JPN", as_of="2025-03-11", article_id="art-b", sentence_id=2),
        ],
        meetings=[
            dict(meeting_id="mtg-2024-05-01-canberra", name="Cyber talks", kind="dialogue", start_date="2024-05-01", end_date="2024-05-01", date_precision="day", city="Canberra", country="AUS", n_sources=1),
            dict(meeting_id="mtg-2025-03-10-tokyo", name="Cyber talks", kind="dialogue", start_date="2025-03-10", end_date="2025-03-10", date_precision="day", city="Tokyo", country="JPN", n_sources=1),
        ],
        meeting_sources=[
            dict(meeting_id="mtg-2024-05-01-canberra", article_id="art-a", sentence_id=1),
            dict(meeting_id="mtg-2025-03-10-tokyo", article_id="art-b", sentence_id=0),
        ],
        participants=[
            seat("mtg-2024-05-01-canberra", "per-ann-lee", "org-aus-home-affairs", "AUS", "art-a", 1),
            seat("mtg-2024-05-01-canberra", "per-raj-mehta", "org-ind-nscs", "IND", "art-a", 1),
            seat("mtg-2024-05-01-canberra", "per-kenji-sato", None, "JPN", "art-a", 2),
            seat("mtg-2024-05-01-canberra", None, None, "USA", "art-a", 2),
            seat("mtg-2025-03-10-tokyo", "per-ann-lee", None, "AUS", "art-b", 0),
            seat("mtg-2025-03-10-tokyo", "per-kenji-sato", None, "JPN", "art-b", 0),
            seat("mtg-2025-03-10-tokyo", None, "quad", None, "art-b", 1),
        ],
        mentions=[
            mention("art-a", 0, "person", "per-ann-lee"),
            mention("art-b", 0, "person", "per-ann-lee"),
            mention("art-a", 1, "person", "per-raj-mehta"),
            mention("art-a", 2, "person", "per-kenji-sato"),
            mention("art-a", 0, "organization", "org-aus-home-affairs"),
            mention("art-a", 1, "organization", "org-ind-nscs"),
            mention("art-b", 1, "organization", "quad"),
            mention("art-a", 2, "country", "USA"),
            mention("art-b", 2, "country", "JPN"),
        ],
    )
    schema.validate(built)  # the fixture itself keeps the contract
    return built


def edges_of(graph, edge_type):
    return {frozenset((u, v)) for u, v, r in graph.edges(data="relation") if r == edge_type}


def pairs(*edges):
    return {frozenset(e) for e in edges}


def test_every_entity_row_becomes_a_typed_node(tables):
    graph = network.build_graph(tables)
    assert set(graph) == {ANN, RAJ, KENJI, HOME, NSCS, QUAD, M1, M2} | {f"country:{c}" for c in ["AUS", "IND", "JPN", "USA", "CHN"]}
    assert graph.nodes[NSCS] == dict(type="organization", label="National Security Council Secretariat", country="IND", entity_id="org-ind-nscs")
    assert network.evidence(graph, NSCS) == [("art-a", 1)]
    assert graph.nodes[M2]["country"] == "JPN" and graph.nodes[QUAD]["country"] is None
    assert network.evidence(graph, ANN) == [("art-a", 0), ("art-b", 0)]


def test_edges_of_each_type(tables):
    graph = network.build_graph(tables)
    assert edges_of(graph, "attended") == pairs((ANN, M1), (RAJ, M1), (KENJI, M1), ("country:USA", M1), (ANN, M2), (KENJI, M2), (QUAD, M2))
    assert edges_of(graph, "holds_role") == pairs((ANN, HOME), (RAJ, NSCS))
    assert edges_of(graph, "represents") == pairs((ANN, "country:AUS"), (RAJ, "country:IND"), (KENJI, "country:JPN"), (HOME, "country:AUS"), (NSCS, "country:IND"))
    assert edges_of(graph, "co_attended") == pairs((ANN, RAJ), (ANN, KENJI), (KENJI, RAJ))


def test_edges_carry_the_sentences_behind_them(tables):
    graph = network.build_graph(tables)
    both_meetings = graph.edges[ANN, KENJI]
    assert network.evidence(graph, (ANN, KENJI)) == network.evidence(graph, (KENJI, ANN)) == [("art-a", 1), ("art-a", 2), ("art-b", 0)]
    assert both_meetings["meetings"] == [M1, M2] and both_meetings["weight"] == 2 and both_meetings["sentences"] == 3
    assert network.evidence(graph, (KENJI, "country:JPN")) == [("art-a", 2), ("art-b", 0), ("art-b", 2)]
    assert network.evidence(graph, (NSCS, "country:IND")) == [("art-a", 1), ("art-a", 3)]
    assert network.evidence(graph, ("country:USA", M1)) == [("art-a", 2)]


def test_an_organisation_placed_only_by_the_knowledge_base_rests_on_the_sentences_naming_it(tables):
    only_kb = {**tables, "roles": tables["roles"].iloc[0:0], "participants": tables["participants"].iloc[0:0]}
    graph = network.build_graph(only_kb, edge_types=["represents"])
    assert network.evidence(graph, (HOME, "country:AUS")) == [("art-a", 0)]


def test_leaving_out_a_node_type_drops_its_edges_but_not_the_others(tables):
    graph = network.build_graph(tables, node_types=["person", "country"])
    assert {d["type"] for _, d in graph.nodes(data=True)} == {"person", "country"}
    assert edges_of(graph, "attended") == set()
    assert edges_of(graph, "co_attended") == pairs((ANN, RAJ), (ANN, KENJI), (KENJI, RAJ))
    assert len(edges_of(graph, "represents")) == 3


def test_edge_types_choose_which_links_are_drawn(tables):
    graph = network.build_graph(tables, edge_types=["holds_role"])
    assert {r for _, _, r in graph.edges(data="relation")} == {"holds_role"}
    assert len(graph) == 13


def test_unknown_types_are_refused(tables):
    with pytest.raises(ValueError, match="meetingz"):
        network.build_graph(tables, node_types=["meetingz"])


def test_building_leaves_the_tables_untouched(tables):
    before = {name: frame.copy() for name, frame in tables.items()}
    network.build_graph(tables)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(frame, before[name])


def test_empty_tables_give_an_empty_graph_and_figure():
    graph = network.build_graph(make_tables())
    assert len(graph) == 0
    assert network.centrality(graph).empty
    assert network.layout(graph) == {}
    assert len(network.network_figure(graph, {}).data) == 0


def _contents(graph):
    """Everything a graph says, in order: its attributes, and each node and edge with its attributes and evidence."""
    return ({k: v for k, v in graph.graph.items() if k != "sentences"},
            [(n, data, network.evidence(graph, n)) for n, data in graph.nodes(data=True)],
            [(u, v, data, network.evidence(graph, (u, v))) for u, v, data in graph.edges(data=True)])


@pytest.mark.parametrize("node_types, edge_types", [
    (network.DEFAULT_NODE_TYPES, network.EDGE_TYPES),
    (("person", "country"), ("represents", "co_attended")),
    (("organization",), network.EDGE_TYPES),
    (network.NODE_TYPES, ("attended",)),
    ((), ()),
])
def test_a_graph_of_fewer_types_assembled_from_the_parts_of_every_type_is_the_one_built_with_them(tables, node_types, edge_types):
    every = network.parts(tables)
    taken = network.assemble(every, node_types=node_types, edge_types=edge_types)
    assert _contents(taken) == _contents(network.build_graph(tables, node_types=node_types, edge_types=edge_types))  # order too
    assert _contents(network.assemble(every)) == _contents(network.build_graph(tables))  # the parts were left as they were
    with pytest.raises(ValueError, match="unknown"):
        network.assemble(every, node_types=["ship"], edge_types=edge_types)


def test_without_isolates_drops_unlinked_nodes_only(tables):
    graph = network.build_graph(tables)
    linked = network.without_isolates(graph)
    assert set(graph) - set(linked) == {"country:CHN"}
    assert "country:CHN" in graph


@pytest.mark.parametrize("corpus", ["drawn on paper", "dashboard fixture"])
@pytest.mark.parametrize("node_types, edge_types", [(network.NODE_TYPES, network.EDGE_TYPES), (("person", "country"), ["represents"]), (network.NODE_TYPES, ["holds_role"])])
def test_assembling_only_the_linked_nodes_gives_the_graph_without_its_isolates(tables, corpus, node_types, edge_types):
    whole = tables if corpus == "drawn on paper" else build_tables()
    every = network.parts(whole)
    everything = network.assemble(every, node_types=node_types, edge_types=edge_types)
    expected = network.without_isolates(everything)
    linked = network.assemble(every, node_types=node_types, edge_types=edge_types, linked_only=True)
    assert 0 < len(linked) < len(everything)
    nodes, edges = _contents(linked)[1:]
    assert [n for n, _, _ in nodes] == [n for n in everything if n in expected]  # in the order of the whole graph
    ends = lambda edges: sorted((tuple(sorted((u, v))), data, pairs) for u, v, data, pairs in edges)  # noqa: E731  (either way round)
    assert sorted(nodes) == sorted(_contents(expected)[1]) and ends(edges) == ends(_contents(expected)[2])


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (1, {KENJI, M1, M2, ANN, RAJ, "country:JPN"}),
        (2, {KENJI, M1, M2, ANN, RAJ, "country:JPN", "country:USA", QUAD, HOME, NSCS, "country:AUS", "country:IND"}),
    ],
)
def test_focus_keeps_the_neighbourhood_within_the_steps(tables, steps, expected):
    graph = network.build_graph(tables)
    near = network.focus(graph, KENJI, steps)
    assert set(near) == expected
    assert {frozenset(e) for e in near.edges} <= {frozenset(e) for e in graph.edges}
    near.remove_node(ANN)
    assert ANN in graph  # a new graph, not a view


def test_focus_refuses_unknown_nodes_and_steps(tables):
    graph = network.build_graph(tables)
    with pytest.raises(KeyError):
        network.focus(graph, "person:per-nobody", 1)
    with pytest.raises(ValueError):
        network.focus(graph, ANN, network.MAX_STEPS + 1)


def small_graph(edges, isolated=()):
    """Nodes need the attributes build_graph gives them."""
    graph = nx.Graph()
    for n in sorted({n for e in edges for n in e} | set(isolated)):
        graph.add_node(n, type="person", label=n.upper(), country=None)
    graph.add_edges_from(edges, relation="co_attended")
    return graph


def test_centrality_on_a_path():
    table = network.centrality(small_graph([("a", "b"), ("b", "c"), ("c", "d")], isolated=["e"])).set_index("node")
    assert table["degree"].to_dict() == {"a": 1, "b": 2, "c": 2, "d": 1, "e": 0}
    # b lies on the only path of 2 pairs (a-c, a-d), out of (n-1)(n-2)/2 = 6 pairs not involving it.
    assert table["betweenness"].to_dict() == pytest.approx({"a": 0, "b": 2 / 6, "c": 2 / 6, "d": 0, "e": 0})
    assert list(network.centrality(small_graph([("a", "b"), ("b", "c")]))["node"])[0] == "b"


def test_layout_is_the_same_for_the_same_graph_built_in_another_order():
    edges = [("a", "b"), ("b", "c"), ("c", "d"), ("a", "d"), ("d", "e")]
    forward, backward = small_graph(edges), nx.Graph()
    for n in reversed(list(forward)):
        backward.add_node(n, **forward.nodes[n])
    backward.add_edges_from([(v, u) for u, v in reversed(edges)])
    assert network.layout(forward, seed=3) == network.layout(backward, seed=3)
    assert network.layout(forward, seed=3) != network.layout(forward, seed=4)
    assert set(network.layout(forward)) == set(forward)


def node_points(figure):
    return {cd[0]: (trace, i) for trace in figure.data if trace.mode == "markers+text" for i, cd in enumerate(trace.customdata)}


def test_figure_sizes_nodes_by_the_chosen_score_and_marks_every_edge(tables):
    graph = network.build_graph(tables)
    figure = network.network_figure(graph, network.layout(graph), size_by="degree")
    points = node_points(figure)
    assert set(points) == set(graph)
    size = {n: trace.marker.size[i] for n, (trace, i) in points.items()}
    assert max(size, key=size.get) == max(graph, key=graph.degree) and size["country:CHN"] == min(size.values())
    edge_points = {tuple(cd) for trace in figure.data if trace.mode == "markers" for cd in trace.customdata}
    assert {frozenset(e) for e in edge_points} == {frozenset(e) for e in graph.edges}
    legend = {trace.name for trace in figure.data if trace.mode == "lines"}
    assert legend == set(network.EDGE_TYPES.values())
    assert len({trace.line.dash for trace in figure.data if trace.mode == "lines"}) == 4
    hover = {n: trace.hovertext[i] for n, (trace, i) in points.items()}
    assert "Raj Mehta" in hover[RAJ] and "official" in hover[RAJ] and "India" in hover[RAJ] and "IND" not in hover[RAJ]


def test_betweenness_sizing_makes_the_bridge_largest():
    graph = small_graph([("a", "b"), ("b", "c"), ("c", "d"), ("c", "e")])
    size = {n: t.marker.size[i] for n, (t, i) in node_points(network.network_figure(graph, network.layout(graph), size_by="betweenness")).items()}
    assert max(size, key=size.get) == "c" and size["a"] == size["d"] == min(size.values())


def test_colouring_by_country_groups_nodes_by_their_country(tables):
    graph = network.build_graph(tables, node_types=["person", "country"])
    figure = network.network_figure(graph, network.layout(graph), color_by="country")
    groups = {trace.name: {cd[0] for cd in trace.customdata} for trace in figure.data if trace.mode == "markers+text"}
    assert groups["Japan"] == {KENJI, "country:JPN"}  # legends name countries, never codes
    colours = {trace.name: trace.marker.color for trace in figure.data if trace.mode == "markers+text"}
    names = dict(zip(tables["countries"]["country"], tables["countries"]["name"]))
    assert colours == {names[c]: colour for c, colour in colors.country_colors(names).items()}
    assert len(set(colours.values())) == len(colours)


def test_figure_needs_a_position_for_every_node(tables):
    graph = network.build_graph(tables)
    positions = network.layout(graph)
    del positions[ANN]
    with pytest.raises(ValueError, match="no position"):
        network.network_figure(graph, positions)


@pytest.mark.parametrize(
    ("customdata", "element"),
    [([ANN], ANN), ([ANN, M1], (M1, ANN)), ([M1, ANN], (M1, ANN)), (None, None), ([1.5], None), ([], None), ([ANN, M1, M2], None)],
)
def test_selected_points_map_back_to_graph_elements(customdata, element):
    assert network.element_from_customdata(customdata) == element


def test_evidence_for_an_edge_and_a_node(tables):
    graph = network.build_graph(tables)
    edge = network.evidence_for(graph, tables, (KENJI, ANN))
    assert list(edge.columns) == ["title", "published", "sentence", "article_id", "sentence_id"]
    assert list(edge.itertuples(index=False, name=None)) == [
        ("Canberra talks", "2024-05-02", A_TEXTS[1], "art-a", 1),
        ("Canberra talks", "2024-05-02", A_TEXTS[2], "art-a", 2),
        ("Tokyo follow-up", "2025-03-11", B_TEXTS[0], "art-b", 0),
    ]
    meeting = network.evidence_for(graph, tables, M2)  # reported in b0; the Quad's seat is in b1
    assert list(meeting["sentence"]) == [B_TEXTS[0], B_TEXTS[1]]
    unnamed = network.evidence_for(network.build_graph(tables, edge_types=["represents"]), tables, "country:AUS")
    assert list(unnamed[["article_id", "sentence_id"]].itertuples(index=False, name=None)) == [("art-a", 0), ("art-a", 1), ("art-b", 0)]
    assert network.element_label(graph, (ANN, KENJI)) == "Ann Lee (official, Australia) — co-attended — Kenji Sato (official, Japan)"


def test_elements_list_nodes_by_label_then_edges_each_with_a_distinct_label(tables):
    graph = network.build_graph(tables)
    listed = network.elements(graph)
    assert listed[:3] == [ANN, "country:AUS", "country:CHN"]
    assert set(listed[len(graph):]) == {tuple(sorted(e)) for e in graph.edges}
    labels = [network.element_label(graph, e) for e in listed]
    assert len(set(labels)) == len(labels)
    assert network.element_label(graph, M2) == "Cyber talks, 2025-03-10, Tokyo (meeting, Japan)"


@pytest.mark.parametrize("write_, read", [(network.to_graphml, nx.read_graphml), (network.to_gexf, nx.read_gexf)])
def test_exports_parse_back_with_networkx(tables, tmp_path, write_, read):
    graph = network.build_graph(tables)
    path = tmp_path / "graph"
    path.write_bytes(write_(graph))
    back = read(path)
    assert set(back) == set(graph)
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in graph.edges}
    assert back.nodes[RAJ]["label"] == "Raj Mehta" and back.nodes[RAJ]["type"] == "person"
    assert back.edges[ANN, KENJI]["evidence"] == "art-a#1; art-a#2; art-b#0"
    assert back.edges[ANN, KENJI]["relation"] == "co_attended"
    assert "country" not in back.nodes[QUAD]  # unknown stays absent rather than "None"
    assert network.evidence(graph, (ANN, KENJI)) == [("art-a", 1), ("art-a", 2), ("art-b", 0)]  # input untouched


# ---- the page, run headless on the dashboard fixture ---------------------------------------------

def open_page(tmp_path, monkeypatch, page, fixture=None, **query_params):
    """The app on the hand-made dashboard fixture (or on `fixture`, tables of the contract), switched to one page and run."""
    from streamlit.testing.v1 import AppTest

    from dashboard_fixtures import build_tables, manifest
    from data_pipeline import store

    fixture = build_tables() if fixture is None else fixture
    store.write_tables(tmp_path / "data", fixture, manifest(fixture))
    monkeypatch.setenv("QUAD_DATA_DIR", str(tmp_path / "data"))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py"), default_timeout=30)
    for name, value in query_params.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(state.page_path(page)).run()
    assert not at.exception
    return at, fixture


def shown_counts(at):
    """(nodes, links) from the caption under the chart."""
    caption = next(c.value for c in at.caption if " links, " in c.value)
    nodes, links = re.match(r"(\d+) nodes, (\d+) links", caption).groups()
    return int(nodes), int(links)


def test_page_draws_the_linked_network_with_downloads(tmp_path, monkeypatch):
    at, fixture = open_page(tmp_path, monkeypatch, "network")
    expected = network.without_isolates(network.build_graph(fixture, node_types=network.DEFAULT_NODE_TYPES))
    assert shown_counts(at) == (len(expected), expected.number_of_edges())
    assert {d.key for d in at.get("download_button")} >= {"network_graphml", "network_gexf", "network_centrality_csv"}
    assert len(at.get("plotly_chart")) == 1


def test_choosing_link_types_redraws_the_network(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "network")
    at.multiselect(key="network_node_types").set_value(list(network.NODE_TYPES)).run()
    at.multiselect(key="network_edge_types").set_value(["holds_role"]).run()
    assert not at.exception
    assert shown_counts(at) == (2, 1)  # Jane Doe — Department of Home Affairs
    at.multiselect(key="network_node_types").set_value([]).run()
    assert "no links of the chosen kinds" in at.info[0].value


def test_focus_narrows_to_the_neighbourhood(tmp_path, monkeypatch):
    at, fixture = open_page(tmp_path, monkeypatch, "network", nodes=list(network.NODE_TYPES))
    at.selectbox(key="network_focus").set_value("person:per-ken-mori").run()
    graph = network.without_isolates(network.build_graph(fixture))
    assert shown_counts(at) == (len(network.focus(graph, "person:per-ken-mori", 1)), network.focus(graph, "person:per-ken-mori", 1).number_of_edges())
    at.radio(key="network_steps").set_value(2).run()
    assert shown_counts(at)[0] == len(network.focus(graph, "person:per-ken-mori", 2)) > len(network.focus(graph, "person:per-ken-mori", 1))
    assert at.session_state["selection_entity"] == "person:per-ken-mori"  # shared with the other pages


def test_choosing_a_link_shows_its_sentences_with_a_way_to_the_source(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "network")
    at.selectbox(key="network_element").set_value(("person:per-jane-doe", "person:per-ravi-kumar")).run()
    assert not at.exception
    quotes = [h.proto.body for h in at.get("html") if h.proto.body.startswith("<blockquote")]
    assert len(quotes) == 1 and "hosted Ravi Kumar" in quotes[0] and "Quad cyber chiefs meet in Canberra" in quotes[0]
    assert [link.proto.label for link in at.get("page_link")] == ["Read in source"]


def test_filters_that_match_nothing_say_so(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "network", **{"from": "2031-01-01"})
    assert [i.value for i in at.info] == [state.NOTHING_MATCHES]
    assert not at.get("plotly_chart")


def test_only_the_largest_nodes_carry_a_written_label_and_every_node_hovers():
    graph = nx.star_graph(40)  # node 0 is the hub
    nx.set_node_attributes(graph, {n: {"label": f"node {n:02d} " + "x" * 40, "type": "person", "country": None} for n in graph})
    graph = nx.relabel_nodes(graph, {n: f"person:{n}" for n in graph})
    for u, v in graph.edges:
        graph.edges[u, v].update(relation="attended")
    figure = network.network_figure(graph, network.layout(graph, seed=1))
    points = [(text, hover) for trace in figure.data if trace.mode == "markers+text" for text, hover in zip(trace.text, trace.hovertext)]
    written = [text for text, _ in points if text]
    assert len(points) == 41 and len(written) == network.LABELLED
    assert "node 00 " in " ".join(written)  # the hub, the largest node, is labelled
    assert all(len(text) <= 32 and text.endswith("…") for text in written)
    assert all(hover.startswith("<b>node ") for _, hover in points)


def test_large_graphs_get_a_seeded_betweenness_estimate_and_a_layout():
    graph = nx.relabel_nodes(nx.path_graph(network.EXACT_BETWEENNESS_UP_TO + 100), lambda n: f"person:{n:04d}")
    nx.set_node_attributes(graph, {n: {"label": n, "type": "person", "country": None} for n in graph})
    assert network.betweenness_is_estimated(graph)
    first, second = network.centrality(graph), network.centrality(graph)
    pd.testing.assert_frame_equal(first, second)
    middle = first.set_index("node").loc["person:0300", "betweenness"]
    assert middle > first.set_index("node").loc["person:0000", "betweenness"]
    assert len(network.layout(graph, seed=1)) == len(graph)  # needs scipy beyond 500 nodes


FILTERED_VIEWS = [
    (Filters(), {}),
    (Filters(date_from=dt.date(2025, 1, 1)), {}),
    (Filters(date_to=dt.date(2024, 12, 31)), {}),
    (Filters(countries=("JPN",)), {}),
    (Filters(people=("per-ann-lee",)), {}),
    (Filters(meeting_kinds=("working group",)), {}),
    (Filters(), {"entity": RAJ}),
    (Filters(date_from=dt.date(2022, 6, 1)), {"meeting": "mtg-2024-05-01-canberra"}),
]


@pytest.mark.parametrize("chosen, selection", FILTERED_VIEWS)
@pytest.mark.parametrize("corpus", ["drawn on paper", "dashboard fixture"])
def test_the_graph_of_what_filters_keep_is_the_graph_of_the_filtered_tables(tables, corpus, chosen, selection):
    """The page assembles each filtered graph from the whole version's parts and the kept ids: it must be exactly
    the graph built from the filtered tables, order and evidence included."""
    whole = tables if corpus == "drawn on paper" else build_tables()
    filtered = queried(whole, chosen, selection)
    every, kept = network.parts(whole), network.kept(lambda table, column: filtered[table][column])
    assert _contents(network.assemble(every, kept)) == _contents(network.build_graph(filtered))
    shown = network.assemble(every, kept, node_types=network.DEFAULT_NODE_TYPES, edge_types=["attended", "co_attended"])
    assert _contents(shown) == _contents(network.build_graph(filtered, node_types=network.DEFAULT_NODE_TYPES, edge_types=["attended", "co_attended"]))


def test_filters_change_the_assembled_graph(tables):
    """The comparison above is not between equal graphs: the filters drop nodes, links and sentences."""
    everything = network.build_graph(tables)
    filtered = queried(tables, Filters(date_from=dt.date(2025, 1, 1)))
    view = network.assemble(network.parts(tables), network.kept(lambda table, column: filtered[table][column]))
    assert 0 < len(view) < len(everything) and 0 < view.number_of_edges() < everything.number_of_edges()
    assert M1 not in view and M2 in view
    shrunk = [n for n in view if network.evidence(view, n) != network.evidence(everything, n)]
    assert shrunk and all(set(network.evidence(view, n)) < set(network.evidence(everything, n)) for n in shrunk)
