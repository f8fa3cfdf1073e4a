"""How a version keeps its tables on disk: one Parquet file per table, but the per-article tables in parts.

`articles`, `pages`, `sentences` and `mentions` hold three quarters of a version's bytes (125 of 170 MB at 100,000
synthetic articles). Their keys start with the article id, and an add never changes the rows of an article already
in the version (`link_added`), so each is kept as a folder of parts, `<table>/<part>.parquet`, cut by ranges of the
article id (`PARTS`; ids are `art-` and hex digits, so 16 parts of about equal size). An add writes the parts its
new articles fall in and hard-links the others from the version before (`Kept`), reading and checking only what
it changes. Read in the order of their names, the parts are the table in key order. Ids outside the usual form
are still kept: they fall in the first part or the last by their order.

A reader takes either layout (`files`): versions written before the parts hold one file for every table.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

PARTED = ("articles", "pages", "sentences", "mentions")
PARTS = tuple("0123456789abcdef")
_BOUNDS = tuple(f"art-{part}" for part in PARTS[1:])  # part n holds the ids from bound n - 1 up to bound n


def files(version: Path, name: str) -> list[Path]:
    """The Parquet files of table `name` in `version`, in key order; FileNotFoundError when there are none."""
    single = Path(version) / f"{name}.parquet"
    if single.is_file():
        return [single]
    parts = Path(version) / name
    found = [parts / f"{part}.parquet" for part in PARTS if (parts / f"{part}.parquet").is_file()] if parts.is_dir() else []
    if not found:
        raise FileNotFoundError(f"{single} (or its parts)")
    return found


def parts_of(article_ids: pd.Series) -> np.ndarray:
    """The part (index into `PARTS`) each article id falls in, counted by Arrow: one comparison per bound (a
    missing id, which the contract refuses, falls in the first)."""
    column = pa.array(article_ids, pa.string(), from_pandas=True)
    index = np.zeros(len(column), dtype=np.int8)
    for bound in _BOUNDS:
        index += pc.greater_equal(column, bound).fill_null(False).to_numpy(zero_copy_only=False)
    return index


def read(paths: list[Path], columns: list[str] | None = None) -> pd.DataFrame:
    """The rows of `paths`, one after the other, as one frame (with `columns` only, when given)."""
    tables = [pq.read_table(path, columns=columns) for path in paths]
    return pa.concat_tables(tables).to_pandas() if len(tables) > 1 else tables[0].to_pandas()


def values(paths: list[Path], column: str) -> list:
    """One column of these files, one after the other, without reading the others (the text columns are large)."""
    return [value for path in paths for value in pq.read_table(path, columns=[column]).column(column).to_pylist()]


def rows(paths: list[Path]) -> int:
    """Rows in these files, from their footers."""
    return sum(pq.ParquetFile(path).metadata.num_rows for path in paths)


@dataclass(frozen=True)
class Kept:
    """Parts of the per-article tables already on disk, by table and part, that the new version links instead of
    writing: those an add takes from the version before as they are (`checked`: the contract held for them), or
    those a large build made as it linked (`table_spill`, not checked yet). The version's check reads them."""

    files: dict[str, dict[str, Path]] = field(default_factory=dict)
    checked: bool = True

    @classmethod
    def of(cls, version: Path, touched: set[str]) -> Kept:
        """Every part of `version`'s per-article tables but the `touched` ones; none when it keeps each table in
        one file."""
        found: dict[str, dict[str, Path]] = {}
        for name in PARTED:
            paths = files(version, name)
            if paths[0].parent == Path(version):
                return cls()
            found[name] = {path.stem: path for path in paths if path.stem not in touched}
        return cls(found)

    def paths(self, name: str) -> list[Path]:
        return list(self.files.get(name, {}).values())

    def rows(self, name: str) -> int:
        return rows(self.paths(name))

    def column(self, name: str, column: str) -> list:
        """One column of the kept parts of table `name`, in key order."""
        return values(self.paths(name), column)

    def select(self, name: str, article_ids: set[str]) -> pd.DataFrame | None:
        """The rows of table `name` of these articles that the parts hold (read only from the parts they fall in),
        or None when no part of theirs is here."""
        held = self.files.get(name, {})
        paths = [held[part] for part in sorted({PARTS[n] for n in parts_of(pd.Series(sorted(article_ids), dtype=object))}) if part in held]
        if not paths:
            return None
        return pa.concat_tables([pq.read_table(path, filters=[("article_id", "in", sorted(article_ids))]) for path in paths]).to_pandas()

    def named(self, entity_type: str) -> set[str]:
        """The ids of the entities of one type (`mentions.entity_type`) the kept mentions name."""
        found: set[str] = set()
        for path in self.paths("mentions"):
            mentions = pq.read_table(path, columns=["entity_type", "entity_id"])
            found.update(pc.unique(mentions.filter(pc.equal(mentions["entity_type"], entity_type))["entity_id"]).to_pylist())
        return found - {None}


def write(frame: pd.DataFrame, version: Path, name: str, kept: Kept = Kept()) -> None:
    """Write table `name` into the version being made: one file, or the parts its rows fall in beside the parts
    `kept` from the version before. A table without a row still has one part, for its columns."""
    if name not in PARTED:
        frame.to_parquet(Path(version) / f"{name}.parquet", index=False)
        return
    folder = Path(version) / name
    folder.mkdir()
    index = parts_of(frame["article_id"])
    order = np.argsort(index, kind="stable")
    ends = np.searchsorted(index[order], np.arange(len(PARTS) + 1))
    for n, part in enumerate(PARTS):
        if ends[n + 1] > ends[n]:
            frame.take(order[ends[n]:ends[n + 1]]).to_parquet(folder / f"{part}.parquet", index=False)
    for part, source in kept.files.get(name, {}).items():
        _link(source, folder / f"{part}.parquet")
    if not any(folder.iterdir()):
        frame.to_parquet(folder / f"{PARTS[0]}.parquet", index=False)


def _link(source: Path, target: Path) -> None:
    """A second name for a file of the version before (versions never change a file once written); a copy where the
    file system has no hard links."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise  # a part both written and kept: never settled by copying the old one over the new
    except OSError:
        shutil.copyfile(source, target)
