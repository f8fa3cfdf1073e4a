"""The table contract: every table the pipeline writes, declared once.

The pipeline validates its output against this before writing, the dashboard
validates what it reads, and the README's table reference is generated from it
(`python -m data_pipeline schema`). Dates are ISO `YYYY-MM-DD` strings so that a
CSV pasted into a spreadsheet shows exactly what the pipeline knew.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from . import table_files

DTYPES = {"str": "string", "int": "Int64", "bool": "boolean", "date": "string"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class SchemaError(ValueError):
    """Tables that break the contract; the message lists every problem found."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # str, int, bool, date
    nullable: bool
    doc: str


@dataclass(frozen=True)
class Table:
    name: str
    doc: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # (columns here, table there, columns there): every non-null value must exist there.
    references: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    # Rows must be traceable to a sentence through one of these (columns here, table, columns there).
    evidence: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, kind: str, doc: str, nullable: bool = False) -> Column:
    return Column(name, kind, nullable, doc)


SENTENCE = (("article_id", "sentence_id"), "sentences", ("article_id", "sentence_id"))

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "articles",
            "One row per distinct article text; the id is a hash of the text, so it is stable across runs.",
            (
                _c("article_id", "str", "`art-` and 16 hex digits of the SHA-256 of the text"),
                _c("title", "str", "headline, or the first line of a plain text file"),
                _c("published", "date", "publication date from the header, record or dateline; null when unknown", True),
                _c("date_source", "str", "where `published` came from: header, record, metadata (of a web page, PDF, "
                   "feed item or e-mail), dateline or unknown"),
                _c("dateline", "str", "the dateline as written, e.g. `New Delhi, Jan 31`", True),
                _c("dateline_place_id", "str", "the dateline's place, when it is a known place", True),
                _c("source", "str", "input path (or the record's url); the first one when the same text came twice"),
                _c("text", "str", "the article body that all offsets refer to"),
            ),
            ("article_id",),
            references=((("dateline_place_id",), "places", ("place_id",)),),
        ),
        Table(
            "stories",
            "Which story each article is a copy of: the same report republished with small edits (a wire story on "
            "several sites) is one story with several articles, each kept with its own source.",
            (
                _c("article_id", "str", "article"),
                _c("story_id", "str", "`sto-` and the hex digits of the smallest article id among the story's copies"),
            ),
            ("article_id",),
            references=((("article_id",), "articles", ("article_id",)),),
        ),
        Table(
            "pages",
            "Where each page of a paged original (a PDF) lies in `articles.text`, so evidence can cite its page.",
            (
                _c("article_id", "str", "article"),
                _c("page", "int", "page number, from 1"),
                _c("start", "int", "offset where the page's text starts"),
                _c("end", "int", "offset after the page's text; equal to `start` for a page without text"),
            ),
            ("article_id", "page"),
            references=((("article_id",), "articles", ("article_id",)),),
        ),
        Table(
            "sentences",
            "Sentences of each article with character offsets into `articles.text`.",
            (
                _c("article_id", "str", "article"),
                _c("sentence_id", "int", "position of the sentence in its article, from 0"),
                _c("start", "int", "offset of the first character"),
                _c("end", "int", "offset after the last character"),
                _c("text", "str", "`articles.text[start:end]`"),
            ),
            ("article_id", "sentence_id"),
            references=((("article_id",), "articles", ("article_id",)),),
        ),
        Table(
            "mentions",
            "Every span of text that names an entity; `articles.text[start:end] == surface`.",
            (
                _c("article_id", "str", "article"),
                _c("sentence_id", "int", "sentence holding the span"),
                _c("start", "int", "offset into `articles.text`"),
                _c("end", "int", "offset after the span"),
                _c("surface", "str", "the text as written"),
                _c("entity_type", "str", "person, organization, country, place or date"),
                _c("entity_id", "str", "id in that entity's table; for dates the resolved `first/last` ISO days"),
            ),
            ("article_id", "start", "end", "entity_type", "entity_id"),
            references=(SENTENCE,),
        ),
        Table(
            "countries",
            "Countries referred to anywhere, plus the four Quad members.",
            (
                _c("country", "str", "ISO 3166-1 alpha-3 code"),
                _c("name", "str", "short English name"),
                _c("quad_member", "bool", "Australia, India, Japan or the United States"),
            ),
            ("country",),
        ),
        Table(
            "places",
            "Cities and other places named in the text or in datelines.",
            (
                _c("place_id", "str", "slug of the place"),
                _c("name", "str", "name as listed in the knowledge base"),
                _c("country", "str", "alpha-3", True),
            ),
            ("place_id",),
            references=((("country",), "countries", ("country",)),),
        ),
        Table(
            "organizations",
            "Government bodies, forums, companies and other organisations.",
            (
                _c("org_id", "str", "stable id: knowledge-base id, or `org-` slug of name and country"),
                _c("name", "str", "canonical name"),
                _c("kind", "str", "government body, forum, company or other"),
                _c("country", "str", "alpha-3 where known", True),
            ),
            ("org_id",),
            references=((("country",), "countries", ("country",)),),
            evidence=((("org_id",), "mentions", ("entity_id",)), (("org_id",), "roles", ("org_id",))),
        ),
        Table(
            "people",
            "Officials found in the text; one row per person across all articles.",
            (
                _c("person_id", "str", "`per-` slug of the full name"),
                _c("name", "str", "full name without rank or honours"),
                _c("honorific", "str", "rank or honorific: Lt General, Dr, Ambassador", True),
                _c("post_nominals", "str", "letters after the name: AO", True),
                _c("title", "str", "latest known title", True),
                _c("org_id", "str", "organisation of the latest known role", True),
                _c("country", "str", "country of the latest known role", True),
            ),
            ("person_id",),
            references=((("org_id",), "organizations", ("org_id",)), (("country",), "countries", ("country",))),
            evidence=((("person_id",), "mentions", ("entity_id",)),),
        ),
        Table(
            "roles",
            "Who held which post when: one row per reported (person, title, organisation, country) and sentence.",
            (
                _c("person_id", "str", "person"),
                _c("title", "str", "title as reported, e.g. Secretary", True),
                _c("org_id", "str", "organisation", True),
                _c("country", "str", "country the post belongs to", True),
                _c("as_of", "date", "the article's date: the post was reported as held then", True),
                _c("article_id", "str", "evidence article"),
                _c("sentence_id", "int", "evidence sentence"),
            ),
            ("person_id", "title", "org_id", "country", "article_id", "sentence_id"),
            references=(
                (("person_id",), "people", ("person_id",)),
                (("org_id",), "organizations", ("org_id",)),
                (("country",), "countries", ("country",)),
                SENTENCE,
            ),
        ),
        Table(
            "meetings",
            "Meetings, summits, dialogues and talks reported as held or as scheduled, merged across articles.",
            (
                _c("meeting_id", "str", "`mtg-` first day and place"),
                _c("name", "str", "e.g. Quad Senior Cyber Group principals meeting"),
                _c("kind", "str", "principals meeting, leaders' summit, ministerial, working group, dialogue, meeting"),
                _c("start_date", "date", "first day the text allows", True),
                _c("end_date", "date", "last day the text allows", True),
                _c("date_precision", "str", "day, month or year: a year-precise meeting spans its whole year", True),
                _c("city", "str", "city name", True),
                _c("place_id", "str", "place", True),
                _c("country", "str", "host country alpha-3", True),
                _c("n_sources", "int", "number of articles reporting it"),
                _c("status", "str", "held, or planned: every report of it was written before it took place"),
            ),
            ("meeting_id",),
            references=((("place_id",), "places", ("place_id",)), (("country",), "countries", ("country",))),
            evidence=((("meeting_id",), "meeting_sources", ("meeting_id",)),),
        ),
        Table(
            "meeting_sources",
            "The sentences that report each meeting.",
            (
                _c("meeting_id", "str", "meeting"),
                _c("article_id", "str", "article"),
                _c("sentence_id", "int", "sentence"),
            ),
            ("meeting_id", "article_id", "sentence_id"),
            references=((("meeting_id",), "meetings", ("meeting_id",)), SENTENCE),
        ),
        Table(
            "participants",
            "Who took part in each meeting: a person, or only a country where no person is named.",
            (
                _c("meeting_id", "str", "meeting"),
                _c("person_id", "str", "person; null where only a country or organisation is named", True),
                _c("org_id", "str", "organisation represented", True),
                _c("country", "str", "country represented", True),
                _c("article_id", "str", "evidence article"),
                _c("sentence_id", "int", "evidence sentence"),
            ),
            ("meeting_id", "person_id", "org_id", "country", "article_id", "sentence_id"),
            references=(
                (("meeting_id",), "meetings", ("meeting_id",)),
                (("person_id",), "people", ("person_id",)),
                (("org_id",), "organizations", ("org_id",)),
                (("country",), "countries", ("country",)),
                SENTENCE,
            ),
        ),
        Table(
            "topics",
            "The cyber-policy taxonomy (editable in `data_pipeline/data/topics.toml` or with `--kb`).",
            (
                _c("topic_id", "str", "stable id, e.g. supply-chain-security"),
                _c("label", "str", "short label"),
                _c("description", "str", "what the topic covers"),
                _c("nist_csf_function", "str", "NIST CSF 2.0 function: Govern, Identify, Protect, Detect, Respond, Recover"),
                _c("quad_area", "str", "area of the Quad Cybersecurity Partnership"),
            ),
            ("topic_id",),
        ),
        Table(
            "topic_mentions",
            "Sentences that signal a topic, linked to the meeting when the sentence is about it.",
            (
                _c("topic_id", "str", "topic"),
                _c("article_id", "str", "article"),
                _c("sentence_id", "int", "sentence"),
                _c("meeting_id", "str", "meeting the sentence is about", True),
                _c("matched", "str", "the phrase that matched, as written"),
            ),
            ("topic_id", "article_id", "sentence_id", "matched"),
            references=(
                (("topic_id",), "topics", ("topic_id",)),
                (("meeting_id",), "meetings", ("meeting_id",)),
                SENTENCE,
            ),
        ),
    )
}


def empty(name: str) -> pd.DataFrame:
    return conform(name, pd.DataFrame(columns=TABLES[name].column_names))


def conform(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with exactly the table's columns, in order, with the contract's dtypes."""
    table = TABLES[name]
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise SchemaError(f"{name}: missing column(s) {', '.join(missing)}")
    out = frame[table.column_names].copy()
    for column in table.columns:
        out[column.name] = out[column.name].astype(DTYPES[column.kind])
    return out.reset_index(drop=True)


def _quoted(columns: tuple[str, ...]) -> list[str]:
    return [f'"{c}"' for c in columns]


def _shared_keys(connection, name: str, key: tuple[str, ...]) -> int:
    """Rows of table `name` whose key another row has too (missing values alike)."""
    columns = ", ".join(_quoted(key))
    (count,) = connection.execute(f'SELECT coalesce(sum(n), 0) FROM (SELECT count(*) AS n FROM "{name}" GROUP BY {columns} '
                                  "HAVING count(*) > 1)").fetchone()
    return int(count)


def _not_in(connection, name: str, columns: tuple[str, ...], targets: list[tuple[str, tuple[str, ...]]]) -> tuple[int, list[tuple]]:
    """How many distinct keys of table `name` (`columns`, none missing) are found in none of the targets (tables and
    their columns), and the first three of them. Asked of DuckDB, as this runs on every write and read: pandas
    indexes of the keys took a third of writing a version at 100,000 articles. An anti-join rather than `NOT EXISTS`:
    half the time at 100,000 articles (0.86 s against 1.77 s for the five references to `sentences`)."""
    here = _quoted(columns)
    absent = "".join(f' ANTI JOIN "{target}" AS t{n} ON ' + " AND ".join(f'f.{h} = t{n}."{c}"' for h, c in zip(here, there))
                     for n, (target, there) in enumerate(targets))
    found = (f"FROM (SELECT DISTINCT {', '.join(here)} FROM \"{name}\" WHERE {' AND '.join(h + ' IS NOT NULL' for h in here)}) "
             f"AS f{absent}")
    rows = connection.execute(f"SELECT {', '.join('f.' + h for h in here)} {found} ORDER BY ALL LIMIT 3").fetchall()
    if not rows:  # the tables of every build: counting them too (a window over every key) cost as much again
        return 0, []
    (count,) = connection.execute(f"SELECT count(*) {found}").fetchone()
    return int(count), rows


def problems(tables: dict[str, pd.DataFrame], kept: table_files.Kept = table_files.Kept()) -> list[str]:
    """Everything in these tables that breaks the contract (an empty list when they hold).

    `kept` adds to the per-article tables rows in Parquet parts (`table_files`), read by every check. When they are
    parts an add does not touch (`Kept.checked`), the checks within them are not asked again: the keys of those
    tables begin with the article id and a part holds a range of ids, so a kept row shares its key, and finds its
    sentence or article, only within its own part, which the version before was checked with. What that needs is
    checked here: no new row falls in a kept part."""
    found: list[str] = [f"{name}: {count} new row(s) of the parts kept from the version before"
                        for name, parts in kept.files.items() if name in tables
                        and (count := int(np.isin(table_files.parts_of(tables[name]["article_id"]),
                                                  [table_files.PARTS.index(part) for part in parts]).sum()))]
    within_parts = kept.files if kept.checked else {}
    for name, table in TABLES.items():
        if name not in tables:
            found.append(f"{name}: table missing")
            continue
        frame = tables[name]
        columns = list(frame.columns)
        if columns != table.column_names:
            found.append(f"{name}: columns {columns} != {table.column_names}")
            continue
        for column in table.columns:
            series = frame[column.name]
            if str(series.dtype) != DTYPES[column.kind] and not (DTYPES[column.kind] == "string" and isinstance(series.dtype, pd.StringDtype)):
                found.append(f"{name}.{column.name}: dtype {series.dtype} != {DTYPES[column.kind]}")
            if not column.nullable and series.isna().any():
                found.append(f"{name}.{column.name}: {int(series.isna().sum())} null value(s)")
            if column.kind == "date":
                bad = series.dropna()[~series.dropna().str.match(ISO_DATE)]
                if len(bad):
                    found.append(f"{name}.{column.name}: not ISO dates: {list(bad[:3])}")
    whole = [name for name, table in TABLES.items() if name in tables and list(tables[name].columns) == table.column_names]
    with duckdb.connect() as connection:
        for name in whole:  # as Arrow, which DuckDB scans as it is (a pandas frame it converts on every query)
            connection.register(f"{name}__new" if kept.paths(name) else name, pa.Table.from_pandas(tables[name], preserve_index=False))
            if kept.paths(name):
                files = ", ".join("'" + str(path).replace("'", "''") + "'" for path in kept.paths(name))
                connection.execute(f'CREATE VIEW "{name}" AS SELECT * FROM "{name}__new" UNION ALL BY NAME '
                                   f"SELECT * FROM read_parquet([{files}])")
        for name in whole:
            table = TABLES[name]
            shared = _shared_keys(connection, _new_rows(name, within_parts), table.key)
            if shared:
                found.append(f"{name}: {shared} rows share a key {table.key}")
            for here, other, there in table.references:
                if other not in whole:
                    continue
                within = here[0] == there[0] == "article_id" and bool(within_parts.get(name)) and bool(within_parts.get(other))
                count, some = _not_in(connection, _new_rows(name, within_parts) if within else name, here,
                                      [(_new_rows(other, within_parts) if within else other, there)])
                if count:
                    found.append(f"{name}{list(here)}: {count} value(s) not in {other}, e.g. {some}")
            if table.evidence:
                count, some = _not_in(connection, name, table.key, [(other, there) for _, other, there in table.evidence if other in whole])
                if count:
                    found.append(f"{name}: {count} row(s) not traceable to a sentence, e.g. {some}")
        if {"topic_mentions", "sentences"} <= set(whole):
            found += _phrases_outside_their_sentence(connection)
    return found


def _new_rows(name: str, checked: dict[str, dict]) -> str:
    """What `problems` checks within table `name`: the rows in memory alone where the rest are `checked` parts."""
    return f"{name}__new" if checked.get(name) else name


def _phrases_outside_their_sentence(connection) -> list[str]:
    """Topic mentions whose matched phrase is not in the sentence they cite: the evidence would not show it.

    Asked of DuckDB (the tables `problems` registered), which looks for every phrase in its sentence at once: a
    Python step per topic mention was a tenth of writing a version (and this runs on every write and every read)."""
    outside = connection.execute(
        "SELECT article_id, sentence_id, matched, count(*) OVER () FROM topic_mentions JOIN sentences "
        "USING (article_id, sentence_id) WHERE NOT contains(text, matched) ORDER BY ALL LIMIT 3").fetchall()
    if not outside:
        return []
    return [f"topic_mentions: {outside[0][3]} matched phrase(s) not in their sentence, e.g. {[row[:3] for row in outside]}"]


def validate(tables: dict[str, pd.DataFrame], kept: table_files.Kept = table_files.Kept()) -> None:
    found = problems(tables, kept)
    if found:
        raise SchemaError("tables break the contract:\n  " + "\n  ".join(found))


def markdown() -> str:
    """The table reference for the README."""
    lines = []
    for table in TABLES.values():
        lines += [f"### `{table.name}`", "", table.doc, "", "| column | type | null | meaning |", "|---|---|---|---|"]
        for column in table.columns:
            lines.append(f"| `{column.name}` | {column.kind} | {'yes' if column.nullable else 'no'} | {column.doc} |")
        lines += ["", f"Key: {', '.join(f'`{k}`' for k in table.key)}.", ""]
    return "\n".join(lines)
