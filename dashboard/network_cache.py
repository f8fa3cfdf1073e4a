"""The network's slow figures (communities, layout, centrality) kept on disk beside the data version they describe.

They depend only on the data version and the node and link types shown, never
on the filters, so they are computed once per version and kept in
`<version>/dashboard/`, which goes when the pipeline retires the version. A
server restart, or a second server on the same folder, reads them instead of
spending minutes on a large graph. The file is written to a temporary name and
renamed, so a reader never sees half of it; a folder the server may not write
(a read-only mount) only means they are computed again after a restart.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd
import pyarrow as pa

__all__ = ["FORMAT", "overview_path", "cached"]

# Bumped when the layout or community code changes, so an old file is not mistaken for the new figures.
FORMAT = "network-overview-3"
FOLDER = "dashboard"


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
    try:
        path.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
        os.close(handle)
        try:
            frame.to_parquet(temporary, index=False)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    except OSError:
        pass  # a read-only data folder: the figures stay in memory only
    return frame
