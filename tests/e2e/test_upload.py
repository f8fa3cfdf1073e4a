"""Uploading an article on the Add articles page puts its meeting and its two officials on every page (task (f) of issue 12).

The page changes the data folder, so this module has a server and a seeded
data folder of its own; the other tests keep seeing the seed alone.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from dashboard import network, timeline
from data_pipeline import store
from streamlit_harness import StreamlitServer, build_data, page_errors, page_path, wait_for_app
from streamlit_ui import choose, main_text, save_screenshot

# A wire-style report written for this test (it says so in its title and text) of a meeting in a city the seed lacks,
# naming two invented officials with their titles.
ARTICLE = Path(__file__).parent / "articles" / "quad_cyber_canberra_test.txt"
CITY = "Canberra"
OFFICIALS = {"Harriet Quillfield": ("Ambassador for Cyber Affairs", "Australia"), "Tarun Velankar": ("National Cyber Security Coordinator", "India")}
ADDED = re.compile(r"\badded\b")


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    with StreamlitServer(build_data(tmp_path_factory.mktemp("e2e-upload") / "data")) as running:
        yield running


def _lines_saying_added(page) -> set[str]:
    return {text.strip() for text in page.locator('[data-testid="stMain"]').get_by_text(ADDED).all_inner_texts()}


@pytest.mark.analyst_task("f", "an uploaded article's meeting and both its officials on the Timeline, People and Network, linked")
def test_uploaded_article_puts_its_meeting_and_officials_on_every_page(private_server, new_page, artifacts):
    seed = store.read_tables(private_server.data_dir)
    assert CITY not in set(seed["meetings"]["city"])  # else the upload would prove nothing
    assert not set(OFFICIALS) & set(seed["people"]["name"])
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
    wait_for_app(page, timeout=90_000)  # the first page after the upload reads the new data version
    save_screenshot(page, artifacts / "timeline-after-upload.png")
    tables = store.read_tables(private_server.data_dir)
    meetings = timeline.meeting_frame(tables)
    (label,) = timeline.short_labels(meetings[meetings["place"] == CITY])
    assert label in main_text(page)  # the meeting's bar on the axis: "<kind> · <city>", or the city for a plain meeting
    (meeting_id,) = meetings.loc[meetings["place"] == CITY, "meeting_id"]
    people = dict(zip(tables["people"]["name"], tables["people"]["person_id"]))

    # Timeline: the meeting's participants are the two officials, with the titles the article gives them.
    page.goto(f"{private_server.url}/timeline?meeting={meeting_id}")
    wait_for_app(page)
    picker = page.get_by_role("combobox", name="Read the sentences that put a participant there", exact=True)
    picker.click()
    picker.press("ArrowDown")  # opens the list
    expected = [f"{name} · {title} · {country}" for name, (title, country) in OFFICIALS.items()]
    countries = {"Japan (no person named)", "United States (no person named)"}  # the article names only their countries
    expect(page.get_by_role("option")).to_have_count(len(OFFICIALS) + len(countries))
    assert sorted(page.get_by_role("option").all_inner_texts()) == sorted([*expected, *countries])
    page.keyboard.press("Escape")

    # People: each official has a page with the post reported.
    page.goto(f"{private_server.url}/people")
    wait_for_app(page)
    for name, (title, country) in OFFICIALS.items():
        choose(page, "Official", name)
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
        expect(page.get_by_text(f"{title} · ", exact=False).first).to_contain_text(country)
        wait_for_app(page)

    # Network: around the meeting, the two officials and their links; the connect tool links them through it.
    a, b = (network.node_id("person", people[name]) for name in OFFICIALS)
    graph = network.build_graph(tables, node_types=network.DEFAULT_NODE_TYPES)
    around = network.focus(graph, network.node_id("meeting", meeting_id), 1)
    assert set(around) == {network.node_id("meeting", meeting_id), a, b}
    page.goto(f"{private_server.url}/network?entity=meeting:{meeting_id}&connect_a={a}&connect_b={b}")
    wait_for_app(page)
    save_screenshot(page, artifacts / "network-after-upload.png")
    assert page_errors(page) == []
    expect(page.get_by_text(f"{around.number_of_nodes()} nodes, {around.number_of_edges()} links", exact=False)).to_be_visible()
    everything = network.build_graph(tables)
    (common,) = network.common_neighbours(everything, a, b)
    assert common == network.node_id("meeting", meeting_id)
    expect(page.get_by_text("Linked to both:")).to_be_visible()
    shown = main_text(page)
    assert everything.nodes[common]["label"] in shown  # linked to each other through the meeting
    path = " → ".join(OFFICIALS)
    page.get_by_text(path, exact=True).click()  # and met there: the sentence that names them both
    expect(page.get_by_role("link", name="Read in source").first).to_be_visible()
    sentences = tables["sentences"].set_index(["article_id", "sentence_id"])["text"]
    (met,) = [sentences.loc[key] for key in network.evidence(everything, (a, b))]
    assert all(name in met for name in OFFICIALS) and met in main_text(page)
