"""Adding articles to a data folder: keep the originals, rebuild incrementally, swap the new version in.

This is the one way tables change, for the command line and the dashboard alike:

1. under the folder's lock (a second upload waits, then builds on top of the first),
2. each file is staged under `.staging/`, read by the same readers as a build, and
   either refused (nothing kept), found to be already present (nothing kept), or
   moved into `inbox/` under a name that cannot leave it;
3. the whole inbox is built, reusing the previous version's extractions, and the
   new version replaces the current one atomically;
4. if anything fails before the swap, the files this call put into the inbox are
   taken out again, so the folder is as it was.

Every outcome says, per file, what it added: meetings, people and topics.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from . import store
from .build import BuildResult, build_tables
from .readers import DEFAULT_MAX_BYTES, SUFFIXES, InputProblem, input_files, read_file, too_large

ADDED, PRESENT, REFUSED = "added", "already present", "refused"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class Upload:
    """A file as the analyst handed it over: the name is untrusted text, like the bytes."""

    name: str
    data: bytes


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

    def concerns(self, problem: InputProblem) -> bool:
        """Whether a build problem is about this file (the file itself, or one of its records or lines)."""
        return self.stored_as is not None and re.match(re.escape(self.stored_as) + r"($|[:#])", problem.path) is not None


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
        return [p for p in problems if not any(o.concerns(p) for o in self.outcomes)]


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


def _uploads(items: Sequence[Upload | str | Path], max_bytes: int) -> list[Upload | FileOutcome]:
    """Paths (files or folders, as the build command takes them) become uploads; oversized files are not read."""
    found: list[Upload | FileOutcome] = []
    for item in items:
        if isinstance(item, Upload):
            found.append(item)
            continue
        for path in input_files([item]):
            if isinstance(path, InputProblem):
                found.append(FileOutcome(path.path, REFUSED, (path.message,)))
            elif path.stat().st_size > max_bytes:
                found.append(FileOutcome(str(path), REFUSED, (too_large(path.stat().st_size, max_bytes),)))
            else:
                found.append(Upload(str(path), path.read_bytes()))
    return found


def _accept(folder: Path, upload: Upload, known: set[str], max_bytes: int) -> tuple[FileOutcome, Path | None]:
    """Stage, read and, when it brings a new article, keep one file; `known` grows by its articles.

    Returns the outcome and the inbox path this call created (to undo on failure).
    """
    name = safe_name(upload.name)
    if Path(name).suffix not in SUFFIXES:
        return FileOutcome(upload.name, REFUSED, (f"unsupported file type; use {', '.join(SUFFIXES)}",)), None
    if len(upload.data) > max_bytes:
        return FileOutcome(upload.name, REFUSED, (too_large(len(upload.data), max_bytes),)), None
    staged_dir = Path(tempfile.mkdtemp(prefix="upload-", dir=store.staging_dir(folder)))
    try:
        staged = staged_dir / name
        staged.write_bytes(upload.data)
        target = _inbox_path(folder, name, upload.data)
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


def describe(outcome: FileOutcome, before: dict[str, pd.DataFrame] | None, after: dict[str, pd.DataFrame]) -> FileOutcome:
    """What the file's articles contribute to `after` that `before` did not have."""
    if outcome.status != ADDED:
        return outcome
    ids = set(outcome.article_ids)

    def old(table: str, column: str) -> set:
        return set(before[table][column]) if before is not None else set()

    sourced = set(after["meeting_sources"].loc[after["meeting_sources"].article_id.isin(ids), "meeting_id"])
    meetings = after["meetings"][after["meetings"].meeting_id.isin(sourced)].sort_values(["start_date", "meeting_id"])
    is_new = ~meetings.meeting_id.isin(old("meetings", "meeting_id"))
    mentions = after["mentions"]
    person_ids = set(mentions.loc[mentions.article_id.isin(ids) & (mentions.entity_type == "person"), "entity_id"])
    people = after["people"][after["people"].person_id.isin(person_ids - old("people", "person_id"))]
    topic_ids = set(after["topic_mentions"].loc[after["topic_mentions"].article_id.isin(ids), "topic_id"])
    topics = after["topics"][after["topics"].topic_id.isin(topic_ids)]
    return FileOutcome(
        outcome.name, outcome.status, outcome.messages, outcome.stored_as, outcome.article_ids,
        new_meetings=tuple(_meeting_label(r) for r in meetings[is_new].itertuples()),
        known_meetings=tuple(_meeting_label(r) for r in meetings[~is_new].itertuples()),
        new_people=tuple(sorted(people.name)),
        topics=tuple(sorted(topics.label)),
    )


def _with_warnings(outcome: FileOutcome, problems: list[InputProblem]) -> FileOutcome:
    """Build warnings about this file's articles (no publication date…) join its messages, each once: the build
    reads the file again and repeats what reading it on arrival said (a feed item without text)."""
    mine = tuple(dict.fromkeys(p.message for p in problems if outcome.concerns(p) and p.message not in outcome.messages))
    if not mine:
        return outcome
    return dataclasses.replace(outcome, messages=outcome.messages + mine)


def update(folder: str | Path, items: Sequence[Upload | str | Path] = (), *, kb_files: Sequence[str | Path] | None = None,
           jobs: int = 1, max_bytes: int = DEFAULT_MAX_BYTES, full: bool = False,
           progress: Callable[[str], None] = lambda message: None, bars: bool = False) -> UpdateResult:
    """Add `items` (uploads, files or folders) to the data folder and bring its tables up to date.

    With no items the inbox is rebuilt (picking up edited originals or a changed
    knowledge base); `full` ignores the previous extractions; `bars` draws progress bars on a terminal. A version is
    written only when it differs from the current one.
    """
    folder = Path(folder)
    progress("Waiting for other changes to this data folder to finish")
    with store.locked(folder):
        before = store.read_tables(folder) if (folder / store.CURRENT).exists() else None
        known = set(before["articles"].article_id) if before is not None else set()
        progress("Checking the files")
        outcomes: list[FileOutcome] = []
        kept: list[Path] = []
        try:
            for upload in _uploads(items, max_bytes):
                outcome, path = (upload, None) if isinstance(upload, FileOutcome) else _accept(folder, upload, known, max_bytes)
                outcomes.append(outcome)
                kept += [path] if path is not None else []
            if items and not any(o.status == ADDED for o in outcomes):
                return UpdateResult(outcomes, None, None)
            progress("Reading new articles and linking them with the ones already there")
            cache = {} if full else store.read_extractions(folder)
            result = build_tables([store.inbox(folder)], kb_files=_kb_files(folder, kb_files), jobs=jobs,
                                  max_bytes=max_bytes, relative_to=folder, cache=cache, bars=bars)
            unchanged = before is not None and store.read_manifest(folder).get("build_id") == result.manifest["build_id"]
            version = None
            if not result.tables["articles"].empty and not (unchanged and not full):
                progress("Writing the new data version")
                version = store.write_tables(folder, result.tables, result.manifest, result.extractions)
        except BaseException:
            for path in kept:
                path.unlink(missing_ok=True)
            raise
    outcomes = [_with_warnings(describe(o, before, result.tables), result.problems) for o in outcomes]
    return UpdateResult(outcomes, result, version)
