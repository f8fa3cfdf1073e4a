"""Benchmark of drawing the Network page's chart with and without placing its nodes apart (`dashboard.overlaps`).

    python bench/network_placing.py --data DATA --drawn 100 250 500

On a data folder's current version: the network of the page's default node and link types is assembled and laid
out once as the page does (`network.overview`), then, for each number of nodes drawn, the chart's figure is built
five times with its nodes placed apart and five times as laid out; the medians are printed, with how many of the
drawn nodes placing moved and how far (pixels, on the plot `overlaps` assumes).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere in the checkout

from dashboard import network, overlaps  # noqa: E402
from data_pipeline import store  # noqa: E402


def _median_seconds(build, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        build()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a data folder built by the pipeline")
    parser.add_argument("--drawn", type=int, nargs="+", default=[100, 250, 500])
    args = parser.parse_args(argv)
    tables = store.read_tables(args.data, validated=False)
    graph = network.assemble(network.parts(tables), node_types=network.DEFAULT_NODE_TYPES, edge_types=tuple(network.EDGE_TYPES))
    overview = network.overview(graph, seed=7)
    ranking = network.view_ranking(graph, overview)
    membership = dict(zip(overview["node"], overview["community"]))
    print(f"{args.data}: {len(graph):,} nodes; median of 5 builds of the figure\n")
    print("| drawn | placed (s) | as laid out (s) | nodes moved | median move (px) |")
    print("|---:|---:|---:|---:|---:|")
    placing_up_to = overlaps.SPREAD_UP_TO
    for limit in args.drawn:
        drawn = network.most_linked(graph, ranking, limit)
        positions = {n: (x, y) for n, x, y in overview[["node", "x", "y"]].itertuples(index=False) if n in drawn}

        def figure():
            return network.network_figure(drawn, positions, size_by="degree", color_by="community", ranking=ranking, membership=membership)

        placed = _median_seconds(figure)
        nodes = {c[0]: (x, y) for t in figure().data if t.customdata is not None and len(t.customdata[0]) == 1
                 for c, x, y in zip(t.customdata, t.x, t.y)}
        overlaps.SPREAD_UP_TO = 0
        try:
            laid_out = _median_seconds(figure)
        finally:
            overlaps.SPREAD_UP_TO = placing_up_to
        centres = np.array([positions[n] for n in nodes])
        moves = np.hypot(*(np.array(list(nodes.values())) - centres).T) / overlaps.units_per_pixel(centres)
        moved = moves[moves > 1e-9]
        print(f"| {len(drawn):,} | {placed:.3f} | {laid_out:.3f} | {len(moved):,} | {np.median(moved) if len(moved) else 0:.0f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
