"""The sidebar filters as a value, applied to every table the same way, and carried in the URL.

Meetings are the spine: a filter selects meetings, and every other table keeps
the rows linked to them, so a count on the Overview, a bar on the Timeline and a
row in a downloaded CSV always agree. Articles that report no kept meeting stay
only when they match the article-level facets themselves (published in the date
range, naming the country, organisation or person, signalling the topic) and no
meeting-only facet (kind, meeting) is set. Entity tables keep the rows still referred to,
so filtered tables keep the contract's references (no dangling ids in a CSV).

The linked selection (one meeting, topic and entity picked on the pages) can
filter too: each selected kind becomes a one-facet `Filters` applied after the
sidebar's, by the same `apply_filters`, so it only ever narrows the view and the
result keeps the same guarantees.

Nothing here imports streamlit: the URL round trip and the filtering are tested
as plain functions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

import pandas as pd

__all__ = [
    "ENTITY_FACETS",
    "Filters",
    "PARAMS",
    "apply_filters",
    "apply_selection",
    "from_query_params",
    "meeting_ids",
    "selection_filters",
    "to_query_params",
]

# Filter field → query-parameter name: short, readable names an analyst can edit in a link.
# Topics and meetings take the plural: the singular names carry the linked selection.
PARAMS = {
    "date_from": "from",
    "date_to": "to",
    "countries": "country",
    "organizations": "org",
    "people": "person",
    "topics": "topics",
    "meeting_kinds": "kind",
    "meetings": "meetings",
}
_LISTS = ("countries", "organizations", "people", "topics", "meeting_kinds", "meetings")

# Entity type of a linked selection ("<type>:<id>") → the facet it narrows. Only the network's
# node types: a place is never a node, so no page selects one, and other types are ignored.
ENTITY_FACETS = {"person": "people", "organization": "organizations", "country": "countries", "meeting": "meetings"}


def _canonical(values: Iterable[str] | str | None) -> tuple[str, ...]:
    """Sorted distinct non-empty strings, so two equal selections compare (and link) equal."""
    if values is None:
        return ()
    if isinstance(values, str):
        values = [values]
    return tuple(sorted({str(v) for v in values if v is not None and str(v) != ""}))


@dataclass(frozen=True)
class Filters:
    """What the analyst restricts to; empty tuples and None dates mean "no restriction"."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    countries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    meeting_kinds: tuple[str, ...] = ()
    meetings: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in _LISTS:
            object.__setattr__(self, name, _canonical(getattr(self, name)))

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))


def to_query_params(filters: Filters) -> dict[str, str | list[str]]:
    """Only the set facets, dates as ISO strings, lists as repeated parameters."""
    params: dict[str, str | list[str]] = {}
    for name, key in PARAMS.items():
        value = getattr(filters, name)
        if isinstance(value, dt.date):
            params[key] = value.isoformat()
        elif value:
            params[key] = list(value)
    return params


def _date(value: str | list[str] | None) -> dt.date | None:
    """The last ISO date given; a hand-edited link with a bad date loses that bound, not the page."""
    if isinstance(value, list):
        value = value[-1] if value else None
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def from_query_params(params: Mapping[str, str | list[str]]) -> Filters:
    """Filters from URL parameters; unknown parameters are ignored, single values accepted for lists."""
    values = {name: params.get(key) for name, key in PARAMS.items()}
    return Filters(
        date_from=_date(values["date_from"]),
        date_to=_date(values["date_to"]),
        **{name: _canonical(values[name]) for name in _LISTS},
    )


def _in(series: pd.Series, values: Iterable[str]) -> pd.Series:
    return series.isin(list(values)).fillna(False).astype(bool)


def meeting_ids(tables: dict[str, pd.DataFrame], filters: Filters) -> set[str]:
    """Meetings overlapping the date range that match every set facet (any value within a facet)."""
    meetings = tables["meetings"]
    participants = tables["participants"]
    keep = pd.Series(True, index=meetings.index)
    if filters.date_from is not None:
        keep &= (meetings["end_date"] >= filters.date_from.isoformat()).fillna(False).astype(bool)
    if filters.date_to is not None:
        keep &= (meetings["start_date"] <= filters.date_to.isoformat()).fillna(False).astype(bool)
    if filters.meetings:
        keep &= _in(meetings["meeting_id"], filters.meetings)
    if filters.meeting_kinds:
        keep &= _in(meetings["kind"], filters.meeting_kinds)
    if filters.countries:
        attended = participants.loc[_in(participants["country"], filters.countries), "meeting_id"]
        keep &= _in(meetings["country"], filters.countries) | _in(meetings["meeting_id"], attended)
    for facet, column in (("organizations", "org_id"), ("people", "person_id")):
        chosen = getattr(filters, facet)
        if chosen:
            keep &= _in(meetings["meeting_id"], participants.loc[_in(participants[column], chosen), "meeting_id"])
    if filters.topics:
        mentions = tables["topic_mentions"]
        keep &= _in(meetings["meeting_id"], mentions.loc[_in(mentions["topic_id"], filters.topics), "meeting_id"])
    return set(meetings.loc[keep, "meeting_id"])


def _matching_articles(tables: dict[str, pd.DataFrame], filters: Filters) -> set[str]:
    """Articles that match the article-level facets by themselves, without any meeting."""
    articles = tables["articles"]
    if filters.meeting_kinds or filters.meetings:
        return set()
    keep = pd.Series(True, index=articles.index)
    if filters.date_from is not None:
        keep &= (articles["published"] >= filters.date_from.isoformat()).fillna(False).astype(bool)
    if filters.date_to is not None:
        keep &= (articles["published"] <= filters.date_to.isoformat()).fillna(False).astype(bool)
    mentions = tables["mentions"]
    if filters.countries:
        places = tables["places"].loc[_in(tables["places"]["country"], filters.countries), "place_id"]
        named = (_in(mentions["entity_type"], ["country"]) & _in(mentions["entity_id"], filters.countries)) | (
            _in(mentions["entity_type"], ["place"]) & _in(mentions["entity_id"], places)
        )
        keep &= _in(articles["article_id"], mentions.loc[named, "article_id"])
    for facet, entity_type in (("organizations", "organization"), ("people", "person")):
        chosen = getattr(filters, facet)
        if chosen:
            named = _in(mentions["entity_type"], [entity_type]) & _in(mentions["entity_id"], chosen)
            keep &= _in(articles["article_id"], mentions.loc[named, "article_id"])
    if filters.topics:
        topic_mentions = tables["topic_mentions"]
        keep &= _in(articles["article_id"], topic_mentions.loc[_in(topic_mentions["topic_id"], filters.topics), "article_id"])
    return set(articles.loc[keep, "article_id"])


def _ids(*series: pd.Series) -> set[str]:
    return {v for s in series for v in s.dropna()}


def apply_filters(tables: dict[str, pd.DataFrame], filters: Filters) -> dict[str, pd.DataFrame]:
    """Every table restricted consistently; the input frames are never modified."""
    if not filters.active:
        return dict(tables)
    kept_meetings = meeting_ids(tables, filters)
    meeting_rows = {
        name: tables[name][_in(tables[name]["meeting_id"], kept_meetings)]
        for name in ("meetings", "meeting_sources", "participants")
    }
    topic_mentions = tables["topic_mentions"]
    linked = _ids(
        meeting_rows["meeting_sources"]["article_id"],
        meeting_rows["participants"]["article_id"],
        topic_mentions.loc[_in(topic_mentions["meeting_id"], kept_meetings), "article_id"],
    )
    kept_articles = linked | _matching_articles(tables, filters)
    by_article = {
        name: tables[name][_in(tables[name]["article_id"], kept_articles)]
        for name in ("articles", "stories", "pages", "sentences", "mentions", "roles")
    }
    topic_rows = topic_mentions[
        _in(topic_mentions["article_id"], kept_articles)
        & (topic_mentions["meeting_id"].isna() | _in(topic_mentions["meeting_id"], kept_meetings))
    ]
    topics = tables["topics"]
    if filters.topics:
        topic_rows = topic_rows[_in(topic_rows["topic_id"], filters.topics)]
        topics = topics[_in(topics["topic_id"], filters.topics)]
    mentions, roles, participants = by_article["mentions"], by_article["roles"], meeting_rows["participants"]

    def of(entity_type: str) -> pd.Series:
        return mentions.loc[mentions["entity_type"] == entity_type, "entity_id"]

    people = tables["people"][_in(tables["people"]["person_id"], _ids(of("person"), participants["person_id"], roles["person_id"]))]
    roles = roles[_in(roles["person_id"], people["person_id"])]
    organizations = tables["organizations"][
        _in(tables["organizations"]["org_id"], _ids(of("organization"), participants["org_id"], roles["org_id"], people["org_id"]))
    ]
    places = tables["places"][
        _in(tables["places"]["place_id"], _ids(of("place"), meeting_rows["meetings"]["place_id"], by_article["articles"]["dateline_place_id"]))
    ]
    all_countries = tables["countries"]
    countries = all_countries[
        all_countries["quad_member"].fillna(False).astype(bool)
        | _in(
            all_countries["country"],
            _ids(
                of("country"), participants["country"], roles["country"], meeting_rows["meetings"]["country"],
                people["country"], organizations["country"], places["country"],
            ),
        )
    ]
    out = {
        **meeting_rows,
        **by_article,
        "roles": roles,
        "topic_mentions": topic_rows,
        "topics": topics,
        "people": people,
        "organizations": organizations,
        "places": places,
        "countries": countries,
    }
    return {name: out[name].reset_index(drop=True) for name in tables}


def selection_filters(selection: Mapping[str, str | None]) -> dict[str, Filters]:
    """Each selected kind ("meeting", "topic", "entity") as the one facet it narrows to.

    Kinds with nothing selected, and entities of a type no facet covers, are left
    out, so the keys say which selections actually filter (for the pages' notice).
    """
    out: dict[str, Filters] = {}
    if selection.get("meeting"):
        out["meeting"] = Filters(meetings=(selection["meeting"],))
    if selection.get("topic"):
        out["topic"] = Filters(topics=(selection["topic"],))
    entity_type, _, entity_id = (selection.get("entity") or "").partition(":")
    if entity_type in ENTITY_FACETS and entity_id:
        out["entity"] = Filters(**{ENTITY_FACETS[entity_type]: (entity_id,)})
    return out


def apply_selection(tables: dict[str, pd.DataFrame], filters: Filters, selection: Mapping[str, str | None]) -> dict[str, pd.DataFrame]:
    """The sidebar filters, then each selected kind on what they kept.

    Applied one after the other rather than merged into one `Filters`: within a
    facet values widen (any of them), but a selection must narrow, so a topic
    selected outside the sidebar's topics matches nothing instead of adding to them.
    """
    out = apply_filters(tables, filters)
    for narrowing in selection_filters(selection).values():
        out = apply_filters(out, narrowing)
    return out
