"""Timing a consumer of a stream apart from the stream: `link` takes extractions as a build reads or makes them."""

from __future__ import annotations

import time
from typing import Iterator


class Clocked:
    """The items handed to a consumer, with the time spent producing them (reading parts, copying, waiting for
    extraction workers) counted apart, so the consumer's own time is its wall or CPU time minus this."""

    def __init__(self, items):
        self._items: Iterator = iter(items)
        self.cpu, self.wall, self.count = 0.0, 0.0, 0

    def __iter__(self) -> Clocked:
        return self

    def __next__(self):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            item = next(self._items)
        finally:
            self.cpu += time.process_time() - cpu
            self.wall += time.perf_counter() - wall
        self.count += 1
        return item
