"""Whether an article is about cyber policy or diplomacy at all: the cheap path for unrelated news.

A feed carries far more unrelated news (sport, markets, weather) than reports on
cyber diplomacy. An article that uses none of the words in `data/relevance.toml`
cannot name an official at work or a meeting of governments, so extraction keeps
its text and sentences and looks for nothing else in it: no model, no rules.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources

from .caseblind import CaseBlind

__all__ = ["is_relevant"]


@lru_cache(maxsize=1)
def _pattern() -> CaseBlind:
    words = tomllib.loads((resources.files("data_pipeline") / "data" / "relevance.toml").read_text("utf-8"))["words"]
    parts = [
        r"[ \t]+".join(map(re.escape, word.rstrip("*").split())) + (r"\w*" if word.endswith("*") else r"(?!\w)")
        for word in words
    ]
    return CaseBlind(rf"(?<!\w)(?:{'|'.join(parts)})")


def is_relevant(title: str, text: str) -> bool:
    """Whether the title or text uses any cyber-policy or diplomacy word."""
    pattern = _pattern()
    return pattern.search(title) or pattern.search(text)
