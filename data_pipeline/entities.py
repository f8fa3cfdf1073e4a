"""Entity extraction for one article: countries, places, organisations and people, with their sentences.

The steps run in dependency order: countries first (they give organisations and
people their country), then places and organisations, then people on a copy of
the text where all of those are masked. Every finding is backed by at least one
mention, so each row of the tables can be traced to a sentence.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from . import ids, ner
from .countries import Span, find_countries
from .kb import KnowledgeBase
from .model import Dateline, Document, Entities, Mention, OrgFinding, PersonFinding, PlaceFinding, RoleFinding
from .organizations import OrgMatch, find_organizations
from .people import COUNTRY_MARK, FILL_MARK, ORG_MARK, PLACE_MARK, PeopleFound, find_people
from .places import find_places
from .spans import inside_any

__all__ = ["find_entities", "mask"]


def find_entities(document: Document, kb: KnowledgeBase, dateline: Dateline | None) -> Entities:
    text = document.text
    sentence_of = document.sentence_index
    all_countries, all_places = find_countries(text, kb), _with_dateline_place(find_places(text, kb), text, dateline)
    orgs, countries, places, masked = _masked(text, kb, all_countries, all_places, ())

    def read_names(offsets: list[int]) -> list[tuple[int, int]]:
        """The model, on the sentences holding name-shaped words the rules could not place."""
        chosen = sorted({sentence_of(offset) for offset in offsets})
        return ner.person_spans(text, [(document.sentences[i].start, document.sentences[i].end) for i in chosen])

    def people_in(reader) -> PeopleFound:
        return find_people(text, masked, {c.start: c.entity_id for c in countries}, {o.start: (o.org_id, o.country) for o in orgs}, reader)

    found = people_in(read_names)
    if any(o.start < start < o.end for o in orgs for start, _ in found.model_spans):  # "Ministry of X NAME said"
        orgs, countries, places, masked = _masked(text, kb, all_countries, all_places, found.model_spans)
        found = people_in(lambda _, spans=found.model_spans: list(spans))

    def mentions(spans: Iterable, kind: str, id_of: Callable) -> list[Mention]:
        return [Mention(s.start, s.end, text[s.start : s.end], kind, id_of(s), sentence_of(s.start)) for s in spans]

    all_mentions = (
        mentions(countries, "country", lambda s: s.entity_id)
        + mentions(places, "place", lambda s: s.entity_id)
        + mentions(orgs, "organization", lambda o: o.org_id)
        + mentions(found.mentions, "person", lambda s: s.entity_id)
    )
    return Entities(
        mentions=tuple(sorted(all_mentions, key=lambda m: (m.start, m.end, m.entity_type))),
        organizations=_first_org_findings(orgs, sentence_of),
        places=_first_place_findings(places, kb, dateline, sentence_of),
        people=tuple(
            PersonFinding(p.person_id, p.name, p.honorific, p.post_nominals, sentence_of(p.start)) for p in found.people
        ),
        roles=tuple(dict.fromkeys(
            # a post only one country has says the country where the text does not ("External Affairs Minister")
            RoleFinding(r.person_id, r.title, r.org_id, r.country or kb.post_country(r.title), sentence_of(r.offset))
            for r in found.roles
        )),
    )


def _masked(text: str, kb: KnowledgeBase, countries: list[Span], places: list[Span], people: Iterable[tuple[int, int]]):
    """(organisations, countries, places, masked text): bodies first (ending before any of `people`), then the
    countries and places outside them, each masked character for character."""
    orgs = find_organizations(text, kb, countries, list(people), places)
    countries = _outside(countries, orgs)
    places = _outside(places, orgs)
    # a city-state's name is a place and a country at once; people read it as the country
    # ("the Chief Executive of Singapore's agency"), while the places keep it for meetings
    country_spans = {(c.start, c.end) for c in countries}
    masked = mask(text, [(o.start, o.end, ORG_MARK) for o in orgs]
                  + [(p.start, p.end, COUNTRY_MARK if (p.start, p.end) in country_spans else PLACE_MARK) for p in places]
                  + [(c.start, c.end, COUNTRY_MARK) for c in countries])
    return orgs, countries, places, masked


def mask(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """The text with each (start, end, marker) span overwritten by its marker and filler, offsets unchanged.

    Spans later in the list never overwrite earlier ones, so callers list the
    stronger reading first (an organisation over the country word inside it).
    """
    chars = list(text)
    taken = [False] * len(text)
    for start, end, marker in spans:
        if any(taken[start:end]):
            continue
        chars[start:end] = marker + FILL_MARK * (end - start - 1)
        taken[start:end] = [True] * (end - start)
    return "".join(chars)


def _outside(spans: list[Span], orgs: list[OrgMatch]) -> list[Span]:
    """Spans not inside an organisation's name: "Australian" in "Australian Cyber Security Centre" is part of the body."""
    inside_org = inside_any((o.start, o.end) for o in orgs)
    return [s for s in spans if not inside_org(s.start, s.end)]


def _with_dateline_place(places: list[Span], text: str, dateline: Dateline | None) -> list[Span]:
    """The places plus the dateline's own, which replaces any other reading of the same words."""
    if dateline is None or not dateline.place_name:
        return places
    # the dateline may write the place in capitals ("WASHINGTON") and report it in title case
    written = re.compile(re.escape(dateline.place_name), re.IGNORECASE).search(text, dateline.start, dateline.end)
    if written is None:
        return places
    span = Span(written.start(), written.end(), dateline.place_id or ids.place_id(dateline.place_name))
    others = [p for p in places if p.end <= span.start or span.end <= p.start]
    return sorted([*others, span])


def _first_org_findings(orgs: list[OrgMatch], sentence_of: Callable[[int], int]) -> tuple[OrgFinding, ...]:
    first: dict[str, OrgFinding] = {}
    for org in orgs:
        first.setdefault(org.org_id, OrgFinding(org.org_id, org.name, org.kind, org.country, sentence_of(org.start)))
    return tuple(first.values())


def _first_place_findings(
    places: list[Span], kb: KnowledgeBase, dateline: Dateline | None, sentence_of: Callable[[int], int]
) -> tuple[PlaceFinding, ...]:
    first: dict[str, PlaceFinding] = {}
    for place in places:
        listed = kb.places.get(place.entity_id)
        if listed is not None:
            name, country = listed.name, listed.country
        else:  # only the dateline yields unlisted places
            name, country = dateline.place_name, dateline.country
        first.setdefault(place.entity_id, PlaceFinding(place.entity_id, name, country, sentence_of(place.start)))
    return tuple(first.values())
