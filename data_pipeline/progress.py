"""Progress of a long build on the terminal: files read and articles extracted, rate and time left.

tqdm draws the bars on stderr, and only when stderr is a terminal: a build in CI,
in a log or under the dashboard prints nothing extra.
"""

from __future__ import annotations

import sys
from typing import Iterable, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def bar(items: Iterable[T], *, show: bool, total: int | None, desc: str, unit: str) -> Iterable[T]:
    """`items`, counted on a bar when `show` is asked and stderr is a terminal."""
    return tqdm(items, total=total, desc=desc, unit=unit, file=sys.stderr, disable=None if show else True, mininterval=0.5)
