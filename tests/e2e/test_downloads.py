"""Downloads from a filtered view hold exactly the rows the filter keeps, as the plain pandas reference computes them."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from dashboard import filters
from filters_reference import apply_filters
from streamlit_harness import page_path, wait_for_app
from streamlit_ui import as_cells, choose, read_csv

# A link an analyst might share: meetings from 2023 on that India hosted or attended.
QUERY = {"from": "2023-01-01", "country": ["IND"]}


def _expected(seed_tables) -> dict[str, pd.DataFrame]:
    return apply_filters(seed_tables, filters.from_query_params(QUERY))


def _download(page, button: str) -> bytes:
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_bytes()


def _assert_same_rows(downloaded: pd.DataFrame, expected: pd.DataFrame) -> None:
    """Same columns and the same rows in the same order, compared cell by cell as text."""
    pd.testing.assert_frame_equal(downloaded, as_cells(expected))


def test_the_filter_narrows_the_seed(seed_tables):
    """Guards the tests below: with a filter that keeps everything they would prove nothing."""
    expected = _expected(seed_tables)
    assert 0 < len(expected["meetings"]) < len(seed_tables["meetings"])
    assert 0 < len(expected["participants"]) < len(seed_tables["participants"])


def test_table_csv_matches_the_filtered_table(open_app, seed_tables):
    page = open_app(f"{page_path('data')}?{urlencode(QUERY, doseq=True)}")
    choose(page, "Table", "participants")
    expected = _expected(seed_tables)["participants"]
    button = f"Download participants.csv ({len(expected)} rows)"
    page.get_by_role("button", name=button).wait_for()
    wait_for_app(page)
    downloaded = read_csv(_download(page, button))
    assert sorted(downloaded["meeting_id"].unique()) == sorted(expected["meeting_id"].unique())
    _assert_same_rows(downloaded, expected)


def test_zip_holds_every_filtered_table_and_its_filters(open_app, seed_tables):
    page = open_app(f"{page_path('data')}?{urlencode(QUERY, doseq=True)}")
    archive = zipfile.ZipFile(io.BytesIO(_download(page, "Download all tables (ZIP with a manifest of filters and data version)")))
    expected = _expected(seed_tables)
    assert sorted(archive.namelist()) == sorted([f"{name}.csv" for name in expected] + ["manifest.json"])
    for name, frame in expected.items():
        _assert_same_rows(read_csv(archive.read(f"{name}.csv")), frame)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["filters"] == filters.to_query_params(filters.from_query_params(QUERY))
    assert manifest["row_counts"] == {name: len(frame) for name, frame in expected.items()}
