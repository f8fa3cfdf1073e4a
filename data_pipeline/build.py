"""A build: read inputs, extract every article (in parallel), link, validate, write.

Extraction is per article and pure, so it runs in worker processes; linking
needs every article at once and runs in the parent.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

import pandas as pd

from . import __version__, store
from .extract import extract_article
from .kb import KnowledgeBase, load_kb
from .link import link
from .model import ArticleExtraction, RawArticle
from .readers import DEFAULT_MAX_BYTES, InputProblem, read_inputs

_worker_kb: KnowledgeBase | None = None


@dataclass(frozen=True)
class BuildResult:
    tables: dict[str, pd.DataFrame]
    problems: list[InputProblem]
    manifest: dict

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


def _init_worker(kb_files: tuple[str, ...]) -> None:
    global _worker_kb
    _worker_kb = load_kb(kb_files)


def _extract_in_worker(raw: RawArticle) -> ArticleExtraction:
    return extract_article(raw, _worker_kb)


def extract_all(articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...], jobs: int) -> list[ArticleExtraction]:
    if jobs <= 1 or len(articles) < 2 * jobs:
        return [extract_article(a, kb) for a in articles]
    chunk = max(1, min(64, len(articles) // (jobs * 8)))
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(kb_files,)) as pool:
        return pool.map(_extract_in_worker, articles, chunksize=chunk)


def _build_id(articles: list[RawArticle], kb_files: tuple[str, ...]) -> str:
    """Identifies the data version: the same article texts and knowledge base give the same id."""
    digest = hashlib.sha256(__version__.encode())
    for article_id in sorted(a.article_id for a in articles):
        digest.update(article_id.encode())
    for path in kb_files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:16]


def build_tables(inputs: Sequence[str | Path], *, kb_files: Sequence[str | Path] = (), jobs: int = 1,
                 max_bytes: int = DEFAULT_MAX_BYTES) -> BuildResult:
    kb_files = tuple(str(p) for p in kb_files)
    kb = load_kb(kb_files)
    articles, problems, files = read_inputs(inputs, max_bytes)
    extractions = extract_all(articles, kb, kb_files, jobs)
    problems += [
        InputProblem(e.source, "no publication date found (no header, record date or dated dateline); relative dates are left unresolved", False)
        for e in extractions if e.document.published is None
    ]
    tables = link(extractions, kb)
    manifest = {
        "pipeline_version": __version__,
        "build_id": _build_id(articles, kb_files),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": files,
        "knowledge_base": list(kb.sources),
        "row_counts": {name: int(len(frame)) for name, frame in tables.items()},
        "problems": [str(p) for p in problems],
    }
    return BuildResult(tables, problems, manifest)


def build(inputs: Sequence[str | Path], out: str | Path, **options) -> BuildResult:
    """Build and write the tables to `out`, replacing what is there only when the whole build succeeded."""
    result = build_tables(inputs, **options)
    store.write_tables(Path(out), result.tables, result.manifest)
    return result
