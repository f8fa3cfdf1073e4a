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
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator

from .extract import extract_one
from .kb import KnowledgeBase, load_kb
from .model import ArticleExtraction, RawArticle
from .readers import InputProblem

ARTICLES_PER_TASK = 64
CONNECT_TIMEOUT = "20s"  # how long to wait for a scheduler given by address
BLOCK_TASKS_PER_WORKER = 4  # merging tasks per worker: enough to balance, few enough to keep overheads small


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

    def _gathered(self, futures) -> Iterator:
        """Results in submission order, each task's memory released on the cluster once it is here."""
        for future in futures:
            batch = future.result()
            future.release()
            yield from batch

    def extract(self, articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...]) -> Iterator[ArticleExtraction | InputProblem]:
        batches = _chunks(articles, ARTICLES_PER_TASK)
        return self._gathered(self.client.map(_extract_batch, batches, kb_files=kb_files, pure=False))

    def map(self, function: Callable, items: Iterable) -> Iterator:
        items = list(items)
        workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        size = max(1, -(-len(items) // (workers * BLOCK_TASKS_PER_WORKER)))
        return self._gathered(self.client.map(_apply, _chunks(items, size), function=function, pure=False))


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
