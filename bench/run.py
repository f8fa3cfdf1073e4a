"""Benchmark of `build_tables` on synthetic corpora: throughput and peak memory, as a Markdown table.

    python bench/run.py --sizes 1000 10000

Each measurement runs in a fresh interpreter, because `ru_maxrss` is a peak
over a process's whole life: a second build in the same process would report
the first one's peak. The child reports its own peak RSS and the largest peak
among its worker processes (RUSAGE_CHILDREN covers workers once the pool has
joined them); their sum bounds the memory the build held at once.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import DEFAULT_OUT, write_corpus  # noqa: E402
from bench.rss import PeakRss, rss_mib  # noqa: E402
from bench.streamed import Clocked  # noqa: E402

SMALL = 1000  # sizes up to this are repeated and the median is reported


def measure_once(corpus: Path, jobs: int, engine: str = "local") -> dict:
    """Build the corpus in this process and report time, size, refused inputs, linking time and peak memory
    (call in a fresh process)."""
    from data_pipeline import build

    link, linking, phases = build.link_batches, [], {}

    def timed_link(batches, *args, **kwargs):
        """Link's own time: the build streams batches of extractions into it as workers finish them, and waiting
        for them (and encoding them) is extraction's time."""
        source = Clocked(batches)
        with PeakRss() as peak:
            started = time.perf_counter()
            tables = link(source, *args, **kwargs)
            linking.append(time.perf_counter() - started - source.wall)
        phases["linking"] = peak.peak
        return tables

    def reading(*args, **kwargs):
        found = build_reading(*args, **kwargs)
        phases["read"] = rss_mib()
        return found

    build_reading, build.read = build.read, reading
    build.link_batches = timed_link  # this process only measures
    # a large build writes the per-article tables there as it links, as `update` has it do (`table_spill`)
    with tempfile.TemporaryDirectory(prefix="spill-", dir=corpus.parent) as spill:
        if engine == "dask":
            from data_pipeline.dask_engine import connect

            with connect(None, jobs) as on_dask:  # the LocalCluster's start is not timed: a cluster is started once
                started = time.perf_counter()
                result = build.build_tables([corpus], engine=on_dask, spill_to=Path(spill))
                seconds = time.perf_counter() - started
        else:
            started = time.perf_counter()
            result = build.build_tables([corpus], jobs=jobs, spill_to=Path(spill))
            seconds = time.perf_counter() - started
        # counted by Arrow, a part at a time: splitting 57 million words into Python strings was 2.3 GB of the
        # 100,000 build's peak, and the parts' texts held at once 3.4 GB of 1,000,000's
        texts = (
            (t.num_rows, pc.sum(pc.count_substring_regex(t["text"], r"\S+")).as_py() or 0) for t in itertools.chain(
                [pa.Table.from_pandas(result.tables["articles"][["text"]])],
                (pq.read_table(path, columns=["text"]) for path in result.kept.paths("articles"))))
        articles, words = (sum(column) for column in zip(*texts))
    return {
        "seconds": seconds,
        "link_seconds": sum(linking),
        "articles": articles,
        "words": words,
        "meetings": len(result.tables["meetings"]),
        "refused": [str(p) for p in result.problems if p.fatal],
        "cpu_seconds": sum(resource.getrusage(who).ru_utime + resource.getrusage(who).ru_stime
                           for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)),
        # ru_maxrss is in KiB on Linux.
        "rss_main_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rss_worker_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        # the building process's resident memory once the inputs are read, and its peak while extracting and
        # linking (one stream): where a build's memory goes
        "rss_read_mib": phases["read"], "rss_linking_mib": phases["linking"],
    }


def _measure_in_child(corpus: Path, jobs: int, engine: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", str(corpus), "--jobs", str(jobs), "--engines", engine],
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def corpus_for(size: int, seed: int, root: Path) -> Path:
    """The generated corpus of this size and seed, written once and reused."""
    folder = root / f"corpus-{size}-seed{seed}"
    marker = folder / ".complete"
    if not marker.exists():
        write_corpus(folder, size, seed)
        marker.write_text("ok\n", encoding="utf-8")
    return folder


def run(sizes: list[int], jobs_list: list[int], repeats: int, seed: int, root: Path, engines: list[str]) -> list[dict]:
    rows = []
    for size in sizes:
        corpus = corpus_for(size, seed, root)
        for engine, jobs in ((e, j) for e in engines for j in jobs_list):
            runs = [_measure_in_child(corpus, jobs, engine) for _ in range(repeats if size <= SMALL else 1)]
            median = statistics.median(r["seconds"] for r in runs)
            first = runs[0]
            rows.append({
                "size": size, "engine": engine, "jobs": jobs, "runs": len(runs), "seconds": median,
                "articles": first["articles"], "words": first["words"], "meetings": first["meetings"],
                "refused": len(first["refused"]), "link_seconds": statistics.median(r["link_seconds"] for r in runs),
                "words_per_cpu_s": first["words"] / statistics.median(r["cpu_seconds"] for r in runs),
                "articles_per_s": first["articles"] / median, "words_per_s": first["words"] / median,
                "words_per_s_per_core": first["words"] / median / jobs,
                "rss_main_mib": max(r["rss_main_mib"] for r in runs),
                "rss_worker_mib": max(r["rss_worker_mib"] for r in runs),
                **{key: max(r[key] for r in runs) for key in ("rss_read_mib", "rss_linking_mib")},
            })
            print(f"  {size} articles, {engine}, jobs={jobs}: {median:.1f} s", file=sys.stderr)
            for problem in first["refused"]:
                print(f"  refused: {problem}", file=sys.stderr)
    return rows


def table(rows: list[dict]) -> str:
    """Markdown table; the speed-up compares each row with jobs=1 at the same size. Then how linking time grew
    with the corpus, size to size at the same jobs (near-linear linking grows about as the corpus does)."""
    base = {(r["size"], r["engine"]): r["seconds"] for r in rows if r["jobs"] == 1}
    lines = ["| articles generated | articles built | refused inputs | words | engine | jobs | runs | seconds (median) "
             "| linking s | articles/s | words/s | words/s per core | words per CPU-second | speed-up vs jobs=1 | peak RSS main (MiB) "
             "| peak RSS largest worker (MiB) | RSS main after reading / peak while extracting and linking (MiB) |",
             "|---:|---:|---:|---:|:---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        speedup = f"{base[r['size'], r['engine']] / r['seconds']:.2f}" if (r["size"], r["engine"]) in base else "-"
        worker = f"{r['rss_worker_mib']:.0f}" if r["jobs"] > 1 else "-"
        lines.append(f"| {r['size']} | {r['articles']} | {r['refused']} | {r['words']} | {r['engine']} | {r['jobs']} | {r['runs']} "
                     f"| {r['seconds']:.2f} | {r['link_seconds']:.2f} | {r['articles_per_s']:.0f} "
                     f"| {r['words_per_s']:.0f} | {r['words_per_s_per_core']:.0f} | {r['words_per_cpu_s']:.0f} | {speedup} | {r['rss_main_mib']:.0f} "
                     f"| {worker} | {r['rss_read_mib']:,.0f} / {r['rss_linking_mib']:,.0f} |")
    for engine, jobs in sorted({(r["engine"], r["jobs"]) for r in rows}):
        same = sorted((r for r in rows if (r["engine"], r["jobs"]) == (engine, jobs)), key=lambda r: r["size"])
        for small, large in zip(same, same[1:]):
            lines.append(f"\nlinking, {engine}, jobs={jobs}: {small['size']} -> {large['size']} articles "
                         f"({large['size'] / small['size']:.1f}x the corpus): {small['link_seconds']:.2f} s -> "
                         f"{large['link_seconds']:.2f} s ({large['link_seconds'] / small['link_seconds']:.1f}x)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    parser.add_argument("--engines", nargs="+", choices=("local", "dask"), default=["local"],
                        help="build engines to compare (default local; dask needs the dask extra)")
    parser.add_argument("--repeats", type=int, default=3, help=f"runs of sizes up to {SMALL} (median reported)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where corpora are generated (default bench/out)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # internal: one measurement in this process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_once(args.measure, args.jobs[0], args.engines[0])))
        return 0
    rows = run(args.sizes, args.jobs, args.repeats, args.seed, args.out, args.engines)
    print(f"build_tables on synthetic corpora, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
