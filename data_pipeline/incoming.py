"""An update's own temporary folder inside the data folder, and the removal of those whose update is gone.

An update extracts its new files before it waits for the folder's lock, and a large one spills its tables to disk
(`build_tables(spill_to=…)`), so it needs a folder of its own on the data folder's disk: `DATA/.incoming-XXXX`. It
removes that folder when it ends, but a build killed by a signal cannot: at a million articles the kernel's
out-of-memory killer left gigabytes of extraction parts and spilled tables behind, and nothing removed them.

So each such folder holds `.owner`, a file its update keeps an exclusive `flock` on for as long as it runs (the
kernel releases the lock of a killed process), and every update first removes the folders whose owner file nobody
holds. The owner file is locked before it takes its name, so an update never finds a running update's folder
unlocked: a folder without one (being made at that moment, or left by a version of the pipeline before this one)
is left as it is.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PREFIX = ".incoming-"
OWNER = ".owner"


@contextmanager
def incoming(folder: Path) -> Iterator[Path]:
    """A new folder of this update's own inside `folder`, held while the block runs and removed after it; the
    folders of updates no longer running are removed first."""
    folder = Path(folder)
    remove_abandoned(folder)
    path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=folder))
    try:
        with _owned(path):
            yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


@contextmanager
def _owned(path: Path) -> Iterator[None]:
    """`path/.owner`, locked from before it has that name until the block ends."""
    descriptor, named = tempfile.mkstemp(prefix=".owning-", dir=path)
    with os.fdopen(descriptor, "r+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # cannot wait: no other process knows this file yet
        os.replace(named, path / OWNER)
        yield


def remove_abandoned(folder: Path) -> None:
    """Remove the temporary folders in `folder` whose update is no longer running."""
    for path in Path(folder).glob(PREFIX + "*"):
        try:
            with open(path / OWNER, "rb") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                shutil.rmtree(path, ignore_errors=True)  # its owner is gone
        except OSError:  # held (running), no owner file (being made, or older), or not ours to open: left as it is
            continue
