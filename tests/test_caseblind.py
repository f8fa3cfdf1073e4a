"""Folded case-blind scans find exactly what Python's case-insensitive scans find, at the same offsets."""

from __future__ import annotations

import re
import string
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from data_pipeline import meetings, relevance
from data_pipeline.caseblind import FOLDS, CaseBlind, fold
from data_pipeline.kb import load_kb
from data_pipeline.topics import topic_patterns

KB = load_kb()
PATTERNS = [
    meetings._CANDIDATE.pattern.pattern,
    relevance._pattern().pattern.pattern,
    *(p.pattern.pattern for _, p in topic_patterns(KB)),
    # not foldable: an upper-case escape, an inline flag, a class with capitals, a range across letters and signs
    r"\S+al\b", r"welcomed[^.]*?to\s+(?-i:[A-Z])", r"[A-Z]{2,}s?", r"[A-z]+", r"\x41I",
]
# letters and the characters that match ASCII letters case-blind, accents, curly quotes, dashes and spaces
ALPHABET = string.ascii_letters + "".join(FOLDS) + "éÉßẞ’“”—-'., \n\t0123456789"
WORDS = ["met", "meetings", "talks", "summit", "cyber", "ransomware", "diplomatic", "CERTs", "5G", "AI", "threat",
         "intelligence", "information", "sharing", "critical", "infrastructure", "quad", "Indo-Pacific", "minister"]
CASES = [str.lower, str.upper, str.title, lambda w: w.replace("s", "\u017f").replace("k", "\u212a").replace("I", "\u0130")]
WRITTEN = st.builds(lambda word, case: case(word), st.sampled_from(WORDS), st.sampled_from(CASES))
TEXTS = st.lists(WRITTEN | st.text(alphabet=ALPHABET, max_size=6), max_size=40).map(" ".join)


OTHERS = "".join(map(chr, [*range(0x80, 0xD800), *range(0xE000, sys.maxunicode + 1)]))


def test_folds_are_every_character_that_matches_an_ascii_letter_case_blind():
    found = {c: next(l for l in string.ascii_lowercase if re.fullmatch(l, c, re.IGNORECASE))
             for c in re.findall("[a-z]", OTHERS, re.IGNORECASE)}
    assert found == FOLDS


def test_folding_every_character_keeps_its_class_and_makes_ascii_letters_only_of_the_folds():
    folded = fold(OTHERS)
    assert len(folded) == len(OTHERS)
    changed = [(c, f) for c, f in zip(OTHERS, folded) if c != f]
    assert {c: f for c, f in changed if f.isascii()} == FOLDS
    for pattern in (r"\w", r"\d", r"\s"):
        assert [bool(re.match(pattern, c)) for c, _ in changed] == [bool(re.match(pattern, f)) for _, f in changed]


def test_folding_keeps_offsets():
    text = "İstanbul’s KELVIN-scale ſtudy by the MINISTRY"
    assert len(fold(text)) == len(text)
    assert fold(text) == "istanbul’s kelvin-scale study by the ministry"


def test_project_patterns_fold_and_hand_written_exceptions_do_not():
    assert all(CaseBlind(p)._folded is not None for p in PATTERNS[:-5])
    assert all(CaseBlind(p)._folded is None for p in PATTERNS[-5:])


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(PATTERNS))
def test_spans_equal_case_insensitive_finditer(text, pattern):
    blind = CaseBlind(pattern)
    assert list(blind.spans(text, fold(text))) == [m.span() for m in re.finditer(pattern, text, re.IGNORECASE)]
    assert blind.search(text) == (re.search(pattern, text, re.IGNORECASE) is not None)


def test_spans_on_written_words():
    text = "The QUAD Senior Cyber Group MET in Tokyo; Ministers Attended the ſummit and the Kelvin Talks."
    blind = CaseBlind(meetings._CANDIDATE.pattern.pattern)
    assert [text[s:e] for s, e in blind.spans(text, fold(text))] == ["MET", "Attended", "ſummit", "Talks"]
