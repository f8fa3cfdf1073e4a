"""Running a build on Dask (`build --engine dask [--scheduler ADDRESS]`), for corpora one machine cannot keep up with.

Extraction is per article and merging is per block of meeting reports, so both
map onto Dask tasks: batches of articles, then batches of blocks, run on the
cluster's workers and gathered back in order. Reading the inputs, writing the
extraction parts and the tables stay in the building process, so the data
folder has the same layout and the same tables as with the local engine.

Dask is an optional extra (`pip install -e '.[dask]'`), imported only when a
Dask build starts, so the local engine runs without it. Without an address the
build starts a LocalCluster of `--jobs` worker processes on this machine and
stops it at the end.
"""

from __future__ import annotations

import functools
import itertools
from collections import deque
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from .extract import extract_one
from .kb import KnowledgeBase, load_kb
from .model import ArticleExtraction, RawArticle
from .readers import InputProblem

ARTICLES_PER_TASK = 64
CONNECT_TIMEOUT = "20s"  # how long to wait for a scheduler given by address
BLOCK_TASKS_PER_WORKER = 4  # merging tasks per worker: enough to balance, few enough to keep overheads small
TASKS_AHEAD = 4  # tasks per worker submitted ahead of the one gathered next: the cluster stays busy, its memory bounded


class DaskEngineError(ValueError):
    """Dask is missing or the scheduler cannot be reached; the message says what to do."""


@functools.lru_cache(maxsize=4)
def _worker_kb(kb_files: tuple[str, ...]) -> KnowledgeBase:
    """Loaded once per worker; the knowledge-base files must be at the same paths on every machine."""
    return load_kb(kb_files)


def _extract_batch(articles: list[RawArticle], kb_files: tuple[str, ...]) -> list[ArticleExtraction | InputProblem]:
    kb = _worker_kb(kb_files)
    return [extract_one(article, kb) for article in articles]


def _apply(items: list, function: Callable) -> list:
    return [function(item) for item in items]


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]


class DaskEngine:
    """The build's two parallel steps on a dask.distributed `client`."""

    def __init__(self, client):
        self.client = client

    def _workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def _gathered(self, task: Callable, batches: Iterable[list], **arguments) -> Iterator:
        """`task(batch, **arguments)` of each batch on the cluster, its results in submission order, with at most
        `TASKS_AHEAD` tasks per worker submitted and not yet gathered: the build takes results one at a time (it
        streams them into linking), so the cluster never holds a whole corpus's results waiting for it. Each
        task's memory is released on the cluster once its results are here."""
        batches, pending = iter(batches), deque()

        def submit(count: int) -> None:
            for batch in itertools.islice(batches, count):
                pending.append(self.client.submit(task, batch, pure=False, **arguments))

        submit(self._workers() * TASKS_AHEAD)
        while pending:
            future = pending.popleft()
            results = future.result()
            future.release()
            submit(1)
            yield from results

    def extract(self, articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...]) -> Iterator[ArticleExtraction | InputProblem]:
        return self._gathered(_extract_batch, _chunks(articles, ARTICLES_PER_TASK), kb_files=kb_files)

    def map(self, function: Callable, items: Iterable) -> Iterator:
        items = list(items)
        size = max(1, -(-len(items) // (self._workers() * BLOCK_TASKS_PER_WORKER)))
        return self._gathered(_apply, _chunks(items, size), function=function)


@contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[DaskEngine]:
    """A Dask engine on the cluster at `scheduler`, or on a LocalCluster of `workers` processes started here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise DaskEngineError("the dask engine needs Dask: install the project with pip install -e '.[dask]'") from error
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError, ValueError) as error:
            raise DaskEngineError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from error
        with client:
            yield DaskEngine(client)
        return
    # ":0": the diagnostics page on a free port, so two builds (or another Dask user) never clash on 8787.
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield DaskEngine(client)
