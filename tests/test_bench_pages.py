"""The page benchmark's table: medians per page, ratios to the empty page of the same run, what a load sent, failures named."""

import datetime as dt

from bench.pages import EMPTY, Days, Timings, markdown


def test_the_table_gives_medians_and_ratios_to_the_empty_page_of_the_same_size():
    rows = [(1000, {
        EMPTY: Timings(loads=[2.0, 1.0, 3.0], reruns=[0.2, 0.1, 0.3], received=[9_000, 9_000, 9_000], elements=[300, 300, 300]),
        "timeline": Timings(loads=[9.0, 4.0, 5.0], reruns=[0.5, 0.4, 0.6], received=[2_500_000, 1_000_000, 1_200_000], elements=[900, 1_500, 1_000]),
        "add": Timings(loads=[3.0, 3.0, 3.0]),
        "network": Timings(failures=["round 1: Timeout 180000ms exceeded."]),
    })]
    lines = markdown(rows, 3).splitlines()
    assert lines[2] == "| empty page | 1,000 | 2.00 s | 2.00 s | 0.20 s | 1 | 1 | 9 kB | 300 |"
    assert lines[3] == "| Timeline | 1,000 | 5.00 s | 9.00 s | 0.50 s | 2.5× | 2.5× | 1,200 kB | 1,000 |"  # the first visit shown on its own
    assert lines[4] == "| Add articles | 1,000 | 3.00 s | 3.00 s | – | 1.5× | – | – | – |"  # no filters, so no rerun
    assert lines[5] == "| Network | 1,000 | – | – | – | – | – | – | – |"
    assert lines[-1] == "- 1,000 network: round 1: Timeout 180000ms exceeded."


def test_every_rerun_gets_a_day_not_used_before():
    days = Days(dt.date(2021, 1, 30))
    assert [days() for _ in range(3)] == [dt.date(2021, 1, 30), dt.date(2021, 1, 31), dt.date(2021, 2, 1)]
