"""Meetings, summits, dialogues and talks that an article reports as having happened.

The table is of meetings that took place, so only past-tense reports count
("met", "held talks", "hosted the summit", "took part in the meeting", "the
summit was held"); planned ones ("will meet next month", "to be held",
"ahead of the summit") and ones dated after the article are left out rather
than kept with a flag, since a plan is not evidence that a meeting happened.

A meeting is built sentence by sentence. A sentence with a report of its own
starts a finding, with the place named near it (or the dateline's place when
it is the lead sentence), the date named nearest to it, and a kind and name
read from the words around it. A later sentence that only says "the meeting"
or "the talks", or says who attended ("Participants:", "Japan was represented
by"), belongs to the most recent meeting, with any bulleted list after it. A
finding that adds nothing to tell it apart from an earlier one (no other
place, no separate dates, no other level of meeting) is that earlier meeting
reported again and merges into it.

Participants are the people named in a meeting's sentences, plus each other
country that took part: named where the meeting is reported, or a member of
the forum that met ("the members had met", "The Quad Senior Cyber Group met").
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from .kb import KnowledgeBase
from .model import (
    DateFinding,
    DateSpan,
    Dateline,
    Document,
    Entities,
    MeetingFinding,
    Mention,
    ParticipantFinding,
    Sentence,
)

__all__ = ["find_meetings", "sentences_about"]

GENERIC = "meeting"
# "dialogue" says how officials met, not at what level: a level named elsewhere in the article wins.
_FORMAT_KINDS = (GENERIC, "dialogue")
_NOUN = r"(?:meetings?|summits?|dialogues?|talks|ministerials?|consultations|workshops?)"
_NAMED_NOUN = r"(?:Meeting|Summit|Dialogue|Talks|Ministerial|Consultations|Workshop)s?"
_NAME_WORD = r"(?:[A-Z0-9][\w'’+&.-]*|of|for|on|and)"
_WORDS = r"(?:\s+[\w'’+-]+)"  # a following word, in a regex
_DISMISSED = (
    r"criticism|resistance|opposition|scepticism|skepticism|concerns?|protests?|silence|targets?|goals?"
    r"|deadlines?|requirements?|criteria|expectations|standards?|needs|demands?"
)
# A past-tense report of a meeting. "held"/"hosted" and the like count only with a meeting noun after them.
_REPORT = re.compile(
    rf"""\b(?:
        (?P<met>met)\b(?!\s+(?:with\s+)?(?:(?:the|its|their|all)\s+)?(?:{_DISMISSED})\b)
      | (?P<passive>(?:was|were|been)\s+(?:held|hosted|convened))\b
      | (?P<active>held|hosted|convened|chaired|co-chaired|attended|concluded|wrapped\s+up
          |took\s+part\s+in|participated\s+in|joined)\b(?={_WORDS}{{0,8}}?\s+{_NOUN}\b)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_NOT_HAPPENED = re.compile(
    r"\b(?:not|never|n't|will|would|shall|could|might|may|should|must|to|cannot)\s+(?:(?:be|been|have|not|also|jointly|formally)\s+){0,2}$",
    re.IGNORECASE,
)
_PLANNED = re.compile(
    r"\b(?:upcoming|next|forthcoming|planned|proposed|future|ahead\s+of|before|preparations?\s+for|prepare\s+for)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
_PLANNED_WORD = re.compile(r"\b(?:upcoming|next|forthcoming|planned|proposed|future)\b", re.IGNORECASE)
# Who "met": without an official actor in the clause ("officials", a country, a forum) a "met" counts only
# in an article that names a country or organisation, so "the two sides last met in round three" of a
# sports report is not a meeting.
_OFFICIAL = re.compile(
    r"\b(?:officials?|ministers?|leaders?|delegations?|delegates|envoys?|diplomats?|principals?|members|partners"
    r"|counterparts|groups?|chiefs?|secretar(?:y|ies)|advis[eo]rs?|representatives?|heads?|negotiators|experts"
    r"|agencies|governments?|countries|nations|coordinators?|directors?|ambassadors?|presidents?)\b",
    re.IGNORECASE,
)
_NAMED_MEETING = re.compile(rf"\b(?P<name>[A-Z0-9][\w'’+&.-]*(?:\s+{_NAME_WORD})*?\s+{_NAMED_NOUN})\b")
_MEETING_REFERENCE = (
    r"\b(?:the|this|that|these|those)\s+(?:[\w'’+-]+\s+){0,3}?"
    r"(?:meeting|summit|dialogue|talks|discussions|consultations|workshop|session)s?\b"
)
_REFERENCE = re.compile(
    _MEETING_REFERENCE
    # who attended: "Participants:", "The Indian delegation was led by", "Japan was represented by"
    + r"|^(?:Participants|Attendees|Attending|Present|Those\s+present)\b"
    r"|\b(?:delegations?|delegates|attending|attendees|participants)\s+(?:\w+\s+)?(?:was|were|included)\b|\bparticipant\s+list\b"
    r"|\b(?:was|were)\s+(?:represented|led|headed)\s+by\b|\b(?:led|headed)\s+(?:the|their|its|a)\s+(?:\w+\s+)?delegations?\b",
    re.IGNORECASE,
)
_NOUN_REFERENCE = re.compile(_MEETING_REFERENCE, re.IGNORECASE)
# "the meeting of Quad senior cyber officials in Tokyo": a place after the noun, perhaps after an "of" phrase.
_PLACE_AFTER_NOUN = re.compile(r"(?P<of>\s+of(?:\s+[\w'’-]+){1,6}?)?\s+(?:in|at)\s+")
_CANDIDATE = re.compile(
    r"\b(?:met|held|hosted|convened|chaired|co-chaired|attended|concluded|wrapped up|took part|participated|joined"
    r"|meetings?|summits?|dialogues?|talks|ministerials?|consultations|discussions|workshops?"
    r"|participants|attendees|attending|present|delegations?|delegates|represented|led|headed)\b",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[-*•–]|\d{1,2}[.)])\s")
# A clause starts after a colon, dash, bracket or quote, or after a comma that does not continue a list of
# names: "Last year, | the members met" but "Foreign ministers of Australia, India and Japan met".
_CLAUSE_START = re.compile(r".*(?:[;:—–\"“”(]|,(?!\s*[A-Z]))", re.DOTALL)
_GROUP = re.compile(rf"(?P<group>[A-Z][\w'’+&.-]*(?:\s+{_NAME_WORD})*?)\s+(?:(?:had|have|has|also|all|jointly|formally|virtually|first|then|last|finally)\s+)*$")
_GROUP_WORD = re.compile(r"\b(?:Group|Principals|Ministers|Leaders|Council|Committee|Forum|Partnership|Officials|Delegations?|Working)\b")
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\s+")
_MEMBERS = re.compile(
    r"\b(?:members|member\s+(?:countries|nations|states|governments)|countries|nations|partners)\b", re.IGNORECASE
)
_NUMBER = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7}
_N = r"two|three|four|five|six|seven|[2-7]"
_DURATION = re.compile(
    rf"\b(?:(?P<a>{_N})[- ]day|for\s+(?P<b>{_N})\s+(?:[\w-]+\s+)?days|(?P<c>{_N})\s+days\s+of)\b", re.IGNORECASE
)
_OBJECT = re.compile(rf"{_WORDS}{{0,8}}?\s+{_NOUN}\b", re.IGNORECASE)
# "met in Canberra on Saturday for a Quad cyber dialogue": the meeting named after "for", within the clause.
_PURPOSE = re.compile(rf"^[^,;.]*?\bfor\s+(?:(?:a|an|the|their|its)\s+)?(?:[\w'’+-]+\s+){{0,8}}?{_NOUN}\b", re.IGNORECASE)
# "the annual Quad Senior Cyber Group principals meeting": a noun phrase led by a capitalised word.
_DESCRIBED = re.compile(rf"\b(?:a|an|the|their|its)\s+(?:[a-z][\w-]*\s+){{0,2}}(?P<phrase>[A-Z][\w'’+-]*(?:\s+[\w'’+-]+){{0,6}}?\s+{_NOUN})\b")
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.IGNORECASE)
# Kinds from the words of the report, the most specific first.
_KINDS = (
    ("principals meeting", re.compile(r"\bprincipals?\b", re.IGNORECASE)),
    ("leaders' summit", re.compile(r"\bleaders?['’]?\s+summit|\bsummit\b.*\b(?:leaders|heads\s+of|prime\s+ministers?|presidents?)\b|\b(?:leaders|heads\s+of|prime\s+ministers?|presidents?)\b.*\bsummit", re.IGNORECASE)),
    ("ministerial", re.compile(r"(?<!prime\s)\bministers?\b|\bministerial\b|\b2\s*\+\s*2\b", re.IGNORECASE)),
    ("working group", re.compile(r"\bworking\s+groups?\b", re.IGNORECASE)),
    ("dialogue", re.compile(r"\b(?:dialogues?|talks|consultations)\b", re.IGNORECASE)),
)
# A sentence that goes on about the meeting just reported: "The Group also discussed", "They agreed",
# "Sessions covered".
_CONTINUATION = re.compile(
    r"^(?:The|Both|They|Participants|All|Each)\b(?:\s+[\w'’-]+){0,3}?\s+(?:also\s+)?(?:discussed|agreed|reviewed|exchanged"
    r"|noted|welcomed|committed|reaffirmed|emphasi[sz]ed|highlighted|stressed|explored|recogni[sz]ed|underlined"
    r"|underscored|decided|pledged|resolved|affirmed|expressed|shared|considered|endorsed|announced|launched)\b"
    r"|^(?:(?:The|Its)\s+)?(?:sessions?|agenda|discussions?|deliberations|programme|program)\s+(?:\w+\s+)?"
    r"(?:covered|focus(?:s)?ed|included|addressed|cent(?:red|ered)|dealt|examined|touched|spanned|ranged)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Place:
    place_id: str | None
    city: str | None
    country: str | None


@dataclass
class _Draft:
    """A meeting while the article is read; merged drafts become one MeetingFinding."""

    kind: str
    name: str | None  # as the text names it; None when only a generic name can be made
    noun: str  # "meeting", "talks": the word the report used
    span: DateSpan | None
    place: _Place | None
    sentence_ids: list[int]
    reports: list[int]  # sentences with a report of their own (not only "the meeting")
    forums: list[tuple[str, int]] = field(default_factory=list)  # (forum, sentence) whose members took part


@dataclass(frozen=True)
class _Article:
    """What the rules look up about one article, indexed once."""

    document: Document
    kb: KnowledgeBase
    entities: Entities
    dateline: Dateline | None
    mentions: dict[int, list[Mention]]  # by sentence
    dates: dict[int, list[DateFinding]]  # by sentence, without the dateline's own date
    lead: int | None  # the sentence holding the dateline
    has_actors: bool  # the article names a country or an organisation


@dataclass(frozen=True)
class _Words:
    """The words of one report: its subject clause, what it says met, and where in the sentence."""

    sentence: Sentence
    subject: str  # the clause before the report ("The Quad Senior Cyber Group Principals ")
    meeting: str  # the report itself and the meeting noun phrase ("met", "hosted the Quad Leaders' Summit")
    start: int  # sentence offsets of `subject + meeting`
    end: int


def _by_sentence(items) -> dict[int, list]:
    grouped = defaultdict(list)
    for item in items:
        grouped[item.sentence_id].append(item)
    return grouped


def _outside(dateline: Dateline | None, start: int) -> bool:
    return dateline is None or not dateline.start <= start < dateline.end


def _kind(words: str) -> str:
    return next((kind for kind, pattern in _KINDS if pattern.search(words)), GENERIC)


def _clause_before(sentence: Sentence, offset: int) -> str:
    """The words between the start of the clause and a sentence offset: the report's subject."""
    before = sentence.text[:offset]
    cut = _CLAUSE_START.match(before)
    return before[cut.end():] if cut else before


def _verb_words(sentence: Sentence, match: re.Match) -> _Words:
    """A verb report with its subject and object: "met ... for talks", "hosted the third Quad Cyber Dialogue"."""
    after = sentence.text[match.end():]
    found = _PURPOSE.search(after) if match.group("met") else _OBJECT.match(after)
    end = match.end() + (found.end() if found else 0)
    subject = _clause_before(sentence, match.start())
    return _Words(sentence, subject, sentence.text[match.start():end], match.start() - len(subject), end)


def _noun_words(sentence: Sentence, start: int, end: int) -> _Words:
    return _Words(sentence, "", sentence.text[start:end], start, end)


def _mentions_in(art: _Article, sentence: Sentence, start: int, end: int, entity_type: str) -> list[Mention]:
    """Mentions of one type overlapping sentence offsets start..end."""
    start, end = sentence.start + start, sentence.start + end
    return [m for m in art.mentions.get(sentence.index, []) if m.entity_type == entity_type and m.start < end and m.end > start]


def _name(art: _Article, words: _Words, kind: str) -> tuple[str | None, str]:
    """The meeting's name as the text gives it, and the noun it used.

    A named meeting ("the Quad Leaders' Summit", "a Quad cyber dialogue") is
    taken as written; a named group as subject ("The Quad Senior Cyber Group
    Principals met") names the meeting after the group, when it is an
    organisation or has a group word.
    """
    noun_match = re.search(rf"{_NOUN}\b", words.meeting, re.IGNORECASE)
    noun = noun_match.group().lower() if noun_match else GENERIC
    named = _NAMED_MEETING.search(words.meeting) or _DESCRIBED.search(words.meeting)
    if named:
        return _LEADING_ARTICLE.sub("", named.group(named.lastgroup)), noun
    group = _GROUP.search(words.subject)
    if not group:
        return None, noun
    text = _LEADING_ARTICLE.sub("", group.group("group"))
    end = words.start + group.end("group")
    if _mentions_in(art, words.sentence, end - len(text), end, "person"):
        return None, noun
    if not (_GROUP_WORD.search(text) or _mentions_in(art, words.sentence, end - len(text), end, "organization")):
        return None, noun
    if kind == "principals meeting":
        return text.removesuffix(" Principals") + " principals meeting", noun
    return f"{text} {noun}", noun


def _place(art: _Article, sentence: Sentence, at: int) -> _Place | None:
    """The place named nearest the report, preferring one after "in" or "at"; a country when no city is named."""
    text = art.document.text

    def after_preposition(m: Mention) -> bool:
        return bool(_PLACE_PREPOSITION.search(text[max(0, m.start - 8):m.start]))

    mentions = art.mentions.get(sentence.index, [])
    candidates = [m for m in mentions if m.entity_type == "place" and _outside(art.dateline, m.start)]
    candidates = candidates or [m for m in mentions if m.entity_type == "country" and after_preposition(m)]
    if not candidates:
        return None
    best = min(candidates, key=lambda m: (not after_preposition(m), abs(m.start - at)))
    if best.entity_type == "country":
        return _Place(None, None, best.entity_id)
    entry = art.kb.places.get(best.entity_id)
    return _Place(best.entity_id, entry.name if entry else best.surface, entry.country if entry else None)


def _date(art: _Article, sentence: Sentence, at: int) -> DateSpan | None:
    found = art.dates.get(sentence.index, [])
    if not found:
        return None
    return min(found, key=lambda f: min(abs(f.start - at), abs(f.end - at))).span


def _forums(art: _Article, words: _Words) -> list[tuple[str, int]]:
    """The forum whose members took part, unless the report names the countries themselves.

    It is a forum named in the report ("The Quad Senior Cyber Group met", "the
    meeting of Quad officials"), or, for a subject such as "the members" or
    "the partners", the forum named in the sentence, else the one the article
    names most. "Officials from Japan and India met for a Quad dialogue" names
    its countries, and the forum's other members did not take part.
    """

    def is_forum(org_id: str) -> bool:
        entry = art.kb.organizations.get(org_id)
        return bool(entry and entry.members)

    index = words.sentence.index
    if _mentions_in(art, words.sentence, words.start, words.end, "country"):
        return []
    named = [m.entity_id for m in _mentions_in(art, words.sentence, words.start, words.end, "organization") if is_forum(m.entity_id)]
    if named:
        return [(named[0], index)]
    if not _MEMBERS.search(words.subject):
        return []
    here = [m.entity_id for m in art.mentions.get(index, []) if m.entity_type == "organization" and is_forum(m.entity_id)]
    if here:
        return [(here[0], index)]
    counts = Counter(o.org_id for o in art.entities.organizations if is_forum(o.org_id))
    if not counts:
        return []
    first = {o.org_id: i for i, o in reversed(list(enumerate(art.entities.organizations)))}
    return [(min(counts, key=lambda org: (-counts[org], first[org])), index)]


def _draft(art: _Article, words: _Words, kind: str | None = None) -> _Draft | None:
    """A finding for one report, or None when its date is after the article (a plan)."""
    kind = kind or _kind(words.subject + words.meeting)
    name, noun = _name(art, words, kind)
    sentence = words.sentence
    at = sentence.start + words.start + len(words.subject)
    span = _date(art, sentence, at)
    published = art.document.published
    if span and published and span.start > published:
        return None
    place = _place(art, sentence, at)
    if place is None and sentence.index == art.lead and art.dateline:
        place = _Place(art.dateline.place_id, art.dateline.place_name, art.dateline.country)
    return _Draft(kind, name, noun, span, place, [sentence.index], [sentence.index], _forums(art, words))


def _verb_reports(art: _Article, sentence: Sentence) -> list[_Draft] | None:
    """Drafts for the sentence's past-tense reports; None when it has no report verb at all."""
    text = sentence.text
    matches = list(_REPORT.finditer(text))
    if not matches:
        return None
    drafts = []
    for match in matches:
        if _NOT_HAPPENED.search(text[: match.start()]):
            continue
        words = _verb_words(sentence, match)
        if match.group("passive") and not re.search(_NOUN, words.subject, re.IGNORECASE):
            continue
        if match.group("met") and not (art.has_actors or _OFFICIAL.search(words.subject)):
            continue
        drafts.append(_draft(art, words))
    return [d for d in drafts if d]


def _noun_reports(art: _Article, sentence: Sentence) -> list[_Draft]:
    """Without a verb, "the Quad Leaders' Summit" (a name) or "the meeting of Quad officials in Tokyo" (a
    meeting noun with a known place after it) report a meeting, unless the words before make it a plan."""
    text = sentence.text
    drafts = []
    for match in _NAMED_MEETING.finditer(text):
        if not _PLANNED.search(text[: match.start()]):
            drafts.append(_draft(art, _noun_words(sentence, match.start("name"), match.end()), _kind(match.group("name"))))
    for match in _NOUN_REFERENCE.finditer(text):
        after = _PLACE_AFTER_NOUN.match(text, match.end())
        if after and not _PLANNED.search(text[: match.start()]) and _place_at(art, sentence, after.end()):
            words = _noun_words(sentence, match.start(), after.end("of") if after.group("of") else match.end())
            drafts.append(_draft(art, words, _kind(words.meeting)))
    return [d for d in drafts if d]


def _place_at(art: _Article, sentence: Sentence, offset: int) -> bool:
    start = sentence.start + offset
    return any(m.start == start and m.entity_type == "place" for m in art.mentions.get(sentence.index, []))


def _refers_to_meeting(sentence: Sentence) -> bool:
    """'the meeting', 'the two-day meeting', 'the talks', 'Participants:': about a meeting already reported."""
    match = _REFERENCE.search(sentence.text)
    return bool(match) and not (_PLANNED.search(sentence.text[: match.start()]) or _PLANNED_WORD.search(match.group()))


def _compatible(earlier: _Draft, later: _Draft) -> bool:
    """Nothing sets the two apart: no two places, no two separate date spans, no two levels of meeting."""
    if earlier.place and later.place and earlier.place != later.place:
        return False
    if earlier.span and later.span and (later.span.start > earlier.span.end or earlier.span.start > later.span.end):
        return False
    return len({earlier.kind, later.kind} - set(_FORMAT_KINDS)) <= 1


def _narrower(a: DateSpan | None, b: DateSpan | None) -> DateSpan | None:
    if a is None or b is None:
        return a or b
    return a if (a.end - a.start) <= (b.end - b.start) else b


def _more_specific(a: str, b: str) -> str:
    rank = {kind: i for i, kind in enumerate(_FORMAT_KINDS)}
    return max(a, b, key=lambda kind: rank.get(kind, len(rank)))


def _merge(into: _Draft, other: _Draft) -> None:
    into.sentence_ids = sorted(set(into.sentence_ids) | set(other.sentence_ids))
    into.reports = sorted(set(into.reports) | set(other.reports))
    into.span = _narrower(into.span, other.span)
    into.place = into.place or other.place
    into.name = into.name or other.name
    into.kind = _more_specific(into.kind, other.kind)
    into.forums = into.forums + [f for f in other.forums if f not in into.forums]


def _add(drafts: list[_Draft], draft: _Draft) -> None:
    target = next((d for d in reversed(drafts) if _compatible(d, draft)), None)
    if target is None:
        drafts.append(draft)
    else:
        _merge(target, draft)


def _with_list_items(document: Document, sentence_ids: list[int]) -> list[int]:
    """The sentences plus the bulleted lines right after any of them (an attendee list)."""
    found = set(sentence_ids)
    for index in sentence_ids:
        following = index + 1
        while following < len(document.sentences) and _BULLET.match(document.sentences[following].text):
            found.add(following)
            following += 1
    return sorted(found)


def _duration(art: _Article, draft: _Draft) -> int | None:
    for index in draft.sentence_ids:
        match = _DURATION.search(art.document.sentences[index].text)
        if match:
            word = next(g for g in match.groups() if g).lower()
            return _NUMBER.get(word) or int(word)
    return None


def _final_span(art: _Article, draft: _Draft) -> DateSpan | None:
    """The dates the text allows for a meeting that has happened.

    It cannot end after the article ("met this week" ends by the article date);
    "two-day" with a single end day is the two days ending then; and a lead
    report without a date of its own takes the dateline's day as its last day
    when the length is known (a wire report is filed as the meeting closes).
    """
    span, published = draft.span, art.document.published
    if span and published and span.start <= published < span.end:
        span = DateSpan(span.start, published, span.precision)
    days = _duration(art, draft)
    if days and span and span.precision == "day" and span.start == span.end:
        return DateSpan(span.end - timedelta(days=days - 1), span.end, "day")
    lead_date = art.dateline.date if art.dateline else None
    if days and span is None and art.lead in draft.sentence_ids and lead_date and lead_date.precision == "day":
        return DateSpan(lead_date.end - timedelta(days=days - 1), lead_date.end, "day")
    return span


def _role(entities: Entities, person_id: str, sentence_id: int):
    roles = [r for r in entities.roles if r.person_id == person_id]
    return next((r for r in roles if r.sentence_id == sentence_id), roles[0] if roles else None)


def _participants(art: _Article, draft: _Draft) -> tuple[ParticipantFinding, ...]:
    """The people named in the meeting's sentences, and every other country that took part.

    A country counts when it is named where the meeting is reported or is a
    member of the forum that met; it gets a row of its own only when no
    person represents it, so named officials are never doubled by their country.
    """
    found = []
    sentence_ids = set(_with_list_items(art.document, draft.sentence_ids))
    for person in art.entities.people:
        if person.sentence_id in sentence_ids:
            role = _role(art.entities, person.person_id, person.sentence_id)
            found.append(ParticipantFinding(person.person_id, role.org_id if role else None, role.country if role else None, person.sentence_id))
    countries = [(m.entity_id, index) for index in draft.reports for m in art.mentions.get(index, []) if m.entity_type == "country"]
    countries += [(c, index) for org_id, index in draft.forums for c in art.kb.organizations[org_id].members]
    represented = {p.country for p in found}
    found += [ParticipantFinding(None, None, c, index) for c, index in countries if c not in represented]
    return tuple(dict.fromkeys(found))


def _generic_name(art: _Article, draft: _Draft) -> str:
    """A name made from what is known when the text gives none: "Quad meeting", "dialogue in Tokyo"."""
    if draft.forums:
        return f"{art.kb.organizations[draft.forums[0][0]].name} {draft.noun}"
    label = draft.noun if draft.kind == GENERIC else draft.kind
    country = art.kb.countries.get(draft.place.country) if draft.place and draft.place.country else None
    where = (draft.place.city if draft.place else None) or (country.name if country else None)
    return f"{label} in {where}" if where else label


def _finding(art: _Article, draft: _Draft) -> MeetingFinding:
    place = draft.place or _Place(None, None, None)
    return MeetingFinding(
        name=draft.name or _generic_name(art, draft),
        kind=draft.kind,
        span=_final_span(art, draft),
        place_id=place.place_id,
        city=place.city,
        country=place.country,
        sentence_ids=tuple(_with_list_items(art.document, draft.sentence_ids)),
        participants=_participants(art, draft),
    )


def _article(document: Document, kb: KnowledgeBase, entities: Entities, dates: list[DateFinding], dateline: Dateline | None) -> _Article:
    lead = document.sentence_at(dateline.start).index if dateline and document.sentences else None
    return _Article(
        document, kb, entities, dateline,
        _by_sentence(entities.mentions),
        _by_sentence(d for d in dates if _outside(dateline, d.start)),
        lead,
        any(m.entity_type in ("country", "organization") for m in entities.mentions),
    )


def find_meetings(
    document: Document, kb: KnowledgeBase, entities: Entities, dates: list[DateFinding], dateline: Dateline | None
) -> list[MeetingFinding]:
    """The meetings the article reports as having happened, in order of first report."""
    if not document.sentences:
        return []
    art = _article(document, kb, entities, dates, dateline)
    starts = [s.start for s in document.sentences]
    candidates = sorted({max(0, bisect.bisect_right(starts, m.start()) - 1) for m in _CANDIDATE.finditer(document.text)})
    drafts: list[_Draft] = []
    for index in candidates:
        sentence = document.sentences[index]
        new = _verb_reports(art, sentence)
        if new is None:
            new = _noun_reports(art, sentence)
        if not new and drafts and _refers_to_meeting(sentence):
            drafts[-1].sentence_ids = sorted(set(drafts[-1].sentence_ids) | {index})
        for draft in new:
            _add(drafts, draft)
    return [_finding(art, d) for d in drafts]


def sentences_about(document: Document, meetings: list[MeetingFinding]) -> dict[int, int]:
    """Sentence id -> index of the meeting it reports or goes on about.

    Besides a meeting's own sentences, a sentence that continues the account
    ("The Group also discussed ...", "They agreed ...") right after a sentence
    about a meeting is about that meeting too; the chain stops at the first
    sentence that is neither.
    """
    about: dict[int, int] = {}
    for number, meeting in enumerate(meetings):
        for index in meeting.sentence_ids:
            about.setdefault(index, number)
    for sentence in document.sentences:
        previous = about.get(sentence.index - 1)
        if sentence.index not in about and previous is not None and _CONTINUATION.match(sentence.text):
            about[sentence.index] = previous
    return about
