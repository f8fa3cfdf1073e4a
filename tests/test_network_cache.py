"""The network's parts kept on disk beside their data version: written once, read back as the same graphs, and
ignored (then written again) when damaged, foreign or inconsistent, never shown."""

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import streamlit as st
import pytest

from dashboard import network, network_cache
from dashboard.filters import Filters
from dashboard_fixtures import build_tables, queried
from data_pipeline import store
from test_network import _contents, open_page


@pytest.fixture(scope="module")
def fixture():
    return build_tables()


def _cached(folder, fixture, build_id="build-1", calls=None):
    def compute():
        if calls is not None:
            calls.append(1)
        return network.parts(fixture)

    paths = network_cache.parts_paths(folder, network.PARTS_FRAMES)
    return network_cache.cached_frames(paths, build_id, network.Parts.from_frames, compute, network.Parts.frames), paths


def _graphs(parts, fixture):
    """The graphs the page assembles: whole, by type, linked only, and of what a date filter keeps."""
    filtered = queried(fixture, Filters(date_from=dt.date(2025, 1, 1)))
    kept = network.kept(lambda table, column: filtered[table][column])
    return [network.assemble(parts), network.assemble(parts, node_types=network.DEFAULT_NODE_TYPES, linked_only=True),
            network.assemble(parts, kept), network.assemble(parts, kept, edge_types=["represents"])]


def test_the_parts_are_written_once_and_read_back_as_the_same_graphs(tmp_path, fixture):
    calls = []
    first, paths = _cached(tmp_path, fixture, calls=calls)
    again, _ = _cached(tmp_path, fixture, calls=calls)
    assert len(calls) == 1 and all(path.is_file() for path in paths.values())
    assert again is not first  # read from the files
    assert _contents(network.assemble(again)) == _contents(network.build_graph(fixture))
    for read, computed in zip(_graphs(again, fixture), _graphs(first, fixture)):
        assert _contents(read) == _contents(computed) and len(read)
    assert not [p for p in tmp_path.joinpath("dashboard").iterdir() if p.name.startswith(".tmp-")]


def test_a_damaged_file_is_computed_again_and_replaced(tmp_path, fixture):
    _, paths = _cached(tmp_path, fixture)
    paths["link_sentences"].write_bytes(b"not parquet")
    calls = []
    parts, _ = _cached(tmp_path, fixture, calls=calls)
    assert calls == [1] and _contents(network.assemble(parts)) == _contents(network.build_graph(fixture))
    assert len(pq.read_table(paths["link_sentences"])) == len(parts.link_sentences)


def test_files_of_another_data_version_are_not_read(tmp_path, fixture):
    _cached(tmp_path, fixture, build_id="build-1")
    calls = []
    _cached(tmp_path, fixture, build_id="build-2", calls=calls)
    _cached(tmp_path, fixture, build_id="build-2", calls=calls)
    assert calls == [1]  # computed for the new version once, then read


@pytest.mark.parametrize("frame, change", [
    ("link_sentences", lambda f: f.assign(link=f["link"] + 10_000)),  # codes pointing past the links
    ("node_sentences", lambda f: f.iloc[::-1]),  # no longer sorted by node
    ("nodes", lambda f: f.assign(type="ship")),
    ("links", lambda f: f.drop(columns="relation")),
    ("articles", lambda f: f.assign(article_id=range(len(f)))),
])
def test_files_that_do_not_hold_together_are_computed_again(tmp_path, fixture, frame, change):
    parts, paths = _cached(tmp_path, fixture)
    stamp = pq.read_table(paths[frame]).schema.metadata[network_cache.STAMP]
    table = pq.read_table(paths[frame]).to_pandas()
    changed = change(table).reset_index(drop=True)
    written = pa.Table.from_pandas(changed, preserve_index=False)
    pq.write_table(written.replace_schema_metadata({**written.schema.metadata, network_cache.STAMP: stamp}), paths[frame])
    calls = []
    again, _ = _cached(tmp_path, fixture, calls=calls)
    assert calls == [1] and _contents(network.assemble(again)) == _contents(network.assemble(parts))


def test_a_folder_that_cannot_be_written_still_gets_the_parts(tmp_path, fixture):
    tmp_path.joinpath("dashboard").write_text("a file where the folder should be")
    parts, _ = _cached(tmp_path, fixture)
    assert _contents(network.assemble(parts)) == _contents(network.build_graph(fixture))


def test_the_page_keeps_the_parts_beside_the_version_and_a_new_process_reads_them(tmp_path, monkeypatch):
    at, fixture = open_page(tmp_path, monkeypatch, "network")
    version = store.current(tmp_path / "data")
    written = network_cache.parts_paths(version, network.PARTS_FRAMES)
    assert all(path.is_file() for path in written.values())
    before = {name: path.stat().st_mtime_ns for name, path in written.items()}
    st.cache_resource.clear()  # what a new server process starts with
    at.run()
    assert not at.exception
    assert {name: path.stat().st_mtime_ns for name, path in written.items()} == before  # read, not written again
    assert pd.read_parquet(written["nodes"])["id"].tolist() == network.parts(fixture).nodes["id"].tolist()


def test_graphs_are_kept_within_a_budget_of_bytes_the_least_recently_used_dropped_first(tmp_path, fixture):
    parts, _ = _cached(tmp_path, fixture)
    graphs = dict(zip("abcd", _graphs(parts, fixture)))
    sizes = {key: network.graph_bytes(graph) for key, graph in graphs.items()}
    assert sizes["a"] > sizes["b"] > 0 and sizes["a"] > sizes["c"] >= sizes["d"] > 0  # a whole graph counts more than a narrowed one
    kept = network_cache.Budgeted(sizes["a"] + sizes["c"], network.graph_bytes)
    assembled = []

    def get(key):
        return kept.get(key, lambda: assembled.append(key) or graphs[key])

    assert get("a") is graphs["a"] and get("c") is graphs["c"] and kept.held == sizes["a"] + sizes["c"] and len(kept) == 2
    assert get("a") is graphs["a"] and assembled == ["a", "c"]  # found, not assembled again
    get("d")  # over budget: "c", used least recently, goes
    assert "c" not in kept and "a" in kept and "d" in kept and kept.held == sizes["a"] + sizes["d"] <= kept.budget
    get("c")
    assert "a" not in kept and kept.held <= kept.budget
    small = network_cache.Budgeted(sizes["d"] - 1, network.graph_bytes)
    assert small.get("a", lambda: graphs["a"]) is graphs["a"] and "a" not in small and small.held == 0  # too large to keep
