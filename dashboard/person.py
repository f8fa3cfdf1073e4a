"""One official's record: the posts reported over time, the meetings attended, and who else was there.

What an analyst asks about a name ("who is she, what did she attend, whom
does she meet?"), each fact with the sentence it rests on. Pure frames from the
tables, with human columns; nothing here imports streamlit.
"""

from __future__ import annotations

import pandas as pd

from dashboard import filters, table_access, timeline
from data_pipeline import schema

__all__ = ["officials", "profile", "posts", "meetings_attended", "co_attendees"]


def _names(frame: pd.DataFrame, key: str, value: str = "name") -> dict:
    return dict(zip(frame[key], frame[value]))


def officials(tables: dict[str, pd.DataFrame], chosen: str | None, choices: int) -> tuple[dict[str, str], int]:
    """The officials the People page offers, id → name in name order, and how many the tables hold: the `choices` most
    mentioned in these tables' articles (ties by name, then table order) and `chosen`, when the tables hold that person.
    The sidebar's rule for its People list (`filters.offered_entities`) over the filtered tables instead of dates,
    asked of DuckDB: only the names offered come into pandas, never the people or mentions they are counted from."""
    rows = table_access.sql(tables, *filters.offered_entities("people", None, None, [chosen] if chosen else [], choices))
    return _names(rows, "id"), int(rows["listed"].iloc[0]) if len(rows) else 0


def profile(tables: dict[str, pd.DataFrame], person_id: str) -> dict[str, str]:
    """Name, honorific, latest title, organisation and country, as words; KeyError for an unknown person."""
    rows = table_access.rows(tables, "people", "person_id", [person_id])  # not the tens of thousands of a real corpus
    if rows.empty:
        raise KeyError(f"unknown person {person_id}")
    row = rows.iloc[0]
    text = lambda v, names=None: "" if pd.isna(v) else str(names.get(v, v) if names else v)  # noqa: E731
    return {
        "name": text(row["name"]),
        "honorific": text(row["honorific"]),
        "title": text(row["title"]),
        "organisation": text(row["org_id"], _names(tables["organizations"], "org_id")),
        "country": text(row["country"], _names(tables["countries"], "country")),
    }


def posts(tables: dict[str, pd.DataFrame], person_id: str) -> pd.DataFrame:
    """Each post reported for the person, oldest report first, with the sentence that reports it."""
    roles = table_access.rows(tables, "roles", "person_id", [person_id])
    frame = pd.DataFrame({
        "Reported on": roles["as_of"].astype(object).where(roles["as_of"].notna(), "date unknown").values,
        "Title": roles["title"].astype(object).where(roles["title"].notna(), "").values,
        "Organisation": roles["org_id"].map(_names(tables["organizations"], "org_id")).fillna("").astype(str).values,
        "Country": roles["country"].map(_names(tables["countries"], "country")).fillna("").astype(str).values,
        "article_id": roles["article_id"].values,
        "sentence_id": roles["sentence_id"].astype("int64").values,
    })
    sentences = table_access.rows(tables, "sentences", "article_id", frame["article_id"].unique())  # not 1.6 million at 100,000 articles
    frame = frame.merge(sentences[["article_id", "sentence_id", "text"]], on=["article_id", "sentence_id"], how="left")
    return frame.rename(columns={"text": "Sentence"}).sort_values(["Reported on", "article_id", "sentence_id"], ignore_index=True)


# Every participant row of the meetings a person took part in (the filters' rows of both), in the table's order: at
# 100,000 articles the whole table is 368,000 rows, and the busiest official's meetings 16,000.
_SEATS_WITH = (f"SELECT * FROM {{participants}} WHERE meeting_id IN "
               f"(SELECT meeting_id FROM {{participants}} WHERE person_id = $person) ORDER BY {filters.ROW}")


def _seats_with(tables: dict[str, pd.DataFrame], person_id: str) -> pd.DataFrame:
    """The participant rows of the meetings `person_id` took part in (asked of DuckDB), with the contract's dtypes."""
    return schema.conform("participants", table_access.sql(tables, _SEATS_WITH, {"person": person_id}))


def meetings_attended(tables: dict[str, pd.DataFrame], person_id: str) -> pd.DataFrame:
    """The meetings the person took part in, latest first, with the other officials there and the attendance sentence."""
    seats = _seats_with(tables, person_id)
    mine = seats[seats["person_id"] == person_id].drop_duplicates("meeting_id")
    attended = table_access.rows(tables, "meetings", "meeting_id", mine["meeting_id"])
    meetings = timeline.meeting_facts(tables, attended).set_index("meeting_id").reindex(mine["meeting_id"].to_numpy())
    others = seats[seats["person_id"].notna() & (seats["person_id"] != person_id)].drop_duplicates(["meeting_id", "person_id"])
    names = _names(table_access.rows(tables, "people", "person_id", others["person_id"]), "person_id")
    with_whom = others.assign(name=others["person_id"].map(names)).groupby("meeting_id")["name"].agg("; ".join)
    frame = pd.DataFrame({
        "Dates": meetings["dates"].values,
        "Meeting": meetings["name"].values,
        "Place": meetings["place"].values,
        "With": mine["meeting_id"].map(with_whom).fillna("").astype(str).values,
        "start": meetings["start"].values,
        "meeting_id": mine["meeting_id"].values,
        "article_id": mine["article_id"].values,
        "sentence_id": mine["sentence_id"].astype("int64").values,
    })
    return frame.sort_values(["start", "meeting_id"], ascending=False, na_position="last", ignore_index=True).drop(columns="start")


def co_attendees(tables: dict[str, pd.DataFrame], person_id: str) -> pd.DataFrame:
    """The officials met most often: how many meetings each shared with the person, and their country."""
    seats = _seats_with(tables, person_id).dropna(subset=["person_id"]).drop_duplicates(["meeting_id", "person_id"])
    shared = seats[seats["person_id"] != person_id]
    counts = shared.groupby("person_id")["meeting_id"].nunique().rename("Meetings together").reset_index()
    people = table_access.rows(tables, "people", "person_id", counts["person_id"]).set_index("person_id")
    countries = _names(tables["countries"], "country")
    counts["Official"] = counts["person_id"].map(people["name"])
    counts["Country"] = counts["person_id"].map(people["country"]).map(countries).fillna("")
    counts = counts.sort_values(["Meetings together", "Official"], ascending=[False, True], ignore_index=True)
    return counts[["Official", "Country", "Meetings together", "person_id"]]
