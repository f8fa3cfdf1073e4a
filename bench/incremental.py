"""Benchmark of adding articles to a data folder: one new article on top of N, against a full rebuild.

    python bench/incremental.py --sizes 1000 --repeats 3

For each size: the synthetic corpus of N articles is added to a fresh data
folder once (a full build, timed), then, `--repeats` times, one new synthetic
article is added (timed: check, keep, extract the one article, link all N+1,
write the version), and finally `build --full` re-extracts everything (timed).
Reports medians, and checks that the incremental tables equal the full rebuild's.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import DEFAULT_OUT, generate_article  # noqa: E402
from bench.run import corpus_for  # noqa: E402
from data_pipeline import store  # noqa: E402
from data_pipeline.update import Upload, update  # noqa: E402


def _timed(call) -> tuple[float, object]:
    started = time.perf_counter()
    result = call()
    return time.perf_counter() - started, result


def _new_article(index: int) -> Upload:
    """A synthetic article the corpus does not have (indices past the corpus, another seed)."""
    record = generate_article(random.Random(10_000 + index), 1_000_000 + index)
    text = f"date {record['date']} {record['title']}\n{record['text']}\n"
    return Upload(f"added-{index}.txt", text.encode("utf-8"))


def measure(size: int, repeats: int, jobs: int, root: Path) -> dict:
    corpus = corpus_for(size, 0, root)
    folder = Path(tempfile.mkdtemp(prefix="incremental-", dir=root)) / "data"
    try:
        first, _ = _timed(lambda: update(folder, [corpus], jobs=jobs))
        adds = []
        for index in range(repeats):
            seconds, result = _timed(lambda: update(folder, [_new_article(index)], jobs=jobs))
            assert result.build.extracted == 1, result.build.extracted
            adds.append(seconds)
        incremental = store.read_tables(folder)
        full, result = _timed(lambda: update(folder, full=True, jobs=jobs))
        rebuilt = store.read_tables(folder)
        same = all(incremental[name].equals(rebuilt[name]) for name in incremental)
        return {"size": size, "first": first, "add": statistics.median(adds), "full": full, "same": same,
                "articles": len(rebuilt["articles"])}
    finally:
        shutil.rmtree(folder.parent, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = [measure(size, args.repeats, args.jobs, args.out) for size in args.sizes]
    print(f"adding one article to a data folder, jobs={args.jobs}, {os.cpu_count()} CPUs\n")
    print("| articles | first build (s) | add one (s, median) | full rebuild (s) | full / add | incremental = full |")
    print("|---:|---:|---:|---:|---:|:---:|")
    for r in rows:
        print(f"| {r['articles']} | {r['first']:.1f} | {r['add']:.2f} | {r['full']:.1f} | {r['full'] / r['add']:.1f}x "
              f"| {'yes' if r['same'] else 'NO'} |")
    return 0 if all(r["same"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
