"""Server-side memory of the Network page's kept graphs as filter combinations are tried: a count of them against bytes.

    python bench/graph_memory.py --data /work/bench-data/dashboard-100000/data --mode count
    python bench/graph_memory.py --data /work/bench-data/dashboard-100000/data --mode bytes

Run each mode in a fresh process. For each combination (no filter first, then a different "From" date two months
after the first meeting's, then two months later each time: broad filters, each keeping most of the network) it assembles the three graphs a first visit of the Network
page assembles (the view's default types without unlinked nodes, the entities, every type) from the version's parts,
as the page does, and keeps them: `count` as the page did before (`st.cache_resource(max_entries=16)`: the last 16
graphs, whatever their size), `bytes` as it does now (`network_cache.Budgeted` within `network_cache.GRAPH_BUDGET`).
Prints the resident memory and the bytes kept (`network.graph_bytes`) after each combination. The parts are read
from the version's cache folder (`network_cache`), which a Network page's first visit writes; none is written here.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from collections import OrderedDict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dashboard import data, filters, network, network_cache  # noqa: E402
from bench.rss import rss_mib  # noqa: E402
from data_pipeline import store  # noqa: E402

FORMER_ENTRIES = 16  # the page's former `st.cache_resource(max_entries=16)`


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a data folder written by the pipeline, its Network page visited once")
    parser.add_argument("--mode", choices=("count", "bytes"), required=True)
    parser.add_argument("--combinations", type=int, default=8)
    args = parser.parse_args(argv)
    version = store.current(args.data)
    connection = data.connect(version)
    paths = network_cache.parts_paths(version, network.PARTS_FRAMES)
    if not all(path.is_file() for path in paths.values()):
        sys.exit(f"{args.data}: the network's parts are not kept yet; open its Network page once")
    stamp = data.build_id(store.read_manifest(version))
    parts = network_cache.cached_frames(paths, stamp, network.Parts.from_frames, lambda: sys.exit("parts unreadable"), network.Parts.frames)
    first = dt.date.fromisoformat(data.query(connection, "SELECT min(start_date) AS day FROM meetings")["day"].iloc[0])
    combos = [filters.Filters()] + [filters.Filters(date_from=first + dt.timedelta(days=60 * i)) for i in range(1, args.combinations)]
    views = [dict(node_types=network.DEFAULT_NODE_TYPES, linked_only=True), dict(edge_types=()), {}]
    budgeted = network_cache.Budgeted(network_cache.GRAPH_BUDGET, network.graph_bytes)
    counted: OrderedDict[tuple, tuple] = OrderedDict()
    print(f"{args.mode}: parts read, {rss_mib():.0f} MiB")
    print("| combination | graphs' nodes | seconds | kept | bytes kept | process RSS |\n|---:|---:|---:|---:|---:|---:|")
    for number, chosen in enumerate(combos, start=1):
        started = time.perf_counter()
        tables = data.Tables(connection, filters.stages(chosen, {}))
        kept = network.kept(tables.column) if tables.filtered else None
        nodes = 0
        for index, view in enumerate(views):
            key = (number, index)

            def assemble(view=view):
                return network.assemble(parts, kept, **view)

            if args.mode == "bytes":
                graph = budgeted.get(key, assemble)
            else:
                graph = assemble()
                counted[key] = (graph, network.graph_bytes(graph))
                while len(counted) > FORMER_ENTRIES:
                    counted.popitem(last=False)
            nodes += len(graph)
        del tables, kept, graph
        gc.collect()
        held = budgeted.held if args.mode == "bytes" else sum(size for _, size in counted.values())
        entries = len(budgeted) if args.mode == "bytes" else len(counted)
        print(f"| {number} | {nodes:,} | {time.perf_counter() - started:.1f} | {entries} | {held / 2**20:,.0f} MiB | {rss_mib():,.0f} MiB |", flush=True)


if __name__ == "__main__":
    main()
