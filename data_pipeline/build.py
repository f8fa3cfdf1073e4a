"""A build: read inputs, extract every article (in parallel), link, validate.

Extraction is per article and pure, so it runs in worker processes and its
result can be reused: a build given the previous version's extractions only
extracts articles it has not seen under the same code and knowledge base, and
writes what it extracts as Parquet parts (`extraction_store`) batch by batch.
Linking runs over every article, each extraction streamed into it as it is
read or made (`Extraction.batches`), so a build's memory holds the tables and
not the extractions. An add to a version links only what its new articles
touch (`link_added`, from the state the version keeps, `link_state`), where
that gives exactly the tables of linking every article, and every article
otherwise.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import itertools
import multiprocessing
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from . import __version__, extraction_store, inbox_reading, ner, schema, store, table_files, table_spill
from .extract import extract_one
from .extraction_store import Batch, ExtractionCache, PartWriter
from .inbox_reading import FileRead, Reading, read
from .kb import KnowledgeBase, load_kb
from .link import link_batches
from .link_added import link_added
from .link_state import LinkState, StateError
from .model import ArticleExtraction, RawArticle
from .pages import page_spans
from .progress import bar
from .readers import DEFAULT_MAX_BYTES, InputProblem
from .table_files import Kept
from .windowed import TASKS_AHEAD, batches, submitted_ahead


@dataclass(frozen=True)
class BuildResult:
    tables: dict[str, pd.DataFrame]
    problems: list[InputProblem]
    manifest: dict
    reading: Reading  # what each input file gave, for the next add to read only what changed
    extracted: int = 0  # articles extracted by this build; the rest came from the previous version
    state: LinkState | None = None  # what the next add links from (`link_state`)
    linked: str = "every article"  # or "the added articles", when only what they touch was linked (`link_added`)
    reading_key: dict = dataclasses.field(default_factory=dict)  # what else the reading depended on (`reading_key`)
    # the parts of the per-article tables taken as they are from the version added to (`table_files`): `tables`
    # then holds the rows of the other parts only, and the manifest's row counts are the whole tables'
    kept: Kept = Kept()

    @property
    def empty(self) -> bool:
        """No article could be read (or extracted) at all."""
        return self.manifest["row_counts"]["articles"] == 0

    def beside(self, version: Path) -> dict:
        """Write what the version keeps beside its tables for the next add (the linking state, the reading record)
        under `version`; returns the manifest's entries for it."""
        kept = {inbox_reading.MANIFEST_KEY: inbox_reading.write(version, self.reading.reads, self.reading_key)}
        return kept | ({"linking_state": self.state.write(version)} if self.state is not None else {})

    @property
    def failed(self) -> bool:
        return any(p.fatal for p in self.problems)


@functools.lru_cache(maxsize=4)
def _worker_kb(kb_files: tuple[str, ...]) -> KnowledgeBase:
    """Loaded once per worker process; on a cluster the knowledge-base files must be at the same paths on every
    machine."""
    return load_kb(kb_files)


def extract_batch(articles: list[RawArticle], kb_files: tuple[str, ...]) -> list[ArticleExtraction | InputProblem]:
    """A batch of articles extracted in a worker (of either engine), each failure an `InputProblem`."""
    kb = _worker_kb(kb_files)
    return [extract_one(article, kb) for article in articles]


def iter_extract(articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...], jobs: int) -> Iterator[ArticleExtraction | InputProblem]:
    """Extractions of `articles` (or why one failed), in order, as the workers produce them, with a few batches
    per worker in flight (`windowed`)."""
    if jobs <= 1 or len(articles) < 2 * jobs:
        yield from (extract_one(a, kb) for a in articles)
        return
    size = max(1, min(64, len(articles) // (jobs * 8)))
    with multiprocessing.Pool(jobs) as pool:
        def submit(batch: list[RawArticle]):
            return pool.apply_async(extract_batch, (batch, kb_files))

        for task in submitted_ahead(submit, batches(articles, size), jobs * TASKS_AHEAD):
            yield from task.get()


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


def extraction_modules() -> list[Traversable]:
    """The package's source files an extraction runs: `__init__`, `extract` and every module it imports within
    the package, followed to the end (read from the source, imports inside functions included; a subpackage
    counts whole). Linking, storage and the command line are not among them, so a change to those keeps every
    stored extraction: at 100,000 articles, extracting again is most of an hour.

    Found once per process, under a lock: `ast.parse` in two threads at once (two sessions uploading) fails in
    CPython 3.11."""
    with _PARSING:
        return _modules_from("extract")


def linking_code() -> str:
    """A hash of the code an add links with (`link_added` and every module it imports within the package): the
    linking state and tables of a version made by other code are not added to, but linked again in full."""
    return _code_of("link_added")


def reading_key(max_bytes: int) -> dict:
    """What a file's reading depends on besides the file: the code that reads it and the size limit. A version's
    reading record made under another key is not used: every file is read again (`inbox_reading`)."""
    return {"code": _code_of("inbox_reading"), "max_bytes": max_bytes}


def _code_of(root: str) -> str:
    """A hash of module `root` and every module it imports within the package."""
    with _PARSING:
        modules = _modules_from(root)
    digest = hashlib.sha256(__version__.encode())
    for module in modules:
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.hexdigest()


_PARSING = threading.Lock()


@functools.cache
def _modules_from(root: str) -> list[Traversable]:
    """The package's source files module `root` runs, followed through its imports within the package."""
    package = resources.files("data_pipeline")
    todo, found = [root], {}
    while todo:
        name = todo.pop()
        entry = package / name
        files = sorted(f for f in entry.iterdir() if f.name.endswith(".py")) if entry.is_dir() else [package / f"{name}.py"]
        if name in found or not files[0].is_file():  # `from . import __version__` names no module
            continue
        found[name] = files
        for file in files:
            for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.level and (file.parent == package or node.level > 1):
                    todo += [node.module.split(".")[0]] if node.module else [alias.name for alias in node.names]
    return sorted([package / "__init__.py", *(f for files in found.values() for f in files)], key=lambda f: str(f))


def fingerprint(kb_files: tuple[str, ...]) -> str:
    """What an extraction depends on besides the article: the code extraction runs (`extraction_modules`),
    every knowledge-base file and word list, and the statistical model (name, version and weights' hash).

    Hashing the source rather than trusting `__version__` means an upgraded
    pipeline never reuses an extraction made by the old rules, nor one made by another model or none.
    """
    digest = hashlib.sha256(__version__.encode())
    model = ner.model_info()
    digest.update(repr(sorted(model.as_dict().items()) if model else "rules only").encode())
    data = sorted((resources.files("data_pipeline") / "data").iterdir(), key=lambda e: e.name)
    for entry in [*extraction_modules(), *(e for e in data if e.name.endswith(".toml"))]:
        digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for path in kb_files:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def extraction_key(article: RawArticle, code_and_kb: str) -> str:
    """Everything extraction reads from an article (not its source name or pages, which are patched on reuse)."""
    parts = (code_and_kb, article.article_id, article.title, str(article.published), article.date_source)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


class Extraction:
    """One build's extraction of its inputs, streamed.

    `batches()` yields the extraction of every article that can be extracted, once, in batches as they are ready
    (`extraction_store.Batch`): those a previous version stored, a part at a time (`cache`), then those this update
    extracted already (`ready`, in parts of its own), then the rest as the engine's workers finish them, encoded
    `extraction_store.SLICE` at a time and written into parts (`parts_to`). Nothing here holds them all: linking
    takes a batch at a time (`link_batches`), so a build's memory does not grow with the extractions of its corpus
    (5 GB of objects at 100,000 synthetic articles). The articles read are kept (their text once) since a stored extraction
    takes its text from its article; an article an unchanged file gave to the previous version comes from its reading
    record without text (`inbox_reading`), read from its file only when a batch needs it (`_with_texts`). The parts, the count extracted now, the problems and the version's id are
    complete once `batches()` has been drawn to its end.
    """

    def __init__(self, inputs: Sequence[str | Path], *, kb_files: Sequence[str | Path] = (),
                 max_bytes: int = DEFAULT_MAX_BYTES, relative_to: Path | None = None,
                 cache: ExtractionCache | None = None, parts_to: Path | None = None, engine=None,
                 ready: ExtractionCache | None = None, bars: bool = False, recorded: dict[str, FileRead] | None = None):
        self.kb_files = tuple(str(p) for p in kb_files)
        self.kb = load_kb(self.kb_files)
        self.fingerprint = fingerprint(self.kb_files)
        articles, self.reading = read(inputs, max_bytes, relative_to, bars, recorded or {})
        self._read_problems, self.files = self.reading.problems, self.reading.files
        self._by_key = {extraction_key(a, self.fingerprint): a for a in articles}  # one key per article id
        self._cache, self._ready, self._parts_to = cache or ExtractionCache(), ready or ExtractionCache(), parts_to
        self._engine, self._bars = engine or LocalEngine(), bars
        self.parts: set[str] = set()
        self._seen: set[str] = set()
        self.extracted = 0  # articles extracted by this build; the rest came from the previous version
        self._failed: dict[str, InputProblem] = {}
        self._undated: set[str] = set()

    def batches(self) -> Iterator[Batch]:
        yield from self.stored()
        yield from self.added()

    def stored(self) -> Iterator[Batch]:
        """The extractions a previous version stored (`cache`), a part at a time."""
        yield from self._read(self._cache, made_now=False)

    def article(self, key: str) -> RawArticle:
        """The article read under `key` (its text is dropped once its extraction is linked)."""
        return self._by_key[key]

    def __len__(self) -> int:
        """The articles read."""
        return len(self._by_key)

    def article_ids(self, besides: set[str]) -> list[str]:
        """The ids of this build's articles but those under the keys of `besides`."""
        return [article.article_id for key, article in self._by_key.items() if key not in besides]

    def stored_keys(self) -> set[str]:
        """The keys of this build's articles that the previous version's parts hold."""
        return {key for key in self._by_key if key in self._cache}

    def added(self, skip: frozenset[str] = frozenset()) -> Iterator[Batch]:
        """The extractions this update made already (`ready`), then the ones still to make, but those `stored`
        gave or those of `skip` (the articles of a previous version an add takes as they are)."""
        yield from self._read(self._ready, made_now=True)
        to_extract = [k for k in self._by_key if k not in self._seen and k not in skip]
        pending: list[RawArticle | None] = list(self._with_texts(to_extract).values())
        stream = self._engine.extract(pending, self.kb, self.kb_files)  # engines take their batches as they go
        writer = PartWriter(self._parts_to) if self._parts_to is not None else None

        def made() -> Iterator[tuple[str, ArticleExtraction]]:
            # the bar first: zip asks it for one more item after the last, which is when it counts that one
            for n, (outcome, key) in enumerate(zip(bar(stream, show=self._bars, total=len(to_extract), desc="extracting", unit="article"), to_extract)):
                pending[n] = None
                if isinstance(outcome, InputProblem):  # one article's failure never sinks the others
                    self._failed[key] = outcome
                    continue
                yield key, outcome

        for extracted in batches(made(), extraction_store.SLICE):
            yield self._made(extracted, writer)
        if writer is not None:
            writer.close()
            self.parts.update(writer.parts)

    def _with_texts(self, keys: list[str]) -> dict[str, RawArticle]:
        """The articles of `keys`, with the texts the reading record left out read from their files."""
        articles = self.reading.texts([self._by_key[k] for k in keys])
        self._by_key.update(zip(keys, articles))
        return dict(zip(keys, articles))

    def _read(self, stored: ExtractionCache, made_now: bool) -> Iterator[Batch]:
        for part, keys, batch in stored.batches(self._with_texts([k for k in self._by_key if k not in self._seen and k in stored])):
            self.parts.add(part)
            self._seen.update(keys)
            self.extracted += made_now * len(keys)
            yield self._noted(keys, batch)

    def taken_as_they_are(self, keys: set[str], parts: list[str], undated: set[str]) -> None:
        """Count the articles of `keys` as linked already, in `parts`, those of `undated` without a date (an add
        that links only what its new articles touch, `link_added`, reads none of them)."""
        self.parts.update(parts)
        self._undated.update(key for key in keys if self._by_key[key].article_id in undated)

    def _made(self, made: list[tuple[str, ArticleExtraction]], writer: PartWriter | None) -> Batch:
        """A slice of extractions made by this build, encoded once, and given to the part being written (if any)."""
        keys = [key for key, _ in made]
        batch = Batch.of(extraction for _, extraction in made)
        if writer is not None:
            writer.add_batch(keys, batch)
        self.extracted += len(keys)
        return self._noted(keys, batch)

    def _noted(self, keys: list[str], batch: Batch) -> Batch:
        """The batch, its undated articles noted; their articles keep what the problems and the version id need, not
        their text, which the batch carries (read from the article, or a worker's copy): the texts of the inputs
        are 330 MB at 100,000 synthetic articles, and a build holds every table's text besides."""
        undated = batch.records.field("document").field("published").is_null().to_pylist()
        self._undated.update(key for key, missing in zip(keys, undated) if missing)
        for key in keys:
            self._by_key[key] = dataclasses.replace(self._by_key[key], text="")
        return batch

    def problems(self) -> list[InputProblem]:
        """Files refused or partly read, articles that could not be extracted, then articles without a date, in
        the order of the inputs."""
        return self._read_problems + [self._failed[k] for k in self._by_key if k in self._failed] + [
            InputProblem(self._by_key[k].source, "no publication date found (no header, record date or dated dateline); relative dates are left unresolved", False)
            for k in self._by_key if k in self._undated]

    def build_id(self) -> str:
        """Identifies the data version: the same articles, code and knowledge base give the same id."""
        digest = hashlib.sha256(self.fingerprint.encode())
        for key in sorted(f"{a.article_id}\0{a.title}\0{a.published}\0{a.source}"
                          for k, a in self._by_key.items() if k not in self._failed):
            digest.update(key.encode())
        return digest.hexdigest()[:16]


def _arrow_pool() -> None:
    """Arrow's allocations (the parts read, every table's columns) go to jemalloc where this pyarrow has it, unless
    `ARROW_DEFAULT_MEMORY_POOL` chooses: linking the stored parts of 100,000 articles peaked at 3,986 MiB with it,
    4,353 MiB with mimalloc (pyarrow's default, which keeps more of what is freed) and 4,476 MiB with the system
    allocator. Arrow's pool is the process's, so a server that builds uses it from then on too."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return
    try:
        pa.set_memory_pool(pa.jemalloc_memory_pool())
    except NotImplementedError:  # a pyarrow built without jemalloc keeps its own
        pass


def build_tables(inputs: Sequence[str | Path], *, kb_files: Sequence[str | Path] = (), jobs: int = 1,
                 max_bytes: int = DEFAULT_MAX_BYTES, relative_to: Path | None = None,
                 cache: ExtractionCache | None = None, parts_to: Path | None = None, engine=None,
                 ready: ExtractionCache | None = None, bars: bool = False, previous: Path | None = None,
                 spill_to: Path | None = None) -> BuildResult:
    """Tables of `inputs`; `cache` holds extractions of a previous build, reused where the key matches.

    With `previous` (the version `cache` comes from), a build that only adds articles to it links only what they
    touch (`link_added`), where that gives the tables of linking every article; else it links every article.

    With `parts_to`, new extractions are written there as parts, and the manifest
    lists the parts holding this build's articles (`extraction_parts`). `engine`
    runs extraction and merging: `LocalEngine(jobs)` unless another is given.
    `ready` holds extractions this update made already (outside the folder's lock),
    in parts already under `parts_to`; they count as extracted by this build. An article that cannot be
    extracted is left out with a problem naming its file. `bars` shows files read and articles extracted on a
    terminal (`progress`).

    With `spill_to` (a folder the caller removes once the version is written), linking every article of more than
    `table_spill.SPILL_AFTER` writes the per-article tables there in parts as it goes (`BuildResult.kept`) rather
    than holding them in memory.
    """
    _arrow_pool()
    engine = engine or LocalEngine(jobs)
    key = reading_key(max_bytes)
    last = _manifest(previous) if previous is not None else None
    run = Extraction(inputs, kb_files=kb_files, max_bytes=max_bytes, relative_to=relative_to, cache=cache,
                     parts_to=parts_to, engine=engine, ready=ready, bars=bars,
                     recorded=inbox_reading.recorded(previous, last, key) if last is not None else None)
    linked, how = None, "every article"
    before = _before(run, previous, last, spill_to) if last is not None else None
    spill = table_spill.Spill(spill_to) if table_spill.spills(spill_to, len(run)) else None
    if before is not None:
        old, kept, state, keys, parts, undated, spilled = before
        del before  # held with them, the version's tables and state would outlive `del` below, into a full link
        run.taken_as_they_are(keys, parts, undated)
        added = list(run.added(skip=frozenset(keys)))
        adding = table_spill.Spill(Path(spill_to) / "added") if spilled else None
        linked, how = link_added(old, kept, state, added, run.kb, adding), "the added articles"
        del old, state
        if linked is None:
            if adding is not None:
                adding.remove()
            linked, how = link_batches(itertools.chain(run.stored(), added), run.kb, engine.map, spill), "every article"
    if linked is None:
        linked = link_batches(run.batches(), run.kb, engine.map, spill)
    tables, kept = linked.tables, linked.parts
    problems = run.problems()
    manifest = {
        "pipeline_version": __version__,
        "build_id": run.build_id(),
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": run.files,
        "knowledge_base": list(run.kb.sources),
        # which extractor built the people: the rules alone, or the rules with this exact model
        "extractor": {"model": model.as_dict() if (model := ner.model_info()) else None},
        "row_counts": {name: int(len(frame)) + kept.rows(name) for name, frame in tables.items()},
        "problems": [str(p) for p in problems],
        "extraction_parts": sorted(run.parts),
        "linking_code": linking_code(),
    }
    return BuildResult(tables, problems, manifest, run.reading, run.extracted, linked.state, how, key, kept)


def _manifest(version: Path) -> dict | None:
    try:
        return store.read_manifest(version)
    except store.StoreError:
        return None


def _before(run: Extraction, previous: Path, manifest: dict, spill_to: Path | None
            ) -> tuple[dict[str, pd.DataFrame], Kept, LinkState, set[str], list[str], set[str], bool] | None:
    """What an add links from, when this build has every article of the previous version, unchanged (same
    extraction, same file, same pages), none of the added articles has the id of one there, and the version's
    linking state is the one written with it, by this code; else None. That is: the version's tables, the
    per-article ones (`table_files`) only in the parts the added articles fall in, the other parts (kept as they
    are), the state, the keys of the version's articles, its extraction parts, its articles without a date, and
    whether the add is to spill its rows to `spill_to` (`table_spill.spills`, counting the articles in those parts):
    then the version's per-article tables are all parts kept, none read."""
    try:
        if manifest.get("linking_code") != linking_code() or not isinstance(manifest.get("linking_state"), dict):
            return None
        state = LinkState.read(previous, manifest["linking_state"])
        listed = table_files.read(table_files.files(previous, "articles"), ["article_id", "source", "published"])
        pages = schema.conform("pages", table_files.read(table_files.files(previous, "pages")))
    except (store.StoreError, StateError, OSError, ValueError, pa.ArrowException):
        return None
    keys = run.stored_keys()
    articles = {run.article(key).article_id: run.article(key) for key in keys}
    ids = listed["article_id"]
    if len(articles) != len(keys) or set(articles) != set(ids):
        return None
    if [articles[a].source for a in ids] != listed["source"].tolist():
        return None
    lengths = run.reading.lengths
    spans = [(a, *page) for a in ids if articles[a].pages for page in page_spans(articles[a].pages, lengths[a])]
    if spans != list(pages.itertuples(index=False, name=None)):
        return None
    added = pd.Series(run.article_ids(besides=keys), dtype=object)
    if added.isin(ids).any():
        return None
    touched = np.unique(table_files.parts_of(added))
    spilled = table_spill.spills(spill_to, np.isin(table_files.parts_of(ids), touched).sum() + len(added))
    try:
        kept = Kept.of(previous, set() if spilled else {table_files.PARTS[n] for n in touched})
        old = store.read_tables(previous, validated=False, leaving=kept)
    except (store.StoreError, OSError):
        return None
    return (old, kept, state, keys, manifest["extraction_parts"], set(listed.loc[listed["published"].isna(), "article_id"]),
            spilled)
