"""Tables an analyst can paste into a spreadsheet: one row per meeting with human columns, as a page shows them.

The raw tables (Data page) carry codes and ids for joining; a "download this
view" carries what a reader needs instead: country names, dates at the
precision the sources give ("2023-08" when only the month is known, "2023" for
the year), officials with their titles and countries named separately, joined by
"; ", and a source per row (the first article that reports the meeting, its
link or file, and the sentence that says so). Cells are made safe against
formulas by `downloads.csv_bytes`, like every other download.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping

import pandas as pd

from dashboard import downloads, table_access, timeline
from dashboard.filters import ROW

__all__ = ["precise_date", "meeting_rows", "meeting_csv", "latest_meetings"]

COLUMNS = ["Date", "Meeting", "Kind", "Place", "Host country", "Officials", "Countries taking part", "Topics",
           "Articles reporting it", "Source", "Source published", "Source link", "Source sentence"]


def precise_date(start, end, precision) -> str:
    """The date as precisely as known: "2023-08-01", "2023-08-01 to 2023-08-02", "2023-08", "2023"; "" when unknown."""
    if start is None or pd.isna(start):
        return ""
    end = start if end is None or pd.isna(end) else end
    width = {"year": 4, "month": 7}.get(None if precision is None or pd.isna(precision) else precision, 10)
    first, last = str(start)[:width], str(end)[:width]
    return first if first == last else f"{first} to {last}"


def _officials(tables: Mapping[str, pd.DataFrame], everything: Mapping[str, pd.DataFrame]) -> pd.Series:
    """Per meeting: "Name (title at the time)" of each named official, in order of appearance; the titles are asked of
    `everything` (the tables not cut by `_of_meetings`), which reads only the role rows they can be."""
    seats = tables["participants"].dropna(subset=["person_id"]).drop_duplicates(["meeting_id", "person_id"])
    dates = tables["meetings"][["meeting_id", "start_date", "end_date"]].rename(columns={"start_date": "start", "end_date": "end"})
    seats = seats[["meeting_id", "person_id"]].merge(dates, on="meeting_id", how="left")
    titles = timeline.titles_of(everything, seats)["title"]
    names = seats["person_id"].map(dict(zip(tables["people"]["person_id"], tables["people"]["name"]))).fillna(seats["person_id"])
    seats = seats.assign(who=[f"{n} ({t})" if t else n for n, t in zip(names, titles)])
    return seats.groupby("meeting_id", sort=False)["who"].agg("; ".join)


def _joined(frame: pd.DataFrame, value: str) -> pd.Series:
    return frame.dropna(subset=[value]).groupby("meeting_id", sort=False)[value].agg(lambda v: "; ".join(dict.fromkeys(v)))


def _first_source(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per meeting: the earliest article reporting it and the first sentence there that does."""
    sources = tables["meeting_sources"].merge(tables["articles"][["article_id", "title", "published", "source"]], on="article_id")
    sources = sources.merge(tables["sentences"][["article_id", "sentence_id", "text"]], on=["article_id", "sentence_id"])
    first = sources.sort_values(["published", "article_id", "sentence_id"], na_position="last").drop_duplicates("meeting_id")
    return first.set_index("meeting_id")[["title", "published", "source", "text"]]


def _text(series: pd.Series) -> list[str]:
    """Cells as text, empty where there is nothing (whatever dtype a lookup in an empty table gave)."""
    return [str(v) for v in series.astype(object).where(series.notna(), "")]


def _of_meetings(tables: Mapping[str, pd.DataFrame], meeting_ids) -> Mapping[str, pd.DataFrame]:
    """The tables a row reads, cut to these meetings first (and to their officials and reporting articles): ten
    rows then cost ten meetings' lookups, not all of them. The officials' titles read their own few rows (`timeline.titles_of`)."""
    ids = list(meeting_ids)
    cut = {name: table_access.rows(tables, name, "meeting_id", ids) for name in ("meetings", "participants", "meeting_sources", "topic_mentions")}
    cut["people"] = table_access.rows(tables, "people", "person_id", cut["participants"]["person_id"].dropna().unique())
    reporting = cut["meeting_sources"]["article_id"].unique()
    cut |= {name: table_access.rows(tables, name, "article_id", reporting) for name in ("articles", "sentences")}
    return ChainMap(cut, tables)  # the small tables (countries, places, topics) as they are


def latest_meetings(tables: dict[str, pd.DataFrame], count: int) -> list[str]:
    """The ids of the `count` first rows of `meeting_rows(tables)` (latest first, ties in table order, undated last),
    asked of DuckDB without reading the meetings (58,742 at 100,000 articles)."""
    query = f"SELECT meeting_id FROM {{meetings}} ORDER BY coalesce(start_date, '') DESC, {ROW} LIMIT $count"
    return [str(m) for m in table_access.sql(tables, query, {"count": count})["meeting_id"]]


def meeting_rows(tables: dict[str, pd.DataFrame], meeting_ids=None) -> pd.DataFrame:
    """One row per meeting (all of `tables`, or those of `meeting_ids`), latest first, with the columns in COLUMNS."""
    everything = tables
    if meeting_ids is not None:
        tables = _of_meetings(tables, meeting_ids)
    meetings = tables["meetings"]
    countries = dict(zip(tables["countries"]["country"], tables["countries"]["name"]))
    places = dict(zip(tables["places"]["place_id"], tables["places"]["name"]))
    seats = tables["participants"].assign(country_name=tables["participants"]["country"].map(countries))
    topics = tables["topic_mentions"].merge(tables["topics"][["topic_id", "label"]], on="topic_id")
    officials, taking_part, topic_names, source = _officials(tables, everything), _joined(seats, "country_name"), _joined(topics, "label"), _first_source(tables)
    ids = meetings["meeting_id"]
    plain = lambda series: series.astype(object).where(series.notna(), None)  # noqa: E731
    frame = pd.DataFrame({
        "Date": [precise_date(s, e, p) for s, e, p in zip(plain(meetings["start_date"]), plain(meetings["end_date"]), plain(meetings["date_precision"]))],
        "Meeting": meetings["name"].astype(str).values,
        "Kind": meetings["kind"].astype(str).values,
        "Place": _text(meetings["city"].fillna(meetings["place_id"].map(places))),
        "Host country": _text(meetings["country"].map(countries)),
        "Officials": _text(ids.map(officials)),
        "Countries taking part": _text(ids.map(taking_part)),
        "Topics": _text(ids.map(topic_names)),
        "Articles reporting it": meetings["n_sources"].astype("int64").values,
        "Source": _text(ids.map(source["title"])),
        "Source published": _text(ids.map(source["published"])),
        "Source link": _text(ids.map(source["source"])),
        "Source sentence": _text(ids.map(source["text"])),
    })
    order = meetings["start_date"].fillna("").astype(str).values
    return frame.iloc[sorted(range(len(frame)), key=lambda i: order[i], reverse=True)].reset_index(drop=True)


def meeting_csv(tables: dict[str, pd.DataFrame], meeting_ids=None) -> bytes:
    """`meeting_rows` as a spreadsheet-safe CSV; given to a download button as a callable, it is built on the click only."""
    return downloads.csv_bytes(meeting_rows(tables, meeting_ids))
