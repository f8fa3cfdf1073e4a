"""Case-blind scans of whole articles at the speed of case-sensitive ones.

Python's regex engine skips a position cheaply when an alternative starts with a
plain letter, but not when the pattern ignores case: then every alternative of a
long list ("met|held|hosted|...", a topic's phrases) is tried at every position.
A case-blind pattern written in ASCII without case-dependent parts matches exactly
where its lower-case form matches the *folded* text: each character that matches
an ASCII letter case-blind written as that letter, every other character
unchanged. Folding keeps every offset, so spans and `text[start:end]` are those
of the case-blind scan. Patterns that cannot be folded safely (upper-case escapes
such as `\\S`, inline flags, upper-case letters in a class) run case-blind as before.
"""

from __future__ import annotations

import re
from typing import Iterator

__all__ = ["CaseBlind", "fold", "FOLDS"]

# The characters outside ASCII that Python's case-blind matching equates with an ASCII letter
# (tests/test_caseblind.py checks this against every code point).
FOLDS = {"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"}
# A backslash before anything but \s \w \d \b \n \t or punctuation, an inline flag or named group, or an
# upper-case letter inside a character class: lower-casing would change what the pattern means.
_UNFOLDABLE = re.compile(r"\\(?![swdbnt]|[^A-Za-z0-9])|\(\?[^:=!<]|\[[^\]]*[A-Z]")


def fold(text: str) -> str:
    """The text with every character that matches an ASCII letter case-blind written as that lower-case letter.

    Lower-casing does that for all but three of them and changes no other character's class (letter,
    digit, space); only "İ" lower-cases to two characters, so it is replaced first and offsets hold.
    """
    if text.isascii():
        return text.lower()
    folded = text.replace("\u0130", "i").lower()
    return folded.replace("\u0131", "i").replace("\u017f", "s") if "\u0131" in folded or "\u017f" in folded else folded


class CaseBlind:
    """A pattern matched ignoring case; `spans` runs its folded form on folded text where that is exact."""

    def __init__(self, pattern: str):
        self.pattern = re.compile(pattern, re.IGNORECASE)
        foldable = pattern.isascii() and not _UNFOLDABLE.search(pattern)
        self._folded = re.compile(pattern.lower()) if foldable else None

    def spans(self, text: str, folded: str) -> Iterator[tuple[int, int]]:
        """(start, end) of each match of the pattern in `text`, as `finditer` finds them; `folded` is `fold(text)`."""
        if self._folded is None:
            return (m.span() for m in self.pattern.finditer(text))
        return (m.span() for m in self._folded.finditer(folded))

    def match(self, text: str, folded: str, position: int) -> tuple[int, int] | None:
        """The span the pattern matches starting at `position` (what `finditer` would find there), or None."""
        found = (self.pattern.match(text, position) if self._folded is None else self._folded.match(folded, position))
        return found.span() if found else None

    def search(self, text: str) -> bool:
        """Whether the pattern occurs in the text."""
        if self._folded is None:
            return self.pattern.search(text) is not None
        return self._folded.search(fold(text)) is not None
