"""The analyst's questions on a corpus of 320 synthetic articles, in a real browser: the dashboard at scale.

Each test prints how long its browser part took (`-s` shows it); the tasks of
issue 12 are also timed by the conftest (`analyst_task`). The times go to the
report of the change, not into assertions.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from dashboard import network, timeline
from streamlit_harness import CORPUS_WIDTH, page_errors, wait_for_app
from streamlit_ui import main_text, save_screenshot



@pytest.mark.analyst_task("c", "the officials that link Australia and Japan, listed by the connect tool")
def test_the_connect_tool_lists_the_officials_who_link_australia_and_japan(open_corpus, corpus_tables, artifacts):
    graph = network.build_graph(corpus_tables)
    paths = network.connections(graph, "country:AUS", "country:JPN", through=("person",))
    officials = network.officials_between(graph, paths)
    assert len(officials) >= 4  # the corpus has officials of both countries at shared meetings
    started = time.monotonic()
    page = open_corpus("/network?connect_a=country:AUS&connect_b=country:JPN")
    expect(page.get_by_text("Officials who link them")).to_be_visible()
    shown = main_text(page)
    print(f"connect tool on 320 articles: {time.monotonic() - started:.1f} s")
    save_screenshot(page, artifacts / "corpus-network-connect.png", width=CORPUS_WIDTH)
    assert page_errors(page) == []
    for person in officials:
        assert network.element_label(graph, person) in shown
    first = page.get_by_text(re.compile(r"^Australia → .+ → Japan$")).first
    first.click()
    expect(page.get_by_role("link", name="Read in source").first).to_be_visible()  # each link's sentence, one click away


def test_the_timeline_of_three_hundred_articles_reads_without_ids(open_corpus, corpus_tables, artifacts):
    meetings = timeline.meeting_frame(corpus_tables)
    started = time.monotonic()
    page = open_corpus("/timeline")
    print(f"timeline on 320 articles ({len(meetings)} meetings): {time.monotonic() - started:.1f} s")
    save_screenshot(page, artifacts / "corpus-timeline.png", width=CORPUS_WIDTH)
    assert page_errors(page) == []
    shown = main_text(page)
    assert "mtg-" not in shown and "None" not in shown
    labels = set(timeline.short_labels(meetings.dropna(subset=["start"])))
    assert sum(label in shown for label in labels) >= len(labels) * 0.8  # bar labels are drawn (a few may be off the axis)
    page.get_by_text("Meetings per month", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]view=months(&|$)"))
    wait_for_app(page)
    expect(page.get_by_text("Meetings of the month")).to_be_visible()


@pytest.mark.analyst_task("e", "a copied Network link reopens every Network setting in another browser context")
def test_a_copied_network_link_reopens_every_setting_in_another_browser(open_corpus, new_page):
    query = "/network?nodes=person&nodes=country&colour=country&size=betweenness&min_links=3&connect_a=country:IND&connect_b=country:USA"
    first = open_corpus(query, new_page(isolated=True))
    started = time.monotonic()
    second = open_corpus(first.url.split(first.url.split("/network")[0])[1], new_page(isolated=True))
    print(f"network with settings from a link: {time.monotonic() - started:.1f} s")
    assert second.context is not first.context
    for page in (first, second):
        assert page.get_by_role("radio", name="country").is_checked()
        assert page.get_by_role("radio", name="bridging role").is_checked()
        assert page.get_by_role("spinbutton", name="Minimum links").input_value() == "3"
        expect(page.get_by_text("Officials who link them")).to_be_visible()
    assert main_text(second) == main_text(first)
