"""The SHA-256 of each file a version keeps beside its tables (the linking state, the reading record), listed in its
manifest, so that one edited or damaged since is known and not built on."""

from __future__ import annotations

import hashlib
from pathlib import Path


def digests(folder: Path) -> dict[str, str]:
    """The SHA-256 of every file under `folder`, by its path there."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()}
