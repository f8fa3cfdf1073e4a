"""Meetings on a time axis, honest about how precisely each date is known, and one meeting's detail.

A meeting known only to the year is drawn as the whole year, hatched and pale,
and labelled "2022 (year only)": drawing it as a day would invent a date the
sources never gave. Every bar carries the meeting id in `customdata[0]`, so a
click on the chart selects the meeting. Nothing here imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd
import plotly.graph_objects as go

from dashboard import colors, table_access
from dashboard.filters import ROW

__all__ = [
    "GROUP_BY",
    "date_label",
    "meeting_frame",
    "meeting_facts",
    "timeline_figure",
    "AGGREGATE_ABOVE",
    "short_labels",
    "lanes",
    "month_counts",
    "year_only",
    "aggregate_figure",
    "month_from_selection",
    "in_month",
    "meeting_from_selection",
    "title_at",
    "titles_at",
    "titles_of",
    "participants_detail",
    "attendees",
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


# Per meeting, its distinct participants (an official's name, else the country's) and topics, each in order of first
# appearance in its table (`filters.ROW`), joined for a hover line: asked of DuckDB (`table_access.sql`), since at
# 100,000 articles they come from 368,000 participant rows and 1.2 million topic mentions.
_JOINED = ("SELECT meeting_id, string_agg(value, ', ' ORDER BY first) AS joined FROM ({pairs}) "
           "WHERE meeting_id IS NOT NULL AND value IS NOT NULL GROUP BY meeting_id")
_WHO = _JOINED.format(pairs=(
    f"SELECT p.meeting_id, coalesce(pe.name, c.name, p.country) AS value, min(p.{ROW}) AS first FROM {{participants}} p "
    "LEFT JOIN {people} pe ON pe.person_id = p.person_id LEFT JOIN {countries} c ON c.country = p.country GROUP BY 1, 2"))
_TOPICS = _JOINED.format(pairs=(
    f"SELECT tm.meeting_id, t.label AS value, min(tm.{ROW}) AS first FROM {{topic_mentions}} tm "
    "JOIN {topics} t ON t.topic_id = tm.topic_id GROUP BY 1, 2"))


def _joined(tables: dict[str, pd.DataFrame], query: str) -> pd.Series:
    """Meeting id → the joined values `query` (`_WHO`, `_TOPICS`) gives it."""
    found = table_access.sql(tables, query)
    return pd.Series(found["joined"].to_numpy(), index=found["meeting_id"].astype(str).to_numpy(), dtype="string")


def meeting_frame(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per meeting with what the chart and its hover need; meetings without a start date are kept with NaT."""
    frame = meeting_facts(tables, tables["meetings"])
    frame["participants"] = frame["meeting_id"].map(_joined(tables, _WHO)).fillna("none named")
    frame["topics"] = frame["meeting_id"].map(_joined(tables, _TOPICS)).fillna("none found")
    frame["approximate"] = frame["precision"].isin(list(_APPROXIMATE))
    return frame.sort_values(["start", "meeting_id"], na_position="last").reset_index(drop=True)


def meeting_facts(tables: dict[str, pd.DataFrame], meetings: pd.DataFrame) -> pd.DataFrame:
    """One row per row of `meetings` (some rows of the meetings table), in its order, with its names, place and dates
    as `meeting_frame` shows them, but not who took part or the topics (which read other tables)."""
    country_names = dict(zip(tables["countries"]["country"], tables["countries"]["name"]))
    place_names = dict(zip(tables["places"]["place_id"], tables["places"]["name"]))
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
    return frame


_HOVER = (
    "<b>%{customdata[1]}</b><br>%{customdata[2]}<br>Dates: %{customdata[3]}<br>"
    "Participants: %{customdata[4]}<br>Topics: %{customdata[5]}<br>Sources: %{customdata[6]}<extra></extra>"
)
_CUSTOM = ["meeting_id", "name", "place", "dates", "participants", "topics", "n_sources"]
# Above this many meetings the page shows meetings per month and drills down to one month: thousands of bars
# take the browser seconds to draw and no one can read them.
AGGREGATE_ABOVE = 400
# For packing labels: the plot's width in pixels at 1,440 px and the width of one character of a bar label.
_PLOT_PX, _CHAR_PX, _ROW_PX = 1150, 6.4, 24


def short_labels(frame: pd.DataFrame) -> pd.Series:
    """What a bar says: the kind and the place ("principals meeting · New Delhi"), and the year or month when only that is known.

    A plain "meeting" is named by its place alone: the bar already says it is a meeting.
    """
    kind = frame["kind"].astype(str)
    labels = (kind + " · ").where(kind != "meeting", "") + frame["place"].astype(str)  # "meeting" says nothing a bar does not
    return labels.where(~frame["approximate"], labels + " · " + frame["dates"])


def _pixels_per_day(dated: pd.DataFrame) -> float:
    first, last = _padded_range(dated) or (pd.Timestamp("2000-01-01"), pd.Timestamp("2001-01-01"))
    return _PLOT_PX / max(1.0, (last - first) / pd.Timedelta(days=1))


def lanes(dated: pd.DataFrame, axis: str, labels: pd.Series) -> pd.Series:
    """A lane (row) within its group for each meeting, so that no bar or label overlaps another.

    Meetings go in date order to the first lane that is free by their start;
    a bar too short for its label holds the lane until the label's end, as the
    label is written after it. So rows within a group read in date order, and
    300 meetings take a few dozen rows instead of 300.
    """
    per_day = _pixels_per_day(dated)
    label_days = pd.to_timedelta((labels.str.len() * _CHAR_PX + 12) / per_day, unit="D")
    bar_days = dated["finish"] - dated["start"]
    busy_until = dated["finish"] + label_days.where(bar_days < label_days, pd.Timedelta(0))
    lane = pd.Series(0, index=dated.index, dtype="int64")
    for _, rows in dated.sort_values(["start", "meeting_id"]).groupby(axis, sort=False):
        free: list[pd.Timestamp] = []  # per lane, when it is free again
        for index, start in rows["start"].items():
            number = next((i for i, until in enumerate(free) if until <= start), len(free))
            free[number:number + 1] = [busy_until[index]]
            lane[index] = number
    return lane


def timeline_figure(frame: pd.DataFrame, group_by: str = "country", palette: dict[str, str] | None = None) -> go.Figure:
    """Bars from first to last day in lanes under their group, coloured by host country; approximate dates hatched.

    `palette` is `colors.country_colors` of every country of the data version,
    so a country has the same colour here as on every page. Texts from the
    articles (names, places, participants) are escaped: plotly reads tags in them.
    """
    if group_by not in GROUP_BY:
        raise ValueError(f"group_by must be one of {list(GROUP_BY)}")
    palette = palette or colors.country_colors(frame["country"].dropna())
    dated = frame.dropna(subset=["start"]).copy()
    if dated.empty:
        return go.Figure()
    axis = "country_name" if group_by == "country" else "kind"
    dated["label"] = short_labels(dated)
    dated["lane"] = lanes(dated, axis, dated["label"])
    groups = sorted(dated[axis].unique(), key=lambda g: (g == _NO_COUNTRY, g))
    offsets, ticks, row = {}, [], 0
    for group in groups:
        offsets[group] = row
        count = int(dated.loc[dated[axis] == group, "lane"].max()) + 1
        ticks.append((row + (count - 1) / 2, group))
        row += count + 1  # an empty row between groups
    dated["y"] = dated[axis].map(offsets) + dated["lane"]
    shown = dated[_CUSTOM].astype(object).map(lambda v: html.escape(str(v)) if isinstance(v, str) else v)
    figure, named = go.Figure(), set()
    for (country, approximate), rows in dated.groupby([dated["country"].fillna(""), "approximate"], sort=True):
        name = rows["country_name"].iloc[0]
        colour = palette.get(country, colors.UNKNOWN) if country else colors.UNKNOWN
        figure.add_trace(
            go.Bar(
                name=html.escape(name),
                legendgroup=name,
                showlegend=name not in named,  # one legend entry per country; the caption explains the hatching
                orientation="h",
                base=rows["start"],
                x=(rows["finish"] - rows["start"]).dt.total_seconds() * 1000,
                y=rows["y"],
                width=0.8,
                customdata=shown.loc[rows.index].values,
                hovertemplate=_HOVER,
                text=[html.escape(t) for t in rows["label"]],
                textposition="auto",
                textangle=0,
                insidetextanchor="start",
                textfont=dict(color=TEXT_COLOR, size=11),
                cliponaxis=False,
                marker=dict(
                    color=colour,
                    opacity=0.35 if approximate else 1.0,
                    pattern=dict(shape="/" if approximate else "", solidity=0.3),
                    line=dict(color=colour, width=1 if approximate else 3),
                ),
            )
        )
        named.add(name)
    separators = [dict(type="line", xref="paper", x0=0, x1=1, yref="y", y0=offsets[g] - 1, y1=offsets[g] - 1,
                       line=dict(color="#D0D7DE", width=1)) for g in groups[1:]]
    height = max(360, _ROW_PX * row + 260)
    above = 1 + 46 / (height - 150)  # just above the date labels at the top, in the plot's own units
    figure.update_layout(
        barmode="overlay",
        xaxis=dict(type="date", title=None, range=_padded_range(dated), side="top",
                   rangeslider=dict(visible=True, thickness=0.04),
                   rangeselector=dict(buttons=[dict(count=1, label="1 year", step="year", stepmode="backward"),
                                               dict(count=3, label="3 years", step="year", stepmode="backward"),
                                               dict(step="all", label="all")], y=above, yanchor="bottom", x=1, xanchor="right")),
        yaxis=dict(title=None, autorange="reversed", tickmode="array", tickvals=[t for t, _ in ticks],
                   ticktext=[html.escape(g) for _, g in ticks], showgrid=False, zeroline=False),
        shapes=separators,
        legend=dict(title=None, orientation="h", y=above, yanchor="bottom", x=0, xanchor="left"),
        height=height,
        margin=dict(l=10, r=10, t=110, b=40),
        clickmode="event+select",
    )
    return figure


def _padded_range(dated: pd.DataFrame) -> list[pd.Timestamp] | None:
    """The dates shown, with a little room on the right for the label of a short last meeting."""
    if dated.empty:
        return None
    first, last = dated["start"].min(), dated["finish"].max()
    room = max(pd.Timedelta(days=60), (last - first) * 0.15)  # a short last meeting's label is written after its bar
    return [first - room / 4, last + room]


def _to_the_month(frame: pd.DataFrame) -> pd.DataFrame:
    """The dated meetings known at least to the month: a meeting known only to the year belongs to no month, and
    counting it in January (its first day) doubled every January of a corpus where one meeting in twelve is so
    reported."""
    dated = frame.dropna(subset=["start"])
    return dated[dated["precision"].ne("year").to_numpy()]


def month_counts(frame: pd.DataFrame) -> pd.DataFrame:
    """Meetings per month (of their first day) and host country, for the aggregate view; meetings known only to the
    year are not in them (`year_only`)."""
    dated = _to_the_month(frame)
    counts = (dated.assign(month=dated["start"].dt.to_period("M").dt.start_time, country=dated["country"].fillna(""))
              .groupby(["month", "country", "country_name"], as_index=False).size().rename(columns={"size": "meetings"}))
    return counts.sort_values(["month", "country_name"], ignore_index=True)


def year_only(frame: pd.DataFrame) -> str | None:
    """What the aggregate view leaves out, as a caption: how many meetings are known only to the year, per year."""
    years = frame.loc[frame["precision"].eq("year").to_numpy() & frame["start"].notna().to_numpy(), "start"].dt.year
    if years.empty:
        return None
    per_year = " · ".join(f"{year}: {count:,}" for year, count in years.value_counts().sort_index().items())
    return (f"Not in the bars: {len(years):,} meeting(s) known only to the year ({per_year}), which belong to no month. "
            "Show each meeting, with the sidebar's dates narrowed to that year, to see them.")


def aggregate_figure(counts: pd.DataFrame, palette: dict[str, str] | None = None) -> go.Figure:
    """Stacked bars of meetings per month, one colour per host country; a click on a bar picks its month."""
    palette = palette or colors.country_colors(counts["country"])
    figure = go.Figure()
    for (country, name), rows in counts.groupby(["country", "country_name"], sort=True):
        figure.add_trace(go.Bar(
            name=html.escape(name), x=rows["month"], y=rows["meetings"], marker=dict(color=palette.get(country, colors.UNKNOWN) if country else colors.UNKNOWN),
            customdata=[[m.strftime("%Y-%m")] for m in rows["month"]],
            hovertemplate=f"<b>{html.escape(name)}</b><br>%{{x|%B %Y}}: %{{y}} meeting(s)<extra></extra>",
        ))
    figure.update_layout(
        barmode="stack", height=420, clickmode="event+select", margin=dict(l=10, r=10, t=40, b=10),
        xaxis=dict(type="date", title=None, rangeslider=dict(visible=True, thickness=0.06)),
        yaxis=dict(title="Meetings per month"),
        legend=dict(title="Host country", orientation="h", y=1.02, yanchor="bottom", x=0),
    )
    return figure


def _first_customdata(selection: dict | None) -> str | None:
    """The first value of the customdata of the first selected point of a plotly selection event, if any."""
    for point in (selection or {}).get("points") or []:
        custom = point.get("customdata")
        if custom:
            return str(custom[0])
    return None


def month_from_selection(selection: dict | None) -> str | None:
    """The month ("2023-08") of the first selected bar of `aggregate_figure`, if any."""
    return _first_customdata(selection)


def in_month(frame: pd.DataFrame, month: str) -> pd.DataFrame:
    """The meetings of a month's bar ("2023-08"), for the drill-down from the aggregate view: those known to the day
    or the month whose dates overlap it (not those known only to the year, which the bars leave out)."""
    first = pd.Timestamp(f"{month}-01")
    after = first + pd.offsets.MonthBegin(1)
    dated = _to_the_month(frame)
    return dated[(dated["start"] < after) & (dated["finish"] > first)]


def meeting_from_selection(selection: dict | None) -> str | None:
    """The meeting id of the first selected bar in a plotly selection event, if any."""
    return _first_customdata(selection)


def titles_at(roles: pd.DataFrame, pairs: pd.DataFrame, on: str = "person_id") -> pd.DataFrame:
    """For each row of `pairs` (person_id, start, end): the title reported nearest to those dates, and when (as_of).

    Titles change; the role reported closest in time to the meeting is the best
    evidence of the post held then. Ties go to the later report; without a
    meeting date, the latest report counts. One merge for every pair, so a
    table of a thousand meetings costs no more than one person's lookup.
    `on` is the column that matches a pair's rows of `roles`: the person, or
    the pair itself when `roles` holds each pair's own candidates (`titles_of`).
    """
    # A post is reported once per sentence (13,500 rows per official at 100,000 articles): each (title, day) once is enough.
    held = roles.loc[roles["title"].notna(), [on, "title", "as_of"]].drop_duplicates()
    keyed = pairs[[on, "start", "end"]].assign(_row=range(len(pairs)))
    found = keyed.merge(held, on=on)
    as_of = pd.to_datetime(found["as_of"], errors="coerce")
    first = pd.to_datetime(found["start"], errors="coerce")
    last = pd.to_datetime(found["end"].where(found["end"].notna(), found["start"]), errors="coerce")
    zero = pd.Timedelta(0)
    distance = ((first - as_of).clip(lower=zero) + (as_of - last).clip(lower=zero)).where(first.notna(), zero)
    found = found.assign(_distance=distance.where(as_of.notna(), pd.Timedelta.max), _as_of=as_of)
    best = found.sort_values(["_row", "_distance", "_as_of"], ascending=[True, True, False], kind="stable").drop_duplicates("_row")
    chosen = best.set_index("_row")[["title", "as_of"]].reindex(range(len(pairs)))
    chosen.index = pairs.index
    return chosen.astype(object).where(chosen.notna(), None)


# The only role rows `titles_at` can choose for each pair (person, last day), asked of DuckDB: at 100,000 articles an
# official's posts are reported in 13,500 rows, and ten meetings' officials have 176,000. Of each person's rows, the
# first of each day (the one `titles_at` takes among equals); of those, for each pair, the latest dated on or before its
# last day and the earliest after it (running max and min over the person's days and pairs in date order, a day's
# reports before its pairs), or the latest of all when it has no date, and the first undated one (chosen only when no
# report is dated). Dates are ISO days, so text compares as dates do.
_CANDIDATE_TITLES = (
    "WITH pairs AS (SELECT unnest($pairs) AS pair, unnest($people) AS person_id, unnest($lasts) AS last), "
    f"firsts AS (SELECT person_id, title, as_of, {ROW} AS position FROM {{roles}} WHERE title IS NOT NULL "
    f"AND list_contains($who, person_id) QUALIFY row_number() OVER (PARTITION BY person_id, as_of ORDER BY {ROW}) = 1), "
    "days AS (SELECT person_id, as_of AS day, 0 AS kind, NULL AS pair, as_of FROM firsts WHERE as_of IS NOT NULL "
    "UNION ALL SELECT person_id, last, 1, pair, NULL FROM pairs WHERE last IS NOT NULL), "
    "nearest AS (SELECT pair, person_id, "
    "max(as_of) OVER (PARTITION BY person_id ORDER BY day, kind ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS before, "
    "min(as_of) OVER (PARTITION BY person_id ORDER BY day, kind ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS after "
    "FROM days QUALIFY kind = 1), "
    "wanted AS (SELECT pair, person_id, before AS as_of FROM nearest UNION ALL SELECT pair, person_id, after FROM nearest "
    "UNION ALL SELECT p.pair, p.person_id, (SELECT max(as_of) FROM firsts f WHERE f.person_id = p.person_id) FROM pairs p WHERE p.last IS NULL) "
    "SELECT w.pair, f.title, f.as_of FROM wanted w JOIN firsts f ON f.person_id = w.person_id AND f.as_of = w.as_of "
    "UNION ALL SELECT p.pair, f.title, f.as_of FROM pairs p JOIN firsts f ON f.person_id = p.person_id AND f.as_of IS NULL "
    "ORDER BY pair, as_of NULLS LAST"
)


def titles_of(tables: dict[str, pd.DataFrame], pairs: pd.DataFrame) -> pd.DataFrame:
    """`titles_at` of `pairs` (person_id, start, end) over the roles of `tables`, reading only the few rows each pair
    can choose, and matching each pair with its own (so a table of every meeting costs rows per pair, not per post)."""
    keyed = pairs.assign(pair=range(len(pairs)))
    named = keyed.dropna(subset=["person_id"])
    if named.empty:
        return titles_at(pd.DataFrame({"pair": [], "title": [], "as_of": []}, dtype=object), keyed, on="pair")
    start = named["start"].astype(object).where(named["start"].notna(), None)
    end = named["end"].astype(object).where(named["end"].notna(), start)
    people = named["person_id"].astype(str).tolist()
    params = {"pairs": named["pair"].tolist(), "people": people, "who": sorted(set(people)),
              "lasts": [None if s is None else max(s, e or s) for s, e in zip(start, end)]}
    return titles_at(table_access.sql(tables, _CANDIDATE_TITLES, params), keyed, on="pair")


def title_at(roles: pd.DataFrame, person_id: str, start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """The person's title reported nearest to the meeting's dates, and the date it was reported (as_of): `titles_at` of one."""
    row = titles_at(roles, pd.DataFrame({"person_id": [person_id], "start": [start or None], "end": [end or None]})).iloc[0]
    return row["title"], row["as_of"]


def _sentence_text(tables: dict[str, pd.DataFrame], frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with the text of each (article_id, sentence_id) and its article's title and date: only the rows of the
    articles it names are read (at 100,000 articles the whole sentences table is 1.6 million texts)."""
    named = frame["article_id"].unique()
    sentences = table_access.rows(tables, "sentences", "article_id", named)[["article_id", "sentence_id", "text"]]
    articles = table_access.rows(tables, "articles", "article_id", named)[["article_id", "title", "published"]]
    return frame.merge(sentences, on=["article_id", "sentence_id"], how="left").merge(articles, on="article_id", how="left")


def participants_detail(tables: dict[str, pd.DataFrame], meeting_id: str) -> pd.DataFrame:
    """Who took part, with the title they held at the time, the body and country, and the evidence sentence.

    A country appears on its own only when no named person represents it: one
    report may name only the countries of a meeting that another reports by name.
    """
    meeting = table_access.rows(tables, "meetings", "meeting_id", [meeting_id]).set_index("meeting_id").loc[meeting_id]
    rows = table_access.rows(tables, "participants", "meeting_id", [meeting_id])
    represented = set(rows.dropna(subset=["person_id"])["country"].dropna())
    rows = rows[rows["person_id"].notna() | ~rows["country"].isin(represented)]
    people = tables["people"].set_index("person_id")
    orgs = dict(zip(tables["organizations"]["org_id"], tables["organizations"]["name"]))
    countries = dict(zip(tables["countries"]["country"], tables["countries"]["name"]))
    dates = {"start": meeting["start_date"], "end": meeting["end_date"]}
    titles = titles_of(tables, pd.DataFrame({"person_id": rows["person_id"].to_numpy(dtype=object), **dates}))  # their posts' few rows
    records = []
    for row, title, as_of in zip(rows.itertuples(index=False), titles["title"], titles["as_of"]):
        person = people.loc[row.person_id] if pd.notna(row.person_id) and row.person_id in people.index else None
        title, as_of = (title, as_of) if person is not None else (None, None)
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


def attendees(detail: pd.DataFrame) -> pd.DataFrame:
    """One row per participant of `participants_detail` (which has one per sentence naming them), in order of appearance.

    Several sentences of one report, and several reports, name the same official at
    a meeting; a table an analyst reads lists the person once, with the earliest
    sentence (earliest article first) that puts them there and how many sentences do.
    """
    counts = detail.groupby("participant", sort=False).size()
    earliest = detail.sort_values(["published", "article_id", "sentence_id"], na_position="last", kind="stable").drop_duplicates("participant")
    first_seen = {name: i for i, name in reversed(list(enumerate(detail["participant"])))}
    earliest = earliest.sort_values("participant", key=lambda names: names.map(first_seen), kind="stable")
    return earliest.assign(sentences=earliest["participant"].map(counts).astype("int64")).reset_index(drop=True)


def topics_detail(tables: dict[str, pd.DataFrame], meeting_id: str) -> pd.DataFrame:
    """Topics signalled in sentences about the meeting, with the matched phrase and the sentence."""
    rows = table_access.rows(tables, "topic_mentions", "meeting_id", [meeting_id])
    frame = rows.merge(tables["topics"][["topic_id", "label"]], on="topic_id")[["label", "matched", "article_id", "sentence_id"]]
    return _sentence_text(tables, frame).rename(columns={"label": "topic", "text": "evidence"})


def evidence_detail(tables: dict[str, pd.DataFrame], meeting_id: str) -> pd.DataFrame:
    """The sentences that report the meeting, with their article's title and date."""
    rows = table_access.rows(tables, "meeting_sources", "meeting_id", [meeting_id])[["article_id", "sentence_id"]]
    return _sentence_text(tables, rows).sort_values(["published", "article_id", "sentence_id"]).reset_index(drop=True)
