"""Near-duplicates, the part made in extraction: each article's MinHash signature.

A wire report (ANI, PTI, Reuters, Kyodo) reappears on a dozen sites with a new
headline, a dropped paragraph or a changed dateline. Counted as a dozen
articles it would inflate every chart, so each article gets a `story_id`
shared by all copies of one story (`story_groups`, at linking); every copy stays, with its own source.

How: each article's text becomes a set of word 5-shingles (lower-cased words,
so punctuation and spacing edits do not matter) and a MinHash signature of
`NUM_PERM` values, computed with fixed seeds during extraction (per article, in
the workers, cached like the rest of an extraction). The agreement of two
signatures estimates the Jaccard similarity of the two shingle sets. Grouping
articles into stories is linking's, in its own module, so that a change to it
keeps every stored extraction (this module is part of extraction's fingerprint).
"""

from __future__ import annotations

import re
import zlib

import numpy as np

SHINGLE = 5  # words per shingle
NUM_PERM = 128
_PRIME = (1 << 61) - 1
_MAX = (1 << 32) - 1
_rng = np.random.default_rng(20261201)  # fixed: signatures must be the same in every process and every run
# a, b and the shingle hashes x are below 2**32, so a*x + b fits in 64 bits before the modulus.
_A = _rng.integers(1, _MAX, NUM_PERM, dtype=np.uint64)
_B = _rng.integers(0, _MAX, NUM_PERM, dtype=np.uint64)
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[int]:
    """32-bit hashes of the text's runs of `SHINGLE` words (the whole text when it is shorter)."""
    words = _WORD.findall(text.lower())
    runs = [" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))]
    return {zlib.crc32(run.encode("utf-8")) for run in runs}


def signature(text: str) -> tuple[int, ...]:
    """The MinHash signature of the text's shingles: per permutation, the smallest permuted hash."""
    values = np.fromiter(shingles(text), dtype=np.uint64)
    permuted = (_A[:, None] * values[None, :] + _B[:, None]) % np.uint64(_PRIME)
    return tuple(int(v) for v in (permuted & np.uint64(_MAX)).min(axis=1))


def similarity(first: tuple[int, ...], second: tuple[int, ...]) -> float:
    """The share of signature values two texts agree on: an estimate of their shingles' Jaccard similarity."""
    return float(np.mean(np.asarray(first) == np.asarray(second)))
