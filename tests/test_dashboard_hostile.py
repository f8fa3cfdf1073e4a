"""Hostile text in an article, through the real pipeline and every page: it stays text, and CSVs stay inert."""

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import downloads, state
from dashboard_fixtures import html_bodies, live_markup
from data_pipeline import cli, store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TITLE = '=HYPERLINK("http://evil.example/x","Quad cyber talks")'
TEXT = (
    "Tokyo, March 4: Officials of the Quad Senior Cyber Group met in Tokyo on Monday <script>alert(1)</script> "
    "to discuss ransomware and supply chain risks. "
    "Dr Hana Mori, Director of Japan's National Center of Incident Readiness and Strategy for Cybersecurity, "
    "said [click here](javascript:alert(2)) and ![x](http://evil.example/p.png) were posted <img src=x onerror=alert(3)>."
)


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.json"
    source.write_text(json.dumps({"title": TITLE, "date": "2024-03-06", "text": TEXT}), encoding="utf-8")
    assert cli.main(["build", str(source), "--out", str(folder / "data"), "--jobs", "1"]) == 0
    return folder / "data"


@pytest.mark.parametrize("page", list(state.PAGES))
def test_no_page_turns_article_text_into_markup(hostile_data, monkeypatch, page):
    monkeypatch.setenv("QUAD_DATA_DIR", str(hostile_data))
    at = AppTest.from_file(APP, default_timeout=60)
    tables = store.read_tables(hostile_data)
    at.query_params["meeting"] = tables["meetings"]["meeting_id"].iloc[0]
    at.query_params["article"] = tables["articles"]["article_id"].iloc[0]
    at.run()
    at.switch_page(state.page_path(page)).run()
    assert not at.exception, at.exception
    assert live_markup(at) == [], page
    if page in ("sources", "timeline"):  # the reader, and the meeting's evidence sentences
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in "\n".join(html_bodies(at))  # shown, as text


def test_downloads_defuse_the_formula_and_keep_the_text(hostile_data):
    articles = store.read_tables(hostile_data)["articles"]
    back = pd.read_csv(io.BytesIO(downloads.csv_bytes(articles)), encoding=downloads.ENCODING, dtype=str)
    assert back.loc[0, "title"] == "'" + TITLE
    assert back.loc[0, "text"] == TEXT  # not a formula: kept exactly as written
