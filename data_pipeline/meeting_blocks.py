"""Which meeting reports are one meeting: the `same_meeting` rule, and merging reports block by block.

Comparing every report with every other is quadratic (37 million checks at
45,000 articles). Two reports can only be one meeting when they name the same
place and their dates overlap, so the reports are cut into blocks that no
merge can cross:

- by place (the knowledge-base place, else the city's slug);
- within a place, into runs of reports whose date spans overlap one another,
  one after the other (sorted by first day, a new block starts where a report
  begins after every earlier report has ended). A month- or year-precise report
  spans its month or year, so it joins the day-precise reports inside it into
  one coarser block: nothing it could merge with is ever in another block.

Within a block the reports are swept in order of first day, and a meeting that
has ended before the next report begins is closed, so each report is compared
only with the meetings still open. The result is the same as comparing every
report with every meeting at the place, in the same order (a test keeps it so),
and the work grows with the corpus, not its square.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator

from .ids import slug
from .model import DateSpan, MeetingFinding

PRECISION_RANK = {"day": 0, "month": 1, "year": 2}
GENERIC_KIND = "meeting"
# Kinds that say how officials met, not at what level: a "dialogue" may be reported as a principals meeting.
FORMAT_KINDS = (GENERIC_KIND, "dialogue")


@dataclass(frozen=True)
class Report:
    """One meeting as one article reports it; `index` is its position in that article's meetings."""

    article_id: str
    index: int
    finding: MeetingFinding


def place_key(finding: MeetingFinding) -> str | None:
    """The blocking key of a report's place; None when the report names no place."""
    return finding.place_id or (f"city:{slug(finding.city)}" if finding.city else None)


def same_meeting(known: MeetingFinding, report: MeetingFinding) -> bool:
    """Whether `report`, from another article, is the meeting that `known` describes (see `one_meeting`)."""
    return one_meeting(place_key(known), known.span, known.kind, place_key(report), report.span, report.kind)


def one_meeting(place_a, span_a: DateSpan | None, kind_a: str, place_b, span_b: DateSpan | None, kind_b: str,
                *, one_article: bool = False) -> bool:
    """The one rule for two reports being one meeting, within an article and across articles: no two
    places, no two separate date spans, no two levels of meeting (a format kind, "meeting" or "dialogue",
    fits any level; a principals meeting and a working group are two meetings).

    Across articles both reports must name the place and the days, since nothing else ties them; within
    one article a report without them ("the meeting", "the talks on Tuesday") goes on about the one before.
    """
    if len({kind_a, kind_b} - set(FORMAT_KINDS)) > 1:
        return False
    if not one_article and (place_a is None or place_b is None or span_a is None or span_b is None):
        return False
    if place_a is not None and place_b is not None and place_a != place_b:
        return False
    return span_a is None or span_b is None or (span_a.start <= span_b.end and span_b.start <= span_a.end)


def most_specific(kinds: Iterable[str]) -> str:
    """The kind that says most of several reports of one meeting: a level over a format, a dialogue over a meeting."""
    rank = {kind: i for i, kind in enumerate(FORMAT_KINDS)}
    return max(kinds, key=lambda kind: rank.get(kind, len(rank)))


def precision_order(finding: MeetingFinding) -> tuple:
    """Sort key for the report that best describes a meeting: dated, finest precision, shortest span, longest name."""
    span = finding.span
    return (span is None, PRECISION_RANK.get(span.precision, 3) if span else 3,
            (span.end - span.start).days if span else 0, -len(finding.name))


@dataclass
class Cluster:
    """Reports taken to be one meeting, with its best report and days kept up to date as reports join."""

    reports: list[Report] = field(default_factory=list)
    best: MeetingFinding | None = None
    _articles: set[str] = field(default_factory=set)
    _days: dict[str, tuple] = field(default_factory=dict)  # precision -> (first start, last end)

    def add(self, report: Report) -> None:
        self.reports.append(report)
        self._articles.add(report.article_id)
        finding = self.best if self.best is not None else report.finding
        if precision_order(report.finding) < precision_order(finding):
            finding = report.finding
        self.best = finding
        span = report.finding.span
        if span is not None:
            first, last = self._days.get(span.precision, (span.start, span.end))
            self._days[span.precision] = (min(first, span.start), max(last, span.end))

    @property
    def span(self) -> DateSpan | None:
        """The days every report at the finest precision allows together: "Monday and Tuesday" in one
        report and "Tuesday" in another is Monday to Tuesday, never narrowed to what one report said."""
        if self.best is None or self.best.span is None:
            return None
        first, last = self._days[self.best.span.precision]
        return DateSpan(first, last, self.best.span.precision)

    def accepts(self, report: Report) -> bool:
        """`same_meeting` with the best report, unless this article already reported one of the meeting's
        reports: an article that reports two meetings there (a dialogue and a bilateral on its margins) has
        already told them apart."""
        return report.article_id not in self._articles and same_meeting(self.best, report.finding)


def blocks(reports: Iterable[Report]) -> Iterator[list[Report]]:
    """Reports cut into blocks no merge crosses, in a stable order: each unplaced or undated report alone
    (in the given order), then places by key and, within a place, runs of overlapping days by first day."""
    by_place: dict[str, list[Report]] = {}
    for report in reports:
        key = place_key(report.finding)
        if key is None or report.finding.span is None:
            yield [report]
        else:
            by_place.setdefault(key, []).append(report)
    for key in sorted(by_place):
        block: list[Report] = []
        last_end = None
        for report in sorted(by_place[key], key=lambda r: (r.finding.span.start, r.article_id)):
            if block and report.finding.span.start > last_end:
                yield block
                block, last_end = [], None
            block.append(report)
            last_end = report.finding.span.end if last_end is None else max(last_end, report.finding.span.end)
        if block:
            yield block


def cluster_block(block: list[Report]) -> list[Cluster]:
    """The meetings of one block, in order of their first report: each report joins the first open meeting
    that accepts it; a meeting whose best days end before a report begins can accept no later report."""
    clusters: list[Cluster] = []
    open_clusters: list[Cluster] = []
    for report in block:
        start = report.finding.span.start if report.finding.span else None
        if start is not None:
            open_clusters = [c for c in open_clusters if c.best.span.end >= start]
        target = next((c for c in open_clusters if c.accepts(report)), None)
        if target is None:
            target = Cluster()
            open_clusters.append(target)
            clusters.append(target)
        target.add(report)
    return clusters


def cluster_meetings(reports: Iterable[Report], map_blocks=map) -> list[Cluster]:
    """Every meeting of the reports, block by block; blocks are independent, so `map_blocks` may run them on
    other workers, as long as it gives the results back in order."""
    return [cluster for clusters in map_blocks(cluster_block, blocks(reports)) for cluster in clusters]
