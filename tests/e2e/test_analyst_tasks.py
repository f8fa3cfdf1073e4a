"""The analyst's tasks of issue 12 on the 320-article synthetic corpus, in a real browser, checked as an analyst would.

Each test is marked with its task's letter: the conftest lists the wall time of
each in the pytest summary (and `test-artifacts/e2e/task-times.json`). The corpus
and its server are the session's (`corpus_server`), shared with test_at_scale.py;
(c) and the network part of (e) are there, (f) is in test_upload.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import pytest
from playwright.sync_api import expect

from dashboard import exports, filters, timeline, topics
from filters_reference import apply_filters
from streamlit_harness import CORPUS_WIDTH, page_errors, wait_for_app
from streamlit_ui import as_cells, choose, main_text, read_csv, save_screenshot, selected, wait_for_url_param

# India's meetings of 2023: hosted by India or with an Indian delegation, overlapping the year.
INDIA_2023 = {"country": ["IND"], "from": "2023-01-01", "to": "2023-12-31"}


@pytest.fixture(scope="module")
def india_2023(corpus_tables) -> dict[str, pd.DataFrame]:
    """The corpus as the page filters it; guards that the filter keeps some meetings and leaves others out."""
    tables = apply_filters(corpus_tables, filters.from_query_params(INDIA_2023))
    assert 5 <= len(tables["meetings"]) < len(corpus_tables["meetings"]) / 2
    return tables


def _download(page, button: str) -> bytes:
    """The file a download button gives; its data is made on the click (Streamlit's deferred data), so wait for it."""
    wait_for_app(page)
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_bytes()


@pytest.mark.analyst_task("a", "India's 2023 meetings downloaded as CSV and checked against the page")
def test_indias_2023_meetings_download_as_the_timeline_shows_them(open_corpus, india_2023, artifacts):
    meetings = timeline.meeting_frame(india_2023).dropna(subset=["start"])
    page = open_corpus(f"/timeline?{urlencode(INDIA_2023, doseq=True)}")
    save_screenshot(page, artifacts / "task-a-timeline-india-2023.png", width=CORPUS_WIDTH)
    assert page_errors(page) == []
    shown = main_text(page)
    for label in timeline.short_labels(meetings):  # every meeting is a bar on the axis, by kind and place
        assert label in shown
    rows = read_csv(_download(page, f"These {len(meetings)} meetings (CSV)"))
    pd.testing.assert_frame_equal(rows, as_cells(exports.meeting_rows(india_2023, meetings["meeting_id"])))
    # What the analyst checks in the sheet: one row per bar, every one India's and of 2023, each with its source.
    assert sorted(rows["Place"].replace("", "place unknown")) == sorted(meetings["place"])  # the sheet leaves it blank
    assert all(date.startswith("2023") or "to 2023" in date for date in rows["Date"])
    assert all("India" in (host, *taking_part.split("; ")) for host, taking_part in zip(rows["Host country"], rows["Countries taking part"]))
    assert (rows["Source sentence"] != "").all() and (rows["Officials"] != "").any()
    assert not any(cell.startswith(("mtg-", "per-", "art-")) for cell in rows.to_numpy().ravel())


def _busiest_meeting(tables: dict[str, pd.DataFrame]) -> str:
    """The meeting with the most named officials (the first by id among equals): the one an attendee list is for."""
    named = tables["participants"].dropna(subset=["person_id"]).drop_duplicates(["meeting_id", "person_id"])
    counts = named.groupby("meeting_id").size()
    return min(counts.index[counts == counts.max()])


@pytest.mark.analyst_task("b", "a meeting's attendees with their titles, and a jump to the attendance sentence")
def test_a_meetings_attendees_with_titles_and_a_jump_to_the_sentence(open_corpus, corpus_tables, artifacts):
    meeting_id = _busiest_meeting(corpus_tables)
    meeting = corpus_tables["meetings"].set_index("meeting_id").loc[meeting_id]
    seats = corpus_tables["participants"].query("meeting_id == @meeting_id").dropna(subset=["person_id"])
    people = corpus_tables["people"].set_index("person_id")
    countries = dict(zip(corpus_tables["countries"]["country"], corpus_tables["countries"]["name"]))
    expected = {}
    for person_id, country in seats[["person_id", "country"]].drop_duplicates("person_id").itertuples(index=False):
        title, _ = timeline.title_at(corpus_tables["roles"], person_id, meeting["start_date"], meeting["end_date"])
        assert title, f"{person_id} has no title: the attendee list would prove nothing"
        expected[people.loc[person_id, "name"]] = " · ".join((people.loc[person_id, "name"], title, countries[country]))
    assert len(expected) >= 4

    page = open_corpus(f"/timeline?meeting={meeting_id}")
    expect(page.get_by_role("heading", name=meeting["name"], exact=True)).to_be_visible()
    picker = page.get_by_role("combobox", name="Read the sentences that put a participant there", exact=True)
    picker.click()
    picker.press("ArrowDown")  # opens the list
    expect(page.get_by_role("option")).to_have_count(len(expected))
    assert sorted(page.get_by_role("option").all_inner_texts()) == sorted(expected.values())  # each official once, with the title then
    name = sorted(expected)[0]
    page.get_by_role("option", name=expected[name], exact=True).click()
    sentences = seats.query("person_id == @people.index[@people['name'] == @name][0]").merge(corpus_tables["sentences"], on=["article_id", "sentence_id"])
    links = page.get_by_role("link", name="Read in source")
    expect(links.nth(len(sentences) - 1)).to_be_visible()
    wait_for_app(page)
    save_screenshot(page, artifacts / "task-b-attendees.png", width=CORPUS_WIDTH)
    assert page_errors(page) == []
    shown = main_text(page)
    for text in sentences["text"]:  # every sentence that puts the official there, quoted
        assert text in shown and name in text
    first = sentences.merge(corpus_tables["articles"][["article_id", "published"]], on="article_id")
    first = first.sort_values(["published", "article_id", "sentence_id"]).iloc[0]

    links.first.click()  # the jump: the reader opens on that sentence, emphasised in its article
    expect(page).to_have_url(re.compile(rf"/sources\?.*article={first['article_id']}&sentence={first['sentence_id']}(&|$)"))
    wait_for_app(page)
    expect(page.get_by_text("The sentence you came from")).to_be_visible()
    assert first["text"] in main_text(page)
    assert page_errors(page) == []


# What plotly drew of the heatmap trace (its full data, with the counts decoded from the binary form sent).
HEATMAP = """() => {
    const chart = [...document.querySelectorAll('.js-plotly-plot')].find(g => g._fullData && g._fullData[0] && g._fullData[0].type === 'heatmap');
    if (!chart) return null;
    const trace = chart._fullData[0];
    return {topics: Array.from(trace.y), meetings: Array.from(trace.x), counts: Array.from(trace.z, row => Array.from(row))};
}"""


@pytest.mark.analyst_task("d", "the topics of each meeting, one cell opened to its sentences")
def test_the_topics_of_each_meeting_and_one_cell_opened_to_its_sentences(open_corpus, india_2023, artifacts):
    matrix = topics.topic_matrix(india_2023, "meeting")
    assert 5 <= matrix.shape[1] <= topics.MAX_MEETING_COLUMNS and matrix.shape[0] >= 3
    page = open_corpus(f"/topics?{urlencode({**INDIA_2023, 'heatmap': 'meeting'}, doseq=True)}")
    drawn = page.evaluate(HEATMAP)
    assert drawn is not None, "no topic × meeting heatmap on the page"
    shown = pd.DataFrame(drawn["counts"], index=drawn["topics"], columns=drawn["meetings"])
    pd.testing.assert_frame_equal(shown, matrix, check_names=False, check_dtype=False)  # every meeting's topics, counted
    text = main_text(page)
    for label in (*matrix.index, *matrix.columns):  # and labelled: every topic row and meeting column
        assert label in text

    # The busiest cell, opened by a click: the marker drawn on it carries its topic and meeting.
    row, column = divmod(int(matrix.to_numpy().argmax()), matrix.shape[1])
    topic, meeting = matrix.index[row], matrix.columns[column]
    rows, columns = matrix.to_numpy().nonzero()
    marker = [(r, c) for r, c in zip(rows, columns)].index((row, column))
    point = page.locator(".js-plotly-plot .scatterlayer path.point").nth(marker)
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # plotly picks the point under the pointer
    page.mouse.down()
    page.mouse.up()
    sentences = topics.cell_sentences(india_2023, "meeting", topic, meeting)
    assert len(sentences) == matrix.loc[topic, meeting] > 0
    expect(page.get_by_text(f"{len(sentences)} sentence(s) on {topic} in this meeting.")).to_be_visible()
    wait_for_app(page)
    save_screenshot(page, artifacts / "task-d-topics-cell.png", width=CORPUS_WIDTH)
    assert page_errors(page) == []
    expect(page.get_by_role("heading", name=topic, exact=True)).to_be_visible()  # the click chose the cell's topic
    expect(page).to_have_url(re.compile(r"[?&]cell="))  # and its meeting, in the URL
    text = main_text(page)
    for sentence in sentences["sentence"].head(30):
        assert sentence in text
    expect(page.get_by_role("link", name="Read in source")).to_have_count(min(len(sentences), 30))


def _segment(page, label: str):
    """A segmented control's button (`st.segmented_control`), by its label."""
    return page.locator('[data-testid="stButtonGroup"]').get_by_text(label, exact=True)


def _reopen(page, colleague, open_corpus):
    """The page's URL opened in the colleague's tab, in another browser context (no cookie or session in common)."""
    assert colleague.context is not page.context
    path = page.url.split("/", 3)[3]
    return open_corpus(f"/{path}", colleague)


@pytest.mark.analyst_task("e", "a copied URL reopens the same Timeline and Topics views, filters included, in a new browser context")
def test_a_copied_link_reopens_timeline_and_topics_settings_with_the_filters(open_corpus, new_page, corpus_tables):
    india = timeline.meeting_frame(apply_filters(corpus_tables, filters.from_query_params({"country": ["IND"]})))
    counts = timeline.month_counts(india)
    busiest = counts.groupby("month")["meetings"].sum().idxmax()  # the first of the busiest months
    month_label = busiest.strftime("%B %Y")
    in_month = timeline.in_month(india.dropna(subset=["start"]), busiest.strftime("%Y-%m"))
    assert len(in_month) >= 2

    colleague = new_page(isolated=True)
    first = open_corpus("/timeline?country=IND")  # a filter from a link, which the settings set below must keep
    expect(first.get_by_role("button", name=f"These {len(india.dropna(subset=['start']))} meetings (CSV)")).to_be_visible()
    _segment(first, "Meetings per month").click()
    wait_for_url_param(first, "view", "months")
    choose(first, "Meetings of the month", month_label)
    wait_for_url_param(first, "month", busiest.strftime("%Y-%m"))
    _segment(first, "Meeting kind").click()
    wait_for_url_param(first, "group", "kind")
    second = _reopen(first, colleague, open_corpus)
    for page in (first, second):
        assert selected(page, "Countries") == ["India"]
        shown = main_text(page)
        for label in timeline.short_labels(in_month):  # the month's meetings, drawn in rows by kind
            assert label in shown
        for kind in in_month["kind"].unique():
            assert kind in shown
        assert page_errors(page) == []
    assert main_text(second) == main_text(first)

    first.get_by_role("navigation", name="App pages").get_by_role("link", name="Topics", exact=True).click()
    expect(first.get_by_role("heading", name="Topics", level=1)).to_be_visible()
    wait_for_app(first)
    _segment(first, "Country").click()
    wait_for_url_param(first, "heatmap", "country")
    choose(first, "Only the sentences of one country", "Japan")
    wait_for_url_param(first, "cell", "Japan")
    second = _reopen(first, colleague, open_corpus)
    for page in (first, second):
        assert selected(page, "Countries") == ["India"]
        assert _segment(page, "Country").locator("xpath=ancestor::*[@role='radio'][1]").get_attribute("aria-checked") == "true"
        expect(page.get_by_text(re.compile(r"^\d+ sentence\(s\) on .+ in this country\.$"))).to_be_visible()
        expect(page.get_by_text("Sentences per topic and country")).to_be_visible()
        assert page_errors(page) == []
    assert main_text(second) == main_text(first)
