"""Benchmark of `link` alone (merging meetings and building every table) on stored extractions of the synthetic corpus.

    python bench/link_stored.py --sizes 10000 100000 --jobs 2

A full build of 100,000 articles takes most of an hour, nearly all of it extraction, which linking does not
depend on. So each size's corpus (`bench/generate.py`) is extracted once, in `--jobs` worker processes, into
Parquet parts under `bench/out/extractions-N-seedS/` (`extraction_store`, as a data folder keeps them), and every
later run reads them back and times `link` only, in a fresh interpreter per size: wall and CPU seconds of `link`,
the resident memory before it (the articles and their extractions) and its peak during it (sampled every 50 ms).

The stored extractions are reused whatever the pipeline's code (the fingerprint they were made with is kept
beside them), so a change to linking is measured on the same input before and after; `--extract` makes them
again, as a change to extraction needs. `--profile FILE` writes a cProfile of `link` (the largest size).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import DEFAULT_OUT  # noqa: E402
from bench.run import corpus_for  # noqa: E402

META = "extractions.json"


def _rss_mib() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """The largest resident size of this process while the block runs, read every `every` seconds."""

    def __init__(self, every: float = 0.05):
        self.every, self.peak, self._done = every, 0.0, threading.Event()

    def _sample(self) -> None:
        while not self._done.wait(self.every):
            self.peak = max(self.peak, _rss_mib())

    def __enter__(self):
        self.peak = _rss_mib()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mib())


def stored(size: int, seed: int, root: Path, jobs: int, again: bool = False) -> Path:
    """The folder holding the extractions of the corpus of this size and seed, extracted when missing."""
    from data_pipeline.build import LocalEngine, extract_articles

    folder = root / f"extractions-{size}-seed{seed}"
    if (folder / META).exists() and not again:
        return folder
    corpus = corpus_for(size, seed, root)
    started = time.perf_counter()
    extracted = extract_articles([corpus], engine=LocalEngine(jobs), parts_to=folder / "extractions", bars=True)
    (folder / META).write_text(json.dumps({"fingerprint": extracted.fingerprint, "parts": extracted.parts,
                                           "articles": len(extracted.extractions)}), encoding="utf-8")
    print(f"  extracted {len(extracted.extractions)} articles of {corpus} in {time.perf_counter() - started:.0f} s",
          file=sys.stderr)
    return folder


def measure_once(folder: Path, corpus: Path, profile: Path | None) -> dict:
    """Read the stored extractions, then time `link` on them (call in a fresh process)."""
    from data_pipeline.build import extraction_key
    from data_pipeline.extraction_store import ExtractionCache
    from data_pipeline.kb import load_kb
    from data_pipeline.link import link
    from data_pipeline.readers import read_inputs

    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    articles, _, _ = read_inputs([corpus])
    by_key = {extraction_key(a, meta["fingerprint"]): a for a in articles}
    extractions = list(ExtractionCache(folder, meta["parts"]).load(by_key).values())
    if len(extractions) != meta["articles"]:
        raise SystemExit(f"{folder}: {len(extractions)} extractions read of {meta['articles']} stored")
    kb = load_kb(())
    before = _rss_mib()
    profiler = cProfile.Profile() if profile else None
    with PeakRss() as peak:
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        tables = link(extractions, kb)
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(profile)
    return {"articles": len(extractions), "meetings": len(tables["meetings"]),
            "rows": sum(len(t) for t in tables.values()), "link_seconds": wall, "link_cpu_seconds": cpu,
            "rss_before_mib": before, "rss_peak_link_mib": peak.peak,
            "rss_peak_process_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def table(rows: list[dict]) -> str:
    lines = ["| articles | meetings | rows in all tables | link wall s | link CPU s | CPU µs per article "
             "| RSS before link (MiB) | peak RSS during link (MiB) | peak RSS of the process (MiB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['articles']:,} | {r['meetings']:,} | {r['rows']:,} | {r['link_seconds']:.1f} "
                     f"| {r['link_cpu_seconds']:.1f} | {r['link_cpu_seconds'] / r['articles'] * 1e6:.0f} "
                     f"| {r['rss_before_mib']:,.0f} | {r['rss_peak_link_mib']:,.0f} | {r['rss_peak_process_mib']:,.0f} |")
    for small, large in zip(rows, rows[1:]):
        lines.append(f"\n{small['articles']:,} -> {large['articles']:,} articles ({large['articles'] / small['articles']:.1f}x): "
                     f"link CPU {large['link_cpu_seconds'] / small['link_cpu_seconds']:.1f}x, "
                     f"wall {large['link_seconds'] / small['link_seconds']:.1f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2, help="extraction workers when extractions are made")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where corpora and extractions are kept")
    parser.add_argument("--extract", action="store_true", help="extract again even when stored")
    parser.add_argument("--profile", type=Path, help="write a cProfile of link at the largest size here")
    parser.add_argument("--measure", nargs=2, type=Path, help=argparse.SUPPRESS)  # internal: one size in this process
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure_once(*args.measure, args.profile)))
        return 0
    rows = []
    for size in sorted(args.sizes):
        folder = stored(size, args.seed, args.out, args.jobs, args.extract)
        command = [sys.executable, __file__, "--measure", str(folder), str(corpus_for(size, args.seed, args.out))]
        if args.profile and size == max(args.sizes):
            command += ["--profile", str(args.profile)]
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"measuring {size} failed:\n{done.stderr}")
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(f"  {size} articles: link {rows[-1]['link_seconds']:.1f} s", file=sys.stderr)
    print(f"link on stored extractions of the synthetic corpus, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
