"""Adding articles to a data folder: keep the originals, rebuild incrementally, swap the new version in.

This is the one way tables change, for the command line and the dashboard alike:

1. each new file's articles are extracted first, outside the lock and each within a
   time limit, so a slow or broken file is refused without holding up anyone else;
2. under the folder's lock (a second upload waits, then builds on top of the first),
   each file is staged under `.staging/`, read by the same readers as a build, and
   either refused (nothing kept), found to be already present (nothing kept), or
   moved into `inbox/` under a name that cannot leave it;
3. the whole inbox is built (reusing the extractions of step 1), reusing the previous version's extractions, and the
   new version replaces the current one atomically;
4. if anything fails before the swap, the files this call put into the inbox are
   taken out again, so the folder is as it was.

Every outcome says, per file, what it added: meetings, people and topics.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from . import store
from .table_files import Kept
from .build import BuildResult, build_tables, extraction_key, fingerprint
from .extraction_store import PARTS, ExtractionCache, PartWriter, parts_dir, read_cache
from .incoming import incoming as incoming_folder
from .isolated import extract_groups
from .kb import load_kb
from .readers import DEFAULT_MAX_BYTES, SUFFIXES, InputProblem, input_files, read_file, too_large, unreadable

ADDED, PRESENT, REFUSED = "added", "already present", "refused"
# How long extracting one file's articles may take (a 10 MB text takes about a minute on a 2-core machine).
EXTRACT_SECONDS = 180.0
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Upload:
    """A file as the analyst handed it over: the name is untrusted text, like the bytes."""

    name: str
    data: bytes

    def read(self) -> bytes:
        return self.data


@dataclass(frozen=True)
class FileUpload:
    """A file named to the build command, read each time it is needed instead of held: a first build of the
    100,000-article bench corpus names 90,000 files, 568 MB that were held to the end of the build."""

    name: str
    path: Path

    def read(self) -> bytes:
        return self.path.read_bytes()


@dataclass(frozen=True)
class FileOutcome:
    name: str  # as given
    status: str  # added, already present, refused
    messages: tuple[str, ...] = ()
    stored_as: str | None = None  # path inside the data folder, e.g. inbox/statement.txt
    article_ids: tuple[str, ...] = ()
    new_meetings: tuple[str, ...] = ()
    known_meetings: tuple[str, ...] = ()  # meetings already in the data that this file also reports
    new_people: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


def _files_of(problem: InputProblem) -> set[str]:
    """The files a build problem can be about: its path, and what comes before each `:` (a line or record) or `#`
    (a part of a file), so that a file's problems are found in one lookup (`_by_file`), not by trying every file
    on every problem (a first build of 90,000 files)."""
    return {problem.path} | {problem.path[:at] for at, char in enumerate(problem.path) if char in ":#"}


def _by_file(problems: list[InputProblem]) -> dict[str, list[InputProblem]]:
    """The problems about each file (the file itself, or one of its records or lines), in their order."""
    found: dict[str, list[InputProblem]] = {}
    for problem in problems:
        for path in _files_of(problem):
            found.setdefault(path, []).append(problem)
    return found


@dataclass(frozen=True)
class UpdateResult:
    outcomes: list[FileOutcome]
    build: BuildResult | None  # None when nothing had to be built
    version: Path | None  # the version written, None when the current one was kept

    @property
    def refused(self) -> bool:
        return any(o.status == REFUSED for o in self.outcomes)

    @property
    def other_problems(self) -> list[InputProblem]:
        """Build problems not already in a file's outcome (about articles added earlier)."""
        problems = self.build.problems if self.build else []
        stored = {o.stored_as for o in self.outcomes if o.stored_as is not None}
        return [p for p in problems if stored.isdisjoint(_files_of(p))]


def safe_name(name: str) -> str:
    """A file name that stays inside the inbox whatever it was: last path part, plain characters, known suffix.

    Both separators count (a Windows name sent by a browser), so `..\\..\\x.txt`
    and `/etc/passwd` become plain names; an empty or dot-only stem becomes `article`.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFKC", name.replace("\x00", "")))[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = _UNSAFE.sub("-", stem).strip("-_")[:80] or "article"
    suffix = _UNSAFE.sub("", suffix).lower()[:8]
    return f"{stem}.{suffix}" if suffix else stem


def _inbox_path(folder: Path, name: str, data: bytes) -> Path:
    """Where to keep `data`: its safe name, or with a content hash when another file has that name."""
    inbox = store.inbox(folder)
    path = inbox / name
    if path.exists() and path.read_bytes() != data:
        stem, dot, suffix = name.rpartition(".")
        path = inbox / f"{stem}-{hashlib.sha256(data).hexdigest()[:8]}{dot}{suffix}"
    if path.resolve().parent != inbox.resolve():
        raise ValueError(f"{name!r} would be written outside {inbox}")
    return path


def _uploads(items: Sequence[Upload | str | Path], max_bytes: int) -> list[Upload | FileUpload | FileOutcome]:
    """Paths (files or folders, as the build command takes them) become uploads; oversized files are refused."""
    found: list[Upload | FileUpload | FileOutcome] = []
    for item in items:
        if isinstance(item, Upload):
            found.append(item)
            continue
        for path in input_files([item]):
            if isinstance(path, InputProblem):
                found.append(FileOutcome(path.path, REFUSED, (path.message,)))
                continue
            try:  # a file can vanish or lose its permissions between listing and reading (`_accept` says so)
                size = path.stat().st_size
                found.append(FileOutcome(str(path), REFUSED, (too_large(size, max_bytes),)) if size > max_bytes
                             else FileUpload(str(path), path))
            except OSError as error:
                found.append(FileOutcome(str(path), REFUSED, (unreadable(error),)))
    return found


def _refusal(name: str, data: bytes, max_bytes: int) -> str | None:
    """Why a file is refused before its articles are read (a type no reader takes, too big), None when it can be
    read; `name` is its safe name."""
    if Path(name).suffix not in SUFFIXES:
        return f"unsupported file type; use {', '.join(SUFFIXES)}"
    return too_large(len(data), max_bytes) if len(data) > max_bytes else None


def _read_upload(upload: Upload | FileUpload, max_bytes: int) -> list:
    """The articles of an upload, read from a private copy (nothing under the data folder is touched).

    Nothing is read when the file or the copy cannot be (a file gone, a full temporary disk), nor when it is too
    big or of a type no reader takes: the file then goes on to `_accept`, which says why it cannot be kept.
    """
    name = safe_name(upload.name)
    try:
        data = upload.read()
        if _refusal(name, data, max_bytes) is not None:
            return []
        with tempfile.TemporaryDirectory(prefix="quad-upload-") as scratch:
            staged = Path(scratch) / name
            staged.write_bytes(data)
            return read_file(staged, max_bytes)[0]
    except OSError:
        return []


def _extract_first(folder: Path, found: list[Upload | FileUpload | FileOutcome], kb_files: tuple[str, ...], jobs: int,
                   max_bytes: int, seconds: float, into: Path) -> tuple[list[Upload | FileUpload | FileOutcome], list[str]]:
    """Extract the new articles of each upload before taking the lock; refuse the files that fail or are too slow.

    Returns the uploads (a refused one replaced by its outcome) and the parts, written into `into` as the
    extractions arrive, for the build under the lock to reuse: a build of a hundred thousand files never holds
    their extractions. Files too big or unreadable are left for `_accept` to refuse with its usual reason.
    """
    if all(isinstance(upload, FileOutcome) for upload in found):
        return found, []
    load_kb(kb_files)  # a broken knowledge-base file is named here, not blamed on the uploads by the child process
    code_and_kb = fingerprint(kb_files)
    known = _stored(folder, full=False)
    pending: list[tuple[int, list, list[str]]] = []
    for index, upload in enumerate(found):
        if not isinstance(upload, FileOutcome):
            articles = [a for a in _read_upload(upload, max_bytes) if extraction_key(a, code_and_kb) not in known]
            if articles:
                pending.append((index, articles, [extraction_key(a, code_and_kb) for a in articles]))
    writer = PartWriter(into)
    refusals = extract_groups([articles for _, articles, _ in pending], kb_files, jobs, seconds,
                              lambda group, extractions: writer.add(zip(pending[group][2], extractions)))
    writer.close()
    found = list(found)
    for (index, _, _), refusal in zip(pending, refusals):
        if refusal is not None:
            found[index] = FileOutcome(found[index].name, REFUSED, (refusal,))
    return found, writer.parts


def _accept(folder: Path, upload: Upload | FileUpload, known: set[str], max_bytes: int) -> tuple[FileOutcome, Path | None]:
    """Stage, read and, when it brings a new article, keep one file; `known` grows by its articles.

    Returns the outcome and the inbox path this call created (to undo on failure).
    """
    name = safe_name(upload.name)
    try:
        data = upload.read()
    except OSError as error:  # a named file gone or made unreadable since the build started
        return FileOutcome(upload.name, REFUSED, (unreadable(error),)), None
    refusal = _refusal(name, data, max_bytes)
    if refusal is not None:
        return FileOutcome(upload.name, REFUSED, (refusal,)), None
    staged_dir = Path(tempfile.mkdtemp(prefix="upload-", dir=store.staging_dir(folder)))
    try:
        staged = staged_dir / name
        staged.write_bytes(data)
        target = _inbox_path(folder, name, data)
        label = target.relative_to(folder).as_posix()
        articles, problems, _ = read_file(staged, max_bytes, label)
        messages = tuple(p.message for p in problems)
        if not articles:
            return FileOutcome(upload.name, REFUSED, messages or ("no article could be read",)), None
        ids = tuple(dict.fromkeys(a.article_id for a in articles))
        if known.issuperset(ids):
            return FileOutcome(upload.name, PRESENT, messages + ("every article in it is already in the data",), article_ids=ids), None
        known.update(ids)
        outcome = FileOutcome(upload.name, ADDED, messages, label, ids)
        if target.exists():  # the same bytes are in the inbox already, waiting for a build that was interrupted
            return outcome, None
        target.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(target)
        return outcome, target
    finally:
        shutil.rmtree(staged_dir, ignore_errors=True)


def _kb_files(folder: Path, kb_files: Sequence[str | Path] | None) -> tuple[str, ...]:
    """The analyst's knowledge-base files: as given, else the ones the current version was built with."""
    if kb_files is not None:
        return tuple(str(Path(p).resolve()) for p in kb_files)
    try:
        recorded = store.read_manifest(folder).get("knowledge_base", [])
    except store.StoreError:
        return ()
    return tuple(p for p in recorded if not str(p).startswith("data_pipeline/data/"))


def _meeting_label(row) -> str:
    """Name, place and days, in the words an analyst would use to recognise the meeting."""
    known = {field: value for field, value in row._asdict().items() if isinstance(value, str)}
    place = known.get("city") or known.get("country") or "place not stated"
    start, end = known.get("start_date"), known.get("end_date")
    when = "date not stated" if start is None else start if start == end else f"{start} to {end}"
    return ", ".join([row.name] + ([] if place in row.name else [place]) + [when])


@dataclass(frozen=True)
class Known:
    """The ids a data folder held before a change: all that telling new from known needs, read as single columns."""

    articles: frozenset[str] = frozenset()
    meetings: frozenset[str] = frozenset()
    people: frozenset[str] = frozenset()

    @classmethod
    def read(cls, folder: Path) -> Known:
        if not (folder / store.CURRENT).exists():
            return cls()
        return cls(*(frozenset(store.read_column(folder, table, column))
                     for table, column in (("articles", "article_id"), ("meetings", "meeting_id"), ("people", "person_id"))))


class Contributions:
    """The rows of the new tables that the added articles are behind, selected once for all files of a change,
    and their meetings labelled and put in date order once, so describing one file costs in proportion to its own
    rows, not to the tables or to the other files (a first build of 90,000 files spent 6.4 ms of pandas on each,
    about ten minutes in all)."""

    def __init__(self, after: dict[str, pd.DataFrame], article_ids: set[str], parts: Kept = Kept()):
        def rows(table: str) -> pd.DataFrame:
            return after[table][after[table].article_id.isin(article_ids)]

        on_disk = parts.select("mentions", article_ids)  # a large build's (`build_tables(spill_to=…)`)
        mentions = rows("mentions") if on_disk is None else pd.concat([rows("mentions"), on_disk], ignore_index=True)
        self.meetings_of = rows("meeting_sources").groupby("article_id").meeting_id.agg(set).to_dict()
        self.people_of = mentions[mentions.entity_type == "person"].groupby("article_id").entity_id.agg(set).to_dict()
        self.topics_of = rows("topic_mentions").groupby("article_id").topic_id.agg(set).to_dict()
        meeting_ids = set().union(*self.meetings_of.values())
        meetings = after["meetings"][after["meetings"].meeting_id.isin(meeting_ids)].sort_values(["start_date", "meeting_id"])
        self._labels = dict(zip(meetings.meeting_id, map(_meeting_label, meetings.itertuples())))
        self._order = {meeting_id: n for n, meeting_id in enumerate(meetings.meeting_id)}  # date order
        self.people = dict(zip(after["people"].person_id, after["people"].name))
        self.topics = dict(zip(after["topics"].topic_id, after["topics"].label))

    @staticmethod
    def of(ids: set[str], by_article: dict[str, set]) -> set:
        return set().union(*(by_article.get(i, set()) for i in ids))

    @staticmethod
    def names(ids: set[str], names: dict[str, str]) -> tuple[str, ...]:
        return tuple(sorted(names[i] for i in ids if i in names))

    def meetings(self, ids: set[str], before: Known) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Labels of the meetings these articles report, new and already known, each in date order."""
        sourced = sorted(self.of(ids, self.meetings_of), key=self._order.__getitem__)
        return (tuple(self._labels[m] for m in sourced if m not in before.meetings),
                tuple(self._labels[m] for m in sourced if m in before.meetings))


def describe(outcome: FileOutcome, before: Known, added: Contributions) -> FileOutcome:
    """What the file's articles contribute to the new tables that the folder did not have."""
    if outcome.status != ADDED:
        return outcome
    ids = set(outcome.article_ids)
    new_meetings, known_meetings = added.meetings(ids, before)
    return FileOutcome(
        outcome.name, outcome.status, outcome.messages, outcome.stored_as, outcome.article_ids,
        new_meetings=new_meetings, known_meetings=known_meetings,
        new_people=added.names(added.of(ids, added.people_of) - before.people, added.people),
        topics=added.names(added.of(ids, added.topics_of), added.topics),
    )


def _with_warnings(outcome: FileOutcome, problems: list[InputProblem]) -> FileOutcome:
    """Build warnings about this file's articles (`problems`: no publication date…) join its messages, each once:
    the build reads the file again and repeats what reading it on arrival said (a feed item without text)."""
    mine = tuple(dict.fromkeys(p.message for p in problems if p.message not in outcome.messages))
    if not mine:
        return outcome
    return dataclasses.replace(outcome, messages=outcome.messages + mine)


def _stored(folder: Path, full: bool) -> ExtractionCache:
    """The extractions the current version keeps (none for a new folder or a full rebuild)."""
    if full or not (folder / store.CURRENT).exists():
        return ExtractionCache()
    return read_cache(folder, store.read_manifest(folder))


def _staged(folder: Path, incoming: Path, parts: list[str]) -> ExtractionCache:
    """The parts extracted before the lock, moved under `.staging/` (cleared when the lock is taken), from where
    the new version adopts the ones it uses."""
    staged = parts_dir(store.staging_dir(folder))
    staged.mkdir(parents=True, exist_ok=True)
    for part in parts:
        os.replace(incoming / part, staged / part)
    return ExtractionCache(store.staging_dir(folder), parts)


def _add_locked(folder: Path, found: list[Upload | FileUpload | FileOutcome], incoming: Path, ready: list[str],
                kb_files: Sequence[str | Path] | None, jobs: int, max_bytes: int, full: bool, items: Sequence,
                progress: Callable[[str], None], engine, bars: bool
                ) -> tuple[list[FileOutcome], Known, BuildResult | None, Path | None]:
    """Under the lock: keep the accepted files, build the inbox, write the version (undone on any failure)."""
    with store.locked(folder):
        before = Known.read(folder)
        known = set(before.articles)
        progress("Checking the files")
        outcomes: list[FileOutcome] = []
        kept: list[Path] = []
        try:
            for upload in found:
                outcome, path = (upload, None) if isinstance(upload, FileOutcome) else _accept(folder, upload, known, max_bytes)
                outcomes.append(outcome)
                kept += [path] if path is not None else []
            if items and not any(o.status == ADDED for o in outcomes):
                return outcomes, before, None, None
            progress("Reading new articles and linking them with the ones already there")
            has_version = (folder / store.CURRENT).exists()
            # extracted before the lock (`ready`) still counts as extracted by this update
            result = build_tables([store.inbox(folder)], kb_files=_kb_files(folder, kb_files), jobs=jobs,
                                  max_bytes=max_bytes, relative_to=folder, cache=_stored(folder, full),
                                  parts_to=store.staging_dir(folder) / PARTS, engine=engine,
                                  ready=_staged(folder, incoming, ready), bars=bars,
                                  previous=store.current(folder) if has_version and not full else None,
                                  spill_to=incoming / "tables")
            unchanged = has_version and store.read_manifest(folder).get("build_id") == result.manifest["build_id"]
            version = None
            if not result.empty and not (unchanged and not full):
                progress("Writing the new data version")
                version = store.write_tables(folder, result.tables, result.manifest, store.staging_dir(folder) / PARTS, result.beside,
                                             result.kept)
        except BaseException:
            for path in kept:
                path.unlink(missing_ok=True)
            raise
    return outcomes, before, result, version


def update(folder: str | Path, items: Sequence[Upload | str | Path] = (), *, kb_files: Sequence[str | Path] | None = None,
           jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES, full: bool = False, extract_seconds: float = EXTRACT_SECONDS,
           progress: Callable[[str], None] = lambda message: None, engine=None, bars: bool = False) -> UpdateResult:
    """Add `items` (uploads, files or folders) to the data folder and bring its tables up to date.

    With no items the inbox is rebuilt (picking up edited originals or a changed
    knowledge base); `full` ignores the previous extractions. A version is
    written only when it differs from the current one. Extracting one file's
    articles may take `extract_seconds`; a slower file is refused. `engine` runs
    the build (`build.LocalEngine(jobs)` unless given, e.g. a `dask_engine.DaskEngine`); `bars` draws
    progress bars on a terminal.
    """
    folder = Path(folder)
    progress("Reading the new articles")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with incoming_folder(folder) as incoming:  # this update's own, before the lock
            found, ready = _extract_first(folder, _uploads(items, max_bytes), _kb_files(folder, kb_files), jobs, max_bytes,
                                          extract_seconds, incoming)
            progress("Waiting for other changes to this data folder to finish")
            outcomes, before, result, version = _add_locked(folder, found, incoming, ready, kb_files, jobs, max_bytes,
                                                            full, items, progress, engine, bars)
            # before `incoming` goes: a large build's tables are in parts there (`build_tables(spill_to=…)`)
            added = None if result is None else Contributions(result.tables, {i for o in outcomes if o.status == ADDED
                                                                              for i in o.article_ids}, result.kept)
    except OSError as error:  # disk full, no permission: a clear refusal, and the folder as it was
        raise store.cannot_write(folder, error) from error
    if result is None:
        return UpdateResult(outcomes, None, None)
    by_file = _by_file(result.problems)
    outcomes = [_with_warnings(describe(o, before, added), by_file.get(o.stored_as, [])) for o in outcomes]
    return UpdateResult(outcomes, result, version)
