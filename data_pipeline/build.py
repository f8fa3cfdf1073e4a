"""A build: read inputs, extract every article (in parallel), link, validate.

Extraction is per article and pure, so it runs in worker processes and its
result can be reused: a build given the previous version's extractions only
extracts articles it has not seen under the same code and knowledge base.
Linking needs every article at once and always runs over all of them, which is
why an incremental build gives exactly the tables of a full one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Mapping, Sequence

import pandas as pd

from . import __version__
from .extract import extract_article
from .kb import KnowledgeBase, load_kb
from .link import link
from .model import ArticleExtraction, RawArticle
from .progress import bar
from .readers import DEFAULT_MAX_BYTES, InputProblem, read_inputs

_worker_kb: KnowledgeBase | None = None


@dataclass(frozen=True)
class BuildResult:
    tables: dict[str, pd.DataFrame]
    problems: list[InputProblem]
    manifest: dict
    extractions: dict[str, ArticleExtraction] = field(default_factory=dict, repr=False)  # by `extraction_key`
    extracted: int = 0  # articles extracted by this build; the rest came from the previous version

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


def _init_worker(kb_files: tuple[str, ...]) -> None:
    global _worker_kb
    _worker_kb = load_kb(kb_files)


def _extract_in_worker(raw: RawArticle) -> ArticleExtraction:
    return extract_article(raw, _worker_kb)


def extract_all(articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...], jobs: int,
                bars: bool = False) -> list[ArticleExtraction]:
    def shown(done):
        return list(bar(done, show=bars, total=len(articles), desc="extracting", unit="article"))

    if jobs <= 1 or len(articles) < 2 * jobs:
        return shown(extract_article(a, kb) for a in articles)
    chunk = max(1, min(64, len(articles) // (jobs * 8)))
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(kb_files,)) as pool:
        return shown(pool.imap(_extract_in_worker, articles, chunksize=chunk))


def fingerprint(kb_files: tuple[str, ...]) -> str:
    """What an extraction depends on besides the article: the pipeline's code and every knowledge-base file.

    Hashing the source rather than trusting `__version__` means an upgraded
    pipeline never reuses an extraction made by the old rules.
    """
    digest = hashlib.sha256(__version__.encode())
    package = resources.files("data_pipeline")
    for entry in sorted((*package.iterdir(), *(package / "data").iterdir()), key=lambda e: e.name):
        if entry.name.endswith((".py", ".toml")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for path in kb_files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def extraction_key(article: RawArticle, code_and_kb: str) -> str:
    """Everything extraction reads from an article (not its source name or pages, which are patched on reuse)."""
    parts = (code_and_kb, article.article_id, article.title, str(article.published), article.date_source)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _build_id(articles: list[RawArticle], code_and_kb: str) -> str:
    """Identifies the data version: the same articles, code and knowledge base give the same id."""
    digest = hashlib.sha256(code_and_kb.encode())
    for key in sorted(f"{a.article_id}\0{a.title}\0{a.published}\0{a.source}" for a in articles):
        digest.update(key.encode())
    return digest.hexdigest()[:16]


def _extract_new(articles: list[RawArticle], keys: list[str], cache: Mapping[str, ArticleExtraction], kb: KnowledgeBase,
                 kb_files: tuple[str, ...], jobs: int, bars: bool) -> list[ArticleExtraction]:
    fresh = iter(extract_all([a for a, k in zip(articles, keys) if k not in cache], kb, kb_files, jobs, bars))
    return [
        dataclasses.replace(cache[key], source=article.source, pages=article.pages) if key in cache else next(fresh)
        for article, key in zip(articles, keys)
    ]


def build_tables(inputs: Sequence[str | Path], *, kb_files: Sequence[str | Path] = (), jobs: int = 1,
                 max_bytes: int = DEFAULT_MAX_BYTES, relative_to: Path | None = None,
                 cache: Mapping[str, ArticleExtraction] | None = None, bars: bool = False) -> BuildResult:
    """Tables of `inputs`; `cache` holds extractions of a previous build, reused where the key matches.

    `bars` shows files read and articles extracted on a terminal (`progress`).
    """
    cache = cache or {}
    kb_files = tuple(str(p) for p in kb_files)
    kb = load_kb(kb_files)
    code_and_kb = fingerprint(kb_files)
    articles, problems, files = read_inputs(inputs, max_bytes, relative_to, bars)
    keys = [extraction_key(a, code_and_kb) for a in articles]
    extractions = _extract_new(articles, keys, cache, kb, kb_files, jobs, bars)
    problems += [
        InputProblem(e.source, "no publication date found (no header, record date or dated dateline); relative dates are left unresolved", False)
        for e in extractions if e.document.published is None
    ]
    tables = link(extractions, kb)
    manifest = {
        "pipeline_version": __version__,
        "build_id": _build_id(articles, code_and_kb),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": files,
        "knowledge_base": list(kb.sources),
        "row_counts": {name: int(len(frame)) for name, frame in tables.items()},
        "problems": [str(p) for p in problems],
    }
    extracted = sum(key not in cache for key in keys)
    return BuildResult(tables, problems, manifest, dict(zip(keys, extractions)), extracted)
