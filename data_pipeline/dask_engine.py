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

from .build import extract_batch
from .kb import KnowledgeBase
from .model import ArticleExtraction, RawArticle
from .readers import InputProblem
from .windowed import TASKS_AHEAD, batches, submitted_ahead

ARTICLES_PER_TASK = 64
CONNECT_TIMEOUT = "20s"  # how long to wait for a scheduler given by address
BLOCK_TASKS_PER_WORKER = 4  # merging tasks per worker: enough to balance, few enough to keep overheads small


class DaskEngineError(ValueError):
    """Dask is missing or the scheduler cannot be reached; the message says what to do."""


def _apply(items: list, function: Callable) -> list:
    return [function(item) for item in items]


class DaskEngine:
    """The build's two parallel steps on a dask.distributed `client`."""

    def __init__(self, client):
        self.client = client

    def _workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def _gathered(self, task: Callable, work: Iterable[list], **arguments) -> Iterator:
        """`task(batch, **arguments)` of each batch on the cluster, its results in submission order, with at most
        `TASKS_AHEAD` tasks per worker submitted and not yet gathered (`windowed`), so the cluster never holds a
        whole corpus's results waiting for the build. Each task's memory is released on the cluster once its
        results are here."""
        submit = functools.partial(self.client.submit, task, pure=False, **arguments)
        for future in submitted_ahead(submit, work, self._workers() * TASKS_AHEAD):
            results = future.result()
            future.release()
            yield from results

    def extract(self, articles: list[RawArticle], kb: KnowledgeBase, kb_files: tuple[str, ...]) -> Iterator[ArticleExtraction | InputProblem]:
        return self._gathered(extract_batch, batches(articles, ARTICLES_PER_TASK), kb_files=kb_files)

    def map(self, function: Callable, items: Iterable) -> Iterator:
        items = list(items)
        size = max(1, -(-len(items) // (self._workers() * BLOCK_TASKS_PER_WORKER)))
        return self._gathered(_apply, batches(items, size), function=function)


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
