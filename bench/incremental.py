"""Benchmark of adding articles to a data folder: one new article on top of N, against a full rebuild.

    python bench/incremental.py --sizes 1000 --repeats 3

For each size: the synthetic corpus of N articles is added to a fresh data
folder once (a full build, timed), then, `--repeats` times, one new synthetic
article is added (timed: check, keep, extract the one article, link all N+1,
write the version), and finally `build --full` re-extracts everything (timed).
Reports medians, and checks that the incremental tables equal the full rebuild's.

    python bench/incremental.py --folder DATA --repeats 3

adds one new synthetic article at a time to an existing data folder (they stay in it: use a copy or a bench
folder, e.g. one built from `bench/out/corpus-100000-seed0`) and reports the median add with the wall time of its
steps: extracting the new file (before the folder's lock), reading the originals that changed since the previous
version (every one when it keeps no reading record: `inbox_reading`), linking, validating and writing the version.
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
from data_pipeline import build, store  # noqa: E402
from data_pipeline import update as update_module  # noqa: E402
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


STEPS = {  # what an add spends its time on, by the function that does it
    "extract the new file": (update_module, "_extract_first"),
    "read the originals (those changed since the previous version)": (build, "read"),
    "read the previous version and its linking state": (build, "_before"),
    "link only what the new article touches": (build, "link_added"),
    "link every article": (build, "link_batches"),
    "validate and write": (store, "write_tables"),
}


def _clocked_steps() -> dict[str, list[float]]:
    """Wall seconds of each of `STEPS` per call, from now on in this process."""
    spent: dict[str, list[float]] = {step: [] for step in STEPS}

    def clocked(step, function):
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[step].append(time.perf_counter() - started)
        return call

    for step, (owner, name) in STEPS.items():
        setattr(owner, name, clocked(step, getattr(owner, name)))
    return spent


def measure_folder(folder: Path, repeats: int, jobs: int) -> int:
    """Median add of one article to an existing folder, and its steps."""
    articles = len(store.read_column(folder, "articles", "article_id"))
    spent, adds, linked = _clocked_steps(), [], []
    first = articles + int(time.time())  # an article no earlier run added to this folder
    for index in range(repeats):
        seconds, result = _timed(lambda: update(folder, [_new_article(first + index)], jobs=jobs))
        assert result.build.extracted == 1, result.build.extracted
        adds.append(seconds)
        linked.append(result.build.linked)
        print(f"add {index + 1}: {seconds:.1f} s, linked {result.build.linked}", flush=True)
    print(f"\nadding one article to {folder} ({articles} articles), jobs={jobs}, {os.cpu_count()} CPUs, "
          f"median of {repeats}\n")
    print("| step | adds that ran it | seconds (median) |\n|---|---:|---:|")
    for step, seconds in spent.items():
        print(f"| {step} | {len(seconds)} | {statistics.median(seconds) if seconds else 0:.1f} |")
    print(f"| **add one article, in all** | {repeats} | **{statistics.median(adds):.1f}** |")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--folder", type=Path, help="add to this existing data folder instead (the adds stay in it)")
    args = parser.parse_args(argv)
    if args.folder:
        return measure_folder(args.folder, args.repeats, args.jobs)
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
