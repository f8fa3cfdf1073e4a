"""Command line: `python -m data_pipeline build INPUT... --out DIR` and `python -m data_pipeline schema`.

Exit codes: 0 every input was read (warnings allowed), 1 some inputs were
refused but the rest was built, 2 nothing was built (usage error, or no article
could be read) and the tables already in DIR are untouched.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__, schema, store
from .build import build_tables
from .kb import KnowledgeBaseError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=__version__)
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="read articles and write the tables (Parquet + manifest.json)")
    build_cmd.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt/.md/.json/.jsonl files or folders (read recursively)")
    build_cmd.add_argument("--out", required=True, help="data folder to write (replaced only when the build succeeds)")
    build_cmd.add_argument("--kb", action="append", default=[], metavar="FILE", help="extra knowledge-base TOML file (repeatable)")
    build_cmd.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes (default: up to 2)")
    build_cmd.add_argument("--max-mb", type=float, default=10.0, help="refuse input files larger than this (default 10)")
    commands.add_parser("schema", help="print the table contract as Markdown")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "schema":
        print(schema.markdown())
        return 0
    try:
        result = build_tables(args.inputs, kb_files=args.kb, jobs=max(1, args.jobs), max_bytes=int(args.max_mb * 1048576))
    except KnowledgeBaseError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.tables["articles"].empty:
        print(f"error: no article could be read; {args.out} was left as it was", file=sys.stderr)
        return 2
    store.write_tables(args.out, result.tables, result.manifest)
    counts = result.manifest["row_counts"]
    print(f"wrote {args.out}: " + ", ".join(f"{counts[n]} {n}" for n in ("articles", "meetings", "people", "organizations", "topic_mentions")))
    return 1 if result.failed else 0
