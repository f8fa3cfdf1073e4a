"""Reading and writing a data version: one Parquet file per table plus `manifest.json`.

A build is written to a temporary folder beside the target and swapped in with
renames, so a reader (or a crash half-way) never sees a half-written version and
the previous tables survive a failed build.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from . import schema

MANIFEST = "manifest.json"


class StoreError(ValueError):
    """A data folder that cannot be read as a data version; the message names the folder."""


def write_tables(out: Path, tables: dict[str, pd.DataFrame], manifest: dict) -> None:
    """Validate, write to a sibling temporary folder, then swap it in place of `out`."""
    schema.validate(tables)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for name, frame in tables.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True), "utf-8")
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    """Replace `out` by `staging`; the old version is moved aside first and removed only after."""
    retired = None
    if out.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rmdir(retired)
        os.rename(out, retired)
    try:
        os.rename(staging, out)
    except BaseException:
        if retired is not None:
            os.rename(retired, out)
        raise
    if retired is not None:
        shutil.rmtree(retired, ignore_errors=True)


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text("utf-8"))
    except FileNotFoundError as error:
        raise StoreError(f"{folder}: no {MANIFEST}; build it with `python -m data_pipeline build INPUT --out {folder}`") from error
    except (OSError, ValueError) as error:
        raise StoreError(f"{path}: unreadable manifest: {error}") from error


def read_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """Every table of the contract, conformed and validated, so the dashboard can trust its input."""
    folder = Path(folder)
    tables = {}
    for name in schema.TABLES:
        path = folder / f"{name}.parquet"
        try:
            tables[name] = schema.conform(name, pd.read_parquet(path))
        except FileNotFoundError as error:
            raise StoreError(f"{folder}: table {name}.parquet is missing") from error
        except (OSError, ValueError) as error:
            raise StoreError(f"{path}: unreadable table: {error}") from error
    try:
        schema.validate(tables)
    except schema.SchemaError as error:
        raise StoreError(f"{folder}: {error}") from error
    return tables
