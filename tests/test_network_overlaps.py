"""Drawn nodes and their written labels are moved apart until none covers another (`dashboard.overlaps`)."""

from __future__ import annotations

import networkx as nx
import numpy as np

from dashboard import network, overlaps


def _on_screen(centres: np.ndarray) -> np.ndarray:
    """The centres in pixels, on a plot of `overlaps.PLOT_PX` fitted to them at one scale, as plotly draws them."""
    extent = np.ptp(centres, axis=0)
    return centres / max(extent[0] / overlaps.PLOT_PX[0], extent[1] / overlaps.PLOT_PX[1])


def _box(x: float, y: float, width: float, height: float) -> tuple[float, float, float, float]:
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def _meet(a, b) -> bool:
    return a[2] - a[0] > 0 and b[2] - b[0] > 0 and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _covered(centres: np.ndarray, sizes: np.ndarray, labels: list[str]) -> list[tuple[int, int]]:
    """Pairs of nodes where a label (written above the whole marker) covers another label or a marker, or the middles
    of two markers (`overlaps.CORE` of them) overlap."""
    pixels = _on_screen(centres)
    middle = [_box(x, y, size * overlaps.CORE, size * overlaps.CORE) for (x, y), size in zip(pixels, sizes)]
    marker = [_box(x, y, size, size) for (x, y), size in zip(pixels, sizes)]
    label = [_box(x, y + size / 2 + overlaps.LINE_PX / 2, len(text) * overlaps.CHAR_PX, overlaps.LINE_PX)
             for (x, y), size, text in zip(pixels, sizes, labels)]
    return [(i, j) for i in range(len(pixels)) for j in range(i + 1, len(pixels))
            if _meet(middle[i], middle[j]) or _meet(label[i], label[j]) or _meet(label[i], marker[j]) or _meet(marker[i], label[j])]


def _community_on_one_point(seed: int = 3) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """A network drawn as the layout of the whole leaves it: 200 nodes over the plot, and in five places the three
    most linked members of a community (large, named) on one point."""
    rng = np.random.default_rng(seed)
    scattered = rng.uniform(-10, 10, size=(200, 2))
    hubs = np.repeat(rng.uniform(-8, 8, size=(5, 2)), 3, axis=0)
    centres = np.vstack([scattered, hubs])
    sizes = np.concatenate([rng.uniform(10, 16, 200), np.full(15, 36.0)])
    labels = [""] * 200 + [f"Official number {n} of the group" for n in range(15)]
    return centres, sizes, labels


def test_members_on_one_point_are_moved_apart_until_no_marker_or_label_covers_another():
    centres, sizes, labels = _community_on_one_point()
    assert len(_covered(centres, sizes, labels)) >= 15  # the five triples at least
    moved = overlaps.spread(centres, sizes, labels)
    assert _covered(moved, sizes, labels) == []
    assert len({tuple(p) for p in np.round(moved[200:], 6)}) == 15


def test_nodes_that_cover_nothing_stay_where_the_layout_put_them():
    centres = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]])
    sizes = np.array([10.0, 20.0, 30.0, 36.0])
    assert np.array_equal(overlaps.spread(centres, sizes, ["a", "", "b", ""]), centres)


def test_the_same_input_gives_the_same_positions_and_the_input_is_left_as_it_was():
    centres, sizes, labels = _community_on_one_point(seed=5)
    before = centres.copy()
    assert np.array_equal(overlaps.spread(centres, sizes, labels), overlaps.spread(centres, sizes, labels))
    assert np.array_equal(centres, before)


def test_beyond_the_limit_the_layout_is_drawn_as_it_is():
    centres = np.zeros((overlaps.SPREAD_UP_TO + 1, 2))
    assert np.array_equal(overlaps.spread(centres, np.full(len(centres), 10.0), [""] * len(centres)), centres)


def test_the_network_figure_draws_members_of_one_point_apart_with_their_links_to_the_new_places():
    graph = nx.Graph()
    officials = [f"person:p{n}" for n in range(3)]
    for n, official in enumerate(officials):
        graph.add_node(official, type="person", label=f"Official {n}", country="IND", entity_id=f"p{n}")
    graph.add_node("meeting:m", type="meeting", label="Quad cyber meeting", country="JPN", entity_id="m")
    graph.add_edges_from([(o, "meeting:m", dict(relation="attended", sentences=1, weight=1)) for o in officials])
    graph.add_edges_from([(a, b, dict(relation="co_attended", sentences=1, weight=1)) for a, b in zip(officials, officials[1:])])
    positions = {o: (0.0, 0.0) for o in officials} | {"meeting:m": (5.0, 5.0)}
    figure = network.network_figure(graph, positions, color_by="community", membership=dict.fromkeys(graph, 0))
    nodes = {c[0]: (x, y) for t in figure.data if t.customdata is not None and len(t.customdata[0]) == 1
             for c, x, y in zip(t.customdata, t.x, t.y)}
    assert len({nodes[o] for o in officials}) == 3
    ends = {(x, y) for t in figure.data if t.mode == "lines" for x, y in zip(t.x, t.y) if not np.isnan(x)}
    assert {nodes[o] for o in officials} <= ends  # the links are drawn to where the nodes now are
