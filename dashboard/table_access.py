"""Reading part of a table, from the dashboard's `data.Tables` or from a plain dict of frames alike.

The pure modules (exports, stories, …) take "the tables" as a mapping of frames,
so tests hand them frames built in memory. On the dashboard the mapping is a
`data.Tables`, which reads a whole table from DuckDB the first time it is asked
for: the articles table carries every text (tens of megabytes at 10,000
articles), so a count or a column of ids should not read it. These functions ask
`data.Tables` for just that part, and cut a plain frame in pandas. An aggregate
(`sql`) is one DuckDB query for both: over the filtered tables on the dashboard,
over the frames themselves in the tests.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import duckdb
import numpy as np
import pandas as pd

from dashboard import filters

__all__ = ["column", "columns", "count", "rows", "candidates", "named", "sql"]


def column(tables: Mapping[str, pd.DataFrame], name: str, column_name: str) -> pd.Series:
    """One column of one table."""
    read = getattr(tables, "column", None)
    return read(name, column_name) if read is not None else tables[name][column_name]


def columns(tables: Mapping[str, pd.DataFrame], name: str, column_names: list[str]) -> pd.DataFrame:
    """Some columns of one table."""
    read = getattr(tables, "columns", None)
    return read(name, column_names) if read is not None else tables[name][column_names]


def count(tables: Mapping[str, pd.DataFrame], name: str) -> int:
    """The rows of one table."""
    read = getattr(tables, "count", None)
    return read(name) if read is not None else len(tables[name])


def rows(tables: Mapping[str, pd.DataFrame], name: str, column_name: str, values: Iterable) -> pd.DataFrame:
    """The rows of one table whose `column_name` is one of `values`, in the table's order."""
    read = getattr(tables, "where", None)
    if read is not None:
        return read(name, column_name, values)
    frame = tables[name]
    return frame[frame[column_name].isin(set(values))]


def candidates(tables: Mapping[str, pd.DataFrame], name: str, condition: str, params: dict) -> pd.DataFrame:
    """The rows of one table for which the SQL `condition` may hold: those DuckDB finds in `data.Tables`, every row of
    a plain frame. Only a first cut: the caller applies its exact rule to what it gets."""
    read = getattr(tables, "matching", None)
    return read(name, condition, params) if read is not None else tables[name]


_NAMED = re.compile(r"\{(\w+)\}")


def named(query: str) -> set[str]:
    """The tables a query for `sql` names in braces."""
    return set(_NAMED.findall(query))


def sql(tables: Mapping[str, pd.DataFrame], query: str, params: dict | None = None) -> pd.DataFrame:
    """The result of `query`, SQL with each table named in braces (`{topic_mentions}`, with its rows' order in
    `filters.ROW`) and every value a `$name` in `params`, run by DuckDB: over the filtered tables in `data.Tables`, over the frames themselves in a plain mapping.
    One query for both, so a count a page shows is the count the tests check, and only the result comes into pandas."""
    read = getattr(tables, "sql", None)
    if read is not None:
        return read(query, params or {})
    names = named(query)
    connection = duckdb.connect(":memory:")
    try:
        for name in names:  # with each row's place in its frame, as the dashboard's views have it
            connection.register(f"frame_{name}", tables[name].assign(**{filters.ROW: np.arange(len(tables[name]))}))
        return connection.execute(query.format(**{name: f"frame_{name}" for name in names}), params or {}).df()
    finally:
        connection.close()
