"""What one article yields before it is linked with the others.

Extraction works article by article (so it can run in parallel processes) and
produces these plain records; `link` merges them across articles into the
tables of `schema`. Every record carries the sentence it came from, because an
analyst trusts a fact only when they can read the sentence behind it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int  # sentence_id within its article, from 0
    start: int  # character offsets into the article text
    end: int
    text: str


@dataclass(frozen=True)
class Document:
    article_id: str
    title: str
    text: str
    published: date | None
    sentences: tuple[Sentence, ...]

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [s.end for s in self.sentences]

    def sentence_index(self, offset: int) -> int:
        """The index of the sentence holding a character offset (the last one for offsets past the end).

        The one sentence index every extractor uses, by binary search: articles have many mentions and
        many sentences.
        """
        return min(bisect_right(self._sentence_ends, offset), len(self.sentences) - 1)

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding a character offset (the last one for offsets past the end)."""
        return self.sentences[self.sentence_index(offset)]


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of article text that names an entity; text[start:end] == surface."""

    start: int
    end: int
    surface: str
    entity_type: str  # person, organization, country, place, date
    entity_id: str  # alpha-3, org_id, place_id, person_id, or "YYYY-MM-DD/YYYY-MM-DD" for dates
    sentence_id: int


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A resolved date: the first and last day the text allows, and how precise the text was."""

    start: date
    end: date
    precision: str  # day, month, year


@dataclass(frozen=True, slots=True)
class DateFinding:
    start: int
    end: int
    surface: str
    sentence_id: int
    span: DateSpan


@dataclass(frozen=True, slots=True)
class Dateline:
    """The opening 'New Delhi, Jan 31:' of a wire report."""

    start: int
    end: int
    surface: str
    place_id: str | None
    place_name: str
    country: str | None
    date: DateSpan | None


@dataclass(frozen=True, slots=True)
class OrgFinding:
    org_id: str
    name: str
    kind: str  # government body, forum, company, other
    country: str | None
    sentence_id: int


@dataclass(frozen=True, slots=True)
class PlaceFinding:
    place_id: str
    name: str
    country: str | None
    sentence_id: int


@dataclass(frozen=True, slots=True)
class PersonFinding:
    person_id: str
    name: str  # full name without rank or honours
    honorific: str | None  # "Lt General", "Dr", "Ambassador"
    post_nominals: str | None  # "AO"
    sentence_id: int


@dataclass(frozen=True, slots=True)
class RoleFinding:
    person_id: str
    title: str | None
    org_id: str | None
    country: str | None
    sentence_id: int


@dataclass(frozen=True, slots=True)
class ParticipantFinding:
    person_id: str | None  # None where only a country (or organisation) is named
    org_id: str | None
    country: str | None
    sentence_id: int


@dataclass(frozen=True, slots=True)
class MeetingFinding:
    name: str
    kind: str  # principals meeting, leaders' summit, ministerial, working group, dialogue, meeting
    span: DateSpan | None
    place_id: str | None
    city: str | None
    country: str | None
    sentence_ids: tuple[int, ...]
    participants: tuple[ParticipantFinding, ...] = ()
    status: str = "held"  # held, or planned: still to come when the article was written


@dataclass(frozen=True, slots=True)
class TopicFinding:
    topic_id: str
    sentence_id: int
    matched: str
    meeting_index: int | None  # index into ArticleExtraction.meetings


@dataclass(frozen=True, slots=True)
class Entities:
    """What the entity rules find in one article: spans plus the records they stand for."""

    mentions: tuple[Mention, ...] = ()  # people, organisations, countries and places
    organizations: tuple[OrgFinding, ...] = ()
    places: tuple[PlaceFinding, ...] = ()
    people: tuple[PersonFinding, ...] = ()
    roles: tuple[RoleFinding, ...] = ()


@dataclass(frozen=True, slots=True)
class RawArticle:
    """An article as read from a file or record, before any extraction."""

    article_id: str
    title: str
    text: str
    published: date | None
    date_source: str  # header, record, metadata, unknown
    source: str
    # Where each page starts in `text` (page 1 at 0), for formats with pages (PDF); empty otherwise.
    pages: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ArticleExtraction:
    document: Document
    source: str
    date_source: str  # header, record, metadata, dateline, unknown
    dateline: Dateline | None
    entities: Entities
    dates: tuple[DateFinding, ...]
    meetings: tuple[MeetingFinding, ...]
    topics: tuple[TopicFinding, ...]
    signature: tuple[int, ...] = ()  # MinHash of the text, to find copies of one story (`stories`)
    pages: tuple[int, ...] = ()  # RawArticle.pages
