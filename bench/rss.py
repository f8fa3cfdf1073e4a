"""Resident memory of this process: now, and its peak while a block of code runs (Linux, from /proc)."""

from __future__ import annotations

import os
import threading


def rss_mib() -> float:
    """This process's resident set size now, in MiB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class PeakRss:
    """The largest resident size of this process while the block runs, read every `every` seconds by a thread
    (`ru_maxrss` cannot say when in a process's life its peak was)."""

    def __init__(self, every: float = 0.05):
        self.every, self.peak, self._done = every, 0.0, threading.Event()

    def _sample(self) -> None:
        while not self._done.wait(self.every):
            self.peak = max(self.peak, rss_mib())

    def __enter__(self):
        self.peak = rss_mib()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())
