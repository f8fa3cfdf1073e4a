"""The Overview's latest meetings, a person's page and an article's copies read only the rows they need, and show what
reading every row showed.

Each is run through `dashboard.data.Tables` over a generated corpus's Parquet
files, as the server runs it, with every query's result counted; and again over
the same tables read whole by pandas, where the rule (`timeline.titles_at` over
every role row, say) applies to everything.
"""

from __future__ import annotations

import pandas as pd
import pytest

from bench.dashboard_corpus import build as build_corpus
from dashboard import data, exports, person, stories, timeline
from dashboard_fixtures import CANBERRA_ART, HOSTILE_ART, TOKYO_ART, build_tables
from data_pipeline import schema, store


@pytest.fixture(scope="module")
def version(tmp_path_factory):
    return store.current(build_corpus(tmp_path_factory.mktemp("generated"), 90, seed=3))  # synthetic, several reports per meeting


@pytest.fixture(scope="module")
def whole(version) -> dict[str, pd.DataFrame]:
    """Every table read whole by pandas."""
    return store.read_tables(version)


class Counted(data.Tables):
    """`data.Tables` that remembers each query and how many rows it brought into pandas."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.results: list[tuple[str, int]] = []

    def _query(self, sql: str, params: dict) -> pd.DataFrame:
        found = super()._query(sql, params)
        self.results.append((sql, len(found)))
        return found


@pytest.fixture
def tables(version):
    connection = data.connect(version)
    yield Counted(connection)
    connection.close()


def _rows_of(tables: Counted, table: str) -> int:
    """The rows brought into pandas by the queries that read `table` (unfiltered: `filters.table_query`'s "FROM name)")."""
    return sum(rows for sql, rows in tables.results if f"FROM {table})" in sql)


def _seats(whole: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every (person, meeting dates) of the corpus, and the same people with no date, an open end and reversed dates."""
    seats = whole["participants"].dropna(subset=["person_id"]).merge(whole["meetings"], on="meeting_id")
    dated = pd.DataFrame({"person_id": seats["person_id"].to_numpy(dtype=object), "start": seats["start_date"].to_numpy(dtype=object),
                          "end": seats["end_date"].to_numpy(dtype=object)})
    people = dated.drop_duplicates("person_id")
    variants = [people.assign(start=None, end=None), people.assign(end=None), people.assign(start=people["end"], end=people["start"]),
                pd.DataFrame({"person_id": ["per-nobody", None], "start": ["2024-01-01", None], "end": [None, None]})]
    return pd.concat([dated, *variants], ignore_index=True)


def test_titles_at_the_time_read_only_the_reports_they_can_choose(tables, whole):
    pairs = _seats(whole)
    expected = timeline.titles_at(whole["roles"], pairs)
    assert expected["title"].notna().sum() > len(pairs) / 2  # most officials have a post reported
    assert timeline.titles_of(tables, pairs).equals(expected)
    assert timeline.titles_of(whole, pairs).equals(expected)  # the same query over frames (the tests' tables)
    assert "roles" not in tables._read
    latest = pairs.drop_duplicates("person_id").assign(start=None, end=None)  # each person's latest report
    tables.results.clear()
    assert timeline.titles_of(tables, latest).equals(timeline.titles_at(whole["roles"], latest))
    assert _rows_of(tables, "roles") <= 2 * len(latest) < len(whole["roles"]) / 2  # the latest dated, the first undated


def test_the_latest_meetings_read_only_their_officials_titles(tables, whole):
    latest = exports.latest_meetings(tables, 10)
    assert "meetings" not in tables._read and _rows_of(tables, "meetings") == 10  # found by DuckDB
    assert latest == exports.latest_meetings(whole, 10)
    rows = exports.meeting_rows(tables, latest)
    assert rows.equals(exports.meeting_rows(whole).head(10))
    assert rows["Officials"].str.contains(r"\(", regex=True).any()  # titles were found
    officials = whole["participants"].loc[whole["participants"]["meeting_id"].isin(latest), "person_id"].dropna().unique()
    their_roles = whole["roles"]["person_id"].isin(officials).sum()
    assert "roles" not in tables._read and 0 < _rows_of(tables, "roles") < their_roles / 2


def test_a_persons_meetings_read_only_the_rows_of_those_meetings(tables, whole):
    busiest = whole["participants"]["person_id"].value_counts().index[0]
    attended, met = person.meetings_attended(tables, busiest), person.co_attendees(tables, busiest)
    assert attended.equals(person.meetings_attended(whole, busiest)) and met.equals(person.co_attendees(whole, busiest))
    assert len(attended) > 1 and len(met) > 1
    assert person.profile(tables, busiest) == person.profile(whole, busiest)
    assert {"participants", "meetings", "people"}.isdisjoint(tables._read)  # never read whole
    theirs = whole["participants"]["meeting_id"].isin(attended["meeting_id"]).sum()
    assert _rows_of(tables, "participants") == 2 * theirs  # each function reads the rows of those meetings, and no others


def test_the_other_copies_of_an_article_read_only_its_story(tmp_path):
    fixture = build_tables()
    fixture["stories"] = schema.conform("stories", pd.DataFrame({"article_id": [CANBERRA_ART, TOKYO_ART, HOSTILE_ART],
                                                                  "story_id": ["sto-a", "sto-b", "sto-a"]}))
    for name, frame in fixture.items():
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    connection = data.connect(tmp_path)
    tables = Counted(connection)
    for article in (CANBERRA_ART, TOKYO_ART, HOSTILE_ART, "art-none"):
        assert stories.copies(tables, article).equals(stories.copies(fixture, article))
    assert list(stories.copies(tables, CANBERRA_ART)["article_id"]) == [HOSTILE_ART]
    assert "stories" not in tables._read and _rows_of(tables, "stories") == 3 + 2 + 3 + 0 + 3  # its row, then its story's
    connection.close()
