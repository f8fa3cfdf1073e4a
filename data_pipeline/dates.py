"""Date expressions in news text, resolved to the first and last day they allow.

A span is never more precise than the words: "in March 2023" is the whole
month with precision "month", "last year" the whole year with precision
"year". Week expressions ("last week", "this week", "on Monday and Tuesday")
have no precision of their own in the contract (day, month, year), so they
are day-precision ranges whose start and end bound the days the text allows.

Anything that needs the article's date to resolve (weekdays, "yesterday",
"last month", a day or month without a year) resolves against
`Document.published` and is dropped when that is unknown. It is also dropped
inside quoted speech, because a quotation may have been spoken at another
time than the article was written ("this week" in a statement quoted weeks
later). Absolute dates with a year always resolve.

A day or month without a year is taken as the closest one on or before the
article date (news mostly reports what has happened), unless its clause
speaks of the future before it ("will meet on", "the next round on",
"scheduled for"), when it is the closest one on or after. python-dateutil is not used: its fuzzy parser guesses
silently, and these rules need to say exactly what they assume.
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Callable, Sequence

from .model import DateFinding, DateSpan, Document

MONTHS = {
    name: number
    for number, names in enumerate(
        (("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"),
         ("november", "nov"), ("december", "dec")),
        start=1,
    )
    for name in names
}
WEEKDAYS = {name: number for number, name in enumerate(calendar.day_name)}  # Monday = 0

# Title-case month names and abbreviations (with an optional full stop); lower-case "may" is a verb.
MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
FULL_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
YEAR = r"(?:19|20)\d\d(?!\d)"
WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_TO = r"(?:\s*[-–—]\s*|\s+(?:to|and|until|till|through)\s+)"
# A month or year alone is a date only after a preposition ("in March", "since 2020"), never as a name;
# the preposition is matched but left out of the surface (group "surface").
_AFTER_PREPOSITION = r"\b(?:[Ii]n|by|of|[Ss]ince|until|[Dd]uring)\s+"
_FUTURE = re.compile(
    r"\b(?:will|shall|'ll|next|upcoming|forthcoming|scheduled|due to|planned|expected to|to be held)\b", re.IGNORECASE
)
_CLAUSE_START = re.compile(r".*[,;:—–(]", re.DOTALL)
# A name between commas or in a list starts no clause: "will host the leaders of Australia, India and Japan in
# Wilmington, Delaware, on Saturday"
_APPOSITIVE = re.compile(r",\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}(?:,|(?=\s+and\s))")

# A written day as used in datelines and prose: "Jan. 31", "January 31, 2023", "31 January 2023", "2023-01-31".
WRITTEN_DAY = rf"(?:\d{{4}}-\d\d-\d\d|{MONTH}\s+{DAY}(?:,?\s+{YEAR})?|{DAY}\s+(?:of\s+)?{MONTH}(?:,?\s+{YEAR})?)"


def day_span(day: date) -> DateSpan:
    return DateSpan(day, day, "day")


def month_span(year: int, month: int) -> DateSpan:
    return DateSpan(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month")


def year_span(year: int) -> DateSpan:
    return DateSpan(date(year, 1, 1), date(year, 12, 31), "year")


def week_span(day: date) -> DateSpan:
    """Monday to Sunday of the week holding the day, as a day-precision range."""
    monday = day - timedelta(days=day.weekday())
    return DateSpan(monday, monday + timedelta(days=6), "day")


def resolve_month_day(month: int, day: int, anchor: date, future: bool = False) -> date | None:
    """The closest such day on or before the anchor (on or after it when `future`); None if it never exists."""
    step = 1 if future else -1
    for offset in range(9):  # 29 February recurs within 8 years
        year = anchor.year + step * offset
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if (candidate >= anchor) if future else (candidate <= anchor):
            return candidate
    return None


def resolve_month(month: int, anchor: date, future: bool = False) -> DateSpan:
    """The closest such month on or before the anchor's month (on or after it when `future`)."""
    if future:
        year = anchor.year if month >= anchor.month else anchor.year + 1
    else:
        year = anchor.year if month <= anchor.month else anchor.year - 1
    return month_span(year, month)


def resolve_weekdays(weekdays: Sequence[int], anchor: date, future: bool = False, strict: bool = False) -> DateSpan:
    """Days named by weekday ("on Monday and Tuesday") as one span of the most recent such days.

    The last named day is the most recent one on or before the anchor (strictly
    before with `strict`, as in "last Monday"); each earlier named day is the
    most recent one before the day named after it, so the span never reaches
    past the anchor. With `future` it mirrors: the first named day is the next
    one on or after the anchor and the others follow it.
    """
    if future:
        day = anchor + timedelta(days=(weekdays[0] - anchor.weekday()) % 7 or (7 if strict else 0))
        first = day
        for weekday in weekdays[1:]:
            day += timedelta(days=(weekday - day.weekday()) % 7 or 7)
        return DateSpan(first, day, "day")
    day = anchor - timedelta(days=(anchor.weekday() - weekdays[-1]) % 7 or (7 if strict else 0))
    last = day
    for weekday in reversed(weekdays[:-1]):
        day -= timedelta(days=(day.weekday() - weekday) % 7 or 7)
    return DateSpan(day, last, "day")


def _relative(words: str, anchor: date) -> DateSpan:
    """'yesterday', 'last week', 'earlier this month' and the like, against the article date."""
    words = " ".join(words.lower().split())
    if words in ("today", "yesterday", "tomorrow"):
        return day_span(anchor + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[words]))
    when, unit = words.rsplit(" ", 1)
    shift = {"last": -1, "next": 1}.get(when, 0)
    if unit == "week":
        span = week_span(anchor + timedelta(weeks=shift))
    elif unit == "month":
        month_index = anchor.year * 12 + anchor.month - 1 + shift
        span = month_span(month_index // 12, month_index % 12 + 1)
    else:
        span = year_span(anchor.year + shift)
    if when == "earlier this":
        return DateSpan(span.start, max(span.start, anchor - timedelta(days=1)), span.precision)
    if when == "later this":
        return DateSpan(min(span.end, anchor + timedelta(days=1)), span.end, span.precision)
    return span


@dataclass(frozen=True)
class _Context:
    anchor: date | None  # the article date, None when unknown or inside a quotation
    future: bool  # the clause speaks of the future before the date


def _int(text: str) -> int:
    return int(re.match(r"\d+", text).group())


def _year_or_resolved(match: re.Match, month: int, day: int, ctx: _Context) -> date | None:
    if match.group("y"):
        return date(int(match.group("y")), month, day)
    return resolve_month_day(month, day, ctx.anchor, ctx.future) if ctx.anchor else None


def _single_day(match: re.Match, ctx: _Context) -> DateSpan | None:
    found = _year_or_resolved(match, MONTHS[match.group("m").rstrip(".").lower()], _int(match.group("d")), ctx)
    return day_span(found) if found else None


def _day_range(match: re.Match, ctx: _Context) -> DateSpan | None:
    month = MONTHS[match.group("m").rstrip(".").lower()]
    first, last = _int(match.group("d1")), _int(match.group("d2"))
    end = _year_or_resolved(match, month, last, ctx)
    if end is None or first >= last:
        return None
    return DateSpan(date(end.year, month, first), end, "day")


def _cross_month_range(match: re.Match, ctx: _Context) -> DateSpan | None:
    first_month, last_month = (MONTHS[match.group(g).rstrip(".").lower()] for g in ("m1", "m2"))
    end = _year_or_resolved(match, last_month, _int(match.group("d2")), ctx)
    if end is None:
        return None
    start = date(end.year - (first_month > last_month), first_month, _int(match.group("d1")))
    return DateSpan(start, end, "day") if start <= end else None


def _iso(match: re.Match, ctx: _Context) -> DateSpan | None:
    return day_span(date(int(match.group("y")), int(match.group("m")), int(match.group("d"))))


def _month_year(match: re.Match, ctx: _Context) -> DateSpan | None:
    return month_span(int(match.group("y")), MONTHS[match.group("m").rstrip(".").lower()])


def _month_alone(match: re.Match, ctx: _Context) -> DateSpan | None:
    return resolve_month(MONTHS[match.group("m").lower()], ctx.anchor, ctx.future) if ctx.anchor else None


def _year_alone(match: re.Match, ctx: _Context) -> DateSpan | None:
    return year_span(int(match.group("y")))


def _weekdays(match: re.Match, ctx: _Context) -> DateSpan | None:
    if ctx.anchor is None:
        return None
    days = [WEEKDAYS[w] for w in re.findall(WEEKDAY, match.group("core"))]
    which = (match.group("rel") or "").lower()
    future = which == "next" or (which != "last" and ctx.future)
    return resolve_weekdays(days, ctx.anchor, future=future, strict=which in ("last", "next"))


def _relative_words(match: re.Match, ctx: _Context) -> DateSpan | None:
    return _relative(match.group("core"), ctx.anchor) if ctx.anchor else None


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern
    resolve: Callable[[re.Match, _Context], DateSpan | None]
    relative: bool  # needs the article date unless the text gives a year


def _rule(pattern: str, resolve, relative: bool, flags: int = 0) -> _Rule:
    return _Rule(re.compile(pattern, flags), resolve, relative)


_RULES = (
    _rule(r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)\b", _iso, False),
    _rule(rf"\b(?:from\s+|between\s+)?(?P<d1>{DAY}){_TO}(?P<d2>{DAY})\s+(?:of\s+)?(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?", _day_range, True),
    _rule(rf"\b(?P<m>{MONTH})\s+(?P<d1>{DAY}){_TO}(?P<d2>{DAY})(?:,?\s+(?P<y>{YEAR}))?", _day_range, True),
    _rule(rf"\b(?:from\s+)?(?P<d1>{DAY})\s+(?P<m1>{MONTH}){_TO}(?P<d2>{DAY})\s+(?P<m2>{MONTH})(?:,?\s+(?P<y>{YEAR}))?", _cross_month_range, True),
    _rule(rf"\b(?:from\s+)?(?P<m1>{MONTH})\s+(?P<d1>{DAY}){_TO}(?P<m2>{MONTH})\s+(?P<d2>{DAY})(?:,?\s+(?P<y>{YEAR}))?", _cross_month_range, True),
    _rule(rf"\b(?P<d>{DAY})\s+(?:of\s+)?(?P<m>{MONTH})(?:,?\s+(?P<y>{YEAR}))?", _single_day, True),
    _rule(rf"\b(?P<m>{MONTH})\s+(?P<d>{DAY})(?:,?\s+(?P<y>{YEAR}))?", _single_day, True),
    _rule(rf"\b(?P<m>{MONTH})(?:\s+of)?,?\s+(?P<y>{YEAR})", _month_year, False),
    _rule(rf"{_AFTER_PREPOSITION}(?P<surface>(?:(?:early|late|mid-?)\s*)?(?P<m>{FULL_MONTH}))\b(?!\s*\d)", _month_alone, True),
    _rule(rf"{_AFTER_PREPOSITION}(?P<surface>(?:(?:early|late|mid-?)\s*)?(?P<y>{YEAR}))\b(?!\s*[-–]\s*\d)", _year_alone, False),
    _rule(rf"(?:\b(?P<rel>last|next|this|Last|Next|This)\s+)?(?P<core>{WEEKDAY}(?:\s*(?:,|and|&|or|-|–|to|through)\s*(?:on\s+)?{WEEKDAY})*)\b", _weekdays, True),
    _rule(r"\b(?P<core>today|yesterday|tomorrow|(?:(?:earlier|later)\s+this|this|last|next)\s+(?:week|month|year))\b", _relative_words, True, re.IGNORECASE),
)


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of quoted speech, quotes included.

    Straight double quotes pair up in order within a paragraph; a quotation
    still open at the end of a paragraph ends there (the news convention for
    quotes that run on over several paragraphs). Curly quotes pair “ with ”.
    """
    spans: list[tuple[int, int]] = []
    paragraph_start = 0
    for paragraph in re.split(r"(\n[ \t]*\n)", text):
        opened: int | None = None
        for mark in re.finditer(r"[\"“”]", paragraph):
            position = paragraph_start + mark.start()
            if opened is None and mark.group() != "”":
                opened = position
            elif opened is not None and mark.group() != "“":
                spans.append((opened, position + 1))
                opened = None
        if opened is not None:
            spans.append((opened, paragraph_start + len(paragraph.rstrip())))
        paragraph_start += len(paragraph)
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], offset: int) -> bool:
    i = bisect.bisect_right(starts, offset) - 1
    return i >= 0 and offset < spans[i][1]


def _speaks_of_future(text: str, sentence_start: int, offset: int) -> bool:
    """A future marker between the start of the date's clause and the date: "will meet on March 3"."""
    before = _APPOSITIVE.sub(lambda m: " " * len(m.group()), text[sentence_start:offset])
    cut = _CLAUSE_START.match(before)
    return bool(_FUTURE.search(before[cut.end():] if cut else before))


def _non_overlapping(findings: list[DateFinding]) -> list[DateFinding]:
    """Earliest first, the longest at a position; later findings overlapping a kept one are dropped."""
    kept: list[DateFinding] = []
    for finding in sorted(findings, key=lambda f: (f.start, -f.end)):
        if not kept or finding.start >= kept[-1].end:
            kept.append(finding)
    return kept


def find_dates(document: Document) -> list[DateFinding]:
    """Every date expression that can be resolved, in text order.

    Every rule's matches are resolved first and overlaps settled after, so a
    longer expression that cannot be resolved ("31-32 May") does not hide a
    shorter one inside it that can.
    """
    text = document.text
    quotes = quotation_spans(text)
    quote_starts = [start for start, _ in quotes]
    findings = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            sentence = document.sentence_at(match.start())
            quoted = rule.relative and _inside(quotes, quote_starts, match.start())
            ctx = _Context(None if quoted else document.published, _speaks_of_future(text, sentence.start, match.start()))
            try:
                span = rule.resolve(match, ctx)
            except (ValueError, OverflowError):  # a day the calendar does not have: 31 April, the day after 9999-12-31
                continue
            if span is not None:
                start, end = match.span("surface" if "surface" in rule.pattern.groupindex else 0)
                findings.append(DateFinding(start, end, text[start:end], sentence.index, span))
    return _non_overlapping(findings)


def resolve_written_day(text: str, anchor: date | None) -> DateSpan | None:
    """A day written as in WRITTEN_DAY; without a year, the closest such day on or before the anchor."""
    ctx = _Context(anchor, False)
    for rule in _RULES:
        match = rule.pattern.fullmatch(text.strip())
        if match:
            try:
                return rule.resolve(match, ctx)
            except ValueError:
                return None
    return None
