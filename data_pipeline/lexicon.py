"""The word lists the rules read (`data/lexicon.toml`): posts, ranks, honours, organisation name forms,
abbreviations. Checked when loaded, so a broken edit fails with the file and list it concerns.

They are read once per process, at import, because the rules compile them into patterns then; a list an
analyst needs to extend belongs in this file (the knowledge base, `--kb`, holds places, bodies, topics
and posts, which vary by deployment).
"""

from __future__ import annotations

import tomllib
from importlib import resources

__all__ = ["LexiconError", "words"]

_FILE = "data_pipeline/data/lexicon.toml"
_LISTS = (
    "title_heads", "title_modifiers", "honorifics", "post_nominals", "occupations", "reporting_verbs",
    "interjections", "count_words", "sentence_words", "months_and_days", "organization_heads", "organization_head_modifiers", "organization_suffixes", "research_words", "research_heads",
    "national_suffixes", "body_nouns", "abbreviations", "region_heads",
)


class LexiconError(ValueError):
    """A lexicon that cannot be used; the message names the file and the list."""


def _load(text: str, where: str = _FILE) -> dict[str, tuple[str, ...]]:
    data = tomllib.loads(text)
    missing, unknown = set(_LISTS) - set(data), set(data) - set(_LISTS)
    if missing or unknown:
        raise LexiconError(f"{where}: missing list(s) {sorted(missing)}, unknown list(s) {sorted(unknown)}")
    lists = {}
    for name in _LISTS:
        values = data[name]
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() == v and v for v in values):
            raise LexiconError(f"{where}: {name} must be a non-empty list of non-empty words without outer spaces")
        if len(set(values)) != len(values):
            raise LexiconError(f"{where}: {name} lists a word twice")
        lists[name] = tuple(values)
    return lists


_WORDS = _load((resources.files("data_pipeline") / "data" / "lexicon.toml").read_text("utf-8"))


def words(name: str) -> tuple[str, ...]:
    """One list of the lexicon, in file order."""
    return _WORDS[name]
