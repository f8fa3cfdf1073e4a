"""A hosted server, whatever its QUAD_HOSTED says, takes no anonymous upload; no page asks another host for anything.

Each value gets a server of its own (the setting is read from the environment of
the process). The data folder holds the seed and one article whose title and url
are bare web addresses, which the Sources reader must show as text, not links.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from dashboard import state
from data_pipeline import store
from streamlit_harness import REPO, StreamlitServer, build_data, page_path, wait_for_app
from streamlit_ui import main_text

LINKY = {"title": "Quad cyber update https://evil.example/a www.evil.example press@evil.example", "date": "2024-03-06",
         "url": "https://evil.example/story",
         "text": "Tokyo, March 6: Senior cyber officials of the Quad met in Tokyo on Tuesday to discuss ransomware. "
                 "Details were posted at https://evil.example/details and www.evil.example/more."}
UNCLEAR = ("", "enabled")


@pytest.fixture(scope="module")
def hosted_data(tmp_path_factory):
    folder = build_data(tmp_path_factory.mktemp("e2e-hosted") / "data")
    source = folder.parent / "linky.json"
    source.write_text(json.dumps(LINKY), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "data_pipeline", "build", str(source), "--out", str(folder)], cwd=REPO, check=True,
                   capture_output=True)
    return folder


def _visit(server, page, path: str) -> None:
    page.goto(server.url + path)
    wait_for_app(page)


@pytest.mark.parametrize("value", ["1", *UNCLEAR])
def test_a_hosted_server_without_sign_in_cannot_add(hosted_data, new_page, value):
    with StreamlitServer(hosted_data, env={"QUAD_HOSTED": value}) as server:
        page = new_page(isolated=True)
        _visit(server, page, page_path("add"))
        main = page.locator('[data-testid="stMain"]')
        expect(main.get_by_text("read-only", exact=False)).to_be_visible()
        assert page.locator('input[type="file"]').count() == 0
        assert page.get_by_role("button", name="Add to the data").count() == 0
        assert page.get_by_role("button", name="Add this text").count() == 0
        banner = "runs as hosted" in main_text(page)
        assert banner is (value in UNCLEAR)


def test_no_page_requests_another_host_and_no_address_becomes_a_link(hosted_data, new_page):
    article = store.read_tables(hosted_data)["articles"].query("title == @LINKY['title']")["article_id"].iloc[0]
    with StreamlitServer(hosted_data, env={"QUAD_HOSTED": "1"}) as server:
        page = new_page(isolated=True)
        requested: list[str] = []
        page.on("request", lambda request: requested.append(request.url))
        for key in state.PAGES:
            _visit(server, page, page_path(key))
        _visit(server, page, f"{page_path('sources')}?article={article}")
        expect(page.get_by_text("evil", exact=False).locator("visible=true").first).to_be_visible()  # the addresses are on the page…
        assert page.locator('a[href*="evil.example"]').count() == 0  # …as text, not links
        assert page.locator('a[href^="mailto:"]').count() == 0
    outside = sorted({url for url in requested if not url.startswith((server.url, "data:", "blob:"))})
    assert outside == []
