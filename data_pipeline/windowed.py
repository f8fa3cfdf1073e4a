"""Work handed to parallel workers a few batches at a time, its results taken back in order.

A build takes extractions one at a time (linking streams them). Workers handed every batch at once (as
`Pool.imap` takes them) run ahead of it whenever the building process is slower than they are, and their finished
results wait in its memory; with a window of a few batches per worker, they wait for it instead. On 2 cores a
100,000-article build kept up (its peak was 4,642 MiB without the window on an idle machine, 4,643 MiB with it at
a load of 3 to 6); the window bounds what can pile up when it does not, as with a cluster of many workers.
"""

from __future__ import annotations

import itertools
from collections import deque
from typing import Callable, Iterable, Iterator, TypeVar

Handle = TypeVar("Handle")
TASKS_AHEAD = 4  # batches per worker submitted ahead of the one taken next: the workers stay busy, the memory bounded


def batches(items: Iterable, size: int) -> Iterator[list]:
    """`items` in consecutive batches of `size` (the last one shorter), each cut when it is asked for: a build lets
    each input go once its extraction is back (`build.Extraction`), and a batch cut ahead would hold it; and a
    stream of extractions is encoded a slice at a time (`extraction_store.SLICE`)."""
    items = iter(items)
    while batch := list(itertools.islice(items, size)):
        yield batch


def submitted_ahead(submit: Callable[[list], Handle], work: Iterable[list], ahead: int) -> Iterator[Handle]:
    """`submit(batch)` of each batch, handed back in order, with at most `ahead` batches submitted and not yet
    handed back: the next batch is submitted only when the consumer asks for another handle, that is once it has
    taken the previous one's results."""
    work, pending = iter(work), deque()
    pending.extend(submit(batch) for batch in itertools.islice(work, ahead))
    while pending:
        yield pending.popleft()
        pending.extend(submit(batch) for batch in itertools.islice(work, 1))
