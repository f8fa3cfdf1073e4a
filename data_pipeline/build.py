"""A build: read inputs, extract every article (in parallel), link, validate.

Extraction is per article and pure, so it runs in worker processes and its
result can be reused: a build given the previous version's extractions only
extracts articles it has not seen under the same code and knowledge base, and
writes what it extracts as Parquet parts (`extraction_store`) batch by batch.
Linking needs every article at once and always runs over all of them, which is
why an incremental build gives exactly the tables of a full one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import multiprocessing
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import pandas as pd

from . import __version__, ner
from .extract import extract_one
from .extraction_store import ExtractionCache, write_part
from .kb import KnowledgeBase, load_kb
from .link import link
from .model import ArticleExtraction, RawArticle
from .progress import bar
from .readers import DEFAULT_MAX_BYTES, InputProblem, read_inputs

_worker_kb: KnowledgeBase | None = None
PART_SIZE = 2000  # articles per extraction part: one part per batch, written as soon as it is extracted


@dataclass(frozen=True)
class BuildResult:
    tables: dict[str, pd.DataFrame]
    problems: list[InputProblem]
    manifest: dict
    extracted: int = 0  # articles extracted by this build; the rest came from the previous version

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


def _init_worker(kb_files: tuple[str, ...]) -> None:
    global _worker_kb
    _worker_kb = load_kb(kb_files)


def _extract_in_worker(raw: RawArticle) -> ArticleExtraction | InputProblem:
    return extract_one(raw, _worker_kb)


def iter_extract(articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...], jobs: int) -> Iterator[ArticleExtraction | InputProblem]:
    """Extractions of `articles` (or why one failed), in order, as the workers produce them."""
    if jobs <= 1 or len(articles) < 2 * jobs:
        yield from (extract_one(a, kb) for a in articles)
        return
    chunk = max(1, min(64, len(articles) // (jobs * 8)))
    with multiprocessing.Pool(jobs, initializer=_init_worker, initargs=(kb_files,)) as pool:
        yield from pool.imap(_extract_in_worker, articles, chunksize=chunk)


@dataclass(frozen=True)
class LocalEngine:
    """Runs a build on this machine: extraction in `jobs` worker processes, merging in this process.

    The other engine (`dask_engine.DaskEngine`) has the same two methods, so a
    build is the same code, and gives the same tables, on either.
    """

    jobs: int = 1

    def extract(self, articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...]) -> Iterator[ArticleExtraction | InputProblem]:
        return iter_extract(articles, kb, kb_files, self.jobs)

    def map(self, function, items):
        return map(function, items)


def extract_all(articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...], jobs: int) -> list[ArticleExtraction | InputProblem]:
    return list(iter_extract(articles, kb, kb_files, jobs))


def fingerprint(kb_files: tuple[str, ...]) -> str:
    """What an extraction depends on besides the article: the pipeline's code, every knowledge-base file and
    the statistical model (name, version and weights' hash).

    Hashing the source rather than trusting `__version__` means an upgraded
    pipeline never reuses an extraction made by the old rules, nor one made by another model or none.
    """
    digest = hashlib.sha256(__version__.encode())
    model = ner.model_info()
    digest.update(repr(sorted(model.as_dict().items()) if model else "rules only").encode())
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


def _extract_new(articles: list[RawArticle], keys: list[str], cache: ExtractionCache, kb: KnowledgeBase,
                 kb_files: tuple[str, ...], engine: LocalEngine, parts_to: Path | None,
                 ready: Mapping[str, ArticleExtraction], bars: bool) -> tuple[dict[str, ArticleExtraction], list[str], int, list[InputProblem]]:
    """The extractions by key (reused from `cache` where its key is there, taken from `ready` where this
    update extracted them already, else extracted now), the parts holding them, how many are new, and why
    any article could not be extracted. New extractions are written into `parts_to` part by part, when given."""
    by_key = dict(zip(keys, articles))
    reused = cache.load(by_key)
    parts = {cache.part_of(key) for key in reused}
    fresh_keys = list(dict.fromkeys(k for k in keys if k not in reused))
    to_extract = [k for k in fresh_keys if k not in ready]
    stream = engine.extract([by_key[k] for k in to_extract], kb, kb_files)
    # drawn to the end: the bar counts an article when the next is asked for, and zip would stop one short
    extracted = dict(zip(to_extract, list(bar(stream, show=bars, total=len(to_extract), desc="extracting", unit="article"))))
    fresh: dict[str, ArticleExtraction] = {}
    failed: list[InputProblem] = []
    batch: dict[str, ArticleExtraction] = {}
    for number, key in enumerate(fresh_keys, 1):
        outcome = ready[key] if key in ready else extracted[key]
        if isinstance(outcome, InputProblem):  # one article's failure never sinks the others
            failed.append(outcome)
        elif key in ready:  # read from a private copy before the lock: its source is the kept file
            fresh[key] = batch[key] = dataclasses.replace(outcome, source=by_key[key].source)
        else:
            fresh[key] = batch[key] = outcome
        if parts_to is not None and batch and (len(batch) == PART_SIZE or number == len(fresh_keys)):
            parts.add(write_part(parts_to, batch))
            batch = {}
    return reused | fresh, sorted(parts), len(fresh), failed


@dataclass(frozen=True)
class Extracted:
    """What a build extracted from its inputs, before linking: the extractions of the articles kept (in input
    order), the parts holding them, how many were extracted now, the problems, the files read, the data version's
    id, the fingerprint of the code and knowledge base the extractions' keys were made with, and that knowledge
    base. The articles read are not kept: each extraction holds the text, and an extraction made in a worker
    process holds its own copy, so keeping the article too would hold every text twice through linking (a third
    of a gigabyte at 100,000 synthetic articles)."""

    extractions: list[ArticleExtraction]
    parts: list[str]
    extracted: int
    problems: list[InputProblem]
    files: list[dict]
    build_id: str
    fingerprint: str
    kb: KnowledgeBase


def extract_articles(inputs: Sequence[str | Path], *, kb_files: Sequence[str | Path] = (),
                     max_bytes: int = DEFAULT_MAX_BYTES, relative_to: Path | None = None,
                     cache: ExtractionCache | None = None, parts_to: Path | None = None, engine=None,
                     ready: Mapping[str, ArticleExtraction] | None = None, bars: bool = False) -> Extracted:
    """Read `inputs` and extract every article not in `cache` (see `build_tables` for the arguments)."""
    cache = cache or ExtractionCache()
    engine = engine or LocalEngine()
    kb_files = tuple(str(p) for p in kb_files)
    kb = load_kb(kb_files)
    code_and_kb = fingerprint(kb_files)
    articles, problems, files = read_inputs(inputs, max_bytes, relative_to, bars)
    keys = [extraction_key(a, code_and_kb) for a in articles]
    by_key, parts, extracted, failed = _extract_new(articles, keys, cache, kb, kb_files, engine, parts_to, ready or {}, bars)
    kept = [i for i, key in enumerate(keys) if key in by_key]
    return Extracted([by_key[keys[i]] for i in kept], parts, extracted, problems + failed, files,
                     _build_id([articles[i] for i in kept], code_and_kb), code_and_kb, kb)


def build_tables(inputs: Sequence[str | Path], *, kb_files: Sequence[str | Path] = (), jobs: int = 1,
                 max_bytes: int = DEFAULT_MAX_BYTES, relative_to: Path | None = None,
                 cache: ExtractionCache | None = None, parts_to: Path | None = None, engine=None,
                 ready: Mapping[str, ArticleExtraction] | None = None, bars: bool = False) -> BuildResult:
    """Tables of `inputs`; `cache` holds extractions of a previous build, reused where the key matches.

    With `parts_to`, new extractions are written there as parts, and the manifest
    lists the parts holding this build's articles (`extraction_parts`). `engine`
    runs extraction and merging: `LocalEngine(jobs)` unless another is given.
    `ready` holds extractions this update made already (outside the folder's lock),
    by key; they count as extracted by this build. An article that cannot be
    extracted is left out with a problem naming its file. `bars` shows files read and articles extracted on a
    terminal (`progress`).
    """
    engine = engine or LocalEngine(jobs)
    done = extract_articles(inputs, kb_files=kb_files, max_bytes=max_bytes, relative_to=relative_to, cache=cache,
                            parts_to=parts_to, engine=engine, ready=ready, bars=bars)
    problems = done.problems + [
        InputProblem(e.source, "no publication date found (no header, record date or dated dateline); relative dates are left unresolved", False)
        for e in done.extractions if e.document.published is None
    ]
    tables = link(done.extractions, done.kb, engine.map)
    manifest = {
        "pipeline_version": __version__,
        "build_id": done.build_id,
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": done.files,
        "knowledge_base": list(done.kb.sources),
        # which extractor built the people: the rules alone, or the rules with this exact model
        "extractor": {"model": model.as_dict() if (model := ner.model_info()) else None},
        "row_counts": {name: int(len(frame)) for name, frame in tables.items()},
        "problems": [str(p) for p in problems],
        "extraction_parts": done.parts,
    }
    return BuildResult(tables, problems, manifest, done.extracted)
