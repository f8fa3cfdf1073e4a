"""Meetings on a time axis, honest about how precisely each date is known, and one meeting's detail.

A meeting known only to the year is drawn as the whole year, hatched and pale,
and labelled "2022 (year only)": drawing it as a day would invent a date the
sources never gave. Every bar carries the meeting id in `customdata[0]`, so a
click on the chart selects the meeting. Nothing here imports streamlit.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import plotly.graph_objects as go

from dashboard import colors

__all__ = [
    "GROUP_BY",
    "date_label",
    "meeting_frame",
    "timeline_figure",
    "meeting_from_selection",
    "title_at",
    "participants_detail",
    "topics_detail",
    "evidence_detail",
]

GROUP_BY = {"country": "Host country", "kind": "Meeting kind"}
TEXT_COLOR = "#1B1F24"  # bar labels stay dark: white text on a pale hatched bar is unreadable
_APPROXIMATE = {"month": "month only", "year": "year only"}
_NO_COUNTRY = "Unknown host"


def date_label(start: str | None, end: str | None, precision: str | None) -> str:
    """How an analyst should read the dates: "2022 (year only)", "May 2024 (month only)", "2024-05-01 – 2024-05-02"."""
    if start is None or pd.isna(start) or not start:  # NA from a nullable column, too
        return "date unknown"
    end = None if end is None or pd.isna(end) else end
    precision = None if precision is None or pd.isna(precision) else precision
    if precision == "year":
        years = start[:4] if not end or end[:4] == start[:4] else f"{start[:4]}–{end[:4]}"
        return f"{years} (year only)"
    if precision == "month":
        first = dt.date.fromisoformat(start).strftime("%B %Y")
        last = dt.date.fromisoformat(end).strftime("%B %Y") if end else first
        return f"{first if first == last else f'{first} – {last}'} (month only)"
    return start if not end or end == start else f"{start} – {end}"


def _joined(frame: pd.DataFrame, key: str, value: str) -> pd.Series:
    """Distinct values per key, in order of first appearance, joined for a hover line."""
    return frame.dropna(subset=[value]).groupby(key, sort=False)[value].agg(lambda v: ", ".join(dict.fromkeys(v)))


def meeting_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per meeting with what the chart and its hover need; meetings without a start date are kept with NaT."""
    meetings = tables["meetings"]
    country_names = dict(zip(tables["countries"]["country"], tables["countries"]["name"]))
    place_names = dict(zip(tables["places"]["place_id"], tables["places"]["name"]))
    participants = tables["participants"].merge(tables["people"][["person_id", "name"]], on="person_id", how="left")
    participants["who"] = participants["name"].fillna(participants["country"].map(country_names)).fillna(participants["country"])
    topics = tables["topic_mentions"].merge(tables["topics"][["topic_id", "label"]], on="topic_id")
    frame = pd.DataFrame(
        {
            "meeting_id": meetings["meeting_id"].astype(str),
            "name": meetings["name"].astype(str),
            "kind": meetings["kind"].astype(str),
            "country": meetings["country"],
            "country_name": meetings["country"].map(country_names).fillna(meetings["country"]).fillna(_NO_COUNTRY),
            "place": meetings["city"].fillna(meetings["place_id"].map(place_names)).fillna("place unknown"),
            "precision": meetings["date_precision"].fillna("day"),
            "start": pd.to_datetime(meetings["start_date"], errors="coerce"),
            # Bars end after the last day, so a one-day meeting still has a width of one day.
            "finish": pd.to_datetime(meetings["end_date"].fillna(meetings["start_date"]), errors="coerce") + pd.Timedelta(days=1),
            "dates": [date_label(s, e, p) for s, e, p in zip(meetings["start_date"].astype(object), meetings["end_date"].astype(object), meetings["date_precision"].astype(object))],
            "n_sources": meetings["n_sources"],
        }
    )
    # a meeting every report announced, not yet held, says so wherever its dates are shown
    frame["dates"] = frame["dates"].astype(str).where(meetings["status"].ne("planned").to_numpy(), frame["dates"].astype(str) + " · planned")
    frame["participants"] = frame["meeting_id"].map(_joined(participants, "meeting_id", "who")).fillna("none named")
    frame["topics"] = frame["meeting_id"].map(_joined(topics, "meeting_id", "label")).fillna("none found")
    frame["approximate"] = frame["precision"].isin(list(_APPROXIMATE))
    return frame.sort_values(["start", "meeting_id"], na_position="last").reset_index(drop=True)


_HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>Dates: %{customdata[3]}<br>"
    "Participants: %{customdata[4]}<br>Topics: %{customdata[5]}<br>Sources: %{customdata[6]}<extra></extra>"
)
_CUSTOM = ["meeting_id", "name", "place", "dates", "participants", "topics", "n_sources"]


def timeline_figure(frame: pd.DataFrame, group_by: str = "country") -> go.Figure:
    """Bars from first to last day, one row per group, coloured by host country; approximate dates hatched."""
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {list(GROUP_BY)}")
    dated = frame.dropna(subset=["start"]).copy()
    axis = "country_name" if group_by == "country" else "kind"
    dated["row"] = row_labels(dated)
    # One row per meeting, under its group: close meetings never share a row, so labels never collide.
    order = dated.sort_values([axis, "start", "meeting_id"], ascending=[False, False, False])
    figure = go.Figure()
    for (country, approximate), rows in dated.groupby([dated["country"].fillna(""), "approximate"], sort=True):
        name = rows["country_name"].iloc[0]
        figure.add_trace(
            go.Bar(
                name=f"{name} ({'date approximate' if approximate else 'exact dates'})",
                legendgroup=name,
                orientation="h",
                base=rows["start"],
                x=(rows["finish"] - rows["start"]).dt.total_seconds() * 1000,
                y=[rows[axis].tolist(), rows["row"].tolist()],
                customdata=rows[_CUSTOM].astype(object).values,
                hovertemplate=_HOVER,
                text=rows["dates"],
                textposition="auto",
                textangle=0,
                insidetextanchor="middle",
                textfont=dict(color=TEXT_COLOR),
                cliponaxis=False,
                marker=dict(
                    color=colors.country_color(country or None),
                    opacity=0.35 if approximate else 1.0,
                    pattern=dict(shape="/" if approximate else "", solidity=0.3),
                    line=dict(color=colors.country_color(country or None), width=1 if approximate else 3),
                ),
            )
        )
    figure.update_layout(
        barmode="overlay",
        xaxis=dict(type="date", title="Date (hatched bars: only the month or year is known)", range=_padded_range(dated)),
        yaxis=dict(title=GROUP_BY[group_by], type="multicategory", categoryorder="array",
                   categoryarray=[order[axis].tolist(), order["row"].tolist()]),
        # Above the plot: below it, the legend collided with the date axis title on short charts.
        legend=dict(title="Host country", orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        height=max(320, 34 * len(dated) + 200),
        margin=dict(l=10, r=10, t=60, b=10),
        clickmode="event+select",
    )
    return figure


def row_labels(frame: pd.DataFrame, width: int = 42) -> pd.Series:
    """A short label per meeting row: its name and place, with the meeting id where two would read the same."""
    names = frame["name"].where(frame["name"].str.len() <= width, frame["name"].str.slice(0, width - 1) + "…")
    labels = names + " · " + frame["place"]
    clash = labels.duplicated(keep=False)
    return labels.where(~clash, labels + " (" + frame["meeting_id"] + ")")


def _padded_range(dated: pd.DataFrame) -> list[pd.Timestamp] | None:
    """The dates shown, with room on the right for the label of a short last meeting."""
    if dated.empty:
        return None
    first, last = dated["start"].min(), dated["finish"].max()
    room = max(pd.Timedelta(days=60), (last - first) * 0.5)  # a laptop leaves the plot ~400 px beside the labels
    return [first - room / 4, last + room]


def meeting_from_selection(selection: dict | None) -> str | None:
    """The meeting id of the first selected bar in a plotly selection event, if any."""
    points = (selection or {}).get("points") or []
    for point in points:
        custom = point.get("customdata")
        if custom:
            return str(custom[0])
    return None


def title_at(roles: pd.DataFrame, person_id: str, start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """The person's title reported nearest to the meeting's dates, and the date it was reported (as_of).

    Titles change; the role reported closest in time to the meeting is the best
    evidence of the post held then. Ties go to the later report.
    """
    held = roles[(roles["person_id"] == person_id) & roles["title"].notna()]
    if held.empty:
        return None, None
    if not start:
        latest = held.sort_values("as_of", na_position="first").iloc[-1]
        return latest["title"], latest["as_of"] if pd.notna(latest["as_of"]) else None
    first, last = pd.Timestamp(start), pd.Timestamp(end or start)
    as_of = pd.to_datetime(held["as_of"], errors="coerce")
    distance = ((first - as_of).clip(lower=pd.Timedelta(0)) + (as_of - last).clip(lower=pd.Timedelta(0))).fillna(pd.Timedelta.max)
    ranked = held.assign(_distance=distance.values, _as_of=as_of.values).sort_values(["_distance", "_as_of"], ascending=[True, False])
    best = ranked.iloc[0]
    return best["title"], best["as_of"] if pd.notna(best["as_of"]) else None


def _sentence_text(tables: dict[str, pd.DataFrame], frame: pd.DataFrame) -> pd.DataFrame:
    return frame.merge(tables["sentences"][["article_id", "sentence_id", "text"]], on=["article_id", "sentence_id"], how="left").merge(
        tables["articles"][["article_id", "title", "published"]], on="article_id", how="left"
    )


def participants_detail(tables: dict[str, pd.DataFrame], meeting_id: str) -> pd.DataFrame:
    """Who took part, with the title they held at the time, the body and country, and the evidence sentence.

    A country appears on its own only when no named person represents it: one
    report may name only the countries of a meeting that another reports by name.
    """
    meeting = tables["meetings"].set_index("meeting_id").loc[meeting_id]
    rows = tables["participants"][tables["participants"]["meeting_id"] == meeting_id]
    represented = set(rows.dropna(subset=["person_id"])["country"].dropna())
    rows = rows[rows["person_id"].notna() | ~rows["country"].isin(represented)]
    people = tables["people"].set_index("person_id")
    orgs = dict(zip(tables["organizations"]["org_id"], tables["organizations"]["name"]))
    countries = dict(zip(tables["countries"]["country"], tables["countries"]["name"]))
    records = []
    for row in rows.itertuples(index=False):
        person = people.loc[row.person_id] if pd.notna(row.person_id) and row.person_id in people.index else None
        title, as_of = title_at(tables["roles"], row.person_id, meeting["start_date"], meeting["end_date"]) if person is not None else (None, None)
        records.append(
            dict(
                participant=person["name"] if person is not None else f"{countries.get(row.country, row.country or 'Unknown')} (no person named)",
                title_at_the_time=title,
                title_reported_on=as_of,
                organization=orgs.get(row.org_id) if pd.notna(row.org_id) else None,
                country=countries.get(row.country, row.country) if pd.notna(row.country) else None,
                article_id=row.article_id,
                sentence_id=int(row.sentence_id),
            )
        )
    frame = pd.DataFrame(records, columns=["participant", "title_at_the_time", "title_reported_on", "organization", "country", "article_id", "sentence_id"])
    return _sentence_text(tables, frame).rename(columns={"text": "evidence"})


def topics_detail(tables: dict[str, pd.DataFrame], meeting_id: str) -> pd.DataFrame:
    """Topics signalled in sentences about the meeting, with the matched phrase and the sentence."""
    rows = tables["topic_mentions"][tables["topic_mentions"]["meeting_id"] == meeting_id]
    frame = rows.merge(tables["topics"][["topic_id", "label"]], on="topic_id")[["label", "matched", "article_id", "sentence_id"]]
    return _sentence_text(tables, frame).rename(columns={"label": "topic", "text": "evidence"})


def evidence_detail(tables: dict[str, pd.DataFrame], meeting_id: str) -> pd.DataFrame:
    """The sentences that report the meeting, with their article's title and date."""
    rows = tables["meeting_sources"][tables["meeting_sources"]["meeting_id"] == meeting_id][["article_id", "sentence_id"]]
    return _sentence_text(tables, rows).sort_values(["published", "article_id", "sentence_id"]).reset_index(drop=True)
