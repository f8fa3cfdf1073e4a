"""Organisations named in text: the curated list in `organizations.toml`, plus general patterns.

Government bodies are named in regular ways ("Department of X", "Ministry of X",
"National X Council", "X Agency"), so a body missing from the list is still
found. The country comes from the text where it says so ("Australia's Department
of Home Affairs", "Ministry of External Affairs of India", "the Indian Ministry
of Home Affairs") and otherwise from the list: many countries have a "Ministry
of Foreign Affairs", and the text's own country beats the list's default.

Where a listed name and a pattern overlap, the longest span wins, so one stretch
of text is never two organisations ("Quad Senior Cyber Group" is not "Quad").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import ids, lexicon
from .countries import Span, kb_cached, literal_pattern
from .kb import KnowledgeBase, OrgEntry
from .people import HONORIFICS, TITLE_HEADS
from .spans import Disjoint

__all__ = ["OrgMatch", "find_organizations"]

PATTERN_KIND = "government body"  # every pattern below names a public body, except a research body
RESEARCH_KIND = "other"

_HEADS = lexicon.words("organization_heads")
_SUFFIXES = lexicon.words("organization_suffixes")
# "University of Adelaide", "Keio University", "Lowy Institute", "Centre for X": where researchers quoted on policy work.
_RESEARCH = lexicon.words("research_words")
_RESEARCH_HEADS = lexicon.words("research_heads")
_RESEARCH_NAMING = frozenset({*_RESEARCH, *_RESEARCH_HEADS})  # words that make a name a research body's
_NATIONAL_SUFFIXES = lexicon.words("national_suffixes")
# Words that end a name: titles ("Home Affairs Secretary NAME"), ranks, another body's head,
# and sentence openers ("The X Agency" is named "X Agency").
_NOT_NAME = literal_pattern(
    {*TITLE_HEADS, *(w for h in HONORIFICS for w in h.split()), *_HEADS,
     "The", "This", "That", "A", "An", "In", "On", "At", "For", "By", "With", "From", "And", "Or", "But", "As"}
)
_WORD = rf"(?!(?:{_NOT_NAME})(?![\w-]))[A-Z][\w’'-]*"
_WORDS = rf"{_WORD}(?:[ \t]+(?:(?:and|&|of|for|on)[ \t]+(?:the[ \t]+)?)?{_WORD})*"
_TAIL = rf"(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_WORDS})?"
_PATTERN = re.compile(
    rf"\b(?:(?:{'|'.join(lexicon.words('organization_head_modifiers'))})[ \t]+)?(?:{'|'.join(_HEADS)})[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?{_WORDS}"
    rf"|\b(?:{'|'.join(_RESEARCH_HEADS + _RESEARCH)})[ \t]+(?:of|for|on)[ \t]+(?:the[ \t]+)?{_WORDS}"
    rf"|\bNational(?:[ \t]+{_WORD}){{0,4}}[ \t]+(?:{'|'.join(_NATIONAL_SUFFIXES)})(?:[ \t]+Secretariat)?\b{_TAIL}"
    rf"|\b{_WORD}(?:[ \t]+(?:(?:and|&)[ \t]+)?{_WORD}){{0,5}}[ \t]+(?:{'|'.join(_SUFFIXES + _RESEARCH)})\b{_TAIL}"
)
_POSSESSIVE_GAP = re.compile(r"(?:['’]s)?[ \t]+(?:the[ \t]+)?\Z")  # "Australia's ", "the US " before a name
_POSSESSIVE_SPACE = re.compile(r"(?:['’]s)?[ \t]+")
_OF_COUNTRY = re.compile(r"[ \t]+of[ \t]+(?:the[ \t]+)?")
_COMPLEMENT = re.compile(r"[ \t]+(?:of|for|on)[ \t]+")
_CITY_GAP = re.compile(r",[ \t]*")  # "X Institute, New Delhi"
_JOIN = re.compile(r"[ \t]+(?:and|&)[ \t]+")
_CLOSED = re.compile(rf"\b(?:{'|'.join({*_SUFFIXES, *_NATIONAL_SUFFIXES, *_RESEARCH})})\Z")
_CONTINUES = re.compile(r"[ \t]+(?:of|for|and|&|on)[ \t]|['’]s\b")


@dataclass(frozen=True)
class OrgMatch:
    start: int
    end: int
    org_id: str
    name: str
    kind: str
    country: str | None


@kb_cached
def _org_matcher(kb: KnowledgeBase) -> tuple[re.Pattern, dict[str, tuple[OrgEntry, ...]]]:
    phrases: dict[str, tuple[OrgEntry, ...]] = {}
    for org in kb.organizations.values():
        for phrase in dict.fromkeys((org.name, *org.aliases)):
            phrases[phrase] = phrases.get(phrase, ()) + (org,)
    return re.compile(rf"(?<![\w-])(?:{literal_pattern(phrases)})(?![\w-])"), phrases


def find_organizations(
    text: str, kb: KnowledgeBase, countries: list[Span], people: list[tuple[int, int]] = (), places: list[Span] = ()
) -> list[OrgMatch]:
    """Organisations in the text, in order, none overlapping another; `countries` from `find_countries`.

    `people` are spans a model reads as personal names: a body's name ends before one ("Ministry of
    Justice NAME said"), as it ends before a listed body's name runs on into other words. `places`
    (from `find_places`) give a body its country when the text locates it ("X Institute, New Delhi").
    """
    listed, phrases = _org_matcher(kb)
    starts = {span.start: span for span in countries}
    ends = {span.end: span for span in countries}
    located = {span.start: kb.places[span.entity_id].country for span in places if span.entity_id in kb.places}
    spans = [(m.start(), m.end()) for m in listed.finditer(text)]
    listed_starts = {start for start, _ in spans}
    person_stops = sorted(start for start, _ in people)
    name_stops = sorted({*person_stops, *(end for _, end in spans)})
    for match in _PATTERN.finditer(text):
        # a name closed by its own suffix ("National Security Council Cyber Directorate") runs on past a listed one
        stops = person_stops if _CLOSED.search(match.group()) else name_stops
        trimmed = _trim(text, match.start(), _before_stop(text, match.start(), match.end(), stops), starts, listed_starts)
        if trimmed:
            spans.append(trimmed)
    found = []
    for start, end in _longest_first(spans):
        found.append(_resolve(text, start, end, phrases, _context_country(text, start, end, starts, ends, located)))
    return found


def _before_stop(text: str, start: int, end: int, stops: list[int]) -> int:
    """The end of a pattern match cut before a name inside it (a person, or words after a listed body's name).

    "Department of Home Affairs NAME": the listed body ends where a name begins, unless what follows
    continues the body's name ("of India", "for Cyber Security").
    """
    for stop in stops:
        if start < stop < end and not _CONTINUES.match(text, stop):
            return max(start, len(text[:stop].rstrip()))
    return end


def _trim(text: str, start: int, end: int, starts: dict[int, Span], listed_starts: set[int]) -> tuple[int, int] | None:
    """A pattern match without the country words around it and without a second body joined by "and".

    None when nothing named like a body is left. "Japanese National Police Agency" is the National Police Agency with Japan as context;
    "Ministry of External Affairs of India" likewise; "Ministry of X and CISA" stops before "and".
    """
    for joint in _JOIN.finditer(text, start, end):
        if joint.end() in listed_starts or joint.end() in starts:
            end = joint.start()
            # what is left must still be named like a body: "NAME and Cybersecurity and
            # Infrastructure Security Agency" leaves a person's name, not an organisation
            if not _PATTERN.fullmatch(text, start, end):
                return None
            break
    if start in starts and not _demonym_named(text, start, end, starts):
        gap = _POSSESSIVE_SPACE.match(text, starts[start].end, end)
        start = gap.end() if gap else end
    for joint in _OF_COUNTRY.finditer(text, start, end):
        if joint.end() in starts and starts[joint.end()].end == end:
            end = joint.start()
    return (start, end) if len(text[start:end].split()) >= 2 else None


def _demonym_named(text: str, start: int, end: int, starts: dict[int, Span]) -> bool:
    """Whether a country word opens a research body's own name ("Australian Catholic University"), not its context.

    A government body takes its country as context ("Japanese National Police
    Agency" is the National Police Agency); a university or an institute is named after it, and
    "Australia's National University" (a possessive) would still be context.
    """
    after = starts[start].end
    return text[after : after + 1] in (" ", "\t") and _kind(text[after:end].strip()) == RESEARCH_KIND


def _longest_first(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept = Disjoint()
    for start, end in sorted(set(spans), key=lambda s: (s[0] - s[1], s[0])):
        if not kept.overlaps(start, end):
            kept.add(start, end)
    return list(kept)


def _context_country(
    text: str, start: int, end: int, starts: dict[int, Span], ends: dict[int, Span], located: dict[int, str]
) -> str | None:
    """The country the text attaches to a name: opening it ("Australian X University"), just before it ("India's",
    "the US"), "of COUNTRY" after it, or the country of the city written after it ("X Institute, New Delhi")."""
    if start in starts:
        return starts[start].entity_id
    gap = _POSSESSIVE_GAP.search(text, max(0, start - 12), start)
    if gap and gap.start() in ends:
        return ends[gap.start()].entity_id
    of = _OF_COUNTRY.match(text, end)
    if of and of.end() in starts:
        return starts[of.end()].entity_id
    city = _CITY_GAP.match(text, end)
    return located.get(city.end()) if city else None


def _resolve(text: str, start: int, end: int, phrases: dict[str, tuple[OrgEntry, ...]], context: str | None) -> OrgMatch:
    """The listed organisation the span names in this country, or a new one named by the span itself."""
    surface = " ".join(text[start:end].split())
    entries = phrases.get(surface, ())
    entry = next((e for e in entries if e.country == context), None)
    if entry is None and entries and (context is None or all(e.country is None for e in entries)):
        entry = entries[0]
    if entry is not None:
        return OrgMatch(start, end, entry.org_id, entry.name, entry.kind, entry.country)
    name = entries[0].name if entries else surface
    kind = entries[0].kind if entries else _kind(surface)
    return OrgMatch(start, end, ids.org_id(name, context), name, kind, context)


def _kind(name: str) -> str:
    """A research body when a research word heads the name or ends it before its complement ("Centre for X",
    "X Institute for Y", "X Foundation"); otherwise a public body ("National X Council" is one)."""
    words = _COMPLEMENT.split(name, maxsplit=1)[0].split()
    if words[0] != "National" and {words[0], words[-1]} & _RESEARCH_NAMING:
        return RESEARCH_KIND
    return PATTERN_KIND
