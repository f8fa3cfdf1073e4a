"""Every page of the dashboard, opened by its own link in a real browser, draws without an error."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard import state, timeline
from streamlit_harness import page_errors, page_path
from streamlit_ui import choose, main_text, save_screenshot, wait_for_url_param


@pytest.mark.parametrize("key", list(state.PAGES))
def test_page_opens_from_its_link_without_an_error(key, new_page, open_app, artifacts):
    page = new_page()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    open_app(page_path(key), page)
    save_screenshot(page, artifacts / f"{key}.png")
    assert page_errors(page) == []
    assert script_errors == []
    # The page asked for is the one drawn (Streamlit falls back to the default page for an unknown path).
    menu = page.get_by_role("navigation", name="App pages")
    expect(menu.get_by_role("link", name=state.PAGES[key].title, exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=1).first).to_be_visible()


def test_timeline_shows_the_seed_meetings(open_app, seed_tables):
    """The seed article reports a principals meeting in New Delhi; every seed meeting is on the axis."""
    meetings = seed_tables["meetings"]
    assert "New Delhi" in set(meetings["city"])
    page = open_app(page_path("timeline"))
    shown = main_text(page)
    for label in timeline.short_labels(timeline.meeting_frame(seed_tables)):  # each bar says kind and place, no id
        assert label in shown
    assert "mtg-" not in shown
    new_delhi = meetings.loc[meetings["city"] == "New Delhi"].iloc[0]
    choose(page, "Meeting", re.compile(re.escape(f"{new_delhi['name']} (New Delhi)")), search="New Delhi")
    detail = page.get_by_role("heading", name=new_delhi["name"], exact=True)
    expect(detail).to_be_visible()
    expect(page.locator('[data-testid="stMetric"]').filter(has_text="Place")).to_contain_text("New Delhi")
    wait_for_url_param(page, "meeting", new_delhi["meeting_id"])  # the pick is shared with the other pages
