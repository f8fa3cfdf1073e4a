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
reported again and merges into it; one held "on the margins" of another
stays apart, and a merge never moves or narrows the days a report gives.
A sentence can report several meetings ("met in Sydney in 2022 and in New
Delhi in 2023, and the leaders met in Hiroshima"): each report, and each
"and in PLACE" after it, takes the place and date of its own clause.

Participants are the people named in a meeting's sentences, plus each other
country that took part: named where the meeting is reported, or a member of
the forum that met ("the members had met", "The Quad Senior Cyber Group met"),
plus the country that hosted it, plus each country labelling a line of a
delegation list after the meeting's sentences ("Fiji: Ms NAME, Permanent
Secretary"). Whoever "did not attend" is no participant, and a meeting someone
stayed away from is not reported by that sentence.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from .caseblind import CaseBlind, fold
from .kb import KnowledgeBase
from .meeting_blocks import GENERIC_KIND, most_specific, one_meeting
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
from .people import LABEL_END, SPEAKER_HONORIFIC

__all__ = ["find_meetings", "sentences_about"]

GENERIC = GENERIC_KIND
_NOUN = r"(?:meetings?|summits?|dialogues?|talks|discussions|ministerials?|consultations|workshops?)"
_NOUN_WORD = re.compile(rf"{_NOUN}\b", re.IGNORECASE)
_NAMED_NOUN = r"(?:Meeting|Summit|Dialogue|Talks|Ministerial|Consultations|Workshop)s?"
# Nouns for many kinds of event; "the gathering, held in Brisbane in 2023" is a meeting only with a place and a date.
_EVENT = r"(?:gatherings?|sessions?|rounds?|forums?|conferences?)"
_NAME_WORD = r"(?:[A-Z0-9][\w'’+&.-]*|of|for|on|and)"
_WORDS = r"(?:\s+\(?[\w'’+-]+\)?)"  # a following word, or an abbreviation in brackets ("Forum (ARF)"), in a regex
_DISMISSED = (
    r"criticism|resistance|opposition|scepticism|skepticism|concerns?|protests?|silence|targets?|goals?"
    r"|deadlines?|requirements?|criteria|expectations|standards?|needs|demands?"
)
# "welcomed officials from India and Japan to Adelaide for the principals meeting": visitors, a place, a meeting.
_WELCOMED = rf"[^.;]*?\bto\s+(?-i:[A-Z])[^.;]*?\bfor\s+(?:[\w'’+-]+\s+){{0,8}}?{_NOUN}\b"
# A past-tense report of a meeting. "held"/"hosted" and the like count only with a meeting noun after them,
# or, as a reduced relative, right after one ("the principals meeting, held on 14 May"); "welcomed"/"received"
# only with a place and a meeting; "hosted"/"received" a person named right after ("hosted Foreign Minister NAME"); "followed"/"gathered" (or "will gather") in a place only with an official actor.
# "hosted her counterparts from X and Y", "will host the leaders of X, Y and Z": guests who meet their host
_GUESTS = r"\s+(?:his|her|their|its|the)\s+(?:[\w-]+\s+)?(?:counterparts?|leaders|ministers|principals|delegations)\b"
_GUESTS_AFTER = re.compile(_GUESTS)
_REPORT = re.compile(
    rf"""\b(?:
        (?P<met>met|(?<=after\s)meeting(?=\s+(?:with\s+)?(?:his|her|their|its|(?-i:[A-Z]))))\b(?!\s+(?:with\s+)?(?:(?:the|its|their|all)\s+)?(?:{_DISMISSED})\b)
      | (?P<passive>(?:was|were|been)\s+(?:held|hosted|convened)|took\s+place)\b
      | (?P<active>held|hosted|convened|chaired|co-chaired|attended|concluded|wrapped\s+up
          |took\s+part\s+in|participated\s+in|joined)\b(?={_WORDS}{{0,8}}?\s+{_NOUN}\b)
      | (?P<welcome>welcomed|received)\b(?={_WELCOMED})
      | (?P<host>hosted|received)\b(?=\s+(?-i:[A-Z])|{_GUESTS})
      | (?P<relative>held|convened|hosted|(?<=which\s)(?:ended|began|opened|closed|concluded|started))\b(?=\s+(?:on|in|at|from|between|over|during)\b)
      | (?P<gathered>followed|gathered|convened|assembled|reconvened)\b(?=\s+(?:in|at)\s+(?:the\s+)?(?-i:[A-Z]))
      | (?P<future>be\s+(?:held|hosted|convened)|take\s+place)\b
      | (?P<future_gather>gather|assemble|convene|reconvene)\b(?=\s+(?:in|at)\s+(?:the\s+)?(?-i:[A-Z]))
      | (?P<future_host>host|welcome)\b(?={_GUESTS})
      | (?P<future_active>hold|host|convene|attend|chair|co-chair|participate\s+in|take\s+part\s+in|join)\b(?={_WORDS}{{0,8}}?\s+{_NOUN}\b)
      | (?P<future_meet>meet)\b(?=\s+(?:with|in|at|on|next|again|later|this|for|virtually|online|in-person|soon|regularly
          |annually|(?:his|her|their|its)\s+(?:[\w-]+\s+)?counterparts?|(?-i:[A-Z]))\b|\s*[,.;])
    )""",
    re.VERBOSE | re.IGNORECASE,
)
# Speculation and denial: neither a meeting held nor one scheduled ("could be held", "did not meet").
_NOT_HAPPENED = re.compile(
    r"\b(?:not|never|n't|would|could|might|may|should|must|cannot)\s+(?:(?:be|been|have|not|also|jointly|formally)\s+){0,2}$",
    re.IGNORECASE,
)
# A meeting still to come: "will meet", "are expected to meet", "agreed to hold talks", "is to be held".
_SCHEDULED = re.compile(
    r"\b(?:will|shall|(?:is|are|was|were)\s+(?:set|scheduled|due|expected|slated|likely|going)\s+to"
    r"|(?:plans?|planned|planning|agreed|decided|intends?|hopes?)\s+to|(?:is|are)\s+to|to)"
    r"\s+(?:(?:also|jointly|formally|again|now|soon|next|then|first)\s+){0,2}$",
    re.IGNORECASE,
)
_FUTURE_GROUPS = ("future", "future_active", "future_meet", "future_gather", "future_host")
# Reported speech puts a plan in "would": "NAME said the two countries would hold their next dialogue in March".
_REPORTED_FUTURE = re.compile(
    r"\b(?:said|says|announced|told|agreed|confirmed|stated|added)\b[^.;]*?\bwould\s+(?:(?:also|jointly|next|again)\s+)?\Z",
    re.IGNORECASE,
)
# "has been postponed", "was cancelled": the meeting neither took place nor is still to come.
_CALLED_OFF = re.compile(r"\b(?:postponed|cancell?ed|called\s+off|scrapped|shelved|deferred|put\s+off)\b", re.IGNORECASE)
_PLANNED = re.compile(
    r"\b(?:upcoming|next|forthcoming|planned|proposed|future|ahead\s+of|before|preparations?\s+for|prepare\s+for)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$",
    re.IGNORECASE,
)
# Someone who stayed away: "did not attend", "was absent from", "could not join".
_ABSENT = re.compile(
    r"\b(?:(?:did|does|could|would|was|were)\s+not|didn't|couldn't|wasn't|weren't|never|(?:was|were)\s+unable\s+to"
    r"|failed\s+to|declined\s+to)\s+(?:attend|join|take\s+part|participate|travel)\b"
    r"|\b(?:was|were)\s+(?:absent|not\s+present)\b|\b(?:skipped|missed|stayed\s+away\s+from)\b",
    re.IGNORECASE,
)
_ABSENT_FROM = re.compile(rf"(?:{_ABSENT.pattern})\s+(?:from\s+)?(?:[\w'’-]+\s+){{0,6}}$", re.IGNORECASE)
# "held a bilateral meeting on the margins": a meeting beside another one, not part of it.
_ALONGSIDE = re.compile(r"\bon\s+the\s+(?:margins|sidelines|side-lines|fringes?)\b", re.IGNORECASE)
# A meeting held online has no venue: the dateline's city is only where the report was filed.
_ONLINE = re.compile(r"\b(?:virtual(?:ly)?|online|by\s+video(?:\s*(?:link|conference))?|video\s*conference|teleconference)\b", re.IGNORECASE)
# A date in the possessive before a noun that is not a meeting: "Tuesday's announcement".
_DATES_ANOTHER_NOUN = re.compile(rf"['’]s\s+(?!(?:[\w-]+\s+){{0,2}}(?:{_NOUN}|{_EVENT})\b)", re.IGNORECASE)
# The source of a report, not someone at the meeting: "according to NAME".
_ATTRIBUTED = re.compile(r"\baccording\s+to\s+\Z", re.IGNORECASE)
_CLOSING_ATTRIBUTION = re.compile(
    r"\s+(?:said|says|announced|told\s+reporters|added|stated|confirmed)(?:\s+(?:on|in|at|this|last|late|earlier)\b[^,;.]*)?\s*(?:\.(?=\s|$)|$)"
)
# "the talks were hosted by the Philippines", "thanked Japan for hosting", "welcomed officials to Adelaide".
_HOSTED_BY = re.compile(r"\b(?:hosted|organi[sz]ed)\s+by\s+", re.IGNORECASE)
_HOSTING = re.compile(r"\b(?:hosted|hosting)\b|\bwelcomed\b[^.;]*?\bto\s+(?-i:[A-Z])", re.IGNORECASE)
# The noun a reduced relative "held" follows ("the Quad principals meeting, " before "held on 14 May"), and
# the article nearest before it that starts its noun phrase.
_NOUN_BEFORE = re.compile(rf"\b(?:{_NOUN}|(?P<event>{_EVENT})),?\s+(?:which\s+)?$", re.IGNORECASE)  # "the meeting, which ended on"
# "The dialogue follows the first such gathering, held in Brisbane": an earlier meeting of a series, named in
# passing; a later "The delegations were:" is not about it.
_FOLLOWS_WORDS = r"\b(?:follows?|followed|following|after|since|builds?\s+on|built\s+on|succeeds?|succeeded)\s+"
_FOLLOWS = re.compile(rf"{_FOLLOWS_WORDS}$", re.IGNORECASE)
_FOLLOWS_PHRASE = re.compile(rf"{_FOLLOWS_WORDS}(?:[\w'’-]+\s+){{0,3}}$", re.IGNORECASE)  # "follow security discussions"
_EARLIER_ONE = re.compile(r"^\w+\s+(?:[\w'’-]+\s+){0,2}?(?:previous|preceding|prior|last|first\s+such)\b", re.IGNORECASE)
_PHRASE_START = re.compile(r"(?s:.*)\b(?P<article>the|a|an|its|their|this)\s+(?:[\w'’+&-]+\s+){0,8}$", re.IGNORECASE)
_WELCOME_OBJECT = re.compile(_WELCOMED, re.IGNORECASE)
_IN_PLACE = re.compile(r"\s+(?:in|at)\s+(?:the\s+)?", re.IGNORECASE)
# "met in Sydney in 2022 and in New Delhi in 2023": each "and in PLACE" starts a meeting of its own.
_CONJUNCT = re.compile(r",?\s+and\s+(?:(?:then|later|again|also)\s+)?(?:in|at)\s+(?:the\s+)?", re.IGNORECASE)
# A date that only bounds the days ("this week", a month, a year), against one that gives them ("on 3 and 4 May").
_WEEK = re.compile(r"\bweek\b", re.IGNORECASE)
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
_NAMED_SUBJECT = re.compile(rf"{_NAMED_MEETING.pattern}\s*$")
_MEETING_REFERENCE = (
    r"\b(?:the|this|that|these|those)\s+(?:[\w'’+-]+\s+){0,3}?"
    r"(?:meeting|summit|dialogue|talks|discussions|consultations|workshop|session)s?\b"
)
_REFERENCE = re.compile(
    _MEETING_REFERENCE
    # who attended: "Participants:", "The Indian delegation was led by", "Japan was represented by"
    + r"|^(?:Participants|Attendees|Attending|Present|Those\s+present|Delegations|Delegates|Delegation\s+heads)\b"
    r"|\b(?:delegations?|delegates|attending|attendees|participants|principals)\s+(?:\w+\s+)?(?:was|were|are|included)\b|\bparticipant\s+list\b"
    r"|\b(?:was|were)\s+(?:represented|led|headed|joined|accompanied)\s+by\b|\bin\s+the\s+presence\s+of\b|\b(?:led|headed)\s+(?:the|their|its|a)\s+(?:\w+\s+)?delegations?\b"
    # "NAME also attended", "... were also present": more of the people at the meeting just reported
    r"|\balso\s+(?:attended|participated|took\s+part|joined|(?:was|were)\s+present)\b(?!\s+(?:a|an|another)\b)",
    re.IGNORECASE,
)
_NOUN_REFERENCE = re.compile(_MEETING_REFERENCE, re.IGNORECASE)
# "At a Quad meeting in Sydney earlier this year": a meeting the sentence names in passing, with a place after.
_INDEFINITE_MEETING = re.compile(rf"\b(?:a|an)\s+(?:[\w'’+-]+\s+){{0,3}}?{_NOUN}\b", re.IGNORECASE)
# "the meeting of Quad senior cyber officials in Tokyo": a place after the noun, perhaps after an "of" phrase.
# "talks between India and Japan on Friday", "discussions between Tokyo and Washington on Sunday": a meeting noun
# with both its sides named (countries, capitals, people or bodies) reports a meeting when a date follows.
_BETWEEN = re.compile(rf"\b{_NOUN}\s+between\s+(?:the\s+)?", re.IGNORECASE)
_SIDES_JOIN = re.compile(r"\s+and\s+(?:the\s+)?")
_SIDES = ("country", "place", "person", "organization")
_SPECULATED = re.compile(r"[^,.;:]*?\b(?:could|would|might|may|should|must)\b")  # "talks between X and Y could resume"
_POSSESSIVE_NOUN = re.compile(rf"['’]s\s+(?P<noun>(?:[\w'’+-]+\s+){{0,3}}?{_NOUN})\b", re.IGNORECASE)  # "Last year's Quad summit"
_WITH_PERSON = re.compile(
    rf"\b{_NOUN}\s+with\s+(?:(?:his|her|their|its)\s+(?:[\w-]+\s+)?counterparts?,?\s+)?", re.IGNORECASE
)  # "talks with NAME", "a meeting with her Japanese counterpart, NAME"
_SIDE_LENGTH = 60  # characters: a side is a name, perhaps after a post ("Foreign Minister NAME")
_PUNCTUATION = re.compile(r"[,.;:()—–]")
_DATE_AFTER_NOUN = re.compile(r"\s+(?:on|in)\s+(?:\d|(?-i:[A-Z]))", re.IGNORECASE)  # "a virtual meeting on 5 June"
_PLACE_AFTER_NOUN = re.compile(r"(?P<of>\s+of(?:\s+[\w'’-]+){1,6}?)?\s+(?:in|at)\s+")
_CANDIDATE = CaseBlind(  # scanned over the whole article: folded, see `caseblind`
    r"\b(?:met|held|hosted|convened|chaired|co-chaired|attended|concluded|wrapped up|took part|participated|joined"
    r"|welcomed|received|followed|gathered|assembled|reconvened|meet|hold|host|convene|attend|take place|took place|join|gather|assemble|reconvene"
    r"|meetings?|summits?|dialogues?|talks|ministerials?|consultations|discussions|workshops?"
    r"|participants|attendees|attending|present|delegations?|delegates|represented|led|headed|principals|presence|accompanied)\b"
)
_PRONOUN_SUBJECT = re.compile(r"\s*(?:He|She)\s+(?:(?:also|then|later|will|would|had|has|is|was|to)\s+)*", re.IGNORECASE)
_FIRST_PERSON_SUBJECT = re.compile(r"\s*(?:I|We)\s+(?:(?:also|then|later|have|had|all|both)\s+)*")
# A transcript's speaker label around a name: "MS. LARSON:" at the start of a line.
_LABEL_BEFORE = re.compile(rf"(?:^|\n)[ \t]*(?:(?:{SPEAKER_HONORIFIC}\.?|[A-Z][\w-]*)[ \t]+){{0,3}}\Z")  # "MR. ", "FOREIGN MINISTER "
_BULLET = re.compile(r"^(?:[-*•–]|\d{1,2}[.)])\s")
# A line of a delegation list: "Fiji: Ms NAME, Permanent Secretary", "- Japan (host): Mr NAME, Director".
_LABELLED = re.compile(r"^(?:[-*•–]\s+)?(?P<label>[A-Z][^:()\n]{0,40}?)(?:\s*\([^)\n]{1,30}\))?:\s+\S")
# A clause starts after a colon, dash, bracket or quote, or after a comma that does not continue a list of
# names: "Last year, | the members met" but "Foreign ministers of Australia, India and Japan met".
_CLAUSE_START = re.compile(r".*(?:[;:—–\"“”(]|,(?!\s*[A-Z]))", re.DOTALL)
_GROUP = re.compile(rf"(?P<group>[A-Z][\w'’+&.-]*(?:\s+{_NAME_WORD})*?)\s+(?:(?:had|have|has|also|all|jointly|formally|virtually|first|then|last|finally)\s+)*$")
_GROUP_WORD = re.compile(r"\b(?:Group|Principals|Ministers|Leaders|Council|Committee|Forum|Partnership|Officials|Delegations?|Working)\b")
_LEADING_ARTICLE = re.compile(r"^(?:The|A|An)\s+")
_LEADING_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)\s+")
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
# "the leaders met", "the four leaders": heads of government, unless leaders of something else.
_LEADERS = "".join(
    rf"(?<!{word}\s)" for word in ("business", "industry", "community", "religious", "society", "tech", "technology",
                                   "student", "party", "opposition", "military", "sector", "youth", "faith", "union", "team")
) + r"\bleaders\b"
# Kinds from the words of the report, the most specific first.
_KINDS = (
    ("principals meeting", re.compile(r"\bprincipals?\b", re.IGNORECASE)),
    ("leaders' summit", re.compile(rf"\bleaders?['’]?\s+summit|{_LEADERS}\b|\bsummit\b.*\b(?:leaders|heads\s+of|prime\s+ministers?|presidents?)\b|\b(?:leaders|heads\s+of|prime\s+ministers?|presidents?)\b.*\bsummit", re.IGNORECASE)),
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


# How exactly a date gives a meeting's days, most exact last.
_YEAR, _MONTH, _WEEK_BOUND, _DAYS = range(4)
_NEWS_WEEK = timedelta(days=7)  # how far before publication a wire report's news day can lie


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
    rank: int = 0  # how exactly the span gives the days: _DAYS, _WEEK_BOUND, _MONTH, _YEAR
    alongside: bool = False  # on the margins of the meeting before it, and in its place
    in_passing: bool = False  # an earlier one of a series, named while reporting another
    planned: bool = False  # still to come when the article was written
    referents: list[tuple[str, int]] = field(default_factory=list)  # (person, sentence) a "He" or "She" subject stands for
    dated_by: int | None = None  # the sentence the dates come from, when the report's own sentences give none
    # sentence -> the document offsets of the two sides that alone took part, where the report names its sides
    # in a sentence that may name others ("the ministers, who met after talks between India and Japan")
    sides: dict[int, tuple[int, int]] = field(default_factory=dict)


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
    event: bool = False  # named by an event noun ("gathering"), not a meeting noun
    planned: bool = False  # reported as still to come ("will meet", "the upcoming summit")


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


def _verb_words(sentence: Sentence, match: re.Match) -> _Words | None:
    """A verb report with its subject and object: "met ... for talks", "hosted the third Quad Cyber Dialogue".

    A reduced relative ("the principals meeting, held on 14 May") has the
    meeting before the verb, and is no report without it. Neither it nor a
    welcome ("the minister welcomed delegates to Sydney for talks") has the
    meeting's participants as subject, so neither has a subject here.
    """
    text = sentence.text
    if match.group("relative"):
        noun = _NOUN_BEFORE.search(text, 0, match.start())
        if noun is None:
            return None
        phrase = _PHRASE_START.match(text, 0, noun.start())
        start = phrase.start("article") if phrase else noun.start()
        return _Words(sentence, "", text[start:match.end()], start, match.end(), bool(noun.group("event")))
    after = text[match.end():]
    if match.group("met") or match.group("future_meet"):
        found = _PURPOSE.search(after)
    elif match.group("welcome"):
        found = _WELCOME_OBJECT.match(after)
    else:
        found = None if match.group("gathered") or match.group("future_gather") else _OBJECT.match(after)
    end = match.end() + (found.end() if found else 0)
    subject = "" if match.group("welcome") else _clause_before(sentence, match.start())
    return _Words(sentence, subject, text[match.start():end], match.start() - len(subject), end)


def _noun_words(sentence: Sentence, start: int, end: int, planned: bool = False) -> _Words:
    return _Words(sentence, "", sentence.text[start:end], start, end, planned=planned)


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
    noun_match = _NOUN_WORD.search(words.meeting)
    noun = noun_match.group().lower() if noun_match else GENERIC
    named = _NAMED_MEETING.search(words.meeting) or _DESCRIBED.search(words.meeting)
    if not (named or noun_match):  # "The 7th India-Australia Cyber Dialogue was held": named as the subject
        named = _NAMED_SUBJECT.search(words.subject)
        noun_match = named and _NOUN_WORD.search(named.group())
        noun = noun_match.group().lower() if noun_match else GENERIC
    if named:  # "the 7th X Dialogue" is named "X Dialogue", as "the seventh X Dialogue" is
        return _LEADING_ORDINAL.sub("", _LEADING_ARTICLE.sub("", named.group(named.lastgroup))), noun
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


def _place(art: _Article, sentence: Sentence, at: int, scope: range) -> _Place | None:
    """The place named nearest the report within its scope, preferring one after "in" or "at", then after "to"
    ("welcomed them to Adelaide"); else a body that is a venue ("at the White House"); a country when no city
    is named."""
    text = art.document.text

    def after_preposition(m: Mention) -> bool:
        return bool(_PLACE_PREPOSITION.search(text[max(0, m.start - 8):m.start]))

    def after_to(m: Mention) -> bool:
        return text[max(0, m.start - 3):m.start].lower() == "to "

    mentions = [m for m in art.mentions.get(sentence.index, []) if m.start - sentence.start in scope]
    candidates = [m for m in mentions if m.entity_type == "place" and _outside(art.dateline, m.start)]
    candidates = candidates or [m for m in mentions if m.entity_type == "organization" and after_preposition(m) and _seat(art, m)]
    candidates = candidates or [m for m in mentions if m.entity_type == "country" and after_preposition(m)]
    if not candidates:
        return None
    best = min(candidates, key=lambda m: (not after_preposition(m), not after_to(m), abs(m.start - at)))
    if best.entity_type == "country":
        return _Place(None, None, best.entity_id)
    place_id = _seat(art, best) if best.entity_type == "organization" else best.entity_id
    entry = art.kb.places.get(place_id)
    return _Place(place_id, entry.name if entry else best.surface, entry.country if entry else None)


def _seat(art: _Article, mention: Mention) -> str | None:
    """The place a body named as a venue stands in ("held at the White House"), when the knowledge base says."""
    entry = art.kb.organizations.get(mention.entity_id)
    return entry.seat if entry else None


def _date(art: _Article, sentence: Sentence, at: int, scope: range) -> DateFinding | None:
    """The date nearest the report within its scope, leaving out one that dates another noun ("Tuesday's
    announcement follows a meeting last week"; "Tuesday's talks" still dates the talks)."""
    text = art.document.text
    found = [
        f for f in art.dates.get(sentence.index, [])
        if f.start - sentence.start in scope and not _DATES_ANOTHER_NOUN.match(text, f.end)
    ]
    if not found:
        return None
    return min(found, key=lambda f: min(abs(f.start - at), abs(f.end - at)))


def _rank(finding: DateFinding | None) -> int:
    if finding is None or finding.span.precision == "year":
        return _YEAR
    if finding.span.precision == "month":
        return _MONTH
    return _WEEK_BOUND if _WEEK.search(finding.surface) else _DAYS


def _forums(art: _Article, words: _Words) -> list[tuple[str, int]]:
    """The forum whose members took part, unless the report names the countries themselves.

    It is a forum named in the report ("The Quad Senior Cyber Group met", "the
    meeting of Quad officials"), or, for a subject such as "the members" or
    "the partners", the forum named in the sentence, else the one the article
    names most. "Officials from Japan and India met for a Quad dialogue" names
    its countries, and the forum's other members did not take part. A report
    without a subject ("the Quad dialogue, held in Tokyo") does not say who met,
    so countries named anywhere in its sentence count instead.
    """

    def is_forum(org_id: str) -> bool:
        entry = art.kb.organizations.get(org_id)
        return bool(entry and entry.members)

    index = words.sentence.index
    start, end = (words.start, words.end) if words.subject else (0, len(words.sentence.text))
    if _mentions_in(art, words.sentence, start, end, "country"):
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


def _draft(art: _Article, words: _Words, kind: str | None = None, scope: range | None = None) -> _Draft | None:
    """A finding for one report; one still to come when the report says so or its date is after the article.

    Its place and date are the ones nearest the report within its scope (the
    whole sentence unless the sentence reports several meetings).
    """
    kind = kind or _kind(words.subject + words.meeting)
    name, noun = _name(art, words, kind)
    sentence = words.sentence
    scope = scope if scope is not None else range(len(sentence.text))
    at = sentence.start + max(words.start + len(words.subject), scope.start)
    found = _date(art, sentence, at, scope) or _pronoun_date(art, words)
    span = found.span if found else None
    published = art.document.published
    planned = words.planned or bool(span and published and span.start > published)
    if _CALLED_OFF.search(sentence.text, scope.start, scope.stop):
        return None
    place = _place(art, sentence, at, scope)
    online = bool(_ONLINE.search(sentence.text, words.start, words.end))  # "a virtual meeting", "met by video link"
    if place is None and sentence.index == art.lead and art.dateline and not (planned or online):
        place = _Place(art.dateline.place_id, art.dateline.place_name, art.dateline.country)
    if planned and not (place or span):  # "agreed to meet again": a plan that says neither where nor when
        return None
    if words.event and not (place and span):
        return None
    alongside = place is None and bool(_ALONGSIDE.search(sentence.text, scope.start, scope.stop))
    in_passing = bool(_FOLLOWS.search(sentence.text, 0, words.start) or _EARLIER_ONE.match(words.meeting))
    return _Draft(
        kind, name, noun, span, place, [sentence.index], [sentence.index], _forums(art, words), _rank(found), alongside,
        in_passing, planned, _referent(art, words),
    )


def _pronoun_date(art: _Article, words: _Words) -> DateFinding | None:
    """A report whose subject is "He" or "She" goes on with the sentence before: its date, when it has none of
    its own ("NAME will travel to X from August 20 to 23. He will hold consultations in Colombo")."""
    previous = art.dates.get(words.sentence.index - 1, [])
    return previous[-1] if previous and _PRONOUN_SUBJECT.fullmatch(words.subject) else None


def _referent(art: _Article, words: _Words) -> list[tuple[str, int]]:
    """The person a report's subject pronoun stands for ("He will hold talks in Colombo"): the last person named
    in the sentence before, or in the one before that. In a transcript, "We met" or "I met" is the speaker's
    own report: the person whose label opens the turn ("MS. NAME: ... We met our counterparts")."""
    if _FIRST_PERSON_SUBJECT.fullmatch(words.subject):
        speaker = _speaker_before(art, words.sentence.start)
        return [speaker] if speaker else []
    if not _PRONOUN_SUBJECT.fullmatch(words.subject):
        return []
    index = words.sentence.index
    for earlier in (index - 1, index - 2):
        people = [m for m in art.mentions.get(earlier, []) if m.entity_type == "person"]
        if people:
            return [(people[-1].entity_id, earlier)]
    return []


def _is_source(text: str, mention: Mention) -> bool:
    """The person a report is attributed to: "according to NAME", or a closing "..., Foreign Minister NAME
    announced on Tuesday." """
    if _ATTRIBUTED.search(text, max(0, mention.start - 20), mention.start):
        return True
    clause = text.rfind(",", 0, mention.start)
    return clause >= 0 and len(text[clause + 1 : mention.start].split()) <= 5 and bool(_CLOSING_ATTRIBUTION.match(text, mention.end))


def _speaker_before(art: _Article, offset: int) -> tuple[str, int] | None:
    """(person, sentence) of the nearest speaker label before `offset`: a person named at the start of a line
    and followed by a colon."""
    text = art.document.text
    for index in range(art.document.sentence_index(offset), -1, -1):
        for m in reversed(art.mentions.get(index, [])):
            if m.entity_type == "person" and m.start < offset and _LABEL_BEFORE.search(text, max(0, m.start - 40), m.start) \
                    and LABEL_END.match(text, m.end):
                return m.entity_id, index
    return None


def _stayed_away(text: str, start: int) -> bool:
    """The meeting at `start` is what someone did not attend: "did not attend the meeting in Perth"."""
    return bool(_ABSENT_FROM.search(text, max(0, start - 120), start))


def _report_words(art: _Article, sentence: Sentence, match: re.Match) -> _Words | None:
    """The words of a report verb, or None when the verb reports no meeting here."""
    text = sentence.text
    reported_plan = bool(_REPORTED_FUTURE.search(text, 0, match.start()))
    if _NOT_HAPPENED.search(text[: match.start()]) and not reported_plan:
        return None
    future = any(match.group(g) for g in _FUTURE_GROUPS)
    if future and not (reported_plan or _SCHEDULED.search(text[: match.start()])):
        return None
    words = _verb_words(sentence, match)
    if words is None or _stayed_away(text, words.start + len(words.subject)):
        return None
    if (match.group("passive") or match.group("future")) and not re.search(_NOUN, words.subject, re.IGNORECASE):
        return None
    if (match.group("met") or match.group("future_meet")) and not (art.has_actors or _OFFICIAL.search(words.subject)):
        return None
    if future:
        words = dataclasses.replace(words, planned=True)
    if match.group("host") and not (_person_at(art, sentence, match.end()) or _GUESTS_AFTER.match(text, match.end())):
        return None
    if match.group("gathered") or match.group("future_gather"):
        place = _IN_PLACE.match(text, match.end())
        if not (_OFFICIAL.search(words.subject) and _place_at(art, sentence, place.end())):
            return None
    return words


def _scopes(reports: list[_Words], length: int) -> list[range]:
    """The part of the sentence each report owns: a report whose subject starts after the one before has
    ended begins a clause of its own ("The principals met in Sydney, and the leaders met in Hiroshima");
    reports sharing a subject ("met in Tokyo and held talks") share their clause."""
    cuts = [0] + [b.start for a, b in zip(reports, reports[1:]) if b.start >= a.end] + [length]
    return [next(range(lo, hi) for lo, hi in zip(cuts, cuts[1:]) if w.end <= hi or hi == length) for w in reports]


def _conjuncts(art: _Article, sentence: Sentence, words: _Words, scope: range) -> list[range]:
    """A scope cut at each "and in PLACE" after the report, when the report names a place before the first:
    "met in Sydney in late 2022 and in New Delhi on 30 January 2023" reports two meetings."""
    text = sentence.text
    cuts = [m.start() for m in _CONJUNCT.finditer(text, words.end, scope.stop) if _place_at(art, sentence, m.end())]
    if not cuts:
        return [scope]
    verb = sentence.start + words.end - len(words.meeting)
    if not any(m.entity_type == "place" and verb <= m.start < sentence.start + cuts[0] for m in art.mentions[sentence.index]):
        return [scope]
    bounds = [scope.start, *cuts, scope.stop]
    return [range(lo, hi) for lo, hi in zip(bounds, bounds[1:])]


def _verb_reports(art: _Article, sentence: Sentence) -> list[_Draft] | None:
    """Drafts for the sentence's past-tense reports; None when it has no report verb at all."""
    matches = list(_REPORT.finditer(sentence.text))
    if not matches:
        return None
    reports = [w for w in (_report_words(art, sentence, m) for m in matches) if w]
    drafts = [
        _draft(art, words, scope=part)
        for words, scope in zip(reports, _scopes(reports, len(sentence.text)))
        for part in _conjuncts(art, sentence, words, scope)
    ]
    return [d for d in drafts if d]


def _noun_reports(art: _Article, sentence: Sentence) -> list[_Draft]:
    """Without a verb, "the Quad Leaders' Summit" (a name) or "the meeting of Quad officials in Tokyo" (a
    meeting noun with a known place after it) report a meeting, unless the words before make it a plan.
    "a meeting in Sydney" says less, so it counts only with a date in the sentence that is not after the
    article ("At a Quad meeting in Sydney earlier this year")."""
    text = sentence.text
    drafts = []
    for match in _NAMED_MEETING.finditer(text):
        if _is_body(art, sentence, match.start("name"), match.end()):  # "the Quadrilateral Security Dialogue" is the forum
            continue
        if not _stayed_away(text, match.start()):
            planned = bool(_PLANNED.search(text[: match.start()]))
            drafts.append(_draft(art, _noun_words(sentence, match.start("name"), match.end(), planned), _kind(match.group("name"))))
    for pattern, dated in ((_NOUN_REFERENCE, False), (_INDEFINITE_MEETING, True)):
        for match in pattern.finditer(text):
            if _stayed_away(text, match.start()):
                continue
            after = _PLACE_AFTER_NOUN.match(text, match.end())
            # "a virtual meeting on 5 June": a meeting held online has a date and no place
            online = dated and _ONLINE.search(match.group()) and _DATE_AFTER_NOUN.match(text, match.end())
            if (after and _place_at(art, sentence, after.end())) or online:
                planned = bool(_PLANNED.search(text[: match.start()]) or _PLANNED_WORD.search(match.group()))
                end = after.end("of") if after and after.group("of") and not online else match.end()
                words = _noun_words(sentence, match.start(), end, planned)
                draft = _draft(art, words, _kind(words.meeting))
                drafts.append(draft if draft and (draft.span or not dated) else None)
    return [d for d in drafts if d]


def _between_reports(art: _Article, sentence: Sentence) -> list[_Draft]:
    """Meetings named by their two sides and dated after them ("security discussions between Tokyo and
    Washington on Sunday"), in a sentence that may report another meeting too. The sides say who met, not
    where: the place is read only after them."""
    text, drafts = sentence.text, []
    for match in _BETWEEN.finditer(text):
        join = _SIDES_JOIN.search(text, match.end(), match.end() + _SIDE_LENGTH)
        second = join and _side_in(art, sentence, join.end(), join.end() + _SIDE_LENGTH)
        if not (second and _side_in(art, sentence, match.end(), join.start(), ends=True)):
            continue
        end = second.end - sentence.start
        draft = _dated_noun_report(art, sentence, match.start(), end, scope=range(end, len(text)))
        if draft:
            draft.sides = {sentence.index: (sentence.start + match.end(), second.end)}
            draft.in_passing = draft.in_passing or bool(_FOLLOWS_PHRASE.search(text, 0, match.start()))
            draft.name = draft.name or " ".join(text[match.start() : end].split())  # "talks between India and Japan"
            drafts.append(draft)
    return drafts


def _dated_by_possessive(art: _Article, sentence: Sentence) -> list[_Draft]:
    """"Last year's Quad summit in Hiroshima", "Tuesday's talks": a date in the possessive dates the meeting noun
    after it, which is then a meeting even without a report verb."""
    drafts = []
    for finding in art.dates.get(sentence.index, []):
        match = _POSSESSIVE_NOUN.match(art.document.text, finding.end)
        if match is None or _stayed_away(sentence.text, finding.start - sentence.start):
            continue
        start, end = finding.start - sentence.start, match.end() - sentence.start
        draft = _draft(art, _noun_words(sentence, start, end), _kind(match.group("noun")), scope=range(start, len(sentence.text)))
        if draft and draft.span:
            drafts.append(draft)
    return drafts


def _talks_with(art: _Article, sentence: Sentence) -> list[_Draft]:
    """"during his talks with Vice Foreign Minister NAME", "a meeting with her Japanese counterpart, NAME": a
    meeting with a person, when the sentence dates it; who took part is read as for any report."""
    drafts = []
    for match in _WITH_PERSON.finditer(sentence.text):
        person = _side_in(art, sentence, match.end(), match.end() + _SIDE_LENGTH, types=("person",))
        draft = person and _dated_noun_report(art, sentence, match.start(), person.end - sentence.start)
        if draft:
            drafts.append(draft)
    return drafts


def _dated_noun_report(art: _Article, sentence: Sentence, start: int, end: int, scope: range | None = None) -> _Draft | None:
    """A meeting named by the noun phrase at sentence offsets start..end, when the sentence dates it and neither
    denies it nor only speculates about it ("talks between X and Y could resume")."""
    text = sentence.text
    if _stayed_away(text, start) or _NOT_HAPPENED.search(text[:start]) or _SPECULATED.match(text, end):
        return None
    draft = _draft(art, _noun_words(sentence, start, end, bool(_PLANNED.search(text[:start]))), _kind(text[start:end]), scope=scope)
    return draft if draft and draft.span else None


def _side_in(art: _Article, sentence: Sentence, start: int, end: int, ends: bool = False, types=_SIDES) -> Mention | None:
    """The first country, place, person or body named between sentence offsets start..end, after words without
    punctuation ("Foreign Minister NAME"); with `ends`, one ending exactly at `end` (the side before "and")."""
    text = sentence.text
    for m in art.mentions.get(sentence.index, []):
        offset = m.start - sentence.start
        if m.entity_type in types and start <= offset and m.end - sentence.start <= end and not _PUNCTUATION.search(text, start, offset):
            if not ends or m.end - sentence.start == end:
                return m
    return None


def _person_at(art: _Article, sentence: Sentence, offset: int) -> bool:
    """A person named right after a verb ("hosted External Affairs Minister NAME"): someone received, a meeting."""
    start, end = sentence.start + offset, sentence.start + offset + 60
    return any(m.entity_type == "person" and start <= m.start < end for m in art.mentions.get(sentence.index, []))


def _is_body(art: _Article, sentence: Sentence, start: int, end: int) -> bool:
    """Whether sentence offsets start..end lie inside an organisation's name: a body named like a meeting."""
    start, end = sentence.start + start, sentence.start + end
    return any(m.entity_type == "organization" and m.start <= start and end <= m.end for m in art.mentions.get(sentence.index, []))


def _place_at(art: _Article, sentence: Sentence, offset: int) -> bool:
    start = sentence.start + offset
    return any(m.start == start and m.entity_type == "place" for m in art.mentions.get(sentence.index, []))


def _refers_to_meeting(sentence: Sentence) -> bool:
    """'the meeting', 'the two-day meeting', 'the talks', 'Participants:': about a meeting already reported."""
    match = _REFERENCE.search(sentence.text)
    return bool(match) and not (_PLANNED.search(sentence.text[: match.start()]) or _PLANNED_WORD.search(match.group()))


def _compatible(earlier: _Draft, later: _Draft) -> bool:
    """One meeting by the rule linking also uses (`one_meeting`), unless one was held on the margins of the
    other or one is still to come and the other has happened."""
    if earlier.alongside != later.alongside or earlier.planned != later.planned:
        return False
    return one_meeting(earlier.place, earlier.span, earlier.kind, later.place, later.span, later.kind, one_article=True)


def _merged_span(earlier: _Draft, later: _Draft) -> tuple[DateSpan | None, int]:
    """The dates of two reports of one meeting; a merge never moves or narrows the days a report gives.

    Days given outright ("on Tuesday and Wednesday", "held on 14 and 15 May")
    join into the span covering both, since each report may name only part of
    the meeting ("on Tuesday evening"). A date that only bounds the days ("this
    week", "in March") gives way to a more exact one inside it. Otherwise the
    first report's dates stand.
    """
    a, b = earlier.span, later.span
    if a is None or b is None:
        return (a, earlier.rank) if b is None else (b, later.rank)
    if earlier.rank == later.rank == _DAYS:
        return DateSpan(min(a.start, b.start), max(a.end, b.end), "day"), _DAYS
    if later.rank > earlier.rank and a.start <= b.start and b.end <= a.end:
        return b, later.rank
    return a, earlier.rank


def _merge(into: _Draft, other: _Draft) -> None:
    # Merging in order keeps the lists sorted; a text that reports one meeting thousands of times stays linear.
    into.sentence_ids = _union_sorted(into.sentence_ids, other.sentence_ids)
    into.reports = _union_sorted(into.reports, other.reports)
    into.span, into.rank = _merged_span(into, other)
    into.place = into.place or other.place
    into.name = into.name or other.name
    into.kind = most_specific((into.kind, other.kind))
    into.forums = into.forums + [f for f in other.forums if f not in into.forums]
    into.referents = into.referents + [r for r in other.referents if r not in into.referents]
    # a sentence one of them reads whole is read whole
    whole = {*into.reports, *other.reports} - {*into.sides, *other.sides}
    into.sides = {i: s for i, s in {**other.sides, **into.sides}.items() if i not in whole}


def _union_sorted(kept: list, new: list) -> list:
    """`kept` (sorted, distinct) with the items of `new` it lacks; cheap when `new` only adds at the end."""
    if new and kept and min(new) > kept[-1]:
        return kept + sorted(set(new))
    return sorted(set(kept) | set(new))


def _add(drafts: list[_Draft], draft: _Draft) -> None:
    """A new meeting, or a new report of one already found; one on the margins of the meeting before it
    without a place of its own was held where that meeting was."""
    if draft.alongside:
        draft.place = next((d.place for d in reversed(drafts) if not d.alongside), None)
    target = next((d for d in reversed(drafts) if _compatible(d, draft)), None)
    if target is None:
        drafts.append(draft)
    else:
        _merge(target, draft)


def _label_country(art: _Article, sentence: Sentence) -> str | None:
    """The country a list line is labelled with ("Fiji: Ms NAME, ..."): that country's delegation."""
    label = _LABELLED.match(sentence.text)
    if not label:
        return None
    start, end = sentence.start + label.start("label"), sentence.start + label.end("label")
    return next((m.entity_id for m in art.mentions.get(sentence.index, []) if m.entity_type == "country" and (m.start, m.end) == (start, end)), None)


def _with_list_items(art: _Article, sentence_ids: list[int]) -> list[int]:
    """The sentences plus the list lines right after any of them (an attendee list): bulleted lines, and lines
    labelled with a country (a list of delegations)."""
    sentences = art.document.sentences
    found = set(sentence_ids)
    for index in sentence_ids:
        following = index + 1
        while following < len(sentences) and (_BULLET.match(sentences[following].text) or _label_country(art, sentences[following])):
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
    if span and published and span.start <= published < span.end and not draft.planned:
        span = DateSpan(span.start, published, span.precision)
    days = _duration(art, draft)
    if days and span and span.precision == "day" and span.start == span.end:
        return DateSpan(span.end - timedelta(days=days - 1), span.end, "day")
    lead_date = art.dateline.date if art.dateline else None
    if days and span is None and art.lead in draft.sentence_ids and lead_date and lead_date.precision == "day":
        return DateSpan(lead_date.end - timedelta(days=days - 1), lead_date.end, "day")
    return span


def _role(entities: Entities, person_id: str, sentence_id: int):
    """The person's post in the sentence (one that says the country first: "chair, G20 group and Secretary,
    Ministry of X"), else the first the article gives."""
    roles = [r for r in entities.roles if r.person_id == person_id]
    here = sorted((r for r in roles if r.sentence_id == sentence_id), key=lambda r: r.country is None)
    return here[0] if here else roles[0] if roles else None


def _possessive(art: _Article, mention: Mention) -> bool:
    return art.document.text.startswith(("'s", "’s", "'", "’"), mention.end)


def _absent(art: _Article, sentence_ids: set[int]) -> set[str]:
    """People and countries said to have stayed away: the one named last before "did not attend" (not a
    possessive: "Kenji Mori, Japan's envoy, did not attend"), with any joined to it by "and"."""
    away = set()
    for index in sentence_ids:
        sentence = art.document.sentences[index]
        for match in _ABSENT.finditer(sentence.text):
            before = [
                m for m in art.mentions.get(index, [])
                if m.entity_type in ("person", "country") and m.end <= sentence.start + match.start() and not _possessive(art, m)
            ]
            for later, earlier in zip(before[::-1], [*before[-2::-1], None]):
                away.add(later.entity_id)
                if earlier is None or not re.fullmatch(r"\s*(?:,|and|,\s*and)\s*", art.document.text[earlier.end:later.start]):
                    break
    return away


def _host(art: _Article, draft: _Draft, sentence_ids: set[int]) -> list[tuple[str, int]]:
    """The country that hosted the meeting, which took part in it.

    It is the country (or an organisation's country) named right after
    "hosted by"; or, where the meeting's own sentences say it was hosted or
    visitors were welcomed ("thanked Japan for hosting", "welcomed officials to
    Adelaide"), the country of the meeting's place. A meeting with no known
    place has no host beyond one named.
    """
    for index in sorted(sentence_ids):
        sentence = art.document.sentences[index]
        by = _HOSTED_BY.search(sentence.text)
        if by:
            after = [m for m in art.mentions.get(index, []) if m.start >= sentence.start + by.end() and m.entity_type in ("country", "organization")]
            if after and after[0].start - sentence.start - by.end() <= len("the "):
                entry = art.kb.organizations.get(after[0].entity_id)
                country = after[0].entity_id if after[0].entity_type == "country" else (entry.country if entry else None)
                return [(country, index)] if country else []
        elif draft.place and draft.place.country and _HOSTING.search(sentence.text):
            return [(draft.place.country, index)]
    return []


def _participants(art: _Article, draft: _Draft) -> tuple[ParticipantFinding, ...]:
    """The people named in the meeting's sentences (by full name or by a later surname), and every other
    country that took part.

    Someone the report is attributed to ("according to NAME", a closing
    "..., NAME said") is its source, not a participant. A country counts when it is named where the meeting is reported, is a
    member of the forum that met, or hosted the meeting; it gets a row of its
    own only when no person represents it, so named officials are never
    doubled by their country. Whoever is said to have stayed away ("did not
    attend") is left out.
    """
    found = []
    sentence_ids = set(_with_list_items(art, draft.sentence_ids))
    away = _absent(art, sentence_ids)
    labels = {index: _label_country(art, art.document.sentences[index]) for index in sentence_ids}
    text = art.document.text
    named = dict.fromkeys([
        *((m.entity_id, index) for index in sorted(sentence_ids) for m in _taking_part(art, draft, index)
          if m.entity_type == "person" and not _is_source(text, m)),
        *draft.referents,
    ])
    for person_id, index in named:
        if person_id not in away and all(p.person_id != person_id for p in found):
            role = _role(art.entities, person_id, index)
            country = (role.country if role else None) or labels.get(index)
            found.append(ParticipantFinding(person_id, role.org_id if role else None, country, index))
    countries = [(m.entity_id, index) for index in draft.reports for m in _taking_part(art, draft, index)
                 if m.entity_type == "country" and _outside(art.dateline, m.start)]  # "HIROSHIMA, Japan (AP)" says where, not who
    countries += [(country, index) for index, country in sorted(labels.items()) if country]
    countries += [(c, index) for org_id, index in draft.forums for c in art.kb.organizations[org_id].members]
    countries += _host(art, draft, sentence_ids)
    represented = {p.country for p in found} | away
    found += [ParticipantFinding(None, None, c, index) for c, index in countries if c not in represented]
    return tuple(dict.fromkeys(found))


def _taking_part(art: _Article, draft: _Draft, index: int) -> list[Mention]:
    """The mentions of sentence `index` that may name who took part: all of them, or only its sides."""
    mentions = art.mentions.get(index, [])
    if index not in draft.sides:
        return mentions
    start, end = draft.sides[index]
    return [m for m in mentions if start <= m.start and m.end <= end]


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
        sentence_ids=tuple(sorted({*_with_list_items(art, draft.sentence_ids), *([draft.dated_by] if draft.dated_by is not None else [])})),
        participants=_participants(art, draft),
        status="planned" if draft.planned else "held",
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
    candidates = sorted({document.sentence_index(start) for start, _ in _CANDIDATE.spans(document.text, fold(document.text))})
    drafts: list[_Draft] = []
    unreported: list[int] = []  # sentences about "the meeting" before any report of one
    for index in candidates:
        sentence = document.sentences[index]
        new = _verb_reports(art, sentence)
        if new is None:
            new = _noun_reports(art, sentence)
        if not new and _refers_to_meeting(sentence):
            if drafts:
                current = next((d for d in reversed(drafts) if not d.in_passing), drafts[-1])
                current.sentence_ids = _union_sorted(current.sentence_ids, [index])
            else:
                unreported.append(index)
        for draft in new + _between_reports(art, sentence) + _talks_with(art, sentence) + _dated_by_possessive(art, sentence):
            _add(drafts, draft)
    drafts = drafts or _only_referred_to(art, unreported)
    _date_by_news_day(art, drafts)
    return [_finding(art, d) for d in drafts]


def _news_day(art: _Article) -> DateFinding | None:
    """The day a news report's news happened: the one day in the week up to publication that the article names
    ("a joint statement said on Tuesday"), when it names exactly one such day."""
    published = art.document.published
    if published is None:
        return None
    recent: dict[DateSpan, DateFinding] = {}
    for found in art.dates.values():
        for finding in found:
            span = finding.span
            if span.precision == "day" and span.start == span.end and timedelta(0) <= published - span.start <= _NEWS_WEEK:
                recent.setdefault(span, finding)
    return next(iter(recent.values())) if len(recent) == 1 else None


def _date_by_news_day(art: _Article, drafts: list[_Draft]) -> None:
    """A report of a meeting held without a date of its own ("X hosted Y for talks") took place on the article's
    news day, as an analyst reads a wire report; only when it is the one such meeting, so the day is not
    shared out by guess. The sentence naming the day becomes one of the meeting's sources."""
    undated = [d for d in drafts if d.span is None and not d.planned and not d.in_passing]
    day = _news_day(art) if len(undated) == 1 else None
    if day is not None:
        undated[0].span, undated[0].rank, undated[0].dated_by = day.span, _DAYS, day.sentence_id


def _only_referred_to(art: _Article, references: list[int]) -> list[_Draft]:
    """The meeting of an article that never reports it with a verb but writes about "the meeting" throughout
    ("The meeting emphasised ...", "Representing India at the meeting was NAME", "participants included"):
    one meeting, when at least two sentences say so and one names it with a definite meeting noun. It has
    the place and date its first such sentence gives, if any, and all those sentences."""
    first = next((i for i in references if _NOUN_REFERENCE.search(art.document.sentences[i].text)), None)
    if len(references) < 2 or first is None:
        return []
    sentence = art.document.sentences[first]
    match = _NOUN_REFERENCE.search(sentence.text)
    draft = _draft(art, _noun_words(sentence, match.start(), match.end()))
    if draft is None:
        return []
    draft.sentence_ids = list(references)
    return [draft]


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
