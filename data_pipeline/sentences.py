"""Sentence splitting with offsets into the article text.

News text abbreviates ranks, months and countries ("Lt. Gen.", "Jan. 31", "U.S.")
so a full stop ends a sentence only when it is not one of those and the next
word starts like a sentence. A blank line always ends a sentence, and so does a line
break before a list item ("- NAME, TITLE") or a labelled line ("Japan: NAME, TITLE"), so
each attendee has a sentence of its own.

A run of text with no sentence end for more than `MAX_SENTENCE` characters (a
pasted table, a list without full stops, a hostile upload) is cut at the last
space before that length: rules look within a sentence, so an unbounded
sentence would make extraction quadratic in the text's length.
"""

from __future__ import annotations

import re

from . import lexicon
from .model import Sentence

ABBREVIATIONS = frozenset(lexicon.words("abbreviations"))
# A line labelled by up to four capitalised words ("Japan: Mr A, Director", "Papua New Guinea (host): ...").
_LABEL = r"[A-Z][\w.'’-]*(?:[ \t]+(?:of|and|the|[A-Z][\w.'’-]*)){0,3}(?:[ \t]*\([^)\n]{1,30}\))?:[ \t]"
_END = re.compile(
    rf"""[.!?]+["'”’)\]]*(?=\s+|$)|\n[ \t]*\n\s*|\n(?=[ \t]*(?:[-*•]|\d+[.)])[ \t])|\n(?=[ \t]*{_LABEL})"""
)
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")
_LIST_NUMBER = re.compile(r"(?:^|\n)[ \t]*\d+\.$")  # "1." opening a numbered list item
_INITIALS = re.compile(r"(?:\b[A-Za-z]\.)+$")  # U.S. / J. / e.g.
_LOOKBEHIND = 40  # characters before a full stop that decide whether it ends a sentence
_NEXT_STARTS_SENTENCE = re.compile(r"""\s+["'“‘(\[]?[A-Z0-9]""")
MAX_SENTENCE = 1500  # characters; news sentences run to a few hundred


def _is_boundary(text: str, match: re.Match) -> bool:
    if match.group().startswith("\n"):
        return True
    if match.group()[0] != ".":
        return True
    before = text[max(0, match.start() - _LOOKBEHIND) : match.start() + 1]
    word = _WORD_BEFORE.search(before)
    following = _NEXT_STARTS_SENTENCE.match(text, match.end())
    if match.end() >= len(text.rstrip()):
        return True
    if not following:
        return False
    if word and word.group(1).lower() in ABBREVIATIONS:
        return False
    if _LIST_NUMBER.search(before):
        return False
    if _INITIALS.search(before) and len(word.group(1) if word else "") <= 1:
        # "U.S. officials" continues; "in the U.S. The next" is ambiguous and kept together.
        return False
    return True


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences covering every non-blank part of the text, trimmed of surrounding white space."""
    sentences: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        if not _is_boundary(text, match):
            continue
        end = match.start() if match.group().startswith("\n") else match.end()
        _append(sentences, text, start, end)
        start = match.end()
    _append(sentences, text, start, len(text))
    return tuple(sentences)


def _append(sentences: list[Sentence], text: str, start: int, end: int) -> None:
    while start < end:
        while start < end and text[start].isspace():
            start += 1
        stop = end
        if stop - start > MAX_SENTENCE:
            cut = text.rfind(" ", start + 1, start + MAX_SENTENCE)
            stop = cut if cut > start else start + MAX_SENTENCE
        piece_end = stop
        while piece_end > start and text[piece_end - 1].isspace():
            piece_end -= 1
        if start < piece_end:
            sentences.append(Sentence(len(sentences), start, piece_end, text[start:piece_end]))
        start = stop
