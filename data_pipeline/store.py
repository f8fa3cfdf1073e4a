"""A data folder: the originals, the data versions built from them, and which version is current.

Layout::

    DATA/inbox/             originals, the only input of every rebuild
    DATA/versions/NNNNNN-<build_id>/
                            one Parquet file per table, manifest.json, and what the next add builds on:
                            reading/ (`inbox_reading`) and linking/ (`link_state`)
    DATA/extractions/       per-article extractions as Parquet parts, listed by the versions' manifests
    DATA/CURRENT            the name of the current version (one line)
    DATA/.lock              held by the one process that is changing the folder
    DATA/.staging/          versions and uploads being written
    DATA/.incoming-XXXX/    one running update's extractions and spilled tables (`incoming`)

Why versions and a pointer: a new version is written in full beside the others
and becomes current by replacing `CURRENT` in one atomic rename. A reader in
another process therefore sees the old version or the new one, never a mix,
and a build that fails or is killed never touches the current one. The last
`KEEP` versions stay on disk so a reader that resolved `CURRENT` just before a
swap can still finish reading.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd
import pyarrow as pa

from . import extraction_store, schema, table_files
from .table_files import Kept

MANIFEST = "manifest.json"
CURRENT = "CURRENT"
VERSIONS = "versions"
INBOX = "inbox"
STAGING = ".staging"
LOCK = ".lock"
KEEP = 3
_VERSION_NAME = re.compile(r"^(\d{6})-[0-9a-f]{1,64}$")


class StoreError(ValueError):
    """A data folder that cannot be read or written as one; the message names the folder."""


def cannot_write(folder: Path, error: OSError) -> StoreError:
    """A write that failed (disk full, no permission) as one line an analyst can act on, never a traceback."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        reason = "the disk is full (or over its quota); free some space and try again"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        reason = f"no permission to write {error.filename or 'there'}; run as the user who owns the folder"
    else:
        reason = error.strerror or str(error)
    return StoreError(f"{folder}: cannot write: {reason}. The current data version is unchanged")


def _fsync(path: Path) -> None:
    """Flush a file or folder to the disk, so a crash after the `CURRENT` swap never finds a half-written version."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def inbox(folder: Path) -> Path:
    return Path(folder) / INBOX


def staging_dir(folder: Path) -> Path:
    path = Path(folder) / STAGING
    path.mkdir(parents=True, exist_ok=True)
    return path


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Exclusive right to change `folder`, across processes and threads.

    `flock` on a fresh descriptor: two sessions of one Streamlit server conflict
    like two processes do, and the kernel releases the lock of a killed build.
    Whoever holds it may clear `.staging`, since nobody else is writing there.
    """
    folder = Path(folder)
    _refuse_old_layout(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            shutil.rmtree(folder / STAGING, ignore_errors=True)
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _refuse_old_layout(folder: Path) -> None:
    if (folder / MANIFEST).exists() and not (folder / CURRENT).exists():
        raise StoreError(
            f"{folder}: holds tables written by an earlier version of the pipeline, without their originals; "
            "move it aside and build again from the articles"
        )


def _versions(folder: Path) -> list[Path]:
    root = Path(folder) / VERSIONS
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if _VERSION_NAME.match(p.name))


def write_tables(folder: Path, tables: dict[str, pd.DataFrame], manifest: dict, staged_parts: Path | None = None,
                 beside: Callable[[Path], dict] | None = None, kept: Kept = Kept()) -> Path:
    """Validate and write a new version, then make it current; returns the version folder.

    `staged_parts` holds the extraction parts the build wrote; they join the folder just before the swap. `beside`
    writes what the next add builds on (`build.BuildResult.beside`: the linking state, the reading record) into the
    version's folder, and returns the manifest's entries for it. `kept` names the parts of the per-article tables
    taken from the current version as they are (`table_files`): `tables` then holds only the other parts' rows.

    The contract is checked while the files are written (DuckDB and Parquet's writer leave the interpreter free):
    at 100,000 articles each took seconds one after the other. A folder without a version yet is checked first, so
    that tables that break the contract leave no folder behind; in one with a version, they leave only the staged
    files, removed before the error goes up.

    Callers that read the folder before deciding what to write hold `locked(folder)`.
    """
    folder = Path(folder)
    _refuse_old_layout(folder)
    if not (folder / CURRENT).exists():
        schema.validate(tables, kept)
        return _written(folder, tables, manifest, staged_parts, beside, kept, None)
    with ThreadPoolExecutor(1) as checking:
        return _written(folder, tables, manifest, staged_parts, beside, kept, checking.submit(schema.validate, tables, kept))


def _written(folder: Path, tables: dict[str, pd.DataFrame], manifest: dict, staged_parts: Path | None,
             beside: Callable[[Path], dict] | None, kept: Kept, checked: Future | None) -> Path:
    """The version staged, then placed and made current once `checked` (the contract's check, if still running) has
    passed; nothing of it stays when anything fails."""
    staging = Path(tempfile.mkdtemp(prefix="version-", dir=staging_dir(folder)))
    try:
        for name, frame in tables.items():
            table_files.write(frame, staging, name, kept)
        if beside is not None:
            manifest = manifest | beside(staging)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
        if checked is not None:
            checked.result()  # the contract's error, if the tables break it
        for path in (*staging.rglob("*"), staging):
            _fsync(path)
        version = _place(folder, staging, str(manifest.get("build_id") or "0"))
        _fsync(version.parent)
        if staged_parts is not None:
            extraction_store.adopt(folder, staged_parts)
        _point(folder, version)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise cannot_write(folder, error) from error
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _prune(folder, version)
    return version


def _place(folder: Path, staging: Path, build_id: str) -> Path:
    """Move the staged version under `versions/` with the next free sequence number."""
    root = folder / VERSIONS
    root.mkdir(exist_ok=True)
    existing = _versions(folder)
    number = int(existing[-1].name[:6]) + 1 if existing else 1
    build_id = re.sub(r"[^0-9a-f]", "", build_id.lower())[:64] or "0"
    while True:
        target = root / f"{number:06d}-{build_id}"
        try:
            os.rename(staging, target)  # fails rather than merges if a racing writer took the name
            return target
        except OSError:
            if not target.exists():
                raise
            number += 1


def _point(folder: Path, version: Path) -> None:
    pointer = folder / f".{CURRENT}.{os.getpid()}"
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(version.name + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, folder / CURRENT)
    _fsync(folder)


def _prune(folder: Path, current: Path) -> None:
    """Drop versions beyond the last `KEEP`, then the extraction parts no kept version lists."""
    for old in _versions(folder)[:-KEEP]:
        if old != current:
            shutil.rmtree(old, ignore_errors=True)
    manifests = []
    for version in _versions(folder):
        try:
            manifests.append(read_manifest(version))
        except StoreError:
            continue
    extraction_store.prune(folder, manifests)


def current(folder: Path) -> Path:
    """The current version's folder; a version folder itself is returned as it is."""
    folder = Path(folder)
    if (folder / MANIFEST).exists() and not (folder / CURRENT).exists() and folder.parent.name == VERSIONS:
        return folder
    try:
        name = (folder / CURRENT).read_text("utf-8").strip()
    except FileNotFoundError as error:
        _refuse_old_layout(folder)
        raise StoreError(f"{folder}: no data version yet; build one with `python -m data_pipeline build INPUT --out {folder}`") from error
    except (OSError, UnicodeDecodeError) as error:
        raise StoreError(f"{folder / CURRENT}: unreadable: {error}") from error
    if not _VERSION_NAME.match(name) or not (folder / VERSIONS / name).is_dir():
        raise StoreError(f"{folder / CURRENT}: names a version that is not there ({name!r})")
    return folder / VERSIONS / name


def read_manifest(folder: Path) -> dict:
    """The manifest of the current version of a data folder (or of a version folder)."""
    path = current(folder) / MANIFEST
    try:
        manifest = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as error:
        raise StoreError(f"{path}: unreadable manifest: {error}") from error
    if not isinstance(manifest, dict):
        raise StoreError(f"{path}: the manifest is not a JSON object")
    return manifest


def read_column(folder: Path, table: str, column: str) -> list:
    """One column of one table of the current version, without reading the rest (the text columns are large)."""
    version = current(folder)
    try:
        return table_files.values(table_files.files(version, table), column)
    except FileNotFoundError as error:
        raise StoreError(f"{version}: table {table}.parquet is missing") from error
    except (OSError, ValueError, KeyError, pa.ArrowException) as error:
        raise StoreError(f"{version / table}: unreadable table: {error}") from error


def read_tables(folder: Path, validated: bool = True, leaving: Kept = Kept()) -> dict[str, pd.DataFrame]:
    """Every table of the contract, conformed and validated, so the dashboard can trust its input (an add that
    builds on a version it wrote reads it without validating: the new version is validated as a whole), without the
    rows of the parts `leaving` names (those an add keeps as they are, `table_files`)."""
    version = current(folder)
    tables = {}
    for name in schema.TABLES:
        path = version / name
        try:
            paths = [p for p in table_files.files(version, name) if p not in leaving.paths(name)]
            tables[name] = schema.conform(name, table_files.read(paths)) if paths else schema.empty(name)
        except FileNotFoundError as error:
            raise StoreError(f"{version}: table {name}.parquet is missing") from error
        except (OSError, ValueError) as error:
            raise StoreError(f"{path}: unreadable table: {error}") from error
    try:
        if validated:
            schema.validate(tables)
    except schema.SchemaError as error:
        raise StoreError(f"{version}: {error}") from error
    return tables
