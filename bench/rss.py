"""Memory of a process: this one's resident size now, a process tree's proportional size, and the peak of either
while a block of code runs (Linux, from /proc)."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable


def rss_mib() -> float:
    """This process's resident set size now, in MiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc's children lists (threads included)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                todo.extend(int(child) for child in task.read_text().split())
            except OSError:  # a thread or process ended while we looked
                continue
    return found


def tree_pss_mib(pid: int) -> float:
    """The proportional set size of a process and its descendants (a page forked workers share is counted once; 0
    for one gone), in MiB."""
    total = 0.0
    for task in descendants(pid):
        try:
            with open(f"/proc/{task}/smaps_rollup", encoding="ascii") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024
        except (OSError, StopIteration):
            pass
    return total


class PeakRss:
    """The largest value of `read` (this process's resident size unless given) while the block runs, read every
    `every` seconds by a thread (`ru_maxrss` cannot say when in a process's life its peak was, nor sum a tree)."""

    def __init__(self, every: float = 0.05, read: Callable[[], float] = rss_mib):
        self.every, self.read, self.peak, self._done = every, read, 0.0, threading.Event()

    def _sample(self) -> None:
        while not self._done.wait(self.every):
            self.peak = max(self.peak, self.read())

    def __enter__(self):
        self.peak = self.read()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, self.read())
