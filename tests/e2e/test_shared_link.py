"""A link copied after setting filters in the sidebar reopens the same view for someone else."""

from __future__ import annotations

import datetime as dt

from dashboard import filters
from filters_reference import meeting_ids
from streamlit_harness import page_path, wait_for_app
from streamlit_ui import choose, date_value, main_text, metrics, selected, set_date, wait_for_url_param

KIND = "principals meeting"
FROM = "2023-01-01"


def test_copied_link_reopens_the_same_view_in_a_new_browser(open_app, new_page, seed_tables):
    wanted = filters.Filters(date_from=dt.date.fromisoformat(FROM), meeting_kinds=(KIND,))
    kept = meeting_ids(seed_tables, wanted)
    assert 0 < len(kept) < len(seed_tables["meetings"])  # else the link would prove nothing

    first = open_app(page_path("overview"), new_page(isolated=True))
    assert metrics(first)["Meetings"] == str(len(seed_tables["meetings"]))
    choose(first, "Meeting kinds", KIND)
    wait_for_url_param(first, "kind", KIND)
    set_date(first, "From", FROM)
    wait_for_url_param(first, "from", FROM)
    assert metrics(first)["Meetings"] == str(len(kept))
    shared = first.url

    second = new_page(isolated=True)  # another browser context: no cookie, no session in common with the first
    assert second.context is not first.context
    second.goto(shared)
    wait_for_app(second)
    assert selected(second, "Meeting kinds") == [KIND]
    assert date_value(second, "From") == FROM
    assert metrics(second) == metrics(first)
    assert main_text(second) == main_text(first)
