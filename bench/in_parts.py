"""Benchmark of a large corpus built in parts: the synthetic corpus of N articles added to one data folder in K
adds of N/K articles, each in a process of its own, as a team feeding a folder day by day would.

    python bench/in_parts.py --size 1000000 --parts 4 --out /work/bench-data/in-parts

A build of the whole corpus at once reads every input first (at 1,000,000 articles 8.7 GB before extracting any),
so its memory grows with the corpus; an add reads only the new files' texts (`inbox_reading`) and links what they
touch (`link_added`), so each part's memory is what its own articles need plus what grows with the folder. The
corpus (`bench/generate.py`, every article marked SYNTHETIC) is split into K folders of hard links under
`OUT/parts/`, by article number; each is then added to `OUT/data` as `python -m data_pipeline build PART --out
DATA --jobs J` adds it (`update.update`). Per add: wall time, CPU time of the process and its workers, the time of
each step (`bench/incremental.py`'s), and the peak memory held at once, summed over the process and its workers as
proportional set sizes (PSS: a page forked workers share is counted once), sampled every half second. `--first K` goes on from
part K of a run stopped between adds.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import DEFAULT_OUT  # noqa: E402
from bench.rss import PeakRss, tree_pss_mib  # noqa: E402
from bench.run import corpus_for  # noqa: E402
from data_pipeline import store  # noqa: E402

ARTICLE_FILE = re.compile(r"synthetic_(\d+)\.txt")


def split(corpus: Path, size: int, parts: int, out: Path) -> list[Path]:
    """The corpus's files in `parts` folders of hard links under `out`: text files by their article number, the
    JSON Lines files (one record in ten) in their order."""
    names = sorted(path.name for path in corpus.iterdir() if not path.name.startswith("."))
    records = [name for name in names if name.endswith(".jsonl")]
    folders = [out / f"part{k + 1}" for k in range(parts)]
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        number = ARTICLE_FILE.fullmatch(name)
        k = int(number.group(1)) * parts // size if number else records.index(name) * parts // len(records)
        if not (folders[k] / name).exists():
            os.link(corpus / name, folders[k] / name)
    return folders


def add(part: Path, folder: Path, jobs: int) -> dict:
    """Add one part to the folder in a process of its own (`--add`); its time, CPU, steps and peak memory held at
    once."""
    started, before = time.perf_counter(), os.times()
    command = [sys.executable, __file__, "--add", str(part), "--data", str(folder), "--jobs", str(jobs)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakRss(0.5, partial(tree_pss_mib, child.pid)) as peak:
        out, err = child.communicate()
    if child.returncode:
        raise SystemExit(f"adding {part} failed ({child.returncode}):\n{err[-4000:]}")
    after = os.times()
    return {"part": part.name, "seconds": time.perf_counter() - started, "peak_pss_mib": peak.peak,
            "cpu_seconds": after.children_user - before.children_user + after.children_system - before.children_system,
            **json.loads(out.strip().splitlines()[-1])}


def add_here(part: Path, folder: Path, jobs: int) -> dict:
    """Add one part to the folder in this process, as the build command does, timing its steps
    (`bench/incremental.py`'s)."""
    from bench.incremental import _clocked_steps
    from data_pipeline.update import update

    spent = _clocked_steps()
    result = update(folder, [part], jobs=jobs)
    return {"articles": result.build.manifest["row_counts"]["articles"], "extracted": result.build.extracted,
            "linked": result.build.linked, "steps": {step: sum(seconds) for step, seconds in spent.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--parts", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, help="where the parts and the data folder go (DATA = OUT/data)")
    parser.add_argument("--json", type=Path, help="write the rows as JSON here too")
    parser.add_argument("--first", type=int, default=1, help="add from this part on (the ones before are in the folder)")
    parser.add_argument("--add", type=Path, help=argparse.SUPPRESS)  # internal: add this part in this process
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.add:
        print(json.dumps(add_here(args.add, args.data, args.jobs)))
        return 0
    if args.out is None:
        parser.error("--out is required")
    if args.size % args.parts:
        parser.error("--size must be a multiple of --parts")
    folders = split(corpus_for(args.size, args.seed, DEFAULT_OUT), args.size, args.parts, args.out / "parts")
    rows = []
    for part in folders[args.first - 1:]:
        rows.append(add(part, args.out / "data", args.jobs))
        if args.json:  # after each add: a run of hours may be stopped between them
            args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
        print(f"  {part.name}: {rows[-1]['seconds']:.0f} s, peak {rows[-1]['peak_pss_mib']:,.0f} MiB", file=sys.stderr)
    manifest = store.read_manifest(args.out / "data")
    print(f"{args.size:,} synthetic articles in {args.parts} adds, {args.jobs} jobs, {os.cpu_count()} CPUs\n")
    steps = list(rows[-1]["steps"])
    print("| add | articles in the folder after it | extracted | linked | wall s | CPU s | peak memory held (PSS, MiB) | "
          + " | ".join(f"{step} (s)" for step in steps) + " |\n|---|---:|---:|---|---:|---:|---:|" + "---:|" * len(steps))
    for row in rows:
        print(f"| {row['part']} | {row['articles']:,} | {row['extracted']:,} | {row['linked']} | {row['seconds']:.0f} "
              f"| {row['cpu_seconds']:.0f} | {row['peak_pss_mib']:,.0f} | "
              + " | ".join(f"{row['steps'].get(step, 0):.1f}" for step in steps) + " |")
    print(f"\nin all: {sum(r['seconds'] for r in rows):,.0f} s; row counts: {manifest['row_counts']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
