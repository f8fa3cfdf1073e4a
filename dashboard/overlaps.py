"""Placing the drawn nodes of a network so that no written name is covered, nor any marker hidden.

The network's layout is made once for the whole network of a data version (`network.overview`), where the most
linked members of a community sit at the middle of its disc, on the same few meetings. Drawn alone, as the chart
draws the few hundred most linked nodes, they land on one point: at 100,000 articles each community's three labelled
members were one dot under three names written over each other. A chart where names cannot be read tells the
analyst nothing, so before drawing, each node is placed in turn, the named and the largest first: where the layout
put it if its label covers no label or marker placed, and the middle of its marker no other's; else at the nearest
such place around it, the places taken read from a grid of the plot's cells (`_Grid`). Pushing overlapping boxes
apart instead jammed: a node between two others was pushed both ways at once.
"""

from __future__ import annotations

import numpy as np

# The pixels the layout's extent is drawn across at 1,440 px, width and height: the plot's area beside the sidebar
# and the legend, less plotly's padding for markers and labels (a square layout's centres spanned 583 × 587 px in a
# screenshot; 800 × 700, the area itself, left names covered there); and one character of a label (11 px font) and
# its line's height. The screen sizes of markers and labels become layout units through them.
PLOT_PX = (640.0, 580.0)
CHAR_PX, LINE_PX = 6.4, 14.0
GAP_PX = 2.0
# The middle share of a marker that nothing may cover: markers may overlap up to the rest, so that a community drawn
# as a crowd stays one (kept wholly apart, 250 markers filled the plot in a grid and the communities mixed).
CORE = 0.5
# Up to this many nodes are placed; beyond, the chart is drawn as laid out: a cloud whatever is moved. Placing the
# 250 most linked of 10,000 articles takes 0.23 s, the 500 most linked of 100,000 0.55 s (`bench/network_placing.py`);
# 1,000 nodes sized 10-36 px at random 1.3 s (most find no free place, and try every ring).
SPREAD_UP_TO = 500
# The places tried around a node: rings this many pixels apart, out to RINGS of them (60 left 5 pairs covered on the
# 250 most linked of 10,000 articles, 90 none, at the same cost).
RING_PX, RINGS = 4.0, 90
# The plot is read as square cells of this side (pixels), a box covering every cell it touches: two boxes in no
# common cell do not overlap.
CELL_PX = 4.0


def spread(centres: np.ndarray, sizes: np.ndarray, labels: list[str]) -> np.ndarray:
    """New centres (n × 2, layout units) for markers of `sizes` (diameter, pixels) with `labels` written above them
    ("" for none), such that on a plot of PLOT_PX with equal scales no label covers another label or a marker, and
    no middle of a marker (CORE) another; within the centres' bounds, so the plot's scale stays. A node with no free
    place within RINGS rings keeps its own, and beyond SPREAD_UP_TO nodes every node does."""
    centres = np.asarray(centres, dtype=float).reshape(-1, 2)
    n = len(centres)
    if n < 2 or n > SPREAD_UP_TO:
        return centres.copy()
    sizes = np.asarray(sizes, dtype=float)
    text = np.array([len(label) * CHAR_PX for label in labels])
    named = text > 0
    units, low = units_per_pixel(centres), centres.min(axis=0)
    at = (centres - low) / units  # pixels from the bounds' lower corner
    bounds = at.max(axis=0)
    zero = np.zeros(n)
    # Three boxes a node (offset of the middle from the centre, and half sizes; pixels): the middle of its marker,
    # the whole marker, and its label, written above the whole marker.
    middle = np.column_stack([zero, zero, sizes * CORE / 2 + GAP_PX, sizes * CORE / 2 + GAP_PX])
    marker = np.column_stack([zero, zero, sizes / 2, sizes / 2])
    label = np.column_stack([zero, sizes / 2 + LINE_PX / 2, text / 2 + GAP_PX, np.full(n, LINE_PX / 2 + GAP_PX)])
    grid = _Grid(bounds, margin=float(np.max(np.abs(label[:, :2]) + label[:, 2:]) + np.max(sizes)))
    rings = _rings()
    for i in sorted(range(n), key=lambda i: (not named[i], -sizes[i], i)):
        for ring in rings:  # nearest first, and most nodes are free where they are
            options = at[i] + ring
            options = options[((options >= 0) & (options <= bounds)).all(axis=1)]
            free = grid.empty("middles", options, middle[i]) & grid.empty("labels", options, marker[i])
            if named[i]:
                free &= grid.empty("markers", options, label[i]) & grid.empty("labels", options, label[i])
            if free.any():
                at[i] = options[np.argmax(free)]
                break
        grid.cover("middles", at[i], middle[i])
        grid.cover("markers", at[i], marker[i])
        if named[i]:
            grid.cover("labels", at[i], label[i])
    return low + at * units


class _Grid:
    """The cells (CELL_PX square) that the boxes of the nodes placed so far cover, one layer per kind of box, and
    how many boxes cover any rectangle of cells, read in four lookups (a summed-area table, made again after a
    cover): comparing each place with each placed node took 3.8 s for the 250 most linked of 10,000 articles."""

    def __init__(self, bounds: np.ndarray, margin: float):
        self.margin = margin
        shape = (int(np.ceil((bounds[1] + 2 * margin) / CELL_PX)) + 1, int(np.ceil((bounds[0] + 2 * margin) / CELL_PX)) + 1)
        self.height, self.width = shape
        self.layers = {kind: np.zeros(shape, dtype=np.int32) for kind in ("middles", "markers", "labels")}
        self.sums: dict[str, np.ndarray] = {}

    def _cells(self, centres: np.ndarray, box: np.ndarray) -> tuple[np.ndarray, ...]:
        """The cells each box touches, as first and one past the last column and row."""
        lower = np.floor((centres + box[:2] - box[2:] + self.margin) / CELL_PX).astype(int)
        upper = np.ceil((centres + box[:2] + box[2:] + self.margin) / CELL_PX).astype(int)
        return (np.clip(lower[:, 0], 0, self.width), np.clip(upper[:, 0], 0, self.width),
                np.clip(lower[:, 1], 0, self.height), np.clip(upper[:, 1], 0, self.height))

    def cover(self, kind: str, centre: np.ndarray, box: np.ndarray) -> None:
        (x0,), (x1,), (y0,), (y1,) = self._cells(centre[None, :], box)
        self.layers[kind][y0:y1, x0:x1] += 1
        self.sums.pop(kind, None)

    def empty(self, kind: str, options: np.ndarray, box: np.ndarray) -> np.ndarray:
        """Whether the box, centred at each of `options`, touches no cell this layer covers."""
        if kind not in self.sums:
            table = np.zeros(np.add(self.layers[kind].shape, 1), dtype=np.int32)
            table[1:, 1:] = self.layers[kind].cumsum(axis=0).cumsum(axis=1)
            self.sums[kind] = table
        table = self.sums[kind]
        x0, x1, y0, y1 = self._cells(options, box)
        return table[y1, x1] - table[y0, x1] - table[y1, x0] + table[y0, x0] == 0


def _rings() -> list[np.ndarray]:
    """Offsets (pixels) to try, nearest first, in groups compared at once: none, then rings RING_PX apart, each with
    points RING_PX apart, a few rings to a group."""
    offsets = [np.zeros((1, 2))]
    for ring in range(1, RINGS + 1):
        radius = ring * RING_PX
        angles = np.linspace(0, 2 * np.pi, max(6, int(2 * np.pi * radius / RING_PX)), endpoint=False) + ring
        offsets.append(radius * np.column_stack([np.cos(angles), np.sin(angles)]))
    return [offsets[0], *(np.concatenate(offsets[start:start + 4]) for start in range(1, len(offsets), 4))]


def units_per_pixel(centres: np.ndarray) -> float:
    """Layout units per screen pixel: the plot fits the centres' extent, x and y at one scale."""
    extent = np.ptp(centres, axis=0)
    scale = max(extent[0] / PLOT_PX[0], extent[1] / PLOT_PX[1])
    return float(scale) if scale > 0 else 1.0 / min(PLOT_PX)
