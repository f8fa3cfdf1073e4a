"""CSV and ZIP downloads that are safe to open in a spreadsheet and say what they contain.

Article text is written by outsiders; a cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return would run as a formula in Excel (CSV
injection), so such text cells get a leading `'`, which spreadsheets display as
a plain-text marker. Numbers are left alone (a negative number is a number).
The ZIP carries a `manifest.json` naming the filters and the data version, so a
table found on a shared drive months later can be traced back.
"""

from __future__ import annotations

import io
import json
import zipfile

import pandas as pd

__all__ = ["FORMULA_PREFIXES", "neutralise", "csv_bytes", "zip_bytes", "zip_manifest", "ENCODING"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Excel opens UTF-8 CSVs correctly only with a byte-order mark.
ENCODING = "utf-8-sig"


def _neutral_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text cells cannot be read as formulas."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            out[column] = series.map(_neutral_cell, na_action="ignore").astype(series.dtype)
    return out


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a neutralised CSV (no index; empty cells for nulls)."""
    return neutralise(frame).to_csv(index=False, lineterminator="\r\n").encode(ENCODING)


def zip_manifest(manifest: dict, query_params: dict, row_counts: dict[str, int], exported_at: str) -> dict:
    """What the ZIP holds: the data version it was cut from and the filters that cut it."""
    return {
        "exported_at": exported_at,
        "filters": query_params,
        "data_version": {k: manifest.get(k) for k in ("build_id", "built_at", "pipeline_version")},
        "source_row_counts": manifest.get("row_counts", {}),
        "row_counts": row_counts,
        "csv": {"encoding": ENCODING, "formula_cells": "text cells starting with = + - @ tab or CR are prefixed with '"},
    }


def zip_bytes(tables: dict[str, pd.DataFrame], manifest: dict, query_params: dict, exported_at: str) -> bytes:
    """Every table as `<name>.csv` plus `manifest.json`, deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            archive.writestr(f"{name}.csv", csv_bytes(frame))
        counts = {name: len(frame) for name, frame in tables.items()}
        archive.writestr("manifest.json", json.dumps(zip_manifest(manifest, query_params, counts, exported_at), indent=2, sort_keys=True))
    return buffer.getvalue()
