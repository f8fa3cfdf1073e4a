"""Server-side memory of trying many filter combinations: the former cache of filtered copies against DuckDB.

    python bench/filter_memory.py --data /work/bench-data/dashboard-10000/data --mode duckdb
    python bench/filter_memory.py --data /work/bench-data/dashboard-10000/data --mode pandas

Run each mode in a fresh process. `pandas` does what the dashboard did before it queried DuckDB: every table in
memory and a filtered copy of every table kept per combination (`tests/filters_reference.py`, its filtering);
`duckdb` reads every table of each combination through `dashboard.data.Tables` and drops the frames after it, as a
page run does. Each combination is a different "From" date, a month apart. Prints the resident memory after each.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))  # the pandas reference filtering

from dashboard import data, filters  # noqa: E402
from bench.rss import rss_mib  # noqa: E402
from data_pipeline import schema, store  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="a data folder written by the pipeline")
    parser.add_argument("--mode", choices=("pandas", "duckdb"), required=True)
    parser.add_argument("--combinations", type=int, default=15)
    args = parser.parse_args(argv)
    combos = [filters.Filters(date_from=dt.date(2021, 1, 1) + dt.timedelta(days=30 * i)) for i in range(args.combinations)]
    print(f"{args.mode}: start {rss_mib():.0f} MiB")
    if args.mode == "pandas":
        from filters_reference import apply_selection

        tables = store.read_tables(args.data)
        print(f"tables loaded: {rss_mib():.0f} MiB")
        kept = []
        for number, chosen in enumerate(combos, start=1):
            started = time.perf_counter()
            kept.append(apply_selection(tables, chosen, {}))
            print(f"{number}: {time.perf_counter() - started:.2f} s, {rss_mib():.0f} MiB")
    else:
        connection = data.connect(store.current(args.data))
        for number, chosen in enumerate(combos, start=1):
            started = time.perf_counter()
            tables = data.Tables(connection, filters.stages(chosen, {}))
            for name in schema.TABLES:
                tables[name]
            del tables
            gc.collect()
            print(f"{number}: {time.perf_counter() - started:.2f} s, {rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
