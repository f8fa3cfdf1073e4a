"""Data versions on disk: written whole, swapped in atomically, readable while the next one is written."""

import os
import threading

import pandas as pd
import pytest

from data_pipeline import schema, store
from data_pipeline.kb import load_kb
from data_pipeline.link import link
from tests.conftest import snapshot


@pytest.fixture(scope="module")
def tables():
    return link([], load_kb())


def test_round_trip_keeps_every_table_and_dtype(tmp_path, tables):
    version = store.write_tables(tmp_path / "data", tables, {"build_id": "ab12"})
    assert version.parent == tmp_path / "data" / "versions" and version.name == "000001-ab12"
    assert (tmp_path / "data" / "CURRENT").read_text().strip() == version.name
    back = store.read_tables(tmp_path / "data")
    assert set(back) == set(schema.TABLES)
    for name in tables:
        pd.testing.assert_frame_equal(back[name], tables[name])
    assert store.read_manifest(tmp_path / "data") == {"build_id": "ab12"}
    assert store.read_manifest(version) == {"build_id": "ab12"}  # a version folder reads as itself


def test_a_write_that_fails_half_way_leaves_the_previous_version(tmp_path, tables, monkeypatch):
    out = tmp_path / "data"
    store.write_tables(out, tables, {"build_id": "01d"})
    before = snapshot(out)
    written = []

    def failing_to_parquet(self, path, **kwargs):
        written.append(path)
        if len(written) == 3:
            raise KeyboardInterrupt  # an interrupted build
        return original(self, path, **kwargs)

    original = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing_to_parquet)
    with pytest.raises(KeyboardInterrupt):
        store.write_tables(out, tables, {"build_id": "0e0"})
    assert snapshot(out) == before
    assert os.listdir(out / ".staging") == []  # no half-written version left behind


def test_tables_that_break_the_contract_are_not_written(tmp_path, tables):
    broken = dict(tables, people=tables["people"].drop(columns="name"))
    with pytest.raises(schema.SchemaError, match="people"):
        store.write_tables(tmp_path / "data", broken, {})
    assert not (tmp_path / "data").exists()


def test_an_add_that_breaks_the_contract_leaves_the_current_version_and_no_staged_files(tmp_path, tables, monkeypatch):
    """In a folder with a version the contract is checked while the files are written: a broken table is still
    refused, and nothing of it stays."""
    first = store.write_tables(tmp_path, tables, {"build_id": "1"})
    before = snapshot(tmp_path)
    broken = dict(tables, people=tables["people"].assign(name=None))
    with pytest.raises(schema.SchemaError, match="people.name"):
        store.write_tables(tmp_path, broken, {"build_id": "2"})
    assert snapshot(tmp_path) == before and store.current(tmp_path) == first
    assert os.listdir(tmp_path / ".staging") == []


def test_reading_a_folder_that_is_not_a_data_version_names_it(tmp_path):
    with pytest.raises(store.StoreError, match=f"{tmp_path}: no data version yet"):
        store.read_manifest(tmp_path)
    (tmp_path / "CURRENT").write_text("000007-abc\n")
    with pytest.raises(store.StoreError, match="names a version that is not there"):
        store.read_tables(tmp_path)


def test_a_folder_in_the_old_single_version_layout_is_refused_not_overwritten(tmp_path, tables):
    (tmp_path / "manifest.json").write_text("{}")
    with pytest.raises(store.StoreError, match="earlier version of the pipeline"):
        store.write_tables(tmp_path, tables, {"build_id": "1"})
    with pytest.raises(store.StoreError, match="earlier version of the pipeline"):
        store.read_tables(tmp_path)
    assert os.listdir(tmp_path) == ["manifest.json"]


def test_only_the_last_versions_are_kept_and_the_current_one_always(tmp_path, tables):
    for n in range(store.KEEP + 3):
        store.write_tables(tmp_path, tables, {"build_id": f"{n:x}"})
    names = sorted(os.listdir(tmp_path / "versions"))
    assert len(names) == store.KEEP and names[-1] == (tmp_path / "CURRENT").read_text().strip() == f"{store.KEEP + 3:06d}-{store.KEEP + 2:x}"


def test_a_reader_sees_whole_versions_while_another_writer_swaps_them(tmp_path, tables):
    """Each version carries its number in every table's size, so a mix of two would show."""

    def version(n: int) -> dict[str, pd.DataFrame]:
        topics = pd.DataFrame([
            {"topic_id": f"t{i}", "label": "x", "description": "x", "nist_csf_function": "Govern", "quad_area": "x"}
            for i in range(n)
        ])
        return dict(tables, topics=schema.conform("topics", topics))

    store.write_tables(tmp_path, version(1), {"build_id": "1", "n": 1})
    done, seen, errors = threading.Event(), [], []

    def read_forever():
        while not done.is_set():
            try:
                folder = store.current(tmp_path)
                manifest, read = store.read_manifest(folder), store.read_tables(folder)
            except store.StoreError as error:  # a version pruned under a slow reader: re-resolve, like the dashboard
                errors.append(error)
                continue
            seen.append((manifest["n"], len(read["topics"])))

    reader = threading.Thread(target=read_forever)
    reader.start()
    try:
        for n in range(2, 30):
            store.write_tables(tmp_path, version(n), {"build_id": f"{n:x}", "n": n})
    finally:
        done.set()
        reader.join()
    assert len(seen) > 5
    assert all(n == rows for n, rows in seen)
    assert len(errors) <= len(seen) // 2
