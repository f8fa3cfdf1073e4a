"""Uploading an article on the Add articles page puts its meeting on the Timeline.

The page changes the data folder, so this module has a server and a seeded
data folder of its own; the other tests keep seeing the seed alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import timeline
from data_pipeline import store
from streamlit_harness import StreamlitServer, build_data, page_errors, page_path, wait_for_app
from streamlit_ui import main_text, save_screenshot

# A wire-style report written for this test (it says so in its title and text) of a meeting in a city the seed lacks.
ARTICLE = Path(__file__).parent / "articles" / "quad_cyber_canberra_test.txt"
CITY = "Canberra"
ADDED = re.compile(r"\badded\b")


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    with StreamlitServer(build_data(tmp_path_factory.mktemp("e2e-upload") / "data")) as running:
        yield running


def _lines_saying_added(page) -> set[str]:
    return {text.strip() for text in page.locator('[data-testid="stMain"]').get_by_text(ADDED).all_inner_texts()}


def test_uploaded_article_puts_its_meeting_on_the_timeline(private_server, new_page, artifacts):
    assert CITY not in set(store.read_tables(private_server.data_dir)["meetings"]["city"])  # else the upload would prove nothing
    page = new_page()

    page.goto(private_server.url + "/add")
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Add articles", level=1)).to_be_visible()
    before = _lines_saying_added(page)
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Article files")
    uploader.locator('input[type="file"]').set_input_files(ARTICLE)
    expect(uploader.get_by_role("button", name=f"Remove {ARTICLE.name}")).to_be_visible()  # uploaded, not yet added
    page.get_by_role("button", name="Add to the data").click()
    expect(page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')).to_be_visible(timeout=90_000)
    wait_for_app(page, timeout=90_000)
    new_lines = _lines_saying_added(page) - before
    save_screenshot(page, artifacts / "add-after-upload.png")
    assert page_errors(page) == []
    assert [line for line in new_lines if "nothing added" not in line], f"no line says the file was added: {new_lines}"

    page.goto(private_server.url + page_path("timeline"))
    wait_for_app(page)
    save_screenshot(page, artifacts / "timeline-after-upload.png")
    meetings = timeline.meeting_frame(store.read_tables(private_server.data_dir))
    (label,) = timeline.short_labels(meetings[meetings["place"] == CITY])
    assert label in main_text(page)  # the meeting's bar on the axis: "<kind> · <city>", or the city for a plain meeting
