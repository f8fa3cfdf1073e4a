"""Placing the drawn nodes of a network so that no written name is covered, nor any marker hidden.

The network's layout is made once for the whole network of a data version (`network.overview`), where the most
linked members of a community sit at the middle of its disc, on the same few meetings. Drawn alone, as the chart
draws the few hundred most linked nodes, they land on one point: at 100,000 articles each community's three labelled
members were one dot under three names written over each other. A chart where names cannot be read tells the
analyst nothing, so before drawing, each node is placed in turn, the named and the largest first: where the layout
put it if its label covers no label or marker placed, and the middle of its marker no other's; else at the nearest
such place around it. Pushing overlapping boxes apart instead jammed: a node between two others was pushed both
ways at once.
"""

from __future__ import annotations

import numpy as np

# The plot's drawing area at 1,440 px with the sidebar and the legend (pixels), and one character of a label (11 px
# font) and its line's height: the screen sizes of markers and labels become layout units through them.
PLOT_PX = (800.0, 700.0)
CHAR_PX, LINE_PX = 6.4, 14.0
GAP_PX = 2.0
# The middle share of a marker that nothing may cover: markers may overlap up to the rest, so that a community drawn
# as a crowd stays one (kept wholly apart, 250 markers filled the plot in a grid and the communities mixed).
CORE = 0.5
# Each node's places are compared with the nodes placed near it. 250 nodes (the chart's default) sized 10-36 px at
# random took 0.23 s; 500 took 7 s, since so many cannot all be free and each searches every ring. Beyond this many
# nodes the chart is drawn as laid out: a cloud whatever is moved.
SPREAD_UP_TO = 300
# The places tried around a node: rings this many pixels apart, out to RINGS of them.
RING_PX, RINGS = 4.0, 60


def spread(centres: np.ndarray, sizes: np.ndarray, labels: list[str]) -> np.ndarray:
    """New centres (n × 2, layout units) for markers of `sizes` (diameter, pixels) with `labels` written above them
    ("" for none), such that on a plot of PLOT_PX with equal scales no label covers another label or a marker, and
    no middle of a marker (CORE) another; within the centres' bounds, so the plot's scale stays. A node with no free
    place within RINGS rings keeps its own, and beyond SPREAD_UP_TO nodes every node does."""
    centres = np.asarray(centres, dtype=float).reshape(-1, 2).copy()
    n = len(centres)
    if n < 2 or n > SPREAD_UP_TO:
        return centres
    sizes = np.asarray(sizes, dtype=float)
    text = np.array([len(label) * CHAR_PX for label in labels])
    units = _units_per_pixel(centres)
    named = text > 0
    # Three boxes a node (offset of the middle from the centre, half sizes; pixels): the middle of its marker, the
    # whole marker, and its label, written above the whole marker (none for a node without one).
    core = _Box(np.zeros((n, 2)), np.column_stack([sizes, sizes]) * CORE / 2 + GAP_PX, units)
    whole = _Box(np.zeros((n, 2)), np.column_stack([sizes, sizes]) / 2, units)
    label = _Box(np.column_stack([np.zeros(n), sizes / 2 + LINE_PX / 2]),
                 np.where(named[:, None], np.column_stack([text / 2, np.full(n, LINE_PX / 2)]) + GAP_PX, 0.0), units)
    low, high = centres.min(axis=0), centres.max(axis=0)
    rings = [ring * units for ring in _rings()]
    reach = (RINGS * RING_PX + 2 * (LINE_PX + np.max(np.maximum(sizes, text)))) * units  # farther than any box of a place can meet
    placed = np.zeros(n, dtype=bool)
    for i in sorted(range(n), key=lambda i: (not named[i], -sizes[i], i)):
        others = np.flatnonzero(placed)
        others = others[(np.abs(centres[others] - centres[i]) < reach).all(axis=1)]
        there = centres[others]
        for ring in rings:  # nearest first, and most nodes are free where they are
            options = centres[i] + ring
            options = options[((options >= low) & (options <= high)).all(axis=1)]
            covered = (core.meets(options, i, core, there, others) | label.meets(options, i, whole, there, others)
                       | whole.meets(options, i, label, there, others) | label.meets(options, i, label, there, others))
            free = ~covered.any(axis=1)
            if free.any():
                centres[i] = options[np.argmax(free)]
                break
        placed[i] = True
    return centres


class _Box:
    """One box of every node, in layout units: its middle's offset from the node's centre and its half sizes."""

    def __init__(self, offset_px: np.ndarray, half_px: np.ndarray, units: float):
        self.offset, self.half = offset_px * units, half_px * units

    def meets(self, options: np.ndarray, i: int, other: _Box, there: np.ndarray, others: np.ndarray) -> np.ndarray:
        """Whether node i's box, were it at each of `options`, overlaps `other` box of each node of `others` (at
        `there`): options × others. A box of no size meets nothing."""
        apart = np.abs(options[:, None, :] + self.offset[i] - (there + other.offset[others])[None, :, :])
        return (apart < self.half[i] + other.half[others]).all(axis=2)


def _rings() -> list[np.ndarray]:
    """Offsets (pixels) to try, nearest first, in groups compared at once: none, then rings RING_PX apart, each with
    points RING_PX apart, a few rings to a group."""
    offsets = [np.zeros((1, 2))]
    for ring in range(1, RINGS + 1):
        radius = ring * RING_PX
        angles = np.linspace(0, 2 * np.pi, max(6, int(2 * np.pi * radius / RING_PX)), endpoint=False) + ring
        offsets.append(radius * np.column_stack([np.cos(angles), np.sin(angles)]))
    return [offsets[0], *(np.concatenate(offsets[start:start + 4]) for start in range(1, len(offsets), 4))]


def _units_per_pixel(centres: np.ndarray) -> float:
    """Layout units per screen pixel: the plot fits the centres' extent, x and y at one scale."""
    extent = np.ptp(centres, axis=0)
    scale = max(extent[0] / PLOT_PX[0], extent[1] / PLOT_PX[1])
    return float(scale) if scale > 0 else 1.0 / min(PLOT_PX)
