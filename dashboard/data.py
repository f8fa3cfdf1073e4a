"""Finding the data version the dashboard shows, and querying it with DuckDB.

The folder comes from `QUAD_DATA_DIR`, else `data_dir` in Streamlit secrets,
else `<repo>/data`, so the same app serves a test fixture, a deployment and a
local build without code changes. Tables are not loaded into the server's
memory: each process keeps one in-memory DuckDB connection with a view per
table over the current version's Parquet files (read only: nothing is ever
written to the data folder), and pages query it, so only the rows a page shows
come into pandas and memory does not grow with the corpus, the sessions or the
filters tried. Each rerun reads the folder's `CURRENT` pointer (a version's
manifest is read once per process: versions never change); when the version changed (an upload or a rebuild) the
connection is made again over the new files, so a change is picked up on the
next rerun of every session, and a session never mixes two versions. A missing
or broken folder becomes a `DataUnavailable` with a message an analyst can act on.

Streamlit runs sessions in threads: a DuckDB connection is not thread-safe,
so every query runs on a cursor of its own (`query`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import threading
import weakref
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from dashboard import filters, settings, table_access
from data_pipeline import schema, store, table_files

__all__ = [
    "ENV_VAR", "SECRET", "DataUnavailable", "Dataset", "Tables", "connect", "data_dir", "build_id", "load", "query", "write_failure",
]

ENV_VAR = "QUAD_DATA_DIR"
SECRET = "data_dir"
REPO = Path(__file__).resolve().parent.parent
_LOG = logging.getLogger(__name__)  # what a hosted page leaves out (server paths) goes to the server's log


class DataUnavailable(RuntimeError):
    """No readable data version; the message says where we looked and how to build one."""


class Tables(Mapping[str, pd.DataFrame]):
    """Every table of the contract, as the filter stages leave them, read from DuckDB when first asked for.

    A page reads `tables["meetings"]` and gets a pandas frame with the contract's
    columns and dtypes; tables it never asks for are never read, and what it read
    goes with this object (one script run), so nothing is kept per filter
    combination. `count` asks DuckDB for a row count without reading the rows, `column` for one column;
    `of_article` is the same view with one article's text tables (the Sources reader).
    """

    def __init__(self, connection: duckdb.DuckDBPyConnection, stages: tuple[filters.Filters, ...] = (), article_id: str | None = None) -> None:
        self._connection, self._stages, self._article_id = connection, stages, article_id
        self._read: dict[str, pd.DataFrame] = {}
        self._cursor: duckdb.DuckDBPyConnection | None = None

    def _query(self, sql: str, params: dict) -> pd.DataFrame:
        """A query on this object's own cursor, where the filters' kept ids are computed once (`filters.kept_statements`)
        in temporary tables that go with the cursor. Unfiltered tables need no cursor of their own."""
        if not self._stages:
            return query(self._connection, sql, params)
        if self._cursor is None:
            cursor = self._connection.cursor()
            weakref.finalize(self, cursor.close)
            for statement, values in filters.kept_statements(self._stages):
                cursor.execute(statement, values)
            self._cursor = cursor
        return self._cursor.execute(sql, params).df()

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in schema.TABLES:
            raise KeyError(name)
        if name not in self._read:
            self._read[name] = schema.conform(name, self._query(*filters.table_query(name, self._stages, self._article_id)))
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return iter(schema.TABLES)

    def __len__(self) -> int:
        return len(schema.TABLES)

    @property
    def filtered(self) -> bool:
        """Whether any filter applies: unfiltered tables are the whole data version."""
        return bool(self._stages)

    def count(self, name: str) -> int:
        if name in self._read:
            return len(self._read[name])
        sql, params = filters.table_query(name, self._stages, self._article_id)
        return int(self._query(f"SELECT count(*) AS n FROM ({sql})", params)["n"].iloc[0])

    def column(self, name: str, column: str) -> pd.Series:
        """One column of a table (the ids the filters keep, say), without reading its other columns."""
        return self.columns(name, [column])[column]

    def columns(self, name: str, columns: list[str]) -> pd.DataFrame:
        """Some columns of a table, in its order, without reading the others (an article's text, say)."""
        if name in self._read:
            return self._read[name][columns]
        unknown = [c for c in columns if c not in schema.TABLES[name].column_names]
        if unknown:
            raise KeyError(f"{name} has no column {unknown[0]!r}")
        sql, params = filters.table_query(name, self._stages, self._article_id)
        frame = self._query(f"SELECT {', '.join(columns)} FROM ({sql}) ORDER BY {filters.ROW}", params)
        kinds = {column.name: column.kind for column in schema.TABLES[name].columns}
        return frame[columns].astype({column: schema.DTYPES[kinds[column]] for column in columns})

    def where(self, name: str, column: str, values) -> pd.DataFrame:
        """The rows of a table whose `column` is one of `values`, in the table's order, asked of DuckDB: a few
        meetings' rows (a page's latest ten) without reading the whole table into pandas."""
        values = [v for v in dict.fromkeys(values) if v is not None and not pd.isna(v)]
        if name in self._read:
            frame = self._read[name]
            return frame[frame[column].isin(values)]
        if column not in schema.TABLES[name].column_names:
            raise KeyError(f"{name} has no column {column!r}")
        sql, params = filters.table_query(name, self._stages, self._article_id)
        chosen = f"SELECT * FROM ({sql}) WHERE list_contains($chosen_values, {column}) ORDER BY {filters.ROW}"
        return schema.conform(name, self._query(chosen, params | {"chosen_values": values}))

    def matching(self, name: str, condition: str, params: dict) -> pd.DataFrame:
        """The rows of a table for which `condition` may hold (SQL over its columns, our own text; every value a
        `$name` in `params`), in the table's order, asked of DuckDB: a search's candidates without reading the whole
        table into pandas. A table already read is returned whole: the caller applies its exact rule to what it gets."""
        if name in self._read:
            return self._read[name]
        sql, base = filters.table_query(name, self._stages, self._article_id)
        return schema.conform(name, self._query(f"SELECT * FROM ({sql}) WHERE {condition} ORDER BY {filters.ROW}", base | params))

    def sql(self, query: str, params: dict) -> pd.DataFrame:
        """The result of `query` (SQL of our own, each table named in braces, `{topic_mentions}`; every value a `$name`
        in `params`) over these tables, asked of DuckDB: an aggregate comes into pandas, never the rows it counts."""
        names = table_access.named(query)
        unknown = sorted(names - set(schema.TABLES))
        if unknown:
            raise KeyError(f"no table {unknown[0]!r}")
        subqueries, base = {}, {}
        for name in names:
            sql, values = filters.table_query(name, self._stages, self._article_id)
            subqueries[name], base = f"({sql})", base | values
        return self._query(query.format(**subqueries), base | params)

    def head(self, name: str, rows: int) -> pd.DataFrame:
        """The first `rows` rows of a table, in its order, without reading the others."""
        if name in self._read:
            return self._read[name].head(rows)
        sql, params = filters.table_query(name, self._stages, self._article_id)
        return schema.conform(name, self._query(f"{sql} LIMIT $rows", params | {"rows": rows}))

    def unread(self) -> Tables:
        """The same tables with nothing read yet: for a download made later, so that a session holds no rows meanwhile."""
        return Tables(self._connection, self._stages, self._article_id)

    def of_article(self, article_id: str) -> Tables:
        """These tables with only this article's rows of `filters.BY_ARTICLE`; the others already read are shared."""
        narrowed = Tables(self._connection, self._stages, article_id)
        narrowed._read.update({name: frame for name, frame in self._read.items() if name not in filters.BY_ARTICLE})
        return narrowed


@dataclass(frozen=True)
class Dataset:
    """One data version (`version`, a folder under `folder`), what the pages show of its manifest (`SHOWN`) and the
    process's connection to it (views named as the tables, see `connect`)."""

    folder: Path
    version: Path
    manifest: dict
    connection: duckdb.DuckDBPyConnection

    @property
    def build_id(self) -> str:
        return build_id(self.manifest)

    @cached_property
    def tables(self) -> Tables:
        """The unfiltered tables, each read when first used."""
        return Tables(self.connection)

    def filtered(self, chosen: filters.Filters, selection: Mapping[str, str | None]) -> Tables:
        """The tables with the sidebar's filters and then each linked selection applied, each read when first used."""
        return Tables(self.connection, filters.stages(chosen, selection))

    def query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        return query(self.connection, sql, params)


def data_dir() -> Path:
    configured = os.environ.get(ENV_VAR) or settings.secret(SECRET)
    return Path(configured).expanduser() if configured else REPO / "data"


def build_id(manifest: dict) -> str:
    """The manifest's `build_id`, or a hash of the manifest for versions written without one."""
    return str(manifest.get("build_id") or hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:16])


# Bounds on what DuckDB itself holds: no in-memory copy of the Parquet files it has read (the operating system's
# page cache already keeps them), at most 1 GB for a query's working memory, beyond which it spills to a
# temporary folder (never the working directory, which may be the repository).
DUCKDB_CONFIG = {
    "enable_external_file_cache": False,
    "memory_limit": "1GB",
    "temp_directory": str(Path(tempfile.gettempdir()) / "quad-dashboard-duckdb"),
}


def short_of_memory(error: duckdb.OutOfMemoryException) -> str:
    """What a page says when one of its queries needed more than `DUCKDB_CONFIG`'s memory limit: a version so large
    that the page reads more of it than a query may hold (at 1,000,000 synthetic articles, the Network page's first
    layout reads every mention). The bound stays; the analyst reads why the page is empty, not a redacted error."""
    cause = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return (f"This page is not drawn: on this data version one of its queries needs more memory than the dashboard "
            f"gives a query ({DUCKDB_CONFIG['memory_limit']}). The other pages work. ({cause})")


def _literal(text: str) -> str:
    """A SQL string literal: for our own file paths in a view's definition, where parameters are not allowed."""
    return "'" + text.replace("'", "''") + "'"


def connect(version: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with one view per table over this version's Parquet files.

    Each view has the table's columns and `filters.ROW`. The files are read by each query (DuckDB reads only the
    columns and row groups it needs), never copied into the connection.
    """
    connection = duckdb.connect(":memory:", config=DUCKDB_CONFIG)
    for name in schema.TABLES:
        try:
            paths = table_files.files(version, name)
        except FileNotFoundError:
            connection.close()
            raise store.StoreError(f"{version}: table {name}.parquet is missing") from None
        try:
            connection.execute(f"CREATE VIEW {name} AS {_rows_of(paths)}")
        except (duckdb.Error, OSError, pa.ArrowException) as error:
            connection.close()
            raise store.StoreError(f"{version}: table {name}.parquet cannot be read ({error})") from error
    return connection


def _rows_of(paths: list[Path]) -> str:
    """The rows of a table's files in order, each numbered (`filters.ROW`) as in one file: a table kept in parts
    (`table_files`) counts each part's rows on from the rows of the parts before it, read from their footers."""
    selects, before = [], 0
    for path in paths:
        rows = f"read_parquet({_literal(str(path))}, {filters.ROW} = true)"
        selects.append(f"SELECT * REPLACE ({filters.ROW} + {before} AS {filters.ROW}) FROM {rows}" if before else f"SELECT * FROM {rows}")
        before += table_files.rows([path])
    return " UNION ALL ".join(selects)


def query(connection: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None) -> pd.DataFrame:
    """The result of one query as a frame, on a cursor of its own (safe from any of Streamlit's threads).

    Values always go in `params` (`$name` in the SQL), never into the SQL text: a filter value is data.
    """
    cursor = connection.cursor()
    try:
        return cursor.execute(sql, params or {}).df()
    finally:
        cursor.close()


_lock = threading.Lock()
_open: dict[str, tuple[str, duckdb.DuckDBPyConnection]] = {}  # data folder -> (version folder, its connection)


def _connection(folder: Path, version: Path) -> duckdb.DuckDBPyConnection:
    """The process's connection to this folder's version, made again when the folder's CURRENT moved on.

    The old connection is not closed: a query of another session may still be running on it, and it goes
    when the last cursor does.
    """
    key, wanted = str(folder.resolve()), str(version.resolve())
    with _lock:
        held = _open.get(key)
        if held is None or held[0] != wanted:
            held = _open[key] = (wanted, connect(version))
        return held[1]


def _help(folder: Path) -> str:
    if settings.hosted():
        return "Ask the administrators of this dashboard to check its data folder (the server's log has the details)."
    return (
        f"Add articles on the Add articles page, build the tables with `python -m data_pipeline build seeds/ --out {folder}`, "
        f"or point `{ENV_VAR}` at a folder written by the pipeline."
    )


# What the pages show of a version's manifest (the Overview, the Data page and its ZIP). The rest (every input and
# extraction part: 16 MB of JSON at 100,000 articles, about 40 MiB once parsed) is never shown, so it is not kept.
SHOWN = ("built_at", "pipeline_version", "extractor", "row_counts")


@lru_cache(maxsize=4)
def _manifest(version: str) -> dict:
    """What the dashboard shows of a version's manifest (`SHOWN` and its `build_id`), read once per process: a version
    folder never changes once written, and its manifest lists every input, so reading it on every `load` cost each run
    tens of ms at 10,000 articles."""
    manifest = store.read_manifest(Path(version))
    return {key: manifest[key] for key in SHOWN if key in manifest} | {"build_id": build_id(manifest)}


def _read(folder: Path) -> Dataset:
    version = store.current(folder)
    return Dataset(folder, version, _manifest(str(version.resolve())), _connection(folder, version))


def _unavailable(folder: Path, local: str, hosted: str) -> DataUnavailable:
    """The message for this deployment: a hosted one names no server path (it goes to the server's log instead)."""
    if not settings.hosted():
        return DataUnavailable(f"{local} {_help(folder)}")
    _LOG.error("data folder %s: %s", folder, local)
    return DataUnavailable(f"{hosted} {_help(folder)}")


def write_failure(error: store.StoreError) -> str:
    """Why an addition failed (disk full, no permission), without the server's paths when hosted."""
    if not settings.hosted():
        return f"Nothing was added: {error}."
    _LOG.error("adding articles failed: %s", error)
    return "Nothing was added: the server could not write its data folder. The server's log has the details."


def load() -> Dataset:
    folder = data_dir()
    if not folder.is_dir():
        raise _unavailable(folder, f"No data folder at `{folder}`.", "This dashboard has no data folder.")
    try:
        try:
            return _read(folder)
        except store.StoreError:
            return _read(folder)  # newer versions can retire the one being read: a second look finds the newest
    except store.StoreError as error:
        if not (folder / store.CURRENT).exists():
            hosted = "This dashboard has no data yet: add the first articles on the Add articles page."
        else:
            hosted = "This dashboard's data cannot be read."
        raise _unavailable(folder, f"The data folder `{folder}` cannot be read: {error}.", hosted) from error
