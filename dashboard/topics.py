"""Which cyber-policy topics the coverage and the meetings dealt with, where and when.

Frames first, figures from frames, so the numbers an analyst sees in a chart
can be checked in a table and tested without streamlit. Counts are of distinct
articles, meetings or sentences, never of phrase matches, so a sentence that
says "supply chain" twice weighs once. Nothing here mutates its inputs.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from dashboard import colors, table_access
from dashboard.network import meeting_labels
from dashboard.stories import STORY_OF

__all__ = [
    "PERIODS",
    "DATE_BASES",
    "topic_counts",
    "counts_figure",
    "HEATMAPS",
    "MAX_MEETING_COLUMNS",
    "topic_matrix",
    "topic_meeting_matrix",
    "topic_country_matrix",
    "cell_sentences",
    "heatmap_figure",
    "cell_from_selection",
    "topics_over_time",
    "over_time_figure",
    "topic_detail",
    "topic_sentences",
]

PERIODS = {"year": 4, "month": 7}  # period → length of the ISO date prefix that names it
DATE_BASES = ("article", "meeting")  # date an analyst reads time by: publication or meeting
_PRECISION_RANK = {"year": 0, "month": 1, "day": 2}


# Topic mentions with their topic's label (topics absent from the filtered topics table left out), as SQL over the
# tables (`table_access.sql`): at 100,000 articles they are 1.2 million rows, which DuckDB counts without bringing
# them into pandas.
_LABELLED = ("SELECT tm.topic_id, t.label, tm.article_id, tm.sentence_id, tm.meeting_id "
             "FROM {topic_mentions} tm JOIN {topics} t ON t.topic_id = tm.topic_id")
# The sentences of a set of pairs, counted once each.
_SENTENCES = "count(DISTINCT (l.article_id, l.sentence_id))"


def topic_counts(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per topic: distinct meetings, stories and sentences that signal it; topics never signalled count zero.

    Stories, not articles: a wire report republished by three outlets counts once (`stories.STORY_OF`).
    """
    counted = table_access.sql(tables, f"""
        SELECT l.topic_id, count(DISTINCT l.meeting_id) AS meetings, count(DISTINCT st.story_id) AS stories, {_SENTENCES} AS sentences
        FROM ({_LABELLED}) l
        LEFT JOIN ({STORY_OF}) st ON st.article_id = l.article_id
        GROUP BY l.topic_id""")
    counted = counted.set_index(counted["topic_id"].astype("string")).drop(columns="topic_id")  # the topics table's dtype
    frame = tables["topics"][["topic_id", "label"]].merge(counted, left_on="topic_id", right_index=True, how="left")
    frame[["meetings", "stories", "sentences"]] = frame[["meetings", "stories", "sentences"]].fillna(0).astype("int64")
    return frame.sort_values(["stories", "meetings", "label"], ascending=[False, False, True], ignore_index=True)


def counts_figure(counts: pd.DataFrame) -> go.Figure:
    """Horizontal grouped bars of meetings and stories per topic, most covered on top."""
    ids = counts[["topic_id"]].astype(object).to_numpy()  # what a click selects (the page's topic)
    figure = go.Figure([  # graph objects, not plotly express: the same bars in a tenth of the time, on every rerun
        go.Bar(x=counts[counted].to_numpy(), y=counts["label"].astype(object).to_numpy(), name=counted, orientation="h", customdata=ids,
               marker_color=colour, hovertemplate=f"%{{y}}<br>%{{x}} {counted}<extra></extra>")
        for counted, colour in (("meetings", colors.CATEGORICAL[0]), ("stories", colors.CATEGORICAL[1]))
    ])
    figure.update_layout(
        barmode="group",
        yaxis=dict(title=None, categoryorder="array", categoryarray=list(counts["label"])[::-1]),
        xaxis_title="number of meetings / stories (copies of one report count once)",
        legend_title=None,
        height=max(300, 40 * len(counts) + 120),
    )
    return figure


# Each heatmap axis's value of a topic mention, as SQL over the labelled mentions: the month its article was
# published (undated articles left out); a country the sentence names or that took part in the meeting it is about
# (by the country's name); the meeting it is about.
_BY_MONTH = (f"SELECT l.topic_id, l.label, l.article_id, l.sentence_id, substr(CAST(a.published AS VARCHAR), 1, 7) AS value "
             f"FROM ({_LABELLED}) l JOIN {{articles}} a ON a.article_id = l.article_id WHERE a.published IS NOT NULL")
_BY_COUNTRY = (
    f"SELECT p.topic_id, p.label, p.article_id, p.sentence_id, c.name AS value FROM ("
    f"SELECT l.topic_id, l.label, l.article_id, l.sentence_id, m.entity_id AS country FROM ({_LABELLED}) l "
    f"JOIN {{mentions}} m ON m.article_id = l.article_id AND m.sentence_id = l.sentence_id WHERE m.entity_type = 'country' "
    f"UNION ALL SELECT l.topic_id, l.label, l.article_id, l.sentence_id, s.country FROM ({_LABELLED}) l "
    f"JOIN (SELECT DISTINCT meeting_id, country FROM {{participants}} WHERE meeting_id IS NOT NULL AND country IS NOT NULL) s "
    f"ON s.meeting_id = l.meeting_id"
    f") p JOIN {{countries}} c ON c.country = p.country WHERE c.name IS NOT NULL"
)
_BY_MEETING = f"SELECT l.topic_id, l.label, l.article_id, l.sentence_id, l.meeting_id AS value FROM ({_LABELLED}) l WHERE l.meeting_id IS NOT NULL"

# Heatmap axis → (the column it adds, its topic mentions as SQL, what the axis is called).
HEATMAPS = {
    "month": ("month", _BY_MONTH, "month the article was published"),
    "country": ("country", _BY_COUNTRY, "country"),
    "meeting": ("meeting", _BY_MEETING, "meeting"),
}
# Beyond this many meetings a column per meeting is unreadable: the page asks to narrow the filters first.
MAX_MEETING_COLUMNS = 60


def _named(tables: dict[str, pd.DataFrame], axis: str) -> tuple[str, dict, list[str] | None]:
    """The axis's topic mentions as SQL with each one's column `name`, its parameters, and the columns in order (None:
    the names sorted). A month or a country is its own name; a meeting is named by `meeting_labels`, in date order."""
    values = HEATMAPS[axis][1]
    if axis != "meeting":
        return f"SELECT *, value AS name FROM ({values})", {}, None
    ids = table_access.sql(tables, f"SELECT DISTINCT value FROM ({values})")["value"]
    meetings = table_access.rows(tables, "meetings", "meeting_id", ids).sort_values(["start_date", "meeting_id"], na_position="last")
    labels = meeting_labels(meetings)
    named = f"SELECT p.*, n.name FROM ({values}) p JOIN (SELECT unnest($ids) AS id, unnest($names) AS name) n ON n.id = p.value"
    return named, {"ids": list(labels), "names": list(labels.values())}, [labels[m] for m in meetings["meeting_id"]]


def topic_matrix(tables: dict[str, pd.DataFrame], axis: str) -> pd.DataFrame:
    """Distinct sentences per topic (rows, by label) and month, country or meeting (columns, in order), counted by DuckDB."""
    named, params, columns = _named(tables, axis)
    counts = table_access.sql(tables, f"SELECT label, name, {_SENTENCES} AS n FROM ({named}) l GROUP BY label, name", params)
    matrix = counts.pivot(index="label", columns="name", values="n") if len(counts) else pd.DataFrame()
    matrix = matrix.reindex(index=sorted(set(counts["label"])), columns=sorted(set(counts["name"])) if columns is None else columns)
    matrix = matrix.fillna(0).astype("int64")
    matrix.index.name, matrix.columns.name = "topic", HEATMAPS[axis][0]
    return matrix


def topic_meeting_matrix(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Sentences per topic (rows) and meeting (columns), meetings in date order; only meetings with a topic."""
    return topic_matrix(tables, "meeting")


def topic_country_matrix(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Sentences per topic and country, a sentence counting for a country when it names the country
    or is about a meeting the country took part in."""
    return topic_matrix(tables, "country")


def cell_sentences(tables: dict[str, pd.DataFrame], axis: str, topic_label: str, value: str) -> pd.DataFrame:
    """The sentences counted in one heatmap cell, as `topic_sentences` lists them: what a click on the cell opens."""
    named, params, _ = _named(tables, axis)
    chosen = table_access.sql(tables, f"SELECT DISTINCT topic_id, article_id, sentence_id FROM ({named}) WHERE label = $label AND name = $name",
                              params | {"label": topic_label, "name": value})
    topic_ids = sorted(chosen["topic_id"].unique())
    if not topic_ids:
        return topic_sentences(tables, "")
    keys = chosen[["article_id", "sentence_id"]].drop_duplicates().astype({"article_id": "string", "sentence_id": "Int64"})
    return topic_sentences(tables, str(topic_ids[0])).merge(keys, on=["article_id", "sentence_id"])


def heatmap_figure(matrix: pd.DataFrame, *, title: str) -> go.Figure:
    """Counts written in the cells, so small differences need no colour judgement; every cell can be clicked.

    Heatmap cells cannot be selected in Streamlit, so an invisible marker sits
    on each non-empty cell, carrying [topic, column] as customdata.
    """
    values = matrix.to_numpy()
    figure = go.Figure(
        go.Heatmap(
            z=values,
            x=list(matrix.columns),
            y=list(matrix.index),
            text=values,
            texttemplate="%{text}" if values.size <= 1500 else None,  # numbers in hundreds of cells only blur
            colorscale="Blues",
            hoverinfo="skip",
            colorbar=dict(title="sentences"),
            xgap=1,
            ygap=1,
        )
    )
    rows, columns = values.nonzero()
    figure.add_trace(go.Scatter(
        x=[matrix.columns[c] for c in columns], y=[matrix.index[r] for r in rows], mode="markers",
        marker=dict(size=14, opacity=0.01, color="#000000", symbol="square"),
        customdata=[[matrix.index[r], matrix.columns[c]] for r, c in zip(rows, columns)],
        hovertemplate="%{y} × %{x}<br>%{text} sentence(s): click to read them<extra></extra>",
        text=[int(values[r, c]) for r, c in zip(rows, columns)],
        showlegend=False,
    ))
    figure.update_layout(
        title=title,
        xaxis=dict(title=None, tickangle=-45, automargin=True, type="category"),
        yaxis=dict(title=None, autorange="reversed", automargin=True, type="category"),
        height=max(320, 30 * len(matrix) + 260),
        clickmode="event+select",
        margin=dict(l=10, r=10, t=50, b=10),
    )
    return figure


def cell_from_selection(selection: dict | None) -> tuple[str, str] | None:
    """(topic label, column) of the first clicked cell of `heatmap_figure`, if any."""
    for point in (selection or {}).get("points") or []:
        custom = point.get("customdata")
        if isinstance(custom, (list, tuple)) and len(custom) == 2:
            return str(custom[0]), str(custom[1])
    return None


# Each topic mention with the date it is counted at, that date's precision rank (`_PRECISION_RANK`) and the unit counted.
_DATED = {
    "article": (f"SELECT l.topic_id, l.label, CAST(a.published AS VARCHAR) AS date, {_PRECISION_RANK['day']} AS rank, "
                f"l.article_id AS unit FROM ({_LABELLED}) l JOIN {{articles}} a ON a.article_id = l.article_id"),
    "meeting": (f"SELECT l.topic_id, l.label, CAST(m.start_date AS VARCHAR) AS date, "
                f"CASE m.date_precision {' '.join(f'WHEN {p!r} THEN {r}' for p, r in _PRECISION_RANK.items())} ELSE -1 END AS rank, "
                f"l.meeting_id AS unit FROM ({_LABELLED}) l JOIN {{meetings}} m ON m.meeting_id = l.meeting_id"),
}


def topics_over_time(tables: dict[str, pd.DataFrame], *, by: str = "article", period: str = "year") -> pd.DataFrame:
    """Distinct articles (by publication date) or meetings (by first day) per period and topic, counted by DuckDB.

    Undated ones are left out, and so are meetings known only to a coarser
    precision than the period: a meeting dated "2023" belongs to no month.
    """
    if by not in DATE_BASES or period not in PERIODS:
        raise ValueError(f"by must be one of {DATE_BASES} and period one of {tuple(PERIODS)}")
    counts = table_access.sql(tables, f"""
        SELECT substr(date, 1, $length) AS period, topic_id, label, count(DISTINCT unit) AS count FROM ({_DATED[by]})
        WHERE date IS NOT NULL AND rank >= $rank GROUP BY 1, 2, 3""", {"length": PERIODS[period], "rank": _PRECISION_RANK[period]})
    return counts.astype({"period": "string", "topic_id": "string", "label": "string", "count": "int64"}).sort_values(["period", "label"], ignore_index=True)


def over_time_figure(frame: pd.DataFrame, *, by: str = "article") -> go.Figure:
    """Grouped bars per period: coverage is sparse, and lines would invent values between periods."""
    figure = px.bar(frame, x="period", y="count", color="label", barmode="group", custom_data=["topic_id"],
                    color_discrete_map=colors.categorical(sorted(frame["label"].unique())))  # no two topics share a colour
    figure.update_layout(xaxis=dict(title=None, type="category", categoryorder="category ascending"), yaxis_title=f"number of {by}s", legend_title=None)
    return figure


def topic_detail(tables: dict[str, pd.DataFrame], topic_id: str, counts: pd.DataFrame | None = None) -> dict[str, str | int]:
    """What the topic covers, where it sits in NIST CSF 2.0 and the Quad partnership, and how often it comes up.

    `counts` is `topic_counts(tables)` when the caller has it already (half a second at 10,000 articles).
    """
    rows = tables["topics"][tables["topics"]["topic_id"] == topic_id]
    if rows.empty:
        raise KeyError(f"unknown topic {topic_id}")
    topic = rows.iloc[0]
    counts = (topic_counts(tables) if counts is None else counts).set_index("topic_id").loc[topic_id]
    return {
        "topic_id": topic_id,
        "label": str(topic["label"]),
        "description": str(topic["description"]),
        "nist_csf_function": str(topic["nist_csf_function"]),
        "quad_area": str(topic["quad_area"]),
        "meetings": int(counts["meetings"]),
        "stories": int(counts["stories"]),
        "sentences": int(counts["sentences"]),
    }


def _joined_per_sentence(mentions: pd.DataFrame, column: str) -> dict[tuple, str]:
    """(article_id, sentence_id) → the distinct values of `column` there, sorted and joined by "; ".

    One sort and a dictionary, not a Python function per group: a topic has
    thousands of sentences at thousands of articles.
    """
    rows = mentions[["article_id", "sentence_id", column]].dropna(subset=[column]).drop_duplicates()
    joined: dict[tuple, list[str]] = defaultdict(list)
    for article_id, sentence_id, value in rows.sort_values(column).itertuples(index=False, name=None):
        joined[(article_id, sentence_id)].append(value)
    return {key: "; ".join(values) for key, values in joined.items()}


def topic_sentences(tables: dict[str, pd.DataFrame], topic_id: str, first: int | None = None) -> pd.DataFrame:
    """Each sentence signalling the topic once, with the phrases that matched and the meeting it is about, oldest
    first; only the `first` of them when given (a page shows a few: their texts alone are read)."""
    mentions = table_access.rows(tables, "topic_mentions", "topic_id", [topic_id])
    keys = ["article_id", "sentence_id"]
    articles = table_access.columns(tables, "articles", ["article_id", "title", "published"])
    order = ["published", "article_id", "sentence_id"]
    grouped = mentions[keys].drop_duplicates().merge(articles, on="article_id", how="left")
    grouped = grouped.sort_values(order, na_position="last", ignore_index=True).head(first)
    mentions = mentions.merge(grouped[keys], on=keys)
    meetings = table_access.rows(tables, "meetings", "meeting_id", mentions["meeting_id"].dropna().unique())
    mentions = mentions.assign(meeting=mentions["meeting_id"].map(meeting_labels(meetings)))
    grouped = grouped.assign(**{column: [joined.get(key, "") for key in zip(grouped["article_id"], grouped["sentence_id"])]
                                for column, joined in (("matched", _joined_per_sentence(mentions, "matched")),
                                                       ("meeting", _joined_per_sentence(mentions, "meeting")))})
    grouped = grouped.astype({"matched": mentions["matched"].dtype, "meeting": "str"})  # the types the table gives, rows or none
    sentences = table_access.rows(tables, "sentences", "article_id", grouped["article_id"].unique())
    found = grouped.merge(sentences[["article_id", "sentence_id", "text"]].rename(columns={"text": "sentence"}), on=keys)
    columns = ["title", "published", "sentence", "matched", "meeting", "article_id", "sentence_id"]
    return found.reindex(columns=columns).sort_values(order, na_position="last", ignore_index=True)
