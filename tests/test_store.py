import os

import pandas as pd
import pytest

from data_pipeline import schema, store
from data_pipeline.kb import load_kb
from data_pipeline.link import link


@pytest.fixture(scope="module")
def tables():
    return link([], load_kb())


def test_round_trip_keeps_every_table_and_dtype(tmp_path, tables):
    store.write_tables(tmp_path / "data", tables, {"build_id": "x"})
    back = store.read_tables(tmp_path / "data")
    assert set(back) == set(schema.TABLES)
    for name in tables:
        pd.testing.assert_frame_equal(back[name], tables[name])
    assert store.read_manifest(tmp_path / "data") == {"build_id": "x"}


def test_a_write_that_fails_half_way_leaves_the_previous_version(tmp_path, tables, monkeypatch):
    out = tmp_path / "data"
    store.write_tables(out, tables, {"build_id": "old"})
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    written = []

    def failing_to_parquet(self, path, **kwargs):
        written.append(path)
        if len(written) == 3:
            raise KeyboardInterrupt  # an interrupted build
        return original(self, path, **kwargs)

    original = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing_to_parquet)
    with pytest.raises(KeyboardInterrupt):
        store.write_tables(out, tables, {"build_id": "new"})
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(os.listdir(tmp_path)) == ["data"]  # no staging folder left behind


def test_tables_that_break_the_contract_are_not_written(tmp_path, tables):
    broken = dict(tables, people=tables["people"].drop(columns="name"))
    with pytest.raises(schema.SchemaError, match="people"):
        store.write_tables(tmp_path / "data", broken, {})
    assert not (tmp_path / "data").exists()


def test_reading_a_folder_that_is_not_a_data_version_names_it(tmp_path):
    with pytest.raises(store.StoreError, match=str(tmp_path)):
        store.read_manifest(tmp_path)
    with pytest.raises(store.StoreError, match="articles.parquet is missing"):
        store.read_tables(tmp_path)
