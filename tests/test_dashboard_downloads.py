"""Downloads: formula cells neutralised, CSVs parse back to the filtered rows, the ZIP says what it holds."""

import io
import json
import zipfile

import pandas as pd
import pytest

from dashboard import downloads
from dashboard.filters import Filters, to_query_params
from dashboard_fixtures import FORMULA_TITLE, HOSTILE_ART, build_tables, manifest, queried
from data_pipeline import schema

TABLES = build_tables()


@pytest.mark.parametrize("cell", ["=1+1", "+61 2 6000", "-1 analysts", "@SUM(A1)", "\tx", "\rx", FORMULA_TITLE])
def test_formula_like_text_gets_a_leading_quote(cell):
    frame = pd.DataFrame({"text": pd.array([cell, "plain"], dtype="string"), "n": pd.array([-1, 2], dtype="Int64")})
    out = downloads.neutralise(frame)
    assert list(out["text"]) == ["'" + cell, "plain"]
    assert list(out["n"]) == [-1, 2]  # numbers are numbers, even negative
    assert list(frame["text"]) == [cell, "plain"]  # input untouched


def _read(data: bytes, name: str) -> pd.DataFrame:
    """Parse a downloaded CSV the way a careful analyst would, then drop the neutralising quote."""
    frame = pd.read_csv(io.BytesIO(data), encoding=downloads.ENCODING, dtype=str, keep_default_na=False)
    frame = frame.map(lambda v: v[1:] if v.startswith("'") and v[1:].startswith(downloads.FORMULA_PREFIXES) else v)
    frame = frame.replace("", None)
    for column in schema.TABLES[name].columns:
        if column.kind == "int":
            frame[column.name] = pd.to_numeric(frame[column.name])
        elif column.kind == "bool":
            frame[column.name] = frame[column.name].map({"True": True, "False": False})
    return schema.conform(name, frame)


def test_csv_round_trips_to_the_filtered_rows():
    filtered = queried(TABLES, Filters(countries=("CHN", "JPN")))
    for name, frame in filtered.items():
        back = _read(downloads.csv_bytes(frame), name)
        pd.testing.assert_frame_equal(back, frame, check_dtype=False)


def test_csv_is_excel_friendly():
    data = downloads.csv_bytes(TABLES["articles"])
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    assert b"'=HYPERLINK(" in data and b'\r\n' in data
    assert b"<script>alert(1)</script>" in data  # text is kept as written, only formulas are defused


def test_zip_holds_every_table_and_a_manifest_of_filters_and_version():
    filters = Filters(countries=("JPN",))
    filtered = queried(TABLES, filters)
    data = downloads.zip_bytes(filtered, manifest(TABLES), to_query_params(filters), "2024-06-03T10:00:00+00:00")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert set(archive.namelist()) == {f"{n}.csv" for n in schema.TABLES} | {"manifest.json"}
        info = json.loads(archive.read("manifest.json"))
        meetings = _read(archive.read("meetings.csv"), "meetings")
        articles = _read(archive.read("articles.csv"), "articles")
    assert info["filters"] == {"country": ["JPN"]}
    assert info["data_version"] == {"build_id": "fixture0001", "built_at": "2024-06-02T09:30:00+00:00", "pipeline_version": "test"}
    assert info["exported_at"] == "2024-06-03T10:00:00+00:00"
    assert info["row_counts"]["meetings"] == len(meetings) == len(filtered["meetings"])
    assert info["source_row_counts"]["meetings"] == len(TABLES["meetings"])
    assert HOSTILE_ART not in set(articles["article_id"])
