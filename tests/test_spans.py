"""The span index answers exactly what a scan over every span would."""

from hypothesis import given
from hypothesis import strategies as st

from data_pipeline.spans import Disjoint, inside_any, overlaps_any

span = st.tuples(st.integers(0, 60), st.integers(1, 20)).map(lambda p: (p[0], p[0] + p[1]))


@given(st.lists(span, max_size=25), span)
def test_inside_any_matches_a_scan(spans, query):
    expected = any(a <= query[0] and query[1] <= b for a, b in spans)
    assert inside_any(spans)(*query) == expected


@given(st.lists(span, max_size=25), span)
def test_overlaps_any_matches_a_scan(spans, query):
    expected = any(a < query[1] and query[0] < b for a, b in spans)
    assert overlaps_any(spans)(*query) == expected


@given(st.lists(span, max_size=25))
def test_disjoint_keeps_what_a_scan_would(spans):
    kept, scanned = Disjoint(), []
    for start, end in spans:
        if not kept.overlaps(start, end):
            kept.add(start, end)
        if not any(start < b and a < end for a, b in scanned):
            scanned.append((start, end))
    assert list(kept) == sorted(scanned)
