"""The offline briefing: one self-contained HTML file, every article text escaped, every meeting quoted."""

import datetime as dt
import re

from dashboard import briefing, colors, exports, timeline
from dashboard_fixtures import CANBERRA, build_tables
from test_network import open_page

TABLES = build_tables()
MADE = dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.timezone.utc)


def _briefing(tables):
    return briefing.briefing_html(timeline.meeting_frame(tables), exports.meeting_rows(tables), title="Brief", scope="All meetings",
                                  palette=colors.country_colors(tables["countries"]["country"]), made_at=MADE)


def test_the_briefing_holds_each_meeting_its_officials_and_a_quoted_source():
    page = _briefing(TABLES)
    assert page.startswith("<!DOCTYPE html>") and "2 meeting(s)" in page and "2026-01-02 03:04 UTC" in page
    assert "<li>Jane Doe (Secretary)</li>" in page
    assert "<blockquote>Canberra, May 2: Senior cyber officials of the Quad met in Canberra on May 1." in page
    assert page.count('<div class="meeting">') == 2
    assert page.count("<rect ") == 2 and 'fill="url(#hatch)"' in page  # the year-only Tokyo meeting is hatched
    assert colors.country_color("AUS") in page


def test_the_briefing_runs_nothing_and_fetches_nothing():
    hostile = {**TABLES, "meetings": TABLES["meetings"].assign(
        name=lambda f: f["name"].where(f["meeting_id"] != CANBERRA, "<script>alert(1)</script><img src=http://x/y>"))}
    page = _briefing(hostile)
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page
    assert not re.search(r"<[^>]*\b(src|href)=", page)  # no tag loads a file or links anywhere
    assert "<a " not in page


def test_overview_offers_the_briefing(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "overview")
    assert "overview_briefing" in {d.key for d in at.get("download_button")}
