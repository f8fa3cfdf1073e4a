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

from dataclasses import dataclass
from typing import Iterable, Iterator

import numpy as np

from .stories import NUM_PERM

BANDS, ROWS = 32, 4  # BANDS * ROWS == NUM_PERM; a pair at Jaccard 0.6 is a candidate with probability 0.99, at 0.3 0.23
THRESHOLD = 0.6
COMPARED = 20_000  # pairs of signatures compared at once (40 MB)
# A signature's values are 32-bit (`stories.signature` keeps the low 32 bits of each), so they are kept as such: half
# the memory of 64-bit values, and half of what the linking state writes on every add (51 MB at 100,000 articles).
SIGNATURE = np.dtype(np.uint32)


def _band_key(values: np.ndarray) -> np.ndarray:
    """One 64-bit key per row of a band's values. Two bands that differ may share a key (rarely); that only
    puts them in one bucket, where the signatures are compared anyway."""
    key = np.zeros(len(values), dtype=np.uint64)
    for column in values.T:
        key = key * np.uint64(0x9E3779B97F4A7C15) + column  # wraps around: a multiplicative hash
    return key


def _band_keys(matrix: np.ndarray) -> np.ndarray:
    """Each row's key in every band, (rows, BANDS)."""
    return np.stack([_band_key(matrix[:, band * ROWS : (band + 1) * ROWS]) for band in range(BANDS)], axis=1).reshape(len(matrix), BANDS)


def _signed(signatures: dict[str, tuple[int, ...] | np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ids of the articles with a signature, in order, their signatures and their band keys."""
    ids = np.array(sorted(aid for aid, values in signatures.items() if len(values) == NUM_PERM), dtype=object)
    matrix = np.array([signatures[aid] for aid in ids], dtype=SIGNATURE).reshape(len(ids), NUM_PERM)
    return ids, matrix, _band_keys(matrix)


def _similar(rows: np.ndarray, firsts: np.ndarray) -> np.ndarray:
    """Whether each row's signature agrees with its bucket's first on at least `THRESHOLD` of their values."""
    return (rows == firsts).mean(axis=1) >= THRESHOLD


@dataclass(frozen=True)
class StoryIndex:
    """What finding the stories of a corpus keeps, so that an add places its new articles by the buckets they fall in
    instead of banding the whole corpus again (`added`): the signed articles in id order, their signatures and band
    keys, and the similar pairs found, each as (band, the bucket's first article, the other)."""

    ids: np.ndarray  # article ids, sorted
    matrix: np.ndarray  # (articles, NUM_PERM) signatures
    keys: np.ndarray  # (articles, BANDS) band keys
    edges: frozenset[tuple[int, str, str]]

    @classmethod
    def of(cls, signatures: dict[str, tuple[int, ...] | np.ndarray]) -> StoryIndex:
        """The index of every signed article of `signatures` (an article without a signature is a story alone).

        In each band, articles with the same band values fall in one bucket; each member is compared with the
        bucket's first article (in id order), every bucket of the band at once. A pair missed in one bucket because
        its first article is another story is met again in the other bands, where the buckets differ."""
        ids, matrix, keys = _signed(signatures)
        edges = {(band, ids[first], ids[other]) for band in range(BANDS)
                 for first, other in _similar_in_bucket(matrix, keys[:, band])}
        return cls(ids, matrix, keys, frozenset(edges))

    @classmethod
    def restored(cls, ids: np.ndarray, matrix: np.ndarray, edges: frozenset[tuple[int, str, str]]) -> StoryIndex:
        """The index kept as its ids, signatures and pairs (`link_state`), with its band keys made again."""
        return cls(ids, matrix, _band_keys(matrix), edges)

    def added(self, signatures: dict[str, tuple[int, ...] | np.ndarray]) -> StoryIndex:
        """The index of the corpus with `signatures`' articles (none of them indexed yet) added, equal to indexing
        them all at once (`of`): only the buckets the new articles fall in are compared again, since a new article
        that comes first in its bucket (in id order) becomes the one every member is compared with."""
        new_ids, new_matrix, new_keys = _signed(signatures)
        if not len(new_ids):
            return self
        at = np.searchsorted(self.ids, new_ids)  # both in id order: sorting every id again took half a second at 100,000
        if len(self.ids) and (self.ids[np.minimum(at, len(self.ids) - 1)] == new_ids).any():
            raise ValueError("an added article is indexed already")
        ids, matrix, keys = np.insert(self.ids, at, new_ids), np.insert(self.matrix, at, new_matrix, axis=0), np.insert(self.keys, at, new_keys, axis=0)
        edges = set(self.edges)
        for band in range(BANDS):
            touched = np.isin(keys[:, band], new_keys[:, band])
            old_firsts = set(self.ids[np.isin(self.keys[:, band], new_keys[:, band])].tolist())
            edges = {edge for edge in edges if edge[0] != band or edge[1] not in old_firsts}
            rows = np.flatnonzero(touched)
            edges |= {(band, ids[rows[first]], ids[rows[other]])
                      for first, other in _similar_in_bucket(matrix[rows], keys[rows, band])}
        return StoryIndex(ids, matrix, keys, frozenset(edges))

    def stories(self, article_ids: Iterable[str]) -> dict[str, str]:
        """Article id → story id: `sto-` and the hex digits of the smallest article id among its copies (the
        articles the similar pairs join, transitively)."""
        parent: dict[str, str] = {}

        def root(aid: str) -> str:
            while parent.get(aid, aid) != aid:
                parent[aid] = parent.get(parent[aid], parent[aid])
                aid = parent[aid]
            return aid

        for _, first, other in sorted(self.edges):
            low, high = sorted((root(first), root(other)))
            parent[high] = low
        return {aid: "sto-" + root(aid).removeprefix("art-") for aid in article_ids}


def story_ids(signatures: dict[str, tuple[int, ...]]) -> dict[str, str]:
    """Article id → story id for every article of `signatures` (`StoryIndex.stories`)."""
    return StoryIndex.of(signatures).stories(signatures)


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
        similar = _similar(matrix[other], matrix[first])
        yield from zip(first[similar].tolist(), other[similar].tolist())
