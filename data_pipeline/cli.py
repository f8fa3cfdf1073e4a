"""Command line: `python -m data_pipeline build [INPUT...] --out DIR` and `python -m data_pipeline schema`.

`build` adds the inputs to the data folder DIR (originals kept in DIR/inbox) and
brings its tables up to date, extracting only articles it has not seen; with no
INPUT it rebuilds from the inbox. `--feed URL` fetches a feed's new items
(`data_pipeline.fetch`) and adds them as one more input. Exit codes: 0 every input was read or was
already there (warnings allowed), 1 some inputs were refused but the rest was
built, 2 nothing was added or built (usage error, bad knowledge base, every new
input refused, or no readable article at all) and DIR is untouched.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import nullcontext

from . import __version__, ner, schema
from .build import LocalEngine
from .dask_engine import DaskEngineError
from .fetch import FetchError, feed_upload, known_sources
from .kb import KnowledgeBaseError
from .store import StoreError
from .update import REFUSED, Upload, update


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="add articles to a data folder and bring its tables up to date")
    build_cmd.add_argument("inputs", nargs="*", metavar="INPUT", help="article files (text, JSON, web pages, PDFs, feeds, e-mails) or folders (read recursively); none: rebuild from DIR/inbox")
    build_cmd.add_argument("--out", required=True, metavar="DIR", help="data folder (its current version is replaced only when the build succeeds)")
    build_cmd.add_argument("--kb", action="append", default=None, metavar="FILE", help="extra knowledge-base TOML file (repeatable; default: the files the current version used)")
    build_cmd.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes (default: up to 2)")
    build_cmd.add_argument("--max-mb", type=float, default=10.0, help="refuse input files larger than this (default 10)")
    build_cmd.add_argument("--feed", action="append", default=[], metavar="URL", help="fetch an RSS/Atom feed's items not yet in DIR (repeatable)")
    build_cmd.add_argument("--full", action="store_true", help="extract every article again instead of reusing the previous version's work")
    build_cmd.add_argument("--engine", choices=("local", "dask"), default="local",
                           help="local: worker processes on this machine (default); dask: a Dask cluster (needs the dask extra)")
    build_cmd.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: the scheduler to use, e.g. tcp://10.0.0.5:8786 "
                           "(default: a LocalCluster of --jobs workers on this machine)")
    commands.add_parser("schema", help="print the table contract as Markdown")
    return parser


def _engine(args: argparse.Namespace):
    """The build engine the options ask for; the local one is the default and needs no Dask."""
    if args.engine == "dask":
        from .dask_engine import connect

        return connect(args.scheduler, max(1, args.jobs))
    return nullcontext(LocalEngine(max(1, args.jobs)))


def _feed_uploads(urls: list[str], folder: str, max_bytes: int) -> tuple[list[Upload], bool]:
    """The new items of each feed as uploads, and whether a feed could not be fetched (said on stderr)."""
    uploads, failed = [], False
    for url in urls:
        try:
            upload, warnings = feed_upload(url, known_sources(folder), max_bytes=max_bytes)
        except FetchError as error:
            print(f"error: {error}", file=sys.stderr)
            failed = True
            continue
        for warning in warnings:
            print(f"warning: {warning}", file=sys.stderr)
        if upload is None:
            print(f"nothing new in {url}", file=sys.stderr)
        else:
            uploads.append(upload)
    return uploads, failed


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(schema.markdown())
        return 0
    if args.scheduler and args.engine != "dask":
        print("error: --scheduler is for --engine dask", file=sys.stderr)
        return 2
    max_bytes = int(args.max_mb * 1048576)
    feeds, feeds_failed = _feed_uploads(args.feed, args.out, max_bytes)
    inputs = [*args.inputs, *feeds]
    if args.feed and not inputs:
        return 2 if feeds_failed else 0
    try:
        with _engine(args) as engine:
            result = update(args.out, inputs, kb_files=args.kb, jobs=max(1, args.jobs), max_bytes=max_bytes,
                            full=args.full, engine=engine, bars=True)
    except (KnowledgeBaseError, StoreError, DaskEngineError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for outcome in result.outcomes:
        for message in outcome.messages:
            print(f"{'error' if outcome.status == REFUSED else 'warning'}: {outcome.name}: {message}", file=sys.stderr)
    if result.build is None:
        print(f"nothing new for {args.out}: it was left as it was", file=sys.stderr)
        return 2 if result.refused else 0
    for problem in result.other_problems:
        print(problem, file=sys.stderr)
    if result.build.empty:
        print(f"error: no article could be read; {args.out} was left as it was", file=sys.stderr)
        return 2
    counts = result.build.manifest["row_counts"]
    state = "wrote" if result.version else "unchanged"
    print(f"{state} {args.out}: " + ", ".join(f"{counts[n]} {n}" for n in ("articles", "meetings", "people", "organizations", "topic_mentions"))
          + f"; {result.build.extracted} article(s) extracted, {counts['articles'] - result.build.extracted} reused")
    print(f"{result.build.reading.summary()}; linked {result.build.linked}")
    print(f"extractor: {ner.extractor_label(result.build.manifest['extractor']['model'])}")
    return 1 if result.refused or result.build.failed or feeds_failed else 0
