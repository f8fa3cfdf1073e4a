"""Extracting files' articles in a child process, each file within a time limit.

Why a child process: a file that takes too long (a 10 MB text of dense prose)
or that brings the interpreter down (out of memory) must cost its uploader a
refusal, not hold the data folder's lock or the server. A child can be killed
at any point; a thread cannot, and a Streamlit script thread may not take
signals. A fresh interpreter (`python -m data_pipeline.isolated`), not a fork:
forking a threaded server can deadlock the child.

Protocol: the parent writes one pickle (knowledge-base files, groups of
articles) to the child's stdin and closes it; the child answers with length-prefixed pickles
on stdout: first `READY`, then per group its extractions or the reason it was
refused. Both ends are this package, so pickle is no more trusting than a
function call.
"""

from __future__ import annotations

import os
import pickle
import select
import struct
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from .model import ArticleExtraction, RawArticle

READY = "ready"
_LENGTH = struct.Struct(">Q")
_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
STARTUP_SECONDS = 60.0  # importing the pipeline and loading the knowledge base, on a busy machine


class _Timeout(Exception):
    pass


def _write_frame(stream, value) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(data)) + data)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float) -> bytes:
    chunks, missing = [], size
    while missing:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
            raise _Timeout
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _read_frame(fd: int, deadline: float):
    (size,) = _LENGTH.unpack(_read_exactly(fd, _LENGTH.size, deadline))
    return pickle.loads(_read_exactly(fd, size, deadline))


def _start(kb_files: tuple[str, ...], groups: list[list[RawArticle]]) -> subprocess.Popen:
    env = os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, (_PACKAGE_PARENT, os.environ.get("PYTHONPATH"))))}
    child = subprocess.Popen([sys.executable, "-m", "data_pipeline.isolated"], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    try:
        pickle.dump((kb_files, groups), child.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        child.stdin.close()
    except BrokenPipeError:  # the child died at once; reading its answer says so
        pass
    return child


def _stop(child: subprocess.Popen) -> None:
    child.kill()
    child.wait()
    child.stdout.close()


def _lane(groups: list[list[RawArticle]], kb_files: tuple[str, ...], seconds: float,
          keep: Callable[[int, list[ArticleExtraction]], None]) -> list[str | None]:
    """Extract the groups one after another in one child, handing each group's extractions to `keep` (with the
    group's position in `groups`) as they arrive; a group that fails restarts the child for the rest.
    Returns why each group was refused, None for one kept."""
    results: list[str | None] = []
    while len(results) < len(groups):
        try:
            child = _start(kb_files, groups[len(results):])
        except OSError as error:  # no process to be had (out of memory, too many processes): refuse, never crash
            return results + [f"could not be read (no process to read it: {error.strerror or error})"] * (len(groups) - len(results))
        try:
            if _read_frame(child.stdout.fileno(), time.monotonic() + STARTUP_SECONDS) != READY:
                raise EOFError
            while len(results) < len(groups):
                answer = _read_frame(child.stdout.fileno(), time.monotonic() + seconds)
                if not isinstance(answer, str):
                    keep(len(results), answer)
                results.append(answer if isinstance(answer, str) else None)
        except _Timeout:
            results.append(f"took longer than {seconds:g} s to read; split it into smaller files")
        except (EOFError, pickle.UnpicklingError, struct.error):
            results.append("could not be read (the process reading it stopped, perhaps out of memory)")
        finally:
            _stop(child)
    return results


def extract_groups(groups: list[list[RawArticle]], kb_files: tuple[str, ...], jobs: int, seconds: float,
                   keep: Callable[[int, list[ArticleExtraction]], None]) -> list[str | None]:
    """Why each group (one file's articles) is refused, or None when its extractions went to `keep` (with the
    group's index; called from `jobs` threads at once, as each group is done, so nothing here holds them all).

    A group that fails, or takes longer than `seconds`, is refused and the
    others go on. `jobs` children work side by side on alternate groups.
    """
    lanes = max(1, min(jobs, len(groups)))
    with ThreadPoolExecutor(lanes) as pool:
        answers = list(pool.map(lambda n: _lane(groups[n::lanes], kb_files, seconds,
                                                lambda i, found: keep(n + i * lanes, found)), range(lanes)))
    results: list = [None] * len(groups)
    for n, answer in enumerate(answers):
        results[n::lanes] = answer
    return results


def _serve() -> None:
    from . import ner
    from .extract import extract_one
    from .kb import load_kb
    from .relevance import is_relevant
    from .readers import InputProblem

    kb_files, groups = pickle.load(sys.stdin.buffer)
    kb = load_kb(kb_files)
    # Before READY, when an article will be read for people: the time limit is for reading files, not for
    # loading the model; a batch with no relevant article (unrelated news, junk) never loads it.
    if any(is_relevant(article.title, article.text) for group in groups for article in group):
        ner.warm_up()
    out = sys.stdout.buffer
    _write_frame(out, READY)
    for group in groups:
        results = [extract_one(article, kb) for article in group]
        refused = next((r.message for r in results if isinstance(r, InputProblem)), None)
        _write_frame(out, refused if refused is not None else results)


if __name__ == "__main__":
    _serve()
