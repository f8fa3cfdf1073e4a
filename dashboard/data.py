"""Finding and loading the data version the dashboard shows.

The folder comes from `QUAD_DATA_DIR`, else `data_dir` in Streamlit secrets,
else `<repo>/data`, so the same app serves a test fixture, a deployment and a
local build without code changes. Tables are read once per data version: each
rerun reads the folder's `CURRENT` pointer and the version's small manifest,
and the cache key is that version, so an upload or rebuild is picked up on the
next rerun of every session, and a session never mixes two versions. A missing
or broken folder becomes a `DataUnavailable` with a message an analyst can act on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from dashboard import settings
from data_pipeline import store

__all__ = ["ENV_VAR", "SECRET", "DataUnavailable", "Dataset", "data_dir", "build_id", "load", "write_failure"]

ENV_VAR = "QUAD_DATA_DIR"
SECRET = "data_dir"
REPO = Path(__file__).resolve().parent.parent
_LOG = logging.getLogger(__name__)  # what a hosted page leaves out (server paths) goes to the server's log


class DataUnavailable(RuntimeError):
    """No readable data version; the message says where we looked and how to build one."""


@dataclass(frozen=True)
class Dataset:
    """One data version. The frames are shared between sessions: never modify them in place."""

    folder: Path
    manifest: dict
    tables: dict[str, pd.DataFrame]

    @property
    def build_id(self) -> str:
        return build_id(self.manifest)


def data_dir() -> Path:
    configured = os.environ.get(ENV_VAR) or settings.secret(SECRET)
    return Path(configured).expanduser() if configured else REPO / "data"


def build_id(manifest: dict) -> str:
    """The manifest's `build_id`, or a hash of the manifest for versions written without one."""
    return str(manifest.get("build_id") or hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16])


@st.cache_resource(max_entries=4, show_spinner="Loading tables…")
def _tables(folder: str, version: str) -> dict[str, pd.DataFrame]:
    """Tables of one version; `version` is only the cache key."""
    return store.read_tables(Path(folder))


def _help(folder: Path) -> str:
    if settings.hosted():
        return "Ask the administrators of this dashboard to check its data folder (the server's log has the details)."
    return (
        f"Add articles on the Add articles page, build the tables with `python -m data_pipeline build seeds/ --out {folder}`, "
        f"or point `{ENV_VAR}` at a folder written by the pipeline."
    )


def _read(folder: Path) -> Dataset:
    version = store.current(folder)
    manifest = store.read_manifest(version)
    return Dataset(folder, manifest, _tables(str(version.resolve()), build_id(manifest)))


def _unavailable(folder: Path, local: str, hosted: str) -> DataUnavailable:
    """The message for this deployment: a hosted one names no server path (it goes to the server's log instead)."""
    if not settings.hosted():
        return DataUnavailable(f"{local} {_help(folder)}")
    _LOG.error("data folder %s: %s", folder, local)
    return DataUnavailable(f"{hosted} {_help(folder)}")


def write_failure(error: store.StoreError) -> str:
    """Why an addition failed (disk full, no permission), without the server's paths when hosted."""
    if not settings.hosted():
        return f"Nothing was added: {error}."
    _LOG.error("adding articles failed: %s", error)
    return "Nothing was added: the server could not write its data folder. The server's log has the details."


def load() -> Dataset:
    folder = data_dir()
    if not folder.is_dir():
        raise _unavailable(folder, f"No data folder at `{folder}`.", "This dashboard has no data folder.")
    try:
        try:
            return _read(folder)
        except store.StoreError:
            return _read(folder)  # newer versions can retire the one being read: a second look finds the newest
    except store.StoreError as error:
        if not (folder / store.CURRENT).exists():
            hosted = "This dashboard has no data yet: add the first articles on the Add articles page."
        else:
            hosted = "This dashboard's data cannot be read."
        raise _unavailable(folder, f"The data folder `{folder}` cannot be read: {error}.", hosted) from error
