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
sidebar's, as a further stage of the same query, so it only ever narrows the
view and the result keeps the same guarantees.

The filtering is SQL (`table_query`), run by DuckDB over the data version's
Parquet files (`dashboard.data`), so a filtered table is never a full copy in
the server's memory. Values chosen in the sidebar or pasted in a link are
always query parameters, never SQL text. Nothing here imports streamlit or
runs a query: the URL round trip and the SQL are plain functions, and the
tests compare the queried tables with a plain pandas reference.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields

__all__ = [
    "BY_ARTICLE",
    "ENTITY_CHOICES",
    "ENTITY_FACETS",
    "Filters",
    "MEETING_CHOICES",
    "PARAMS",
    "ROW",
    "from_query_params",
    "kept_statements",
    "offered_entities",
    "offered_meetings",
    "selection_filters",
    "stages",
    "table_query",
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

# The column each DuckDB view carries beside the table's own (`dashboard.data.connect`): the row's number in its
# file, so that every query returns rows in the table's order.
ROW = "file_row_number"
# The tables of an article's text (its pages, its sentences and what was found in them), the large ones: those
# `table_query` narrows to one article for the Sources reader.
BY_ARTICLE = ("pages", "sentences", "mentions", "topic_mentions")

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


def _dated(date_from: dt.date | None, date_to: dt.date | None, since: str, until: str, params: dict[str, object]) -> list[str]:
    """The SQL conditions (`since` with `$since`, `until` with `$until`) of the dates that are set, their values put in `params`."""
    within = []
    for day, condition, name in ((date_from, since, "since"), (date_to, until, "until")):
        if isinstance(day, dt.date):
            within.append(condition)
            params[name] = day.isoformat()
    return within


# The sidebar's Meetings list holds at most this many (the latest within the chosen dates) besides those chosen:
# at 10,000 articles the whole list was 5,800 meetings, 200 kB sent to the browser on every run of every page.
MEETING_CHOICES = 500


def offered_meetings(date_from: dt.date | None, date_to: dt.date | None, chosen: Iterable[str]) -> tuple[str, dict[str, object]]:
    """SQL (for `table_access.sql`, over the unfiltered meetings) and its parameters: the meetings the sidebar lists, in
    the list's order (first day, undated last, then name), with what their labels need. The last `MEETING_CHOICES`
    that the dates keep (by the date filter's own rule: ending on or after `date_from`, starting on or before
    `date_to`), and every chosen one the data has: asked on each run, so that no process keeps every meeting's label
    (58,742 at 100,000 articles)."""
    params = {"chosen": list(_canonical(chosen)), "choices": MEETING_CHOICES}
    within = _dated(date_from, date_to, "end_date >= $since", "start_date <= $until", params)
    return (
        "WITH listed AS (SELECT meeting_id, name, start_date, end_date, date_precision, "
        "row_number() OVER (ORDER BY start_date NULLS LAST, name, meeting_id) AS position FROM {meetings}) "
        "SELECT meeting_id, name, start_date, end_date, date_precision FROM listed WHERE position IN "
        f"(SELECT position FROM listed WHERE {' AND '.join(within) or 'TRUE'} ORDER BY position DESC LIMIT $choices) "
        "OR list_contains($chosen, meeting_id) ORDER BY position"
    ), params


# The sidebar's People and Organisations lists hold at most this many each (the most mentioned within the chosen dates)
# besides those chosen: a real corpus names thousands of officials, each a label sent on every run of every page.
ENTITY_CHOICES = 500
# Facet listed by `offered_entities` → its table, id column and the mentions' entity type.
_LISTED = {"people": ("people", "person_id", "person"), "organizations": ("organizations", "org_id", "organization")}


def offered_entities(facet: str, date_from: dt.date | None, date_to: dt.date | None, chosen: Iterable[str],
                     choices: int) -> tuple[str, dict[str, object]]:
    """SQL (for `table_access.sql`: over the unfiltered tables for the sidebar, over the filtered ones for the People
    page's officials, `person.officials`) and its parameters: the people or organisations (`facet`) the sidebar lists,
    id and name in name order (ties in table order), and how many the table holds (`listed`, for its caption). The
    `choices` (`ENTITY_CHOICES` on the sidebar) most mentioned in the articles the dates keep (by the date filter's
    rule for articles: published on or after `date_from`, on or before `date_to`), ties by name then table order, and
    every chosen one the data has."""
    table, id_column, entity_type = _LISTED[facet]
    params = {"chosen": list(_canonical(chosen)), "choices": choices, "type": entity_type}
    within = _dated(date_from, date_to, "published >= $since", "published <= $until", params)
    articles = f" AND article_id IN (SELECT article_id FROM {{articles}} WHERE {' AND '.join(within)})" if within else ""
    return (
        f"WITH counted AS (SELECT entity_id, count(*) AS mentioned FROM {{mentions}} WHERE entity_type = $type{articles} GROUP BY entity_id), "
        f"listed AS (SELECT {id_column} AS id, name, {ROW} AS position, coalesce(mentioned, 0) AS mentioned "
        f"FROM {{{table}}} LEFT JOIN counted ON entity_id = {id_column}) "
        "SELECT id, name, (SELECT count(*) FROM listed) AS listed FROM listed WHERE id IN "
        "(SELECT id FROM listed ORDER BY mentioned DESC, name, position LIMIT $choices) OR list_contains($chosen, id) "
        "ORDER BY name, position"
    ), params


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


def stages(filters: Filters, selection: Mapping[str, str | None]) -> tuple[Filters, ...]:
    """The sidebar filters, then each selected kind: the `Filters` applied one after the other (inactive ones left out).

    Applied one after the other rather than merged into one `Filters`: within a
    facet values widen (any of them), but a selection must narrow, so a topic
    selected outside the sidebar's topics matches nothing instead of adding to them.
    """
    return tuple(f for f in (filters, *selection_filters(selection).values()) if f.active)


def _subquery(column: str, source: str) -> str:
    return f"{column} IN (SELECT {column} FROM {source})"


def _stage(number: int, filters: Filters, params: dict[str, object]) -> list[tuple[str, str]]:
    """The kept rows of one stage as (name, query): its meetings `m<n>`, articles `a<n>` and topic mentions `tm<n>`,
    each narrowing the previous stage's (stage 0 is the whole tables). Values go into `params`, named for the stage."""
    previous = number - 1

    def param(name: str, value: object) -> str:
        params[f"s{number}_{name}"] = list(value) if isinstance(value, tuple) else value
        return f"$s{number}_{name}"

    topic_rows = f"tm{previous}" if previous else "topic_mentions"
    meeting = [_subquery("meeting_id", f"m{previous}")] if previous else []
    article = [_subquery("article_id", f"a{previous}")] if previous else []
    if filters.date_from is not None:
        day = param("since", filters.date_from.isoformat())
        meeting.append(f"end_date >= {day}")
        article.append(f"published >= {day}")
    if filters.date_to is not None:
        day = param("until", filters.date_to.isoformat())
        meeting.append(f"start_date <= {day}")
        article.append(f"published <= {day}")
    if filters.meetings:
        meeting.append(f"list_contains({param('meetings', filters.meetings)}, meeting_id)")
    if filters.meeting_kinds:
        meeting.append(f"list_contains({param('kinds', filters.meeting_kinds)}, kind)")
    if filters.countries:
        chosen = param("countries", filters.countries)
        meeting.append(f"(list_contains({chosen}, country) OR meeting_id IN "
                       f"(SELECT meeting_id FROM participants WHERE list_contains({chosen}, country)))")
        article.append(
            f"article_id IN (SELECT article_id FROM mentions WHERE (entity_type = 'country' AND list_contains({chosen}, entity_id))"
            f" OR (entity_type = 'place' AND entity_id IN (SELECT place_id FROM places WHERE list_contains({chosen}, country))))"
        )
    for facet, column, entity_type in (("organizations", "org_id", "organization"), ("people", "person_id", "person")):
        chosen_values = getattr(filters, facet)
        if chosen_values:
            chosen = param(facet, chosen_values)
            meeting.append(f"meeting_id IN (SELECT meeting_id FROM participants WHERE list_contains({chosen}, {column}))")
            article.append(f"article_id IN (SELECT article_id FROM mentions WHERE entity_type = '{entity_type}' "
                           f"AND list_contains({chosen}, entity_id))")
    topic = []
    if filters.topics:
        chosen = param("topics", filters.topics)
        meeting.append(f"meeting_id IN (SELECT meeting_id FROM {topic_rows} WHERE list_contains({chosen}, topic_id))")
        article.append(f"article_id IN (SELECT article_id FROM {topic_rows} WHERE list_contains({chosen}, topic_id))")
        topic.append(f"list_contains({chosen}, topic_id)")
    kept = f"m{number}"
    linked = [f"SELECT article_id FROM {source} WHERE {_subquery('meeting_id', kept)}"
              for source in ("meeting_sources", "participants", topic_rows)]
    if not (filters.meeting_kinds or filters.meetings):  # otherwise only articles that report a kept meeting
        linked.append(f"SELECT article_id FROM articles WHERE {' AND '.join(article) or 'TRUE'}")
    within = f" AND {_subquery('article_id', f'a{previous}')}" if previous else ""
    return [
        (kept, f"SELECT meeting_id FROM meetings WHERE {' AND '.join(meeting) or 'TRUE'}"),
        (f"a{number}", f"SELECT article_id FROM ({' UNION '.join(linked)}) WHERE article_id IS NOT NULL{within}"),
        (f"tm{number}", f"SELECT * FROM {topic_rows} WHERE {_subquery('article_id', f'a{number}')} "
                        f"AND (meeting_id IS NULL OR {_subquery('meeting_id', kept)}){''.join(' AND ' + t for t in topic)}"),
    ]


def kept_statements(stages: tuple[Filters, ...]) -> list[tuple[str, dict[str, object]]]:
    """Statements (SQL, parameters) that keep each stage's meetings, articles and topic mentions in temporary tables,
    and name the last stage's `m`, `a` and `tm` for `table_query`. Run once per set of filters on one connection:
    every table then reads these few ids instead of planning the whole chain again."""
    statements: list[tuple[str, dict[str, object]]] = []
    for number, filters in enumerate(stages, start=1):
        params: dict[str, object] = {}
        for name, select in _stage(number, filters, params):
            used = set(re.findall(r"\$(\w+)", select))
            statements.append((f"CREATE TEMP TABLE {name} AS {select}", {k: v for k, v in params.items() if k in used}))
    last = len(stages)
    statements += [(f"CREATE TEMP VIEW {name} AS SELECT * FROM {name}{last}", {}) for name in ("m", "a", "tm")]
    return statements


# Each table's rows once the stages have run, from the last stage's meetings (m), articles (a) and topic
# mentions (tm), and the entities the kept rows still refer to (so a filtered table has no dangling id).
_KEPT = {
    "meetings": "SELECT * FROM meetings WHERE meeting_id IN (SELECT meeting_id FROM m)",
    "meeting_sources": "SELECT * FROM meeting_sources WHERE meeting_id IN (SELECT meeting_id FROM m)",
    "participants": "SELECT * FROM participants WHERE meeting_id IN (SELECT meeting_id FROM m)",
    **{name: f"SELECT * FROM {name} WHERE article_id IN (SELECT article_id FROM a)"
       for name in ("articles", "stories", "pages", "sentences", "mentions")},
    "topic_mentions": "SELECT * FROM tm",
    "topics": "SELECT * FROM topics",  # narrowed below when a stage chose topics
    "people": "SELECT * FROM people WHERE person_id IN (SELECT entity_id FROM kept_mentions WHERE entity_type = 'person' "
              "UNION SELECT person_id FROM kept_participants UNION SELECT person_id FROM kept_roles)",
    "roles": "SELECT * FROM kept_roles WHERE person_id IN (SELECT person_id FROM kept_people)",
    "organizations": "SELECT * FROM organizations WHERE org_id IN (SELECT entity_id FROM kept_mentions WHERE entity_type = 'organization' "
                     "UNION SELECT org_id FROM kept_participants UNION SELECT org_id FROM final_roles "
                     "UNION SELECT org_id FROM kept_people)",
    "places": "SELECT * FROM places WHERE place_id IN (SELECT entity_id FROM kept_mentions WHERE entity_type = 'place' "
              "UNION SELECT place_id FROM kept_meetings UNION SELECT dateline_place_id FROM kept_articles)",
    "countries": "SELECT * FROM countries WHERE coalesce(quad_member, false) OR country IN ("
                 "SELECT entity_id FROM kept_mentions WHERE entity_type = 'country' UNION SELECT country FROM kept_participants "
                 "UNION SELECT country FROM final_roles UNION SELECT country FROM kept_meetings UNION SELECT country FROM kept_people "
                 "UNION SELECT country FROM kept_organizations UNION SELECT country FROM kept_places)",
}
_HELPERS = {  # helper CTE -> the table it is, in the order they refer to each other
    "kept_mentions": "mentions", "kept_participants": "participants", "kept_meetings": "meetings", "kept_articles": "articles",
    "kept_roles": None, "kept_people": "people", "final_roles": "roles", "kept_organizations": "organizations",
    "kept_places": "places",
}


def table_query(name: str, stages: tuple[Filters, ...], article_id: str | None = None) -> tuple[str, dict[str, object]]:
    """SQL and parameters for one table with the stages applied (no stage: the whole table; with stages, on the
    connection that ran `kept_statements(stages)`), in the table's own order (`ROW`), and, with `article_id`, only
    that article's rows of the `BY_ARTICLE` tables. The result has the table's columns and `ROW`."""
    params: dict[str, object] = {}
    ctes: list[str] = []
    body = f"SELECT * FROM {name}"
    if stages:
        ctes += ["kept_roles AS (SELECT * FROM roles WHERE article_id IN (SELECT article_id FROM a))"]
        ctes += [f"{helper} AS ({_KEPT[table]})" for helper, table in _HELPERS.items() if table]
        body = _KEPT[name]
        chosen = {f"topics{number}": list(f.topics) for number, f in enumerate(stages, start=1) if f.topics}
        if name == "topics" and chosen:  # every stage's topics: a selected topic narrows the sidebar's
            params |= chosen
            body = f"SELECT * FROM topics WHERE {' AND '.join(f'list_contains(${p}, topic_id)' for p in chosen)}"
    if article_id is not None and name in BY_ARTICLE:
        params["article_id"] = article_id
        body = f"SELECT * FROM ({body}) WHERE article_id = $article_id"
    return f"{'WITH ' + ', '.join(ctes) + ' ' if ctes else ''}SELECT * FROM ({body}) ORDER BY {ROW}", params


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
