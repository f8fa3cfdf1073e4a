"""Benchmark of `link` alone (merging meetings and building every table) on stored extractions of the synthetic corpus.

    python bench/link_stored.py --sizes 10000 100000 --jobs 2

A full build of 100,000 articles takes most of an hour, nearly all of it extraction, which linking does not
depend on. So each size's corpus (`bench/generate.py`) is extracted once, in `--jobs` worker processes, into
Parquet parts under `bench/out/extractions-N-seedS/` (`extraction_store`, as a data folder keeps them), and every
later run reads them back and times `link` only, in a fresh interpreter per size: wall and CPU seconds of `link`,
the resident memory before it (the articles and their extractions) and its peak during it (sampled every 50 ms).

`--base N` makes every size from the stored extractions of the N-article corpus instead (sizes must be multiples
of N), so that 100,000 articles need only 10,000 extracted: copy k (from 0) of each extraction is a separate copy
of all its objects (as an extraction read from a part or a worker is), under a new article id, with every date
moved 8k years later (the corpus spans five years; 8 keeps 29 February a day) and its story signature's values
XORed with a per-copy constant, so copies are neither one meeting nor one story. The meetings per place and
month stay those of the N-article corpus, where a real corpus of the larger size would crowd its five years
ten times as much (`bench/linking.py` measures the merge at that density).

The stored extractions are reused whatever the pipeline's code (the fingerprint they were made with is kept
beside them), so a change to linking is measured on the same input before and after; `--extract` makes them
again, as a change to extraction needs. `--profile FILE` writes a cProfile of `link` (the largest size).
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import hashlib
import json
import os
import pickle
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import DEFAULT_OUT  # noqa: E402
from bench.rss import PeakRss, rss_mib  # noqa: E402
from bench.streamed import Clocked  # noqa: E402
from bench.run import corpus_for  # noqa: E402

META = "extractions.json"


def stored(size: int, seed: int, root: Path, jobs: int, again: bool = False) -> Path:
    """The folder holding the extractions of the corpus of this size and seed, extracted when missing."""
    from data_pipeline.build import Extraction, LocalEngine

    folder = root / f"extractions-{size}-seed{seed}"
    if (folder / META).exists() and not again:
        return folder
    corpus = corpus_for(size, seed, root)
    started = time.perf_counter()
    run = Extraction([corpus], engine=LocalEngine(jobs), parts_to=folder / "extractions", bars=True)
    count = sum(len(batch) for batch in run.batches())
    (folder / META).write_text(json.dumps({"fingerprint": run.fingerprint, "parts": sorted(run.parts),
                                           "articles": count}), encoding="utf-8")
    print(f"  extracted {count} articles of {corpus} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return folder


def _copy(extraction, k: int):
    """Copy k of an extraction: its own objects, another article id, dates 8k years later, another signature."""
    from data_pipeline.model import DateSpan

    if k == 0:
        return extraction
    ex = pickle.loads(pickle.dumps(extraction))
    years = 8 * k

    def later(day):
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February, in a year without one (2100, 2200…: from the tenth copy on)
            return day.replace(year=day.year + years, day=28)

    def moved(span):
        return span and DateSpan(later(span.start), later(span.end), span.precision)

    published = ex.document.published
    article_id = "art-" + hashlib.sha256(f"{ex.document.article_id}/{k}".encode()).hexdigest()[:16]
    salt = int(hashlib.sha256(f"copy {k}".encode()).hexdigest()[:8], 16)
    return dataclasses.replace(
        ex, document=dataclasses.replace(ex.document, article_id=article_id,
                                         published=published and later(published)),
        dateline=ex.dateline and dataclasses.replace(ex.dateline, date=moved(ex.dateline.date)),
        dates=tuple(dataclasses.replace(d, span=moved(d.span)) for d in ex.dates),
        meetings=tuple(dataclasses.replace(m, span=moved(m.span)) for m in ex.meetings),
        signature=tuple(v ^ salt for v in ex.signature))


def copies_of(folder: Path, corpus: Path, copies: int) -> Iterator:
    """The stored extractions of `corpus`, part by part, then `copies - 1` more copies of each part, read again,
    decoded, copied and encoded again."""
    from data_pipeline.build import extraction_key
    from data_pipeline.extraction_store import Batch, ExtractionCache
    from data_pipeline.readers import read_inputs

    meta = json.loads((folder / META).read_text(encoding="utf-8"))
    articles, _, _ = read_inputs([corpus])
    by_key = {extraction_key(a, meta["fingerprint"]): a for a in articles}
    for k in range(copies):
        cache = ExtractionCache(folder, meta["parts"])
        for _, _, batch in cache.batches(dict(by_key)):
            yield batch if k == 0 else Batch.of(_copy(ex, k) for ex in batch.extractions())


def of_folder(folder: Path) -> Iterator:
    """The extractions a data folder's current version lists, a batch per part, each with its article from the inbox.

    Their keys were made by the code that built the folder, so articles are found by article id instead."""
    import pyarrow.parquet as pq

    from data_pipeline import store
    from data_pipeline.extraction_store import ExtractionCache, parts_dir
    from data_pipeline.readers import read_inputs

    parts = store.read_manifest(folder)["extraction_parts"]
    articles = {a.article_id: a for a in read_inputs([store.inbox(folder)], relative_to=folder)[0]}
    cache = ExtractionCache(folder, parts)
    for part in parts:
        keyed = pq.read_table(parts_dir(folder) / part, columns=["key", "extraction.document.article_id"])
        wanted = {k: articles[a] for k, a in zip(keyed.column("key").to_pylist(), keyed.column("article_id").to_pylist())}
        yield from (batch for _, _, batch in cache.batches(wanted))


def measure_once(extractions: Iterator, profile: Path | None) -> dict:
    """Time `link_batches` on batches of extractions streamed from stored parts, as a build streams them (call in a
    fresh process), the per-article tables written to disk as a large build writes them (`table_spill`)."""
    import tempfile

    from data_pipeline.kb import load_kb
    from data_pipeline.link import link_batches
    from data_pipeline.table_spill import Spill

    kb = load_kb(())
    before = rss_mib()
    source = Clocked(extractions)
    profiler = cProfile.Profile() if profile else None
    DEFAULT_OUT.mkdir(parents=True, exist_ok=True)
    with PeakRss() as peak, tempfile.TemporaryDirectory(prefix="spill-", dir=DEFAULT_OUT) as spill:
        wall, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        linked = link_batches(source, kb, spill=Spill(Path(spill)))
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        counts = {name: len(table) + linked.parts.rows(name) for name, table in linked.tables.items()}
    if profiler:
        profiler.dump_stats(profile)
    return {"articles": counts["articles"], "meetings": counts["meetings"], "rows": sum(counts.values()), "row_counts": counts,
            "read_cpu_seconds": source.cpu, "link_seconds": wall - source.wall, "link_cpu_seconds": cpu - source.cpu,
            "rss_before_mib": before, "rss_peak_link_mib": peak.peak,
            "rss_peak_process_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def table(rows: list[dict]) -> str:
    lines = ["| articles | meetings | rows in all tables | reading parts CPU s | link wall s | link CPU s "
             "| CPU µs per article | RSS before link (MiB) | peak RSS during link (MiB) | peak RSS of the process (MiB) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['articles']:,} | {r['meetings']:,} | {r['rows']:,} | {r['read_cpu_seconds']:.1f} | {r['link_seconds']:.1f} "
                     f"| {r['link_cpu_seconds']:.1f} | {r['link_cpu_seconds'] / r['articles'] * 1e6:.0f} "
                     f"| {r['rss_before_mib']:,.0f} | {r['rss_peak_link_mib']:,.0f} | {r['rss_peak_process_mib']:,.0f} |")
    for small, large in zip(rows, rows[1:]):
        lines.append(f"\n{small['articles']:,} -> {large['articles']:,} articles ({large['articles'] / small['articles']:.1f}x): "
                     f"link CPU {large['link_cpu_seconds'] / small['link_cpu_seconds']:.1f}x, "
                     f"wall {large['link_seconds'] / small['link_seconds']:.1f}x")
    return "\n".join(lines)


def _measured(what: list[str], profile: Path | None) -> dict:
    """`measure_once` in a fresh interpreter, as peak memory covers a process's whole life."""
    command = [sys.executable, __file__, "--measure", *what] + (["--profile", str(profile)] if profile else [])
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"measuring {' '.join(what)} failed:\n{done.stderr}")
    row = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {row['articles']} articles: link {row['link_seconds']:.1f} s", file=sys.stderr)
    return row


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--jobs", type=int, default=2, help="extraction workers when extractions are made")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where corpora and extractions are kept")
    parser.add_argument("--extract", action="store_true", help="extract again even when stored")
    parser.add_argument("--base", type=int, help="make every size from copies of this size's extractions")
    parser.add_argument("--profile", type=Path, help="write a cProfile of link at the largest size here")
    parser.add_argument("--folders", type=Path, nargs="+",
                        help="link the current version of each of these data folders from its stored parts instead")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)  # internal: one size in this process
    args = parser.parse_args(argv)
    if args.measure:
        extractions = (of_folder(Path(args.measure[0])) if len(args.measure) == 1
                       else copies_of(Path(args.measure[0]), Path(args.measure[1]), int(args.measure[2])))
        print(json.dumps(measure_once(extractions, args.profile)))
        return 0
    if args.folders:
        rows = [_measured([str(folder)], args.profile if folder == args.folders[-1] else None) for folder in args.folders]
        print(f"link on the stored extractions of data folders, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
        print(table(rows))
        for folder, row in zip(args.folders, rows):
            from data_pipeline import store
            built = store.read_manifest(folder)["row_counts"]
            print(f"\n{folder}: every table has the row count of the version as built: {row['row_counts'] == built}")
        return 0
    if args.base and any(size % args.base for size in args.sizes):
        parser.error(f"every size must be a multiple of --base {args.base}")
    rows = []
    for size in sorted(args.sizes):
        extracted = args.base or size
        folder = stored(extracted, args.seed, args.out, args.jobs, args.extract)
        profile = args.profile if size == max(args.sizes) else None
        rows.append(_measured([str(folder), str(corpus_for(extracted, args.seed, args.out)), str(size // extracted)], profile))
    made = f"copies of the {args.base:,} extracted" if args.base else "each size extracted"
    print(f"link on stored extractions of the synthetic corpus ({made}), {os.cpu_count()} CPUs, "
          f"Python {sys.version.split()[0]}\n")
    print(table(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
