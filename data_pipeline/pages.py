"""Pages of a paged original (a PDF): which part of an article's text each page holds.

Readers record where each page starts (`RawArticle.pages`); a sentence, mention
or any other span is on the page where its first character is.
"""

from __future__ import annotations

import bisect
from typing import Sequence


def page_spans(starts: Sequence[int], length: int) -> list[tuple[int, int, int]]:
    """(page number from 1, start, end) of each page of a text of `length` characters; the blank line
    that joins two pages belongs to neither."""
    ends = [max(start, nxt - 2) for start, nxt in zip(starts, starts[1:])] + [length] if starts else []
    return [(number, start, max(start, end)) for number, (start, end) in enumerate(zip(starts, ends), start=1)]


def page_of(starts: Sequence[int], offset: int) -> int | None:
    """The page holding `offset`: the last page starting at or before it (None for a text without pages)."""
    return bisect.bisect_right(list(starts), offset) if starts else None
