"""The knowledge base: countries, places, organisations and topics the rules match against.

It ships as TOML files in `data_pipeline/data/` that an analyst can read, and can
be extended without editing the package by passing their own TOML file(s) with
the same sections (`--kb FILE`). Entries of a later file replace entries with the
same id and add to the aliases of a country. No person is ever listed here:
people are found in the text.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Iterable

import pycountry

QUAD_MEMBERS = ("AUS", "IND", "JPN", "USA")
ORG_KINDS = ("government body", "forum", "company", "other")
PACKAGED_FILES = ("countries.toml", "places.toml", "organizations.toml", "topics.toml", "posts.toml")


class KnowledgeBaseError(ValueError):
    """A knowledge-base file that cannot be used; the message names the file."""


@dataclass(frozen=True)
class CountryEntry:
    alpha3: str
    name: str
    quad_member: bool
    aliases: tuple[str, ...] = ()  # other names and short forms: "US", "U.S.", "America"
    demonyms: tuple[str, ...] = ()  # "American"


@dataclass(frozen=True)
class PlaceEntry:
    place_id: str
    name: str
    country: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrgEntry:
    org_id: str
    name: str
    kind: str
    country: str | None
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()  # alpha-3 codes of a forum's member countries ("the members met")
    seat: str | None = None  # place id of the city a body's building stands in, when it is a venue ("at the White House")


@dataclass(frozen=True)
class TopicEntry:
    topic_id: str
    label: str
    description: str
    phrases: tuple[str, ...]
    nist_csf_function: str
    quad_area: str


@dataclass(frozen=True)
class PostEntry:
    title: str  # as written, e.g. "External Affairs Minister"
    country: str  # the one country that has a post of this name
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, eq=False)  # compared by identity, so compiled rules can be cached per KB
class KnowledgeBase:
    countries: dict[str, CountryEntry]
    places: dict[str, PlaceEntry]
    organizations: dict[str, OrgEntry]
    topics: dict[str, TopicEntry]
    sources: tuple[str, ...]  # the files it was loaded from, for the manifest
    posts: dict[str, PostEntry] = field(default_factory=dict)  # by casefolded title and alias

    def post_country(self, title: str | None) -> str | None:
        """The country a post belongs to when only one country has a post of that name ("External Affairs Minister")."""
        entry = self.posts.get(" ".join(title.split()).casefold()) if title else None
        return entry.country if entry else None


def _iso_countries() -> dict[str, CountryEntry]:
    countries = {}
    for record in pycountry.countries:
        name = getattr(record, "common_name", None) or record.name
        aliases = {record.name, getattr(record, "official_name", record.name)} - {name}
        countries[record.alpha_3] = CountryEntry(
            alpha3=record.alpha_3,
            name=name,
            quad_member=record.alpha_3 in QUAD_MEMBERS,
            aliases=tuple(sorted(aliases)),
        )
    return countries


def _strings(value, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeBaseError(f"{where}: expected a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _required(entry: dict, key: str, where: str) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        raise KnowledgeBaseError(f"{where}: '{key}' is missing or not a non-empty string")
    return value.strip()


def _country_code(value, countries: dict[str, CountryEntry], where: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or value.upper() not in countries:
        raise KnowledgeBaseError(f"{where}: country {value!r} is not an ISO 3166-1 alpha-3 code")
    return value.upper()


def _read_toml(path: Path | str, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise KnowledgeBaseError(f"{path}: not valid TOML: {error}") from error


def _merge(kb: KnowledgeBase, data: dict, path: str) -> KnowledgeBase:
    countries = dict(kb.countries)
    for i, entry in enumerate(data.get("countries", [])):
        where = f"{path}: countries[{i}]"
        code = _country_code(_required(entry, "alpha3", where), countries, where)
        current = countries[code]
        countries[code] = replace(
            current,
            name=entry.get("name", current.name),
            aliases=tuple(dict.fromkeys(current.aliases + _strings(entry.get("aliases"), where))),
            demonyms=tuple(dict.fromkeys(current.demonyms + _strings(entry.get("demonyms"), where))),
        )
    places = dict(kb.places)
    for i, entry in enumerate(data.get("places", [])):
        where = f"{path}: places[{i}]"
        place = PlaceEntry(
            place_id=_required(entry, "id", where),
            name=_required(entry, "name", where),
            country=_country_code(_required(entry, "country", where), countries, where),
            aliases=_strings(entry.get("aliases"), where),
        )
        places[place.place_id] = place
    organizations = dict(kb.organizations)
    for i, entry in enumerate(data.get("organizations", [])):
        where = f"{path}: organizations[{i}]"
        kind = _required(entry, "kind", where)
        if kind not in ORG_KINDS:
            raise KnowledgeBaseError(f"{where}: kind {kind!r} is not one of {', '.join(ORG_KINDS)}")
        org = OrgEntry(
            org_id=_required(entry, "id", where),
            name=_required(entry, "name", where),
            kind=kind,
            country=_country_code(entry.get("country"), countries, where),
            aliases=_strings(entry.get("aliases"), where),
            members=tuple(_country_code(c, countries, where) for c in _strings(entry.get("members"), where)),
            seat=entry.get("seat") or None,
        )
        if org.seat is not None and org.seat not in places:
            raise KnowledgeBaseError(f"{where}: seat {org.seat!r} is not the id of a place")
        organizations[org.org_id] = org
    topics = dict(kb.topics)
    for i, entry in enumerate(data.get("topics", [])):
        where = f"{path}: topics[{i}]"
        phrases = _strings(entry.get("phrases"), where)
        if not phrases:
            raise KnowledgeBaseError(f"{where}: a topic needs at least one phrase")
        for phrase in phrases:
            try:
                re.compile(phrase)
            except re.error as error:
                raise KnowledgeBaseError(f"{where}: phrase {phrase!r} is not a valid regular expression: {error}") from error
        topic = TopicEntry(
            topic_id=_required(entry, "id", where),
            label=_required(entry, "label", where),
            description=_required(entry, "description", where),
            phrases=phrases,
            nist_csf_function=_required(entry, "nist_csf_function", where),
            quad_area=_required(entry, "quad_area", where),
        )
        topics[topic.topic_id] = topic
    posts = dict(kb.posts)
    for i, entry in enumerate(data.get("posts", [])):
        where = f"{path}: posts[{i}]"
        post = PostEntry(
            title=_required(entry, "title", where),
            country=_country_code(_required(entry, "country", where), countries, where),
            aliases=_strings(entry.get("aliases"), where),
        )
        for name in (post.title, *post.aliases):
            posts[" ".join(name.split()).casefold()] = post
    unknown = set(data) - {"countries", "places", "organizations", "topics", "posts"}
    if unknown:
        raise KnowledgeBaseError(f"{path}: unknown section(s) {', '.join(sorted(unknown))}")
    return KnowledgeBase(countries, places, organizations, topics, kb.sources + (path,), posts)


def load_kb(extra: Iterable[Path | str] = ()) -> KnowledgeBase:
    """The packaged knowledge base, extended by the analyst's own files in order."""
    kb = KnowledgeBase(_iso_countries(), {}, {}, {}, (), {})
    package = resources.files("data_pipeline") / "data"
    for name in PACKAGED_FILES:
        resource = package / name
        kb = _merge(kb, _read_toml(f"data_pipeline/data/{name}", resource.read_text("utf-8")), f"data_pipeline/data/{name}")
    for path in extra:
        path = Path(path)
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise KnowledgeBaseError(f"{path}: cannot read knowledge-base file: {error}") from error
        kb = _merge(kb, _read_toml(path, text), str(path))
    return kb
