"""The network at corpus scale: communities, their layout kept on disk, thinning, WebGL, the connect tool, URL settings."""

import json
import math

import networkx as nx
import pandas as pd
import pytest

from dashboard import colors, network, network_cache
from dashboard.url_settings import Setting, flag
from test_network import ANN, KENJI, M1, M2, RAJ, open_page, tables  # noqa: F401  (the fixture)


def two_teams(size=6):
    """Two cliques of officials joined by one link (a0 — b0): two communities by any measure."""
    graph = nx.Graph(country_names={"AUS": "Australia", "JPN": "Japan"})
    for team, country in (("a", "AUS"), ("b", "JPN")):
        for i in range(size):
            graph.add_node(f"person:{team}{i}", type="person", label=f"{team.upper()} official {i}", country=country)
        for i in range(size):
            for j in range(i + 1, size):
                graph.add_edge(f"person:{team}{i}", f"person:{team}{j}", relation="co_attended", weight=1)
    graph.add_edge("person:a0", "person:b0", relation="co_attended", weight=1)
    return graph


def test_louvain_finds_the_two_teams_numbered_largest_first_and_seeded():
    graph = two_teams()
    graph.add_edge("person:a1", "person:a9", relation="co_attended", weight=1)  # team a is larger
    nx.set_node_attributes(graph, {"person:a9": {"type": "person", "label": "A official 9", "country": "AUS"}})
    found = network.communities(graph)
    assert {n for n, c in found.items() if c == 0} == {n for n in graph if n.startswith("person:a")}
    assert {n for n, c in found.items() if c == 1} == {n for n in graph if n.startswith("person:b")}
    assert network.communities(graph) == found


def test_community_layout_keeps_each_community_apart_from_the_others():
    graph = two_teams(8)
    membership = network.communities(graph)
    positions = network.community_layout(graph, membership)
    centre = {c: tuple(sum(positions[n][k] for n in graph if membership[n] == c) / 8 for k in (0, 1)) for c in (0, 1)}
    for n in graph:
        own, other = centre[membership[n]], centre[1 - membership[n]]
        assert math.dist(positions[n], own) < math.dist(positions[n], other)
    assert network.community_layout(graph, membership) == positions


def test_overview_holds_position_community_and_centrality_of_every_node():
    graph = two_teams()
    frame = network.overview(graph)
    assert set(frame["node"]) == set(graph)
    assert list(frame.columns) == ["node", "label", "type", "country", "degree", "betweenness", "community", "x", "y"]
    bridges = frame.set_index("node")["betweenness"]
    assert bridges.idxmax() in {"person:a0", "person:b0"}


def test_the_overview_is_computed_once_and_kept_beside_the_version(tmp_path):
    calls = []

    def compute():
        calls.append(1)
        return network.overview(two_teams())

    path = network_cache.overview_path(tmp_path, ["person"], ["co_attended"])
    first = network_cache.cached(path, compute)
    again = network_cache.cached(path, compute)
    assert len(calls) == 1 and path.is_file()
    pd.testing.assert_frame_equal(first.reset_index(drop=True), again.reset_index(drop=True), check_dtype=False)
    assert network_cache.overview_path(tmp_path, ["person", "meeting"], ["co_attended"]) != path
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_a_folder_that_cannot_be_written_still_gets_the_figures(tmp_path):
    path = network_cache.overview_path(tmp_path, ["person"], [])
    path.parent.write_text("a file where the folder should be")  # any write below it fails, even for root
    frame = network_cache.cached(path, lambda: network.overview(two_teams()))
    assert len(frame) == 12 and path.parent.read_text() == "a file where the folder should be"


def test_a_damaged_file_is_computed_again(tmp_path):
    path = network_cache.overview_path(tmp_path, ["person"], [])
    path.parent.mkdir()
    path.write_bytes(b"not parquet")
    frame = network_cache.cached(path, lambda: network.overview(two_teams()))
    assert len(frame) == 12 and len(pd.read_parquet(path)) == 12


def test_minimum_links_keeps_the_hubs():
    graph = nx.star_graph(5)
    assert set(network.at_least_links(graph, 2)) == {0}
    assert set(network.at_least_links(graph, 1)) == set(graph)


def test_community_colouring_names_each_community_by_its_most_linked_member_and_labels_a_few_per_community():
    graph = two_teams()
    membership = network.communities(graph)
    figure = network.network_figure(graph, network.community_layout(graph, membership), color_by="community", membership=membership)
    nodes = [t for t in figure.data if t.mode == "markers+text"]
    assert [t.name for t in nodes] == ["around A official 0", "around B official 0"]
    assert [t.marker.color for t in nodes] == list(colors.CATEGORICAL[:2])
    assert [sum(bool(x) for x in t.text) for t in nodes] == [network.LABELS_PER_COMMUNITY] * 2


def test_large_views_are_drawn_with_webgl():
    small = two_teams()
    big = nx.relabel_nodes(nx.path_graph(network.WEBGL_ABOVE + 1), lambda n: f"person:{n}")
    nx.set_node_attributes(big, {n: {"label": n, "type": "person", "country": None} for n in big})
    nx.set_edge_attributes(big, {e: {"relation": "co_attended"} for e in big.edges})
    assert {t.type for t in network.network_figure(small, network.layout(small)).data} == {"scatter"}
    assert {t.type for t in network.network_figure(big, network.layout(big)).data} == {"scattergl"}


def test_hover_and_labels_escape_text_from_articles():
    graph = two_teams(3)
    graph.nodes["person:a0"]["label"] = "<a href='javascript:x'>Eve</a>"
    figure = network.network_figure(graph, network.layout(graph))
    shown = " ".join(str(v) for t in figure.data if t.mode == "markers+text" for v in [*t.text, *t.hovertext])
    assert "<a href" not in shown and "&lt;a href=" in shown


def test_connect_finds_the_officials_that_link_two_countries_with_their_sentences(tables):
    graph = network.build_graph(tables)
    paths = network.connections(graph, "country:AUS", "country:JPN", through=("person",))
    assert paths and all(p[0] == "country:AUS" and p[-1] == "country:JPN" for p in paths)
    assert all(graph.nodes[n]["type"] == "person" for p in paths for n in p[1:-1])
    assert network.officials_between(graph, paths) == [ANN, KENJI]
    any_path = network.connections(graph, "country:AUS", "country:JPN")
    assert len(any_path[0]) <= len(paths[0])
    evidence = network.path_evidence(graph, tables, paths[0])
    assert list(evidence["link"].unique()) == [network.element_label(graph, e) for e in zip(paths[0], paths[0][1:])]  # in path order
    assert evidence["sentence"].str.len().gt(0).all()
    assert set(network.common_neighbours(graph, ANN, KENJI)) == {M1, M2, RAJ}  # both met him in Canberra
    assert network.connections(graph, ANN, ANN) == [] and network.connections(graph, ANN, "person:nobody") == []


def test_the_ranking_table_reads_without_ids(tables):
    graph = network.build_graph(tables)
    overview = network.overview(graph)
    ranking = network.view_ranking(graph, overview)
    table = network.ranking_table(graph, ranking, dict(zip(overview["node"], overview["community"])))
    assert list(table.columns) == ["Name", "Kind", "Country", "Links", "Bridging role (0 to 1)", "Community"]
    text = table.astype(str).to_string()
    assert "per-" not in text and "person" not in text and "AUS" not in text and "None" not in text
    assert table.loc[table["Name"] == "Raj Mehta", "Country"].item() == "India"


@pytest.mark.parametrize(
    ("setting", "values", "expected"),
    [
        (Setting("steps", 1, (1, 2, 3), cast=int), ["2"], 2),
        (Setting("steps", 1, (1, 2, 3), cast=int), ["9"], 1),
        (Setting("steps", 1, (1, 2, 3), cast=int), ["two"], 1),
        (Setting("steps", 1, (1, 2, 3), cast=int), [], 1),
        (Setting("nodes", ["person"], ("person", "meeting"), many=True), ["meeting", "bogus", "meeting"], ["meeting"]),
        (Setting("nodes", ["person"], ("person", "meeting"), many=True), [""], []),
        (Setting("hidden", True, (True, False), cast=flag), ["0"], False),
        (Setting("hidden", True, (True, False), cast=flag), ["yes"], True),
    ],
)
def test_url_values_are_checked_and_fall_back_to_the_default(setting, values, expected):
    assert setting.parse(values) == expected


def test_defaults_leave_the_url_clean_and_other_values_round_trip():
    steps = Setting("steps", 1, (1, 2, 3), cast=int)
    nodes = Setting("nodes", ["person"], ("person", "meeting"), many=True)
    assert steps.encode(1) == [] and nodes.encode(["person"]) == []
    for setting, value in ((steps, 3), (nodes, ["meeting", "person"]), (nodes, [])):
        assert setting.parse(setting.encode(value)) == value


def url(at, name):
    value = at.query_params[name]
    return [value] if isinstance(value, str) else list(value)


def test_a_shared_link_reopens_the_same_network_view_and_changes_go_to_the_url(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "network", nodes=["person", "country"], colour="country", steps="2", min_links="2",
                      connect_a="country:AUS", connect_b="country:JPN")
    assert at.multiselect(key="network_node_types").value == ["person", "country"]
    assert at.radio(key="network_color_by").value == "country"
    assert at.radio(key="network_steps").value == 2
    assert at.number_input(key="network_min_links").value == 2
    assert at.selectbox(key="network_connect_a").value == "country:AUS"
    assert any("Officials who link them" in m.value for m in at.markdown)
    at.radio(key="network_size_by").set_value("betweenness").run()
    assert url(at, "size") == ["betweenness"] and url(at, "colour") == ["country"] and url(at, "steps") == ["2"]
    at.radio(key="network_color_by").set_value("community").run()
    assert "colour" not in at.query_params  # back to the default: the URL stays clean


def test_the_chart_draws_only_the_most_linked_nodes_and_the_links_among_them():
    graph = nx.relabel_nodes(nx.star_graph(5), lambda n: f"person:{n}")  # person:0 is the hub
    graph.add_edge("person:1", "person:2")
    nx.set_node_attributes(graph, {n: {"label": n, "type": "person", "country": None} for n in graph})
    ranking = network.view_ranking(graph, pd.DataFrame({"node": list(graph), "betweenness": 0.0}))
    drawn = network.most_linked(graph, ranking, 3)
    assert set(drawn) == {"person:0", "person:1", "person:2"}  # the hub, then the two with a second link
    assert {tuple(sorted(e)) for e in drawn.edges} == {("person:0", "person:1"), ("person:0", "person:2"), ("person:1", "person:2")}
    assert network.most_linked(graph, ranking, 0) is graph and network.most_linked(graph, ranking, 6) is graph
    with pytest.raises(ValueError):
        network.most_linked(graph, ranking, -1)


def test_the_page_draws_at_most_the_chosen_number_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(network, "DRAWN_OPTIONS", (2, 0))
    monkeypatch.setattr(network, "DEFAULT_DRAWN", 2)
    at, fixture = open_page(tmp_path, monkeypatch, "network")
    view = network.without_isolates(network.build_graph(fixture, node_types=network.DEFAULT_NODE_TYPES))
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    drawn = {point[0] for trace in figure["data"] if trace.get("mode") == "markers+text" for point in trace["customdata"]}
    assert len(drawn) == 2 < len(view)
    assert any(c.value.startswith(f"Drawn: the 2 most linked of the {len(view)} nodes") for c in at.caption)
    assert set(at.selectbox(key="network_focus").options[1:]) == {network.element_label(view, n) for n in view}  # "Around" keeps every node
    at.selectbox(key="network_drawn").set_value(0).run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert {point[0] for trace in figure["data"] if trace.get("mode") == "markers+text" for point in trace["customdata"]} == set(view)
    assert url(at, "drawn") == ["0"] and not any(c.value.startswith("Drawn:") for c in at.caption)


def hubs_and_meetings(meetings, hubs=6, seed=0):
    """Officials (hubs) and many meetings, each attended by two or three of them: one community far larger than a
    spring layout is run on."""
    import random

    rng = random.Random(seed)
    graph = nx.Graph()
    people = [f"person:{i}" for i in range(hubs)]
    for m in range(meetings):
        for p in rng.sample(people, rng.randint(2, 3)):
            graph.add_edge(p, f"meeting:{m:05d}", weight=1)
    return graph


def test_a_community_larger_than_a_spring_layout_places_the_others_among_their_neighbours():
    graph = hubs_and_meetings(3 * network.SPRING_UP_TO)
    membership = {n: 0 for n in graph}
    positions = network.community_layout(graph, membership)
    assert set(positions) == set(graph) and network.community_layout(graph, membership) == positions  # every node, seeded
    assert len(set(positions.values())) == len(graph)  # meetings with the same officials do not hide each other
    radius = math.sqrt(len(graph))
    core = sorted(graph, key=lambda n: (-graph.degree(n), n))[: network.SPRING_UP_TO]
    spread = max(math.dist(positions[a], positions[b]) for a in core[:20] for b in core[:20])
    for meeting in [n for n in graph if n not in core][:200]:  # placed where its officials are, not anywhere in the disc
        officials = [positions[p] for p in graph[meeting]]
        centre = tuple(sum(c) / len(officials) for c in zip(*officials))
        assert math.dist(positions[meeting], centre) < 0.2 * radius
    assert spread > 0.2 * radius  # the officials themselves are spread by the spring layout


def test_the_betweenness_estimate_takes_fewer_samples_on_larger_graphs_within_bounds():
    small, large = hubs_and_meetings(200), hubs_and_meetings(20_000)
    assert network.betweenness_samples(small) == network.BETWEENNESS_SAMPLES
    assert network.BETWEENNESS_MIN_SAMPLES <= network.betweenness_samples(large) < network.BETWEENNESS_SAMPLES
    size = large.number_of_nodes() + large.number_of_edges()
    assert network.betweenness_samples(large) * size <= max(network.BETWEENNESS_WORK, network.BETWEENNESS_MIN_SAMPLES * size)


def test_a_long_list_of_choices_offers_the_entities_before_the_most_linked_meetings_and_keeps_a_choice():
    graph = hubs_and_meetings(50, hubs=4)
    nx.set_node_attributes(graph, {n: {"type": n.split(":")[0], "label": f"label {n}"} for n in graph})
    links = dict(graph.degree)
    everything = network.choices(graph, links, limit=len(graph))
    assert everything == sorted(graph, key=lambda n: f"label {n}")  # a short list offers every node, by label
    meetings = sorted((n for n in graph if n.startswith("meeting:")), key=lambda n: (-links[n], n))
    offered = network.choices(graph, links, limit=10, keep=[meetings[-1], "person:nobody", None])
    assert set(offered) == {f"person:{i}" for i in range(4)} | set(meetings[:6]) | {meetings[-1]}
    assert offered == sorted(offered, key=lambda n: f"label {n}")


def test_the_page_offers_a_bounded_list_keeps_a_linked_choice_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(network, "CHOICES_UP_TO", 3)
    at, fixture = open_page(tmp_path, monkeypatch, "network", connect_a=M1)
    view = network.without_isolates(network.build_graph(fixture, node_types=network.DEFAULT_NODE_TYPES))
    assert len(at.selectbox(key="network_focus").options) == 1 + 3  # "the whole network" and three
    assert any(c.value.startswith(f"“Around” offers 3 of the {len(view)} entities") for c in at.caption)
    ends = at.selectbox(key="network_connect_a")
    assert len(ends.options) == 1 + 3 + 1 and ends.value == M1  # a meeting chosen in the link stays offered
    assert not [n for n in at.selectbox(key="network_focus").options[1:] if "(meeting" in n]  # officials before meetings
