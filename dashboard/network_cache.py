"""What the network page computes once per data version, kept on disk beside the version it describes; and the
filtered graphs it keeps in memory, within a budget of bytes (`Budgeted`).

The network's slow figures (communities, layout, centrality) depend only on the
data version and the node and link types shown, never on the filters; the
version's nodes and links with the sentences behind them (`network.Parts`,
20 s of reading at 100,000 articles) depend only on the version. Both are kept
in `<version>/dashboard/`, which goes when the pipeline retires the version, so
a server restart, or a second server on the same folder, reads them instead of
spending minutes on a large graph. A cache is data (Parquet), never code. Each
file is written to a temporary name and renamed, so a reader never sees half of
it; a file that cannot be read, was written for another version or format, or
does not hold what it should is ignored and written again; a folder the server
may not write (a read-only mount) only means they are computed again after a restart.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Hashable
from pathlib import Path
from typing import Callable, Generic, Iterable, TypeVar

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

__all__ = ["FORMAT", "overview_path", "cached", "PARTS_FORMAT", "parts_paths", "cached_frames", "GRAPH_BUDGET", "Budgeted"]

# Bumped when the layout or community code changes, so an old file is not mistaken for the new figures.
FORMAT = "network-overview-3"
# Bumped when what `network.parts` holds changes.
PARTS_FORMAT = "network-parts-2"
FOLDER = "dashboard"
# The Parquet metadata key naming the format and data version a file was written for.
STAMP = b"quad-network-cache"
T = TypeVar("T")


def overview_path(version: Path, node_types: Iterable[str], edge_types: Iterable[str]) -> Path:
    """Where the figures of this version and view live."""
    key = "|".join([FORMAT, ",".join(sorted(node_types)), ",".join(sorted(edge_types))])
    return Path(version) / FOLDER / f"network-{hashlib.sha256(key.encode()).hexdigest()[:16]}.parquet"


def cached(path: Path, compute: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The frame stored at `path`, or `compute()` stored there (when the folder can be written) and returned."""
    try:
        return pd.read_parquet(path)
    except (OSError, ValueError, pa.ArrowException):
        pass  # missing or unreadable: computed again below
    frame = compute()
    _write(path, pa.Table.from_pandas(frame, preserve_index=False))
    return frame


def _write(path: Path, table: pa.Table) -> None:
    """`table` written to `path` through a temporary file, or nothing written when the folder cannot be."""
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
        os.close(handle)
        try:
            pq.write_table(table, temporary)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        pass  # a read-only data folder: what was computed stays in memory only


def parts_paths(version: Path, names: Iterable[str]) -> dict[str, Path]:
    """Where each frame of the version's network parts lives."""
    return {name: Path(version) / FOLDER / f"{PARTS_FORMAT}-{name}.parquet" for name in names}


def cached_frames(paths: dict[str, Path], build_id: str, read: Callable[[dict[str, pd.DataFrame]], T],
                  compute: Callable[[], T], frames: Callable[[T], dict[str, pd.DataFrame]]) -> T:
    """`read` of the frames stored at `paths` for this data version, or `compute()` with its `frames` stored there.

    Each file carries the format and the version's `build_id` in its metadata:
    a file copied from another version, or left by an older format, is not
    read. `read` checks that the frames hold together (raising ValueError or
    KeyError when they do not), so a damaged set is computed again, never shown.
    """
    stamp = f"{PARTS_FORMAT}|{build_id}".encode()
    try:
        found = {}
        for name, path in paths.items():
            table = pq.read_table(path)
            if (table.schema.metadata or {}).get(STAMP) != stamp:
                raise ValueError(f"{path} was written for another data version or format")
            found[name] = table.to_pandas()
        return read(found)
    except (OSError, ValueError, KeyError, pa.ArrowException):
        pass  # missing, unreadable, foreign or inconsistent: computed again below
    value = compute()
    for name, frame in frames(value).items():
        table = pa.Table.from_pandas(frame, preserve_index=False)
        _write(paths[name], table.replace_schema_metadata({**(table.schema.metadata or {}), STAMP: stamp}))
    return value


# The bytes of filtered graphs the Network page keeps per server process (`Budgeted`, counted by `network.graph_bytes`):
# at 100,000 articles the page's three graphs of the whole network (the view's types, the entities, every type) hold
# 325 MiB, so that an unfiltered rerun finds them all; narrower filters' graphs are far smaller.
GRAPH_BUDGET = 384 * 2**20


class Budgeted(Generic[T]):
    """Values kept in memory while their sizes add up to at most `budget` bytes, the least recently used dropped first.

    The network page keeps each filtered graph it assembled, shared by every
    session, so that a rerun does not assemble it again; a count of entries did
    not bound its memory, since one graph is a few kB for a narrow filter and
    about 100 MiB for the whole network at 100,000 articles. A value larger than
    the whole budget is returned but not kept. Thread-safe (Streamlit runs
    sessions in threads); two sessions asking for the same new key may both compute it.
    """

    def __init__(self, budget: int, size: Callable[[T], int]) -> None:
        self.budget, self._size = budget, size
        self._kept: OrderedDict[Hashable, tuple[T, int]] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def held(self) -> int:
        """The bytes of the values kept now."""
        with self._lock:
            return sum(size for _, size in self._kept.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._kept)

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._kept

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The value kept for `key`, or `compute()` kept (within the budget) and returned."""
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key][0]
        value = compute()  # outside the lock: another session's graph need not wait for this one
        size = self._size(value)
        if size > self.budget:
            return value
        with self._lock:
            self._kept[key] = (value, size)
            self._kept.move_to_end(key)
            held = sum(kept for _, kept in self._kept.values())
            while held > self.budget:
                _, (_, dropped) = self._kept.popitem(last=False)
                held -= dropped
        return value
