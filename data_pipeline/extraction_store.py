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

The records are encoded generically from the dataclasses of `model`, so a
field added there is stored without a change here.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import os
import shutil
import tempfile
import threading
import types
import typing
from pathlib import Path
from typing import Iterable, Iterator, Mapping

import pyarrow as pa
import pyarrow.parquet as pq

from .model import ArticleExtraction, Document, RawArticle, Sentence

PARTS = "extractions"
PART_SIZE = 2000  # extractions per part: one part per batch, written as soon as it is extracted
SLICE = 250  # records decoded at once when a part is read: a part's 2,000 as Python dicts were 100 MB at a time
# Filled from the article on reading: its text once, never a second copy per extraction.
_FROM_ARTICLE = {Document: ("text", "title"), Sentence: ("text",), ArticleExtraction: ("source", "pages")}


class ExtractionStoreError(ValueError):
    """A part that cannot be read as extractions; the message names the file."""


def parts_dir(folder: Path) -> Path:
    return Path(folder) / PARTS


def _encode(value):
    if dataclasses.is_dataclass(value):
        skip = _FROM_ARTICLE.get(type(value), ())
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.name not in skip}
    if isinstance(value, tuple):
        return [_encode(v) for v in value]
    return value


def _optional_of(kind):
    """`X` for `X | None`, else `kind` itself."""
    if isinstance(kind, types.UnionType) or typing.get_origin(kind) is typing.Union:
        (kind,) = [k for k in typing.get_args(kind) if k is not type(None)]
    return kind


def _plain(kind) -> bool:
    kind = _optional_of(kind)
    return typing.get_origin(kind) is not tuple and not dataclasses.is_dataclass(kind)


@functools.cache
def _decoder(kind):
    """A function (value read from Parquet, article text) -> `kind` (a model dataclass or tuple[...] of them),
    made once per type so that reading a part does no type inspection per value."""
    kind = _optional_of(kind)
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        if _plain(item):
            return lambda value, text: None if value is None else tuple(value)
        decode_item = _decoder(item)
        return lambda value, text: None if value is None else tuple(decode_item(v, text) for v in value)
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind) if f.name not in _FROM_ARTICLE.get(kind, ())]
    plain = [n for n in names if _plain(hints[n])]
    nested = [(n, _decoder(hints[n])) for n in names if not _plain(hints[n])]

    def decode(value, text):
        if value is None:
            return None
        fields = {n: value.get(n) for n in plain}
        fields.update((n, decoder(value.get(n), text)) for n, decoder in nested)
        if kind is Sentence:
            fields["text"] = text[fields["start"]:fields["end"]]
        return fields if kind in (Document, ArticleExtraction) else kind(**fields)

    return decode


def _extraction(row: dict, article: RawArticle) -> ArticleExtraction:
    fields = _decoder(ArticleExtraction)(row, article.text)
    fields["document"] = Document(title=article.title, text=article.text, **fields["document"])
    return ArticleExtraction(source=article.source, pages=article.pages, **fields)


def write_part(directory: Path, keyed: Mapping[str, ArticleExtraction]) -> str:
    """Write extractions (by key) as one part file in `directory`; returns its name (the same keys, the same name).

    A build writes its parts under the folder's staging area; `adopt` moves them
    into the folder with the version that lists them, so a build that fails or is
    killed leaves no part behind.
    """
    keys = sorted(keyed)
    name = f"part-{hashlib.sha256(chr(0).join(keys).encode()).hexdigest()[:20]}.parquet"
    target = Path(directory) / name
    if target.exists():
        return name
    target.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{"key": k, "extraction": _encode(keyed[k])} for k in keys])
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
    (the lanes of `isolated.extract_groups`), so that nobody holds more than a part's worth of them; `close`
    writes the last part. `parts` names every part written."""

    def __init__(self, directory: Path):
        self.directory, self.parts = Path(directory), []
        self._batch: dict[str, ArticleExtraction] = {}
        self._lock = threading.Lock()

    def add(self, keyed: Iterable[tuple[str, ArticleExtraction]]) -> None:
        with self._lock:
            for key, extraction in keyed:
                self._batch[key] = extraction
                if len(self._batch) == PART_SIZE:
                    self._write()

    def close(self) -> None:
        with self._lock:
            if self._batch:
                self._write()

    def _write(self) -> None:
        self.parts.append(write_part(self.directory, self._batch))
        self._batch = {}


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

    def each(self, wanted: dict[str, RawArticle]) -> Iterator[tuple[str, str, ArticleExtraction]]:
        """(part, key, extraction) for every stored extraction of `wanted` (key -> the article it was made
        from), part by part, decoded `SLICE` records at a time: a build streams them into linking, so it never
        holds more than a slice's objects for reuse. Each article leaves `wanted` as its extraction is decoded
        (the extraction takes its text), so the mapping does not keep every text to the end.

        A part that cannot be read, or a record that no longer fits the model, is
        left out from there on: its articles are extracted again, as when nothing was stored.
        """
        by_part: dict[str, set[str]] = {}
        for key in wanted:
            if key in self._index:
                by_part.setdefault(self._index[key], set()).add(key)
        for part, keys in sorted(by_part.items()):
            try:
                table = self._table(part, "extraction", keys)
                for start in range(0, table.num_rows, SLICE):
                    piece = table.slice(start, SLICE)
                    yield from [(part, key, _extraction(row, wanted.pop(key))) for key, row in
                                zip(piece.column("key").to_pylist(), piece.column("extraction").to_pylist())]
            except (ExtractionStoreError, TypeError, KeyError, ValueError):
                continue


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
