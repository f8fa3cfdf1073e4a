"""The dashboard's filtering as plain pandas: the reference the DuckDB queries are compared with.

This was the dashboard's own filtering before it moved to SQL (`dashboard.filters.table_query`);
it is kept here, unchanged, as the simple statement of what every filter keeps, and
`tests/test_dashboard_filters.py` checks that the queried tables equal it on the
hand-built fixture, the seed and a generated corpus.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from dashboard.filters import Filters, selection_filters


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
