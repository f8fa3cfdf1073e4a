"""Benchmark of merging meeting reports (`meeting_blocks.cluster_meetings`) alone, at growing numbers of reports.

    python bench/linking.py --sizes 10000 100000 1000000

The reports are drawn like the synthetic corpus's (see `bench/generate.py`):
16 host cities and 4 other venues, meeting days over five years, five kinds,
mostly day-precise with some month- and year-precise ones, each meeting
reported by several articles. No article is extracted, so the merge is
measured at sizes a full build would take hours to reach; the time per report
should stay about flat as the number grows (near-linear merging). CPU time, not wall
time, so the load of a shared machine does not count.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import COUNTRIES, KINDS, OTHER_VENUES  # noqa: E402
from data_pipeline.ids import slug  # noqa: E402
from data_pipeline import meeting_blocks  # noqa: E402
from data_pipeline.meeting_blocks import Report, blocks, cluster_meetings  # noqa: E402
from data_pipeline.model import DateSpan, MeetingFinding  # noqa: E402

CITIES = tuple(city for _, _, cities in COUNTRIES.values() for city in cities) + OTHER_VENUES
FIRST_DAY, DAYS = date(2021, 1, 1), 5 * 365


def _span(rng: random.Random, day: date) -> DateSpan:
    draw = rng.random()
    if draw < 0.03:
        return DateSpan(date(day.year, 1, 1), date(day.year, 12, 31), "year")
    if draw < 0.12:
        following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        return DateSpan(day.replace(day=1), following - timedelta(days=1), "month")
    return DateSpan(day, day + timedelta(days=rng.random() < 0.2), "day")


def reports(n: int, seed: int = 0) -> list[Report]:
    """n reports of about n/4 meetings, in article order, as `link` hands them over."""
    rng = random.Random(seed)
    meetings = [(rng.choice(CITIES), FIRST_DAY + timedelta(days=rng.randrange(DAYS)), rng.choice(KINDS))
                for _ in range(max(1, n // 4))]
    drawn = []
    for i in range(n):
        city, day, kind = rng.choice(meetings)
        finding = MeetingFinding(f"Quad {kind}", kind if rng.random() < 0.8 else "meeting", _span(rng, day),
                                 slug(city), city, None, (1,))
        drawn.append(Report(f"art-{i:016x}", 0, finding))
    return drawn


def checks(drawn: list[Report]) -> int:
    """How many times `same_meeting` decided a pair: the work of the merge, whatever the machine's load."""
    rule, count = meeting_blocks.same_meeting, [0]

    def counted(known, report):
        count[0] += 1
        return rule(known, report)

    meeting_blocks.same_meeting = counted
    try:
        cluster_meetings(drawn)
    finally:
        meeting_blocks.same_meeting = rule
    return count[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    print("| reports | blocks | meetings | same_meeting checks per report | CPU seconds (median) "
          "| microseconds per report | growth vs previous size |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    previous = None
    for size in args.sizes:
        drawn = reports(size)
        times = []
        for _ in range(args.repeats):
            started = time.process_time()
            clusters = cluster_meetings(drawn)
            times.append(time.process_time() - started)
        seconds = statistics.median(times)
        growth = f"{seconds / previous[1]:.1f}x time for {size / previous[0]:.0f}x reports" if previous else "-"
        print(f"| {size:,} | {sum(1 for _ in blocks(drawn)):,} | {len(clusters):,} | {checks(drawn) / size:.2f} | {seconds:.2f} "
              f"| {seconds / size * 1e6:.1f} | {growth} |")
        previous = (size, seconds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
