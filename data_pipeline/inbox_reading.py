"""Reading a build's inputs, file by file, with a record of what each file gave, kept with the version so that the
next add reads only the files that changed.

At 100,000 articles the inbox holds 90,000 files, and reading every one again took 6 of the 25 seconds of adding
one article. A file is taken as read before when its path, size, modification and change times and inode are the
recorded ones, as git and rsync judge a file unchanged; writing a file sets its change time, which no tool can set
back, so an edited original is always read again. A copied data folder has new change times and is read once in full.

The record keeps no text: an article taken from it carries an empty text and its length (`Reading.lengths`), and a
build that needs the text (to link every article, or to extract an article again) reads its file then
(`Reading.texts`). What is recorded is what `readers.read_file` returns for the file, before articles found twice
are read once (`read`), so the articles, problems and inputs listed are those of reading every file.

Layout under a version, with each file's SHA-256 in the manifest (`reading_record`)::

    reading/files.parquet      label, size, mtime_ns, ctime_ns, inode, sha256
    reading/articles.parquet   label, article_id, title, published, date_source, source, pages, length
    reading/problems.parquet   label, path, message, fatal
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

import pyarrow as pa
import pyarrow.parquet as pq

from .file_digests import digests
from .model import RawArticle
from .progress import bar
from .readers import InputProblem, input_files, read_file
from .store import StoreError

FOLDER = "reading"
MANIFEST_KEY = "reading_record"


class ReadingError(StoreError):
    """An original that changed while a build was reading it; the message names the file."""


@dataclass(frozen=True)
class FileRead:
    """What reading one file gave: its articles (texts left out of a record), their text lengths, its problems."""

    label: str
    stat: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
    digest: str | None
    articles: tuple[RawArticle, ...]
    lengths: tuple[int, ...]
    problems: tuple[InputProblem, ...]


def _stat(path: Path) -> tuple[int, int, int, int]:
    found = os.stat(path)
    return found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino


def _read(path: Path, label: str, max_bytes: int, recorded: dict[str, FileRead]) -> tuple[FileRead, list[RawArticle] | None]:
    """The file's reading (its articles without their texts), and its articles with their texts when it was read
    now; the recorded reading, and None, while the file is unchanged."""
    try:
        stat = _stat(path)
    except OSError:
        stat = (-1, -1, -1, -1)  # read_file says why it cannot be read
    known = recorded.get(label)
    if known is not None and known.stat == stat:
        return known, None
    articles, problems, digest = read_file(path, max_bytes, label)
    textless = tuple(dataclasses.replace(a, text="") for a in articles)
    return FileRead(label, stat, digest, textless, tuple(len(a.text) for a in articles), tuple(problems)), articles


@dataclass
class Reading:
    """What a build read, but the articles' texts (`read`): its reading problems, the inputs for the manifest, each
    file's reading (the record the next version keeps), and the articles whose text the record left out."""

    max_bytes: int
    reads: list[FileRead]
    problems: list[InputProblem]
    files: list[dict]
    lengths: dict[str, int]  # article id -> the length of its text
    unread: dict[str, tuple[Path, str]]  # article id -> the file to read its text from, and its label
    unchanged: int = 0  # files taken from the record

    def summary(self) -> str:
        """How many originals were read, for the analyst who wonders why an add of one file took its time."""
        read_now = len(self.reads) - self.unchanged
        rest = f"; the other {self.unchanged:,} unchanged since the previous version" if self.unchanged else ""
        return f"{read_now:,} of {len(self.reads):,} original(s) read{rest}"

    def texts(self, articles: Sequence[RawArticle]) -> list[RawArticle]:
        """The articles, those taken from the record with their texts, read again from their files."""
        unread = {a.article_id for a in articles if a.article_id in self.unread}
        texts: dict[str, str] = {}
        for path, label in {self.unread[article_id] for article_id in unread}:
            texts |= {a.article_id: a.text for a in read_file(path, self.max_bytes, label)[0] if a.article_id in unread}
        for article_id in unread:
            if len(texts.get(article_id, "")) != self.lengths[article_id]:
                raise ReadingError(f"{self.unread[article_id][1]}: changed while the build was reading it; build again")
            del self.unread[article_id]
        return [dataclasses.replace(a, text=texts[a.article_id]) if a.article_id in unread else a for a in articles]


def read(inputs: Iterable[str | Path], max_bytes: int, relative_to: Path | None, bars: bool,
         recorded: dict[str, FileRead]) -> tuple[list[RawArticle], Reading]:
    """The distinct articles of the inputs (those of unchanged recorded files without their text), and the reading.

    With `relative_to`, files are named relative to that folder (a data folder's inbox); `bars` shows the files read
    on a terminal. The same text read twice is one article, whatever the file names.
    """
    reading = Reading(max_bytes, [], [], [], {}, {})
    articles: dict[str, RawArticle] = {}
    found_files = list(input_files(inputs))
    for item in bar(found_files, show=bars, total=len(found_files), desc="reading", unit="file"):
        if isinstance(item, InputProblem):
            reading.problems.append(item)
            reading.files.append({"path": item.path, "sha256": None, "status": "refused", "articles": 0})
            continue
        label = item.relative_to(relative_to).as_posix() if relative_to else str(item)
        file_read, texted = _read(item, label, max_bytes, recorded)
        reading.reads.append(file_read)
        reading.unchanged += texted is None
        reading.problems.extend(file_read.problems)
        for article, length in zip(file_read.articles if texted is None else texted, file_read.lengths):
            if article.article_id in articles:
                reading.problems.append(InputProblem(article.source, f"same text as {articles[article.article_id].source}; read once", False))
                continue
            articles[article.article_id], reading.lengths[article.article_id] = article, length
            if texted is None:
                reading.unread[article.article_id] = (item, label)
        status = "refused" if not file_read.articles and file_read.problems else "read"
        reading.files.append({"path": label, "sha256": file_read.digest, "status": status, "articles": len(file_read.articles)})
    return list(articles.values()), reading


def write(version: Path, reads: Sequence[FileRead], key: dict) -> dict:
    """The record of `reads`, written under the version's `reading/`; returns what the manifest keeps of it: `key`
    (what else the reading depended on: its code, the size limit) and each file's SHA-256."""
    folder = Path(version) / FOLDER
    folder.mkdir()
    pq.write_table(pa.table({
        "label": pa.array([r.label for r in reads], pa.string()),
        **{name: pa.array([r.stat[i] for r in reads], pa.int64()) for i, name in enumerate(_STAT)},
        "sha256": pa.array([r.digest for r in reads], pa.string()),
    }), folder / "files.parquet")
    articles = [(r.label, a, n) for r in reads for a, n in zip(r.articles, r.lengths)]
    pq.write_table(pa.table({
        "label": pa.array([label for label, _, _ in articles], pa.string()),
        **{field: pa.array([getattr(a, field) for _, a, _ in articles], kind) for field, kind in _ARTICLE.items()},
        "length": pa.array([n for _, _, n in articles], pa.int64()),
    }), folder / "articles.parquet")
    problems = [(r.label, p) for r in reads for p in r.problems]
    pq.write_table(pa.table({
        "label": pa.array([label for label, _ in problems], pa.string()),
        "path": pa.array([p.path for _, p in problems], pa.string()),
        "message": pa.array([p.message for _, p in problems], pa.string()),
        "fatal": pa.array([p.fatal for _, p in problems], pa.bool_()),
    }), folder / "problems.parquet")
    return key | {"files": digests(folder)}


_STAT = ("size", "mtime_ns", "ctime_ns", "inode")
_ARTICLE = {"article_id": pa.string(), "title": pa.string(), "published": pa.date32(), "date_source": pa.string(),
            "source": pa.string(), "pages": pa.list_(pa.int64())}


def recorded(version: Path, manifest: dict, key: dict) -> dict[str, FileRead]:
    """The record the version keeps, by file label; empty when there is none, when it was kept under another `key`
    (other reading code or size limit), or when it is not the one written with the version (edited or damaged)."""
    kept = manifest.get(MANIFEST_KEY)
    folder = Path(version) / FOLDER
    if not isinstance(kept, dict) or {name: kept.get(name) for name in key} != key:
        return {}
    try:
        if digests(folder) != kept.get("files"):
            return {}
        files = pq.read_table(folder / "files.parquet").to_pydict()
        articles = pq.read_table(folder / "articles.parquet").to_pydict()
        problems = pq.read_table(folder / "problems.parquet").to_pydict()
    except (OSError, ValueError, pa.ArrowException):
        return {}
    found: dict[str, list[RawArticle]] = {label: [] for label in files["label"]}
    lengths: dict[str, list[int]] = {label: [] for label in files["label"]}
    for label, length, *values in zip(articles["label"], articles["length"], *(articles[f] for f in _ARTICLE)):
        article_id, title, published, date_source, source, pages = values
        found[label].append(RawArticle(article_id, title, "", published, date_source, source, tuple(pages)))
        lengths[label].append(length)
    problems_of: dict[str, list[InputProblem]] = {label: [] for label in files["label"]}
    for label, path, message, fatal in zip(problems["label"], problems["path"], problems["message"], problems["fatal"]):
        problems_of[label].append(InputProblem(path, message, fatal))
    stats = zip(*(files[name] for name in _STAT))
    return {label: FileRead(label, stat, digest, tuple(found[label]), tuple(lengths[label]), tuple(problems_of[label]))
            for label, stat, digest in zip(files["label"], stats, files["sha256"])}
