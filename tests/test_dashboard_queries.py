"""The dashboard's DuckDB queries keep exactly what the plain pandas reference keeps, and treat every value as data.

Each data version (the hand-built fixture, the seed built by the pipeline, a
generated corpus) is queried through `dashboard.data` as the server does, over
its Parquet files, and every table of every filter combination is compared, row
for row and dtype for dtype, with `filters_reference` applied to the tables read
by pandas.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from bench.dashboard_corpus import build as build_corpus
from dashboard import data
from dashboard.filters import Filters, stages
from dashboard_fixtures import build_tables
from data_pipeline import cli, schema, store, table_files
from filters_reference import apply_selection

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ("' OR 1=1 --", "IND'; DROP VIEW meetings; --", '"', "%", "\\", "$s1_countries")


def _write(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name, frame in tables.items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.fixture(scope="module", params=["fixture", "seed", "generated"])
def version(request, tmp_path_factory) -> Path:
    """A folder of Parquet tables, one per table of the contract."""
    scratch = tmp_path_factory.mktemp(request.param)
    if request.param == "fixture":
        return _write(build_tables(), scratch / "version")
    if request.param == "seed":
        assert cli.main(["build", str(ROOT / "seeds"), "--out", str(scratch / "data"), "--jobs", "1"]) == 0
        return store.current(scratch / "data")
    return store.current(build_corpus(scratch, 90, seed=3))  # synthetic, several reports per meeting


def combinations(tables: dict[str, pd.DataFrame]) -> list[tuple[Filters, dict[str, str]]]:
    """Filters and selections drawn from the data itself (so each keeps something), and some that keep nothing."""
    meetings, participants = tables["meetings"], tables["participants"]
    days = sorted(meetings["start_date"].dropna())
    middle = dt.date.fromisoformat(days[len(days) // 2]) if days else dt.date(2024, 1, 1)
    people = sorted(participants["person_id"].dropna().unique())[:2]
    organizations = sorted(participants["org_id"].dropna().unique())[:2]
    countries = sorted(participants["country"].dropna().unique())
    topics = sorted(tables["topic_mentions"]["topic_id"].dropna().unique())[:2]
    kinds = sorted(meetings["kind"].dropna().unique())[:1]
    first = sorted(meetings["meeting_id"])[:1]
    out = [
        (Filters(), {}),
        (Filters(date_from=middle), {}),
        (Filters(date_to=middle), {}),
        (Filters(date_from=middle, date_to=middle + dt.timedelta(days=120)), {}),
        (Filters(date_from=middle, date_to=middle - dt.timedelta(days=1)), {}),  # "From" after "To": nothing
        (Filters(countries=tuple(countries[:1])), {}),
        (Filters(countries=tuple(countries[-2:]), date_from=middle), {}),
        (Filters(people=tuple(people)), {}),
        (Filters(organizations=tuple(organizations)), {}),
        (Filters(topics=tuple(topics)), {}),
        (Filters(topics=tuple(topics[:1]), countries=tuple(countries[:2])), {}),
        (Filters(meeting_kinds=tuple(kinds)), {}),
        (Filters(meetings=tuple(first)), {}),
        (Filters(meetings=tuple(first), people=tuple(people[:1])), {}),
        (Filters(countries=HOSTILE), {}),
        (Filters(people=HOSTILE, topics=HOSTILE), {}),
        (Filters(), {"meeting": first[0] if first else "mtg-none"}),
        (Filters(), {"topic": topics[-1] if topics else "none"}),
        (Filters(topics=tuple(topics[:1])), {"topic": topics[-1] if topics else "none"}),
        (Filters(), {"entity": f"person:{people[0]}" if people else "person:none"}),
        (Filters(date_from=middle), {"entity": f"country:{countries[0]}" if countries else "country:none"}),
        (Filters(countries=tuple(countries[:2])), {"entity": f"organization:{organizations[-1]}" if organizations else "organization:x"}),
        (Filters(), {"entity": HOSTILE[1], "topic": HOSTILE[0], "meeting": HOSTILE[0]}),
    ]
    return out


def test_queried_tables_equal_the_pandas_reference(version):
    reference = store.read_tables(version.parent) if (version.parent / store.CURRENT).exists() else {
        name: schema.conform(name, table_files.read(table_files.files(version, name))) for name in schema.TABLES
    }
    connection = data.connect(version)
    kept_something = 0
    for chosen, selection in combinations(reference):
        expected = apply_selection(reference, chosen, selection)
        queried = data.Tables(connection, stages(chosen, selection))
        for name in schema.TABLES:
            context = f"{name} with {chosen} and {selection}"
            pd.testing.assert_frame_equal(queried[name], expected[name].reset_index(drop=True), obj=context)
        fresh = data.Tables(connection, stages(chosen, selection))  # counted by DuckDB, not from the rows read
        assert [fresh.count(name) for name in ("articles", "people")] == [len(expected["articles"]), len(expected["people"])]
        kept_something += 0 < len(expected["meetings"]) < len(reference["meetings"])
    assert kept_something >= 8  # most combinations narrow the meetings without emptying them


def test_hostile_values_are_data(version):
    """A value that would change a query pasted into its text matches nothing and leaves the views intact."""
    connection = data.connect(version)
    everything = data.Tables(connection)
    for facet in ("countries", "organizations", "people", "topics", "meeting_kinds", "meetings"):
        narrowed = data.Tables(connection, stages(Filters(**{facet: HOSTILE}), {}))
        assert narrowed["meetings"].empty, facet
        assert narrowed.count("articles") == 0, facet
    assert len(everything["meetings"]) == len(data.Tables(connection)["meetings"]) > 0
    # The same values as the name of a real thing are found as written.
    meetings = everything["meetings"]
    renamed = meetings.assign(meeting_id=[HOSTILE[1]] + list(meetings["meeting_id"].iloc[1:]))
    folder = version.parent / f"{version.name}-renamed"
    if not folder.exists():
        folder.mkdir()
        for name in schema.TABLES:
            frame = renamed if name == "meetings" else everything[name]
            frame.to_parquet(folder / f"{name}.parquet", index=False)
    found = data.Tables(data.connect(folder), stages(Filters(meetings=(HOSTILE[1],)), {}))["meetings"]
    assert list(found["meeting_id"]) == [HOSTILE[1]]


def test_one_article_is_read_alone(version):
    connection = data.connect(version)
    everything = data.Tables(connection)
    article_id = everything["articles"]["article_id"].iloc[-1]
    alone = everything.of_article(article_id)
    sentences = everything["sentences"]
    pd.testing.assert_frame_equal(alone["sentences"], sentences[sentences["article_id"] == article_id].reset_index(drop=True))
    mentions = everything["mentions"]
    pd.testing.assert_frame_equal(alone["mentions"], mentions[mentions["article_id"] == article_id].reset_index(drop=True))
    assert alone["articles"] is everything["articles"]  # read once: the story's other copies are named from it
    assert len(alone["people"]) == len(everything["people"])


def test_a_missing_table_is_a_store_error(tmp_path):
    folder = _write({name: frame for name, frame in build_tables().items() if name != "topics"}, tmp_path / "version")
    with pytest.raises(store.StoreError, match="topics.parquet is missing"):
        data.connect(folder)
