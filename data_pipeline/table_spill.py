"""The per-article tables of a large build, written to disk in their parts as linking reads the batches.

Linking every article held every row of `articles`, `pages`, `sentences` and `mentions` until the end (at 100,000
synthetic articles about two thirds of a build's 3.6 GB peak, the texts most of it), so a build's memory grew with
the corpus. Those rows need nothing from other articles but the full name a short one stands for (a mention's
`entity_id`), so a large build appends each batch's rows to one file per table and part (`table_files.PARTS`, by
article id) and, once every article is linked, makes each part of the version from its file alone: a part at a
time in memory, whatever the corpus (`link.finish_parts`).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from . import table_files

SPILL_AFTER = 20_000  # articles: a smaller build holds its tables in memory (the tests' corpora, an analyst's folder)


def spills(spill_to: Path | None, articles: int) -> bool:
    """Whether a build that would hold the per-article rows of `articles` articles at once writes them to `spill_to`
    instead: linking every article, those are all the articles; an add, those of the parts its articles fall in."""
    return spill_to is not None and bool(articles > SPILL_AFTER)


class Spill:
    """Rows appended by table and part to Parquet files under `folder` (one row group per flush), read back a part
    at a time. Rows are buffered `FLUSH_ROWS` at a time across the tables (a few thousand articles: counted per
    table, the articles table's one row an article would hold a hundred times more texts), so a part's file has
    few, large row groups."""

    FLUSH_ROWS = 200_000

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._buffered: dict[str, list[pd.DataFrame]] = {name: [] for name in table_files.PARTED}
        self._writers: dict[tuple[str, str], pq.ParquetWriter] = {}
        self._schemas: dict[str, pa.Schema] = {}
        self._pending = 0

    def add(self, name: str, frame: pd.DataFrame) -> None:
        self._buffered[name].append(frame)
        self._pending += len(frame)
        if self._pending >= self.FLUSH_ROWS:
            for buffered in table_files.PARTED:
                self._flush(buffered)
            self._pending = 0

    def _flush(self, name: str) -> None:
        frames, self._buffered[name] = self._buffered[name], []
        if not frames:
            return
        frame = pd.concat(frames, ignore_index=True)
        table = pa.Table.from_pandas(frame, schema=self._schemas.setdefault(name, pa.Schema.from_pandas(frame, preserve_index=False)),
                                     preserve_index=False)
        index = table_files.parts_of(frame["article_id"])
        for n in np.unique(index):
            part = table_files.PARTS[n]
            if (name, part) not in self._writers:
                (self.folder / name).mkdir(parents=True, exist_ok=True)
                self._writers[name, part] = pq.ParquetWriter(self.folder / name / f"{part}.parquet", table.schema)
            self._writers[name, part].write_table(table.filter(pa.array(index == n)))

    def close(self) -> None:
        """Every buffered row written and every file closed: the parts can be read."""
        for name in table_files.PARTED:
            self._flush(name)
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()

    def parts(self, name: str) -> list[str]:
        """The parts that hold rows of table `name`, in order."""
        return [part for part in table_files.PARTS if (self.folder / name / f"{part}.parquet").is_file()]

    def take(self, name: str, part: str) -> pd.DataFrame:
        """The rows of one part of table `name`, its file removed once read (a spill holds the corpus once on disk)."""
        path = self.folder / name / f"{part}.parquet"
        frame = pq.read_table(path).to_pandas()
        path.unlink()
        return frame

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self.folder, ignore_errors=True)
