"""Countries named in text, and the literal-phrase matching every knowledge-base lookup shares.

Names, short forms and demonyms all come from the knowledge base (ISO names via
pycountry plus `countries.toml`), so a new alias is a data change, not a code
change. Matching is case-sensitive ("US" is the country, "us" is not) and whole
word, and the regex is built once per knowledge base: extraction runs over
thousands of articles and must not rebuild or loop over hundreds of names per
token.
"""

from __future__ import annotations

import re
import weakref
from typing import Callable, Iterable, NamedTuple, TypeVar

from .kb import KnowledgeBase

__all__ = ["Span", "kb_cached", "literal_pattern", "find_countries", "country_phrases"]

T = TypeVar("T")

# A name right after a compass word or "New" belongs to a region or a state ("South Australia",
# "Latin American", "New Jersey") unless the longer phrase is itself a known name, which the
# longest-match regex then finds first.
_REGION_QUALIFIERS = ("North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "Latin", "New")
# "Indian Ocean", "South China Sea": a country word inside the name of a body of water.
_WATER = r"(?![ \t]+(?:Ocean|Sea|Strait|Straits|Gulf|Subcontinent)\b)"


class Span(NamedTuple):
    """A stretch of article text and the id of what it names."""

    start: int
    end: int
    entity_id: str


def kb_cached(build: Callable[[KnowledgeBase], T]) -> Callable[[KnowledgeBase], T]:
    """Memoise a per-knowledge-base build (compiled regexes, lookup tables) for as long as the KB lives."""
    cache: "weakref.WeakKeyDictionary[KnowledgeBase, T]" = weakref.WeakKeyDictionary()

    def cached(kb: KnowledgeBase) -> T:
        if kb not in cache:
            cache[kb] = build(kb)
        return cache[kb]

    cached.__doc__ = build.__doc__
    return cached


def literal_pattern(phrases: Iterable[str]) -> str:
    """A regex matching any of the phrases, longest first, as a character trie.

    A plain alternation of hundreds of names makes the regex engine try every
    branch at every position; a trie shares prefixes, so each position costs a
    few character comparisons.
    """
    trie: dict = {}
    for phrase in phrases:
        node = trie
        for char in phrase:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_regex(trie) if trie else "(?!)"


def _trie_regex(node: dict) -> str:
    branches = [re.escape(char) + _trie_regex(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a phrase may end here: the longer continuations are tried first
        return "(?:" + body + ")?"
    return body


def country_phrases(kb: KnowledgeBase) -> dict[str, str]:
    """Every way the knowledge base writes a country, mapped to its alpha-3 code.

    ISO's inverted forms ("Korea, Republic of") never occur in running text and
    their commas would swallow list separators; names are proper nouns, so a
    form that does not start with a capital ("the State of Palestine") is left
    out too.
    """
    phrases: dict[str, str] = {}
    for entry in kb.countries.values():
        for phrase in (entry.name, *entry.aliases, *entry.demonyms):
            if "," not in phrase and phrase[:1].isupper():
                phrases.setdefault(phrase, entry.alpha3)
    return phrases


@kb_cached
def _country_matcher(kb: KnowledgeBase) -> tuple[re.Pattern, dict[str, str]]:
    phrases = country_phrases(kb)
    qualifiers = "".join(f"(?<!{q} )" for q in _REGION_QUALIFIERS)
    pattern = rf"(?<!\w){qualifiers}(?:{literal_pattern(phrases)})(?!\w){_WATER}"
    return re.compile(pattern), phrases


def find_countries(text: str, kb: KnowledgeBase) -> list[Span]:
    """Every country name, short form or demonym in the text, in order; "Australia's" yields "Australia"."""
    pattern, phrases = _country_matcher(kb)
    return [Span(m.start(), m.end(), phrases[m.group()]) for m in pattern.finditer(text)]
