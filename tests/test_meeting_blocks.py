"""Blocked merging of meeting reports gives exactly what comparing every report with every meeting gives.

The reference below is the unblocked rule the tables were first built with: each report, in order of first
day, joins the first meeting at its place that accepts it, however long ago that meeting was, with the best
report and its days computed from scratch. Tables built through it must equal the blocked build's.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.generate import write_corpus
from tests.conftest import ARTICLES, ROOT, SEED
from data_pipeline import link as link_module
from data_pipeline.build import extract_all
from data_pipeline.kb import load_kb
from data_pipeline.meeting_blocks import (Cluster, Report, blocks, cluster_meetings, place_key, precision_order,
                                          same_meeting)
from data_pipeline.model import DateSpan, MeetingFinding
from data_pipeline.readers import read_inputs

KB = load_kb()


def _unblocked(reports, _map_blocks=None) -> list[Cluster]:
    """Stands in for `cluster_meetings` (whose `map_blocks` it has no use for: there are no blocks)."""
    singles, by_place = [], {}
    for report in reports:
        key = place_key(report.finding)
        if key is None or report.finding.span is None:
            singles.append([report])
        else:
            by_place.setdefault(key, []).append(report)
    groups: list[list] = list(singles)
    for key in sorted(by_place):
        met: list[list] = []
        for report in sorted(by_place[key], key=lambda r: (r.finding.span.start, r.article_id)):
            target = next((g for g in met if all(r.article_id != report.article_id for r in g)
                           and same_meeting(min((r.finding for r in g), key=precision_order), report.finding)), None)
            if target is None:
                target = []
                met.append(target)
            target.append(report)
        groups += met
    clusters = []
    for group in groups:
        cluster = Cluster()
        for report in group:
            cluster.add(report)
        clusters.append(cluster)
    return clusters


def _from_scratch(cluster: Cluster) -> tuple:
    best = min((r.finding for r in cluster.reports), key=precision_order)
    same = [r.finding.span for r in cluster.reports if best.span and r.finding.span.precision == best.span.precision]
    span = (min(s.start for s in same), max(s.end for s in same)) if same else None
    return tuple((r.article_id, r.index) for r in cluster.reports), best, span


def _summary(clusters) -> list[tuple]:
    return [_from_scratch(c) for c in clusters]


def _extractions(inputs):
    articles, _, _ = read_inputs(inputs)
    assert articles
    return extract_all(articles, KB, (), 1)


def _corpora(tmp_path):
    generated = tmp_path / "generated"
    write_corpus(generated, 300, seed=11)
    heldout = sorted(ROOT.glob("tests/articles*"))
    return {"articles": [ARTICLES, *heldout], "seed": [SEED], "generated": [generated]}


@pytest.mark.parametrize("corpus", ["articles", "seed", "generated"])
def test_blocked_tables_equal_the_unblocked_ones(tmp_path, monkeypatch, corpus):
    extractions = _extractions(_corpora(tmp_path)[corpus])
    blocked = link_module.link(extractions, KB)
    monkeypatch.setattr(link_module, "cluster_meetings", _unblocked)
    unblocked = link_module.link(extractions, KB)
    assert not blocked["meetings"].empty
    for name in blocked:
        assert blocked[name].equals(unblocked[name]), name


def test_generated_corpus_merges_reports_across_blocks_as_the_reference(tmp_path):
    write_corpus(tmp_path / "g", 300, seed=4)
    extractions = _extractions([tmp_path / "g"])
    reports = [Report(e.document.article_id, i, f) for e in sorted(extractions, key=lambda e: e.document.article_id)
               for i, f in enumerate(e.meetings)]
    blocked = cluster_meetings(reports)
    assert _summary(blocked) == _summary(_unblocked(reports))
    assert any(len(c.reports) > 1 for c in blocked)  # the corpus does hold several reports of one meeting
    assert len(list(blocks(reports))) > len(reports) // 10  # and is cut into many blocks, not one per place


KINDS = st.sampled_from(["meeting", "dialogue", "working group"])
PLACES = st.sampled_from(["tokyo", "sydney", None])


@st.composite
def _finding(draw):
    precision = draw(st.sampled_from(["day", "day", "month", "year"]))
    if draw(st.integers(0, 9)) == 0:
        span = None
    elif precision == "day":
        first = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 120)))
        span = DateSpan(first, first + timedelta(days=draw(st.integers(0, 2))), "day")
    elif precision == "month":
        month = draw(st.integers(1, 5))
        span = DateSpan(date(2024, month, 1), date(2024, month + 1, 1) - timedelta(days=1), "month")
    else:
        year = draw(st.sampled_from([2023, 2024]))
        span = DateSpan(date(year, 1, 1), date(year, 12, 31), "year")
    place = draw(PLACES)
    return MeetingFinding(draw(st.sampled_from(["Talks", "Cyber talks"])), draw(KINDS), span, place,
                          place.title() if place else None, None, (0,))


@given(st.lists(st.lists(_finding(), min_size=1, max_size=3), min_size=1, max_size=40))
def test_blocked_merge_equals_the_reference_on_any_reports(articles):
    reports = [Report(f"art-{n:04d}", i, f) for n, findings in enumerate(articles) for i, f in enumerate(findings)]
    assert _summary(cluster_meetings(reports)) == _summary(_unblocked(reports))


def test_a_year_precise_report_joins_the_day_reports_of_its_year_into_one_block():
    def finding(span, kind="dialogue"):
        return MeetingFinding("Cyber dialogue", kind, span, "tokyo", "Tokyo", "JPN", (0,))

    march = finding(DateSpan(date(2024, 3, 3), date(2024, 3, 3), "day"))
    june = finding(DateSpan(date(2024, 6, 9), date(2024, 6, 9), "day"))
    year = finding(DateSpan(date(2024, 1, 1), date(2024, 12, 31), "year"), kind="meeting")
    apart = [Report("art-a", 0, march), Report("art-b", 0, june)]
    assert [len(b) for b in blocks(apart)] == [1, 1]
    joined = apart + [Report("art-c", 0, year)]
    assert [len(b) for b in blocks(joined)] == [3]
    (first, second) = cluster_meetings(joined)
    assert [r.article_id for r in first.reports] == ["art-c", "art-a"]  # the year report merged with March's meeting
    assert first.span == DateSpan(date(2024, 3, 3), date(2024, 3, 3), "day")
    assert not same_meeting(march, june) and same_meeting(year, june)
    assert not same_meeting(finding(march.span, kind="principals meeting"), finding(march.span, kind="working group"))  # two levels
    assert same_meeting(march, finding(march.span, kind="principals meeting"))  # a dialogue is a format: it fits any level
    assert not same_meeting(march, finding(None)) and not same_meeting(finding(None), finding(None))
