"""The dateline that opens a news report: where it was filed and, often, when.

Styles recognised at the very start of the text: "New Delhi, Jan 31:",
"WASHINGTON, March 3, 2024 —", "TOKYO (Reuters) -", "PERTH, May 2 (AAP) -",
"Canberra, 12 February 2024:", and the state or country after the city in agency style
("HIROSHIMA, Japan (AP) —", "WILMINGTON, Del. (AP) —").
The dateline may follow a few short lines (a byline, a notice) but no
longer paragraph. A place of one to four capitalised words is a dateline place when a date or a
news agency follows it, or when it is written in capitals or is a known place;
this keeps an opening "Background:" or "Update -" from being taken for a city, and a transcript's
speaker ("MR. SULLIVAN:") is never one.
"""

from __future__ import annotations

import re
from datetime import date

from .dates import WRITTEN_DAY, resolve_written_day
from .kb import KnowledgeBase
from .model import Dateline
from .people import HONORIFICS, TITLE_HEADS

# "MR. SULLIVAN:", "SECRETARY BLINKEN:" open a transcript's first answer: a speaker, never a place.
_HONORIFIC_WORDS = frozenset(h.casefold() for h in HONORIFICS if " " not in h)
_POST_WORDS = frozenset(h.casefold() for h in TITLE_HEADS)

_WORD = r"[A-Z][\w.'’]*(?:-[\w.'’]+)*"
_DATELINE = re.compile(
    rf"""\s*(?P<place>{_WORD}(?:[ \t]+{_WORD}){{0,3}})
    (?:[ \t]*,[ \t]*(?P<region>{_WORD}(?:[ \t]+{_WORD}){{0,2}})(?=[ \t]*(?:\(|,|:|—|–|--?)))?
    (?:[ \t]*\((?P<agency>[A-Z][\w .&-]{{1,30}})\))?
    (?:[ \t]*,[ \t]*(?P<date>{WRITTEN_DAY}))?
    (?:[ \t]*\((?P<agency_after>[A-Z][\w .&-]{{1,30}})\))?
    [ \t]*(?::|—|–|--?)(?=\s)""",
    re.VERBOSE,
)


_LINE_BREAK = re.compile(r"\n\s*")
_SHORT_LINE = 200  # characters: longer than a byline or notice, the report has begun


def _openings(text: str):
    """Offsets where the report may open: the start of the text and of each short line before the first long one."""
    start = 0
    for _ in range(4):
        yield start
        line_end = _LINE_BREAK.search(text, start)
        if not line_end or line_end.start() - start > _SHORT_LINE:
            return
        start = line_end.end()


def _known_place(name: str, kb: KnowledgeBase):
    wanted = name.casefold()
    return next(
        (p for p in kb.places.values() if wanted in (n.casefold() for n in (p.name, *p.aliases))),
        None,
    )


def _known_country(name: str, kb: KnowledgeBase) -> str | None:
    """A city-state or country written as the dateline place ("SINGAPORE")."""
    wanted = name.casefold()
    return next(
        (c.alpha3 for c in kb.countries.values() if wanted in (n.casefold() for n in (c.name, *c.aliases))),
        None,
    )


def find_dateline(text: str, kb: KnowledgeBase, published: date | None) -> Dateline | None:
    """The report's opening dateline, or None when the text does not open with one.

    A date without a year is the closest such day on or before `published`
    (a report is filed on or after the day it names), and unknown without it.
    """
    match = next(filter(None, (_DATELINE.match(text, start) for start in _openings(text))), None)
    if not match:
        return None
    written = match.group("place")
    if written.split()[0].rstrip(".").casefold() in _HONORIFIC_WORDS:
        return None
    place = _known_place(written, kb)
    if place is None and any(word.casefold() in _POST_WORDS for word in written.split()):
        return None
    agency = match.group("agency") or match.group("agency_after")
    if not (place or match.group("date") or agency or written.isupper()):
        return None
    # the dateline ends after its last part; an agency's closing parenthesis is part of it
    end = max([match.end("place"), match.end("region"), match.end("date")] + [match.end(g) + 1 for g in ("agency", "agency_after") if match.group(g)])
    start = match.start("place")
    if place:
        place_id, name, country = place.place_id, place.name, place.country
    else:
        name = written.title() if written.isupper() else written
        place_id, country = None, _known_country(written, kb) or _known_country(match.group("region") or "", kb)
    span = resolve_written_day(match.group("date"), published) if match.group("date") else None
    return Dateline(start, end, text[start:end], place_id, name, country, span)
