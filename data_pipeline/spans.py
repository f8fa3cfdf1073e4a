"""Interval queries over character spans, in logarithmic time per query.

A long text has thousands of mentions; asking "is this match inside a name?"
by scanning every name made extraction quadratic in the text's length (a
100,000-character upload took a minute). These answers are exact, not sampled.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from itertools import accumulate
from typing import Callable, Iterable


def inside_any(spans: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """`contains(start, end)`: whether some span `(a, b)` has `a <= start` and `end <= b`.

    Among the spans starting at or before `start`, the one reaching furthest decides.
    """
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))

    def contains(start: int, end: int) -> bool:
        index = bisect_right(starts, start) - 1
        return index >= 0 and reach[index] >= end

    return contains


def overlaps_any(spans: Iterable[tuple[int, int]]) -> Callable[[int, int], bool]:
    """`overlaps(start, end)`: whether some span `(a, b)` has `a < end` and `start < b`.

    Among the spans starting before `end`, the one reaching furthest decides.
    """
    ordered = sorted(spans)
    starts = [a for a, _ in ordered]
    reach = list(accumulate((b for _, b in ordered), max))

    def overlaps(start: int, end: int) -> bool:
        index = bisect_left(starts, end) - 1
        return index >= 0 and reach[index] > start

    return overlaps


class Disjoint:
    """A growing set of non-overlapping spans that answers "does this overlap one of you?"."""

    def __init__(self) -> None:
        self._spans: list[tuple[int, int]] = []

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect_left(self._spans, (start, end))
        before = self._spans[index - 1] if index > 0 else None
        after = self._spans[index] if index < len(self._spans) else None
        return bool((before and before[1] > start) or (after and after[0] < end))

    def add(self, start: int, end: int) -> None:
        insort(self._spans, (start, end))

    def __iter__(self):
        return iter(self._spans)
