"""Near-duplicates, the part made at linking: articles whose signatures (`stories.signature`) agree are one story.

Linking bands the signatures (locality-sensitive hashing, `BANDS` bands of
`ROWS` values) to find candidate pairs without comparing every pair, and keeps
a pair when the signatures agree on at least `THRESHOLD` of their values, the
estimated Jaccard similarity of the two texts' shingle sets. Copies of a wire
story with small edits share about three quarters or more of their shingles
(0.73 to 0.85 for the three copies in `tests/formats/wire/`); two outlets
writing their own reports on one meeting share few 5-word runs (under 2% in
`tests/articles/`), and even the template-made benchmark articles share under
45%. Pairs join into stories transitively.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .stories import NUM_PERM

BANDS, ROWS = 32, 4  # BANDS * ROWS == NUM_PERM; a pair at Jaccard 0.6 is a candidate with probability 0.99, at 0.3 0.23
THRESHOLD = 0.6
COMPARED = 20_000  # pairs of signatures compared at once (40 MB)


def _band_key(values: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of a band's values. Two bands that differ may share a key (rarely); that only
    puts them in one bucket, where the signatures are compared anyway."""
    key = np.zeros(len(values), dtype=np.uint64)
    for column in values.T:
        key = key * np.uint64(0x9E3779B97F4A7C15) + column  # wraps around: a multiplicative hash
    return key


def story_ids(signatures: dict[str, tuple[int, ...]]) -> dict[str, str]:
    """Article id → story id: `sto-` and the hex digits of the smallest article id among its copies.

    In each band, articles with the same band values fall in one bucket; each member is compared with the
    bucket's first article (in id order), every bucket of the band at once. A pair missed in one bucket because its
    first article is another story is met again in the other bands, where the buckets differ.
    """
    stories = {aid: "sto-" + aid.removeprefix("art-") for aid in signatures}
    ids = sorted(aid for aid, values in signatures.items() if len(values) == NUM_PERM)  # unsigned: a story alone
    if not ids:
        return stories
    matrix = np.array([signatures[aid] for aid in ids], dtype=np.uint64)
    parent = list(range(len(ids)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for band in range(BANDS):
        for first, other in _similar_in_bucket(matrix, _band_key(matrix[:, band * ROWS : (band + 1) * ROWS])):
            low, high = sorted((root(int(first)), root(int(other))))
            parent[high] = low
    return stories | {aid: "sto-" + ids[root(i)].removeprefix("art-") for i, aid in enumerate(ids)}


def _similar_in_bucket(matrix: np.ndarray, bucket: np.ndarray) -> Iterator[tuple[int, int]]:
    """(first, other) rows of `matrix` in one bucket, `first` the bucket's first row, whose signatures agree on at
    least `THRESHOLD` of their values. Every bucket is compared at once, `COMPARED` rows at a time: the buckets of
    template-made or near-duplicate corpora are many (270,000 of more than one article in the 32 bands of
    100,000 synthetic articles), and a step of Python for each took most of linking's story time."""
    order = np.argsort(bucket, kind="stable")  # rows stay in order inside each bucket
    ordered = bucket[order]
    later = np.zeros(len(order), dtype=bool)
    later[1:] = ordered[1:] == ordered[:-1]  # not the first of its bucket
    starts = np.maximum.accumulate(np.where(later, 0, np.arange(len(order))))
    others, firsts = order[later], order[starts[later]]
    for at in range(0, len(others), COMPARED):
        other, first = others[at : at + COMPARED], firsts[at : at + COMPARED]
        similar = (matrix[other] == matrix[first]).mean(axis=1) >= THRESHOLD
        yield from zip(first[similar].tolist(), other[similar].tolist())
