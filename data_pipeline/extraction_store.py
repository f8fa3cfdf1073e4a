"""Per-article extractions kept on disk as Parquet parts, so a build extracts only what it has not seen.

Layout::

    DATA/extractions/part-<hash>.parquet   one row per extraction, nested columns, keyed by `extraction_key`

Why Parquet and not pickle: a data folder may come from anywhere (a backup, a
colleague), and reading it must never run code. Why parts shared by versions:
a build writes a part for each batch of articles as it extracts them, and an
add writes only the part of its new articles; each version's manifest lists
the parts it uses (`extraction_parts`), and a part no kept version lists is
removed. The article text and title are not stored here: the key covers them,
so they come back from the originals in `inbox/` (the text is stored once).

The records are encoded generically from the dataclasses of `model`, with the
Arrow type their annotations give (`arrow_type`), so a field added there is
stored without a change here. Linking reads a part as it is stored, a batch of
Arrow records (`Batch`), not as objects.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import operator
import os
import shutil
import tempfile
import threading
import types
import typing
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from .model import ArticleExtraction, Document, RawArticle, Sentence

PARTS = "extractions"
PART_SIZE = 2000  # extractions per part: one part per batch, written as soon as it is extracted
SLICE = 250  # extractions made in this process encoded at once: 2,000 extraction objects held for a part were 150 MB
# Filled from the article on reading: its text once, never a second copy per extraction.
_FROM_ARTICLE = {Document: ("text", "title"), Sentence: ("text",), ArticleExtraction: ("source", "pages")}


class ExtractionStoreError(ValueError):
    """A part that cannot be read as extractions; the message names the file."""


def parts_dir(folder: Path) -> Path:
    return Path(folder) / PARTS


_PLAIN_TYPES = {str: pa.string(), int: pa.int64(), bool: pa.bool_(), date: pa.date32()}


@functools.cache
def arrow_type(kind) -> pa.DataType:
    """The Arrow type a value of `kind` (a model dataclass, a tuple of them, or a plain value) is stored as, from its
    annotations: every part has the same types, where types inferred from the values would differ (a column with no
    value in one part is of no type there)."""
    kind = _optional_of(kind)
    if typing.get_origin(kind) is tuple:
        return pa.list_(arrow_type(typing.get_args(kind)[0]))
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        skip = _FROM_ARTICLE.get(kind, ())
        return pa.struct([(f.name, arrow_type(hints[f.name])) for f in dataclasses.fields(kind) if f.name not in skip])
    return _PLAIN_TYPES[kind]


def _records_schema() -> pa.Schema:
    return pa.schema([("key", pa.string()), ("extraction", arrow_type(ArticleExtraction))])


def _same(value):
    return value


@functools.cache
def _encoder(kind):
    """A function value of `kind` -> what `pa.array` takes for `arrow_type(kind)`, a struct as the tuple of its
    fields, made once per type so that encoding does no type inspection per value: the generic walk over fields was
    nine tenths of encoding a batch."""
    kind = _optional_of(kind)
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        if _plain(item):
            return _same  # a tuple of plain values is taken as a list as it is
        encode_item = _encoder(item)
        return lambda value: None if value is None else [encode_item(v) for v in value]
    if not dataclasses.is_dataclass(kind):
        return _same
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind) if f.name not in _FROM_ARTICLE.get(kind, ())]
    encoders = [_encoder(hints[n]) for n in names]
    if len(names) > 1 and all(e is _same for e in encoders):
        fields = operator.attrgetter(*names)
        return lambda value: None if value is None else fields(value)
    return lambda value: None if value is None else tuple(e(getattr(value, n)) for n, e in zip(names, encoders))


def _optional_of(kind):
    """`X` for `X | None`, else `kind` itself."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        (kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
    return kind


def _plain(kind) -> bool:
    kind = _optional_of(kind)
    return typing.get_origin(kind) is not tuple and not dataclasses.is_dataclass(kind)


def _objects(kind, values: pa.Array, texts: Sequence[str], owner: np.ndarray) -> list:
    """`values`, an Arrow array of `kind`, as Python values, decoded a column at a time: a dataclass from the lists
    of its fields, a tuple from the list of its items cut at each value's length, so that no value is first made a
    dict (decoding record by record took most of reading a part). `owner[i]` is the record value `i` belongs to, for
    what takes its text from that record's article (`texts`): a sentence. A document and an extraction are dicts of
    their fields, completed from the article (`Batch.extractions`)."""
    kind = _optional_of(kind)
    if typing.get_origin(kind) is tuple:
        items = _objects(typing.get_args(kind)[0], values.flatten(), texts, owner[pc.list_parent_indices(values).to_numpy()])
        ends = np.cumsum(pc.list_value_length(values).fill_null(0).to_numpy()).tolist()
        return [tuple(items[start:end]) if valid else None
                for start, end, valid in zip([0, *ends[:-1]], ends, values.is_valid().to_pylist())]
    if not dataclasses.is_dataclass(kind):
        return _shared_strings(values) if pa.types.is_string(values.type) else values.to_pylist()
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind) if f.name not in _FROM_ARTICLE.get(kind, ())]
    columns = [_objects(hints[n], pc.struct_field(values, n), texts, owner) for n in names]
    if kind is Sentence:
        return [Sentence(i, s, e, texts[o][s:e]) for i, s, e, o in zip(*columns, owner.tolist())]
    if kind in (Document, ArticleExtraction):
        return [dict(zip(names, fields)) for fields in zip(*columns)]
    return [kind(*fields) if ok else None for ok, *fields in zip(values.is_valid().to_pylist(), *columns)]


def _shared_strings(values: pa.Array) -> list[str | None]:
    """The strings of `values`, one Python string per distinct value: what linking keeps repeats the same ids,
    countries, kinds and names many times (a string each was 60 MiB more at 10,000 articles than the objects a
    worker sends, whose pickle shares them)."""
    encoded = pc.dictionary_encode(values)
    words = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
    return words[encoded.indices.fill_null(len(words) - 1).to_numpy()].tolist()


def encoded(kind, values: Iterable) -> pa.Array:
    """Values of `kind` as an Arrow array of `arrow_type(kind)`, which `decoded` reads back."""
    encode = _encoder(kind)
    return pa.array([encode(value) for value in values], type=arrow_type(kind))


def decoded(kind, values: pa.Array) -> list:
    """The values of an Arrow array of `kind` (a model dataclass or a tuple of them, none of which takes its text from
    the article) as model objects: what linking keeps of a record, without decoding the rest of it."""
    return _objects(kind, values, (), np.zeros(len(values), dtype=np.int64))


@dataclass(frozen=True)
class Batch:
    """Extractions of a batch of articles as linking reads them: `records`, one per article, of the type
    `arrow_type(ArticleExtraction)` (without what comes from the article), and the `articles` they were made from,
    in the same order, which give the text, title, source and pages."""

    records: pa.StructArray
    articles: tuple[RawArticle, ...]

    @classmethod
    def of(cls, extractions: Iterable[ArticleExtraction]) -> Batch:
        """Extractions made in this process, encoded once (the same records a part stores)."""
        extractions = list(extractions)
        records = encoded(ArticleExtraction, extractions)
        articles = tuple(RawArticle(e.document.article_id, e.document.title, e.document.text, e.document.published,
                                    e.date_source, e.source, e.pages) for e in extractions)
        return cls(records, articles)

    def __len__(self) -> int:
        return len(self.articles)

    def extractions(self) -> Iterator[ArticleExtraction]:
        """The extractions themselves, as they were encoded (`of`), each from its record and its article."""
        texts = [article.text for article in self.articles]
        records = _objects(ArticleExtraction, self.records, texts, np.arange(len(texts)))
        for fields, article in zip(records, self.articles):
            fields["document"] = Document(title=article.title, text=article.text, **fields["document"])
            yield ArticleExtraction(source=article.source, pages=article.pages, **fields)


def write_part(directory: Path, keys: list[str], records: pa.StructArray) -> str:
    """Write records (`keys` in the same order) as one part file in `directory`; returns its name (the same keys,
    the same name).

    A build writes its parts under the folder's staging area; `adopt` moves them
    into the folder with the version that lists them, so a build that fails or is
    killed leaves no part behind.
    """
    order = sorted(range(len(keys)), key=keys.__getitem__)
    name = f"part-{hashlib.sha256(chr(0).join(keys[i] for i in order).encode()).hexdigest()[:20]}.parquet"
    target = Path(directory) / name
    if target.exists():
        return name
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_arrays([pa.array([keys[i] for i in order], pa.string()), records.take(order)],
                                 schema=_records_schema())
    handle, temporary = tempfile.mkstemp(prefix=".part-", dir=target.parent)
    os.close(handle)
    try:
        pq.write_table(table, temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


class PartWriter:
    """Extractions written into `directory` as parts of `PART_SIZE` as they come, from several threads at once
    (the lanes of `isolated.extract_groups`), encoded `SLICE` at a time: nobody holds more than a slice of extraction
    objects and a part's records; `close` writes the last part. `parts` names every part written."""

    def __init__(self, directory: Path):
        self.directory, self.parts = Path(directory), []
        self._slice: list[tuple[str, ArticleExtraction]] = []
        self._keys: list[str] = []
        self._records: list[pa.StructArray] = []
        self._lock = threading.Lock()

    def add(self, keyed: Iterable[tuple[str, ArticleExtraction]]) -> None:
        with self._lock:
            for item in keyed:
                self._slice.append(item)
                if len(self._slice) == SLICE:
                    self._encode()

    def add_batch(self, keys: list[str], batch: Batch) -> None:
        """Extractions already encoded (`keys` in the order of `batch`)."""
        with self._lock:
            self._add_records(keys, batch.records)

    def close(self) -> None:
        with self._lock:
            if self._slice:
                self._encode()
            if self._keys:
                self._write()

    def _encode(self) -> None:
        self._add_records([key for key, _ in self._slice], Batch.of(extraction for _, extraction in self._slice).records)
        self._slice = []

    def _add_records(self, keys: list[str], records: pa.StructArray) -> None:
        self._keys += keys
        self._records.append(records)
        if len(self._keys) >= PART_SIZE:
            self._write()

    def _write(self) -> None:
        self.parts.append(write_part(self.directory, self._keys, pa.concat_arrays(self._records)))
        self._keys, self._records = [], []


class ExtractionCache:
    """The extractions a version's parts hold, read only for the keys a build asks for."""

    def __init__(self, folder: Path | None = None, parts: Iterable[str] = ()):
        self._folder = Path(folder) if folder is not None else None
        self._index: dict[str, str] = {}  # key -> part
        for part in parts:
            for key in self._table(part, "key").column("key").to_pylist():
                self._index.setdefault(key, part)

    def _path(self, part: str) -> Path:
        if Path(part).name != part or not part.endswith(".parquet"):
            raise ExtractionStoreError(f"{self._folder / PARTS}: the manifest names a part outside the folder ({part!r})")
        return parts_dir(self._folder) / part

    def _table(self, part: str, column: str, keys: set[str] | None = None) -> pa.Table:
        path = self._path(part)
        try:
            return pq.read_table(path, columns=["key", column] if column != "key" else ["key"],
                                 filters=[("key", "in", sorted(keys))] if keys is not None else None)
        except (OSError, ValueError, pa.ArrowException) as error:
            raise ExtractionStoreError(f"{path}: unreadable extraction part: {error}") from error

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, key: str) -> bool:
        return key in self._index

    def batches(self, wanted: dict[str, RawArticle]) -> Iterator[tuple[str, list[str], Batch]]:
        """(part, keys, batch) for the stored extractions of `wanted` (key -> the article it was made from), a part
        at a time, as Arrow records (a part's 2,000 are tens of megabytes; decoded into Python objects they were
        hundreds). Each article leaves `wanted` as its batch takes it, so the mapping does not keep every text to
        the end.

        A part that cannot be read, or whose records no longer fit the model, is
        left out: its articles are extracted again, as when nothing was stored.
        """
        by_part: dict[str, set[str]] = {}
        for key in wanted:
            if key in self._index:
                by_part.setdefault(self._index[key], set()).add(key)
        for part, keys in sorted(by_part.items()):
            try:
                table = self._table(part, "extraction", keys).cast(_records_schema())
            except (ExtractionStoreError, ValueError, pa.ArrowException):
                continue
            found = table.column("key").to_pylist()
            yield part, found, Batch(table.column("extraction").combine_chunks(), tuple(wanted.pop(k) for k in found))


def read_cache(folder: Path, manifest: dict) -> ExtractionCache:
    """The extractions of the version described by `manifest`; an unreadable or foreign index means none."""
    parts = manifest.get("extraction_parts", [])
    if not isinstance(parts, list) or not all(isinstance(p, str) for p in parts):
        return ExtractionCache()
    try:
        return ExtractionCache(folder, parts)
    except ExtractionStoreError:
        return ExtractionCache()


def adopt(folder: Path, staged: Path) -> None:
    """Move the parts a build wrote under `staged` into the folder (before its version becomes current)."""
    if not Path(staged).is_dir():
        return
    target = parts_dir(folder)
    target.mkdir(parents=True, exist_ok=True)
    for part in sorted(Path(staged).glob("part-*.parquet")):
        os.replace(part, target / part.name)
    shutil.rmtree(staged, ignore_errors=True)


def prune(folder: Path, manifests: Iterable[dict]) -> None:
    """Remove parts that none of `manifests` (the versions kept) lists; called under the folder's lock."""
    keep = {p for m in manifests for p in m.get("extraction_parts", []) if isinstance(p, str)}
    root = parts_dir(folder)
    if not root.is_dir():
        return
    for path in root.iterdir():
        if path.name not in keep:
            path.unlink(missing_ok=True)
