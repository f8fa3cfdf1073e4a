"""Reading input files into raw articles, refusing bad input file by file.

A bad file never stops the others: each problem is reported with the file (and
record) it concerns, and the caller decides the exit code. The same text read
twice is one article, whatever the file names.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator

from .ids import article_id
from .model import RawArticle
from .progress import bar

# Every suffix the pipeline reads, here only: the build, the upload check and the Add page all take this list.
# Beyond text and JSON, each suffix has a reader in `formats`.
SUFFIXES = (".txt", ".md", ".json", ".jsonl", ".html", ".htm", ".pdf", ".xml", ".rss", ".atom", ".eml")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_HEADER = re.compile(r"^[ \t]*date[ \t]+(\S+)[ \t]*(.*)$")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Cheap limits checked before a JSON file is parsed in full: a record is an object in a list (depth 2), so 64
# leaves room for nested metadata, and a file of 10,000 records is already far past any real upload.
MAX_JSON_DEPTH = 64
MAX_RECORDS = 10_000
# A file with more problems than this reports the first ones and how many more: a list of a million bad records
# must not become a million messages.
MAX_PROBLEMS_PER_FILE = 20
# A JSON string (skipped whole, in the unrolled form the regex engine runs fast) or one structural character.
_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class InputProblem:
    path: str
    message: str
    fatal: bool  # the input (or record) was refused; otherwise a warning about what was read

    def __str__(self) -> str:
        return f"{'error' if self.fatal else 'warning'}: {self.path}: {self.message}"


class _Refused(Exception):
    """One input or record that cannot be read; its message says why."""


def unreadable(error: OSError) -> str:
    """Why a file could not be read, in the operating system's words (no traceback)."""
    return f"cannot read file: {error.strerror or error}"


def failure(error: BaseException) -> str:
    """Why an input was refused when something other than a known problem went wrong with it.

    Every per-input step (reading, parsing, extracting) ends in this one message
    rather than a traceback, so the rest of the batch goes on.
    """
    if isinstance(error, OSError):
        return unreadable(error)
    if isinstance(error, RecursionError):
        return "nested too deeply to read"
    detail = " ".join(str(error).split())[:200]
    return f"could not be read ({type(error).__name__}{': ' + detail if detail else ''})"


def _folder_files(folder: Path) -> Iterator[Path | InputProblem]:
    """Known files under `folder`, sorted, then each sub-folder that could not be listed (never skipped silently)."""
    found: list[Path] = []
    problems: list[InputProblem] = []

    def report(error: OSError) -> None:
        problems.append(InputProblem(str(error.filename or folder), f"cannot read folder: {error.strerror or error}", True))

    for parent, _, names in os.walk(folder, onerror=report):
        found += [Path(parent, n) for n in names if not n.startswith(".") and Path(n).suffix.lower() in SUFFIXES]
    yield from sorted(p for p in found if p.is_file())
    yield from problems


def input_files(inputs: Iterable[str | Path]) -> Iterator[Path | InputProblem]:
    """The files to read, in a stable order; a directory is read recursively for known suffixes."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            yield from _folder_files(path)
        elif path.is_file():
            yield path
        elif path.exists():
            yield InputProblem(str(path), "not a regular file or directory", True)
        else:
            yield InputProblem(str(path), "no such file or directory", True)


def too_large(size: int, limit: int) -> str:
    """Why a file over the limit is refused; in bytes when megabytes to one decimal would read the same."""
    mb, limit_mb = f"{size / 1048576:.1f} MB", f"{limit / 1048576:.1f} MB"
    if mb == limit_mb:
        mb, limit_mb = f"{size:,} bytes", f"{limit:,} bytes ({limit_mb})"
    return f"file is {mb}, over the size limit of {limit_mb}"


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise _Refused(too_large(size, max_bytes))
        data = path.read_bytes()
    except OSError as error:
        raise _Refused(unreadable(error)) from error
    if not data.strip():
        raise _Refused("empty file")
    return data


def _decode(path: Path, max_bytes: int) -> tuple[str, str]:
    """The file's text with newlines normalised, and the SHA-256 of its bytes."""
    data = _read_bytes(path, max_bytes)
    if b"\x00" in data:
        raise _Refused("binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _Refused(f"not valid UTF-8 (bad byte at offset {error.start}); save it as UTF-8") from error
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise _Refused("empty file")
    return text, hashlib.sha256(data).hexdigest()


def _parse_date(value: str, where: str) -> date:
    if not _ISO.match(value):
        raise _Refused(f"{where}: date {value!r} is not YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise _Refused(f"{where}: date {value!r} does not exist") from error


def _strip_blank_lines(text: str) -> str:
    return text.strip("\n").rstrip()


def _text_article(label: str, text: str) -> RawArticle:
    first, _, rest = text.partition("\n")
    header = _HEADER.match(first)
    if header:
        published = _parse_date(header.group(1), "header line")
        title, body, date_source = header.group(2).strip(), _strip_blank_lines(rest), "header"
    else:
        lines = [line for line in text.split("\n") if line.strip()]
        published, date_source = None, "unknown"
        if len(lines) > 1:
            title = lines[0].strip().lstrip("#").strip()
            body = _strip_blank_lines(text[text.index(lines[0]) + len(lines[0]) :])
        else:
            title, body = lines[0].strip()[:120], lines[0].strip()
    if not body.strip():
        raise _Refused("no article text after the title line")
    return RawArticle(article_id(body), title or body[:120], body, published, date_source, label)


def _record_article(record, where: str, source: str) -> RawArticle:
    if not isinstance(record, dict):
        raise _Refused(f"{where}: expected an object with title, date, text, got {type(record).__name__}")
    title, text, url, when = record.get("title"), record.get("text"), record.get("url"), record.get("date")
    if not isinstance(text, str) or not text.strip():
        raise _Refused(f"{where}: 'text' is missing or not a non-empty string")
    if title is not None and not isinstance(title, str):
        raise _Refused(f"{where}: 'title' must be a string")
    if url is not None and not isinstance(url, str):
        raise _Refused(f"{where}: 'url' must be a string")
    if when is not None and not isinstance(when, str):
        raise _Refused(f"{where}: 'date' must be a YYYY-MM-DD string")
    for name, value in (("title", title), ("text", text), ("url", url)):
        if value is not None and (bad := _SURROGATE.search(value)):
            raise _Refused(f"{where}: '{name}' holds \\u{ord(bad.group()):04x}, half of a character pair that is not a character")
    published = _parse_date(when.strip(), where) if when and when.strip() else None
    body = _strip_blank_lines(text.replace("\r\n", "\n").replace("\r", "\n"))
    title = (title or "").strip() or body.split("\n", 1)[0][:120]
    return RawArticle(article_id(body), title, body, published, "record" if published else "unknown", url or source)


def _check_structure(text: str, where: str = "") -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH or with more than MAX_RECORDS top-level items, before parsing it.

    One lazy pass over the brackets and commas outside strings, stopping at the
    first limit crossed: parsing 100,000 nested lists or a million numbers in full
    (hundreds of megabytes of objects and of messages) is what this check avoids.
    """
    prefix = f"{where}: " if where else ""
    depth = items = 0
    for token in _JSON_TOKEN.finditer(text):
        char = token.group()
        if char[0] == '"':
            continue
        if char in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise _Refused(f"{prefix}JSON nested more than {MAX_JSON_DEPTH} levels deep; records are objects in a list")
        elif char in "]}":
            depth -= 1
        elif depth == 1:
            items += 1
            if items >= MAX_RECORDS:
                raise _Refused(f"{prefix}more than {MAX_RECORDS:,} records in one file; split it into smaller files")


def _records(label: str, text: str) -> Iterator[tuple[object, str, str]]:
    if label.lower().endswith(".jsonl"):
        lines = [(number, line) for number, line in enumerate(text.split("\n"), start=1) if line.strip()]
        if len(lines) > MAX_RECORDS:
            raise _Refused(f"more than {MAX_RECORDS:,} records in one file; split it into smaller files")
        for number, line in lines:
            try:
                _check_structure(line, f"line {number}")
                yield json.loads(line), f"line {number}", f"{label}:{number}"
            except _Refused as error:
                yield error, f"line {number}", f"{label}:{number}"
            except ValueError as error:
                yield _Refused(f"line {number}: not valid JSON: {error}"), f"line {number}", f"{label}:{number}"
        return
    _check_structure(text)
    try:
        data = json.loads(text)
    except ValueError as error:
        raise _Refused(f"not valid JSON: {error}") from error
    if isinstance(data, list):
        for index, record in enumerate(data):
            yield record, f"record {index}", f"{label}#{index}"
    else:
        yield data, "record", label


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES, label: str | None = None) -> tuple[list[RawArticle], list[InputProblem], str | None]:
    """The articles of one file, its problems, and the SHA-256 of its bytes (None when unreadable).

    `label` is how the file is named in sources and messages (default: its path), so
    a file staged or kept under a data folder is named the same wherever that folder lives.
    """
    label = label or str(path)
    articles: list[RawArticle] = []
    problems: list[InputProblem] = []
    digest = None
    try:
        from .formats import READERS  # here, not at the top: the format readers raise this module's refusal

        if path.suffix.lower() in READERS:
            data = _read_bytes(path, max_bytes)
            digest = hashlib.sha256(data).hexdigest()
            for item in READERS[path.suffix.lower()](data, label):
                (problems if isinstance(item, InputProblem) else articles).append(item)
            return articles, problems, digest
        text, digest = _decode(path, max_bytes)
        if path.suffix.lower() in (".json", ".jsonl"):
            refused = 0
            for record, where, source in _records(label, text):
                try:
                    if isinstance(record, _Refused):
                        raise record
                    articles.append(_record_article(record, where, source))
                except _Refused as error:
                    refused += 1
                    if refused <= MAX_PROBLEMS_PER_FILE:
                        problems.append(InputProblem(label, str(error), True))
            if refused > MAX_PROBLEMS_PER_FILE:
                problems.append(InputProblem(label, f"and {refused - MAX_PROBLEMS_PER_FILE:,} more records refused", True))
        elif path.suffix.lower() in (".txt", ".md"):
            articles.append(_text_article(label, text))
        else:
            raise _Refused(f"unsupported file type {path.suffix or '(none)'}; use {', '.join(SUFFIXES)}")
    except _Refused as error:
        problems.append(InputProblem(label, str(error), True))
    except Exception as error:  # the per-input boundary: whatever else goes wrong refuses this file only
        return [], [InputProblem(label, failure(error), True)], digest
    return articles, problems, digest


def read_inputs(inputs: Iterable[str | Path], max_bytes: int = DEFAULT_MAX_BYTES, relative_to: Path | None = None,
                bars: bool = False) -> tuple[list[RawArticle], list[InputProblem], list[dict]]:
    """Distinct articles, problems, and what was read from each file (for the manifest).

    With `relative_to`, files are named relative to that folder (a data folder's inbox);
    `bars` shows the files read on a terminal.
    """
    articles: dict[str, RawArticle] = {}
    problems: list[InputProblem] = []
    files: list[dict] = []
    found_files = list(input_files(inputs))
    for item in bar(found_files, show=bars, total=len(found_files), desc="reading", unit="file"):
        if isinstance(item, InputProblem):
            problems.append(item)
            files.append({"path": item.path, "sha256": None, "status": "refused", "articles": 0})
            continue
        label = item.relative_to(relative_to).as_posix() if relative_to else str(item)
        found, file_problems, digest = read_file(item, max_bytes, label)
        problems.extend(file_problems)
        for article in found:
            if article.article_id in articles:
                problems.append(InputProblem(article.source, f"same text as {articles[article.article_id].source}; read once", False))
            else:
                articles[article.article_id] = article
        status = "refused" if not found and file_problems else "read"
        files.append({"path": label, "sha256": digest, "status": status, "articles": len(found)})
    return list(articles.values()), problems, files
