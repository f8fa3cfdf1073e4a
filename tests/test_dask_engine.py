"""The Dask engine: the same tables and the same data-folder layout as the local engine, on a LocalCluster of 2."""

import pandas as pd
import pytest
from distributed import Client, LocalCluster

from bench.generate import write_corpus
from data_pipeline import cli, dask_engine, store, windowed
from data_pipeline.build import LocalEngine, build_tables
from data_pipeline.dask_engine import DaskEngine
from data_pipeline.extraction_store import PARTS
from data_pipeline.kb import load_kb
from data_pipeline.readers import read_inputs
from data_pipeline.update import update
from tests.conftest import ARTICLES, ROOT, SEED, InFlight


@pytest.fixture(scope="module")
def engine():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield DaskEngine(client)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("generated")
    write_corpus(folder, 150, seed=8)
    return folder


@pytest.mark.parametrize("corpus", ["articles", "seed", "generated"])
def test_dask_and_local_engines_give_identical_tables(engine, generated, corpus):
    inputs = {"articles": [ARTICLES, *sorted(ROOT.glob("tests/articles_heldout*"))], "seed": [SEED],
              "generated": [generated]}[corpus]
    local = build_tables(inputs, engine=LocalEngine(2))
    dask = build_tables(inputs, engine=engine)
    assert not local.tables["meetings"].empty
    for name in local.tables:
        pd.testing.assert_frame_equal(dask.tables[name], local.tables[name], obj=name)
    assert dask.manifest["build_id"] == local.manifest["build_id"]


def test_a_dask_build_writes_the_same_folder_and_adds_incrementally(engine, generated, tmp_path):
    by_dask, by_local = tmp_path / "dask", tmp_path / "local"
    update(by_dask, [generated], engine=engine)
    update(by_local, [generated], jobs=2)
    assert sorted(p.name for p in (by_dask / PARTS).iterdir()) == sorted(p.name for p in (by_local / PARTS).iterdir())
    added = update(by_dask, [SEED], engine=engine)
    assert added.build.extracted == 1
    update(by_local, [SEED], jobs=2)
    dask_tables, local_tables = store.read_tables(by_dask), store.read_tables(by_local)
    for name in local_tables:
        pd.testing.assert_frame_equal(dask_tables[name], local_tables[name], obj=name)


def test_the_command_line_refuses_a_scheduler_without_the_dask_engine_or_one_it_cannot_reach(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(dask_engine, "CONNECT_TIMEOUT", "2s")
    assert cli.main(["build", str(SEED), "--out", str(tmp_path / "a"), "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler is for --engine dask" in capsys.readouterr().err
    assert cli.main(["build", str(SEED), "--out", str(tmp_path / "b"), "--engine", "dask",
                     "--scheduler", "tcp://127.0.0.1:1"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:1" in err and "Traceback" not in err
    assert not (tmp_path / "b" / "CURRENT").exists()


def test_build_engine_dask_starts_a_local_cluster_of_processes_and_gives_the_local_tables(tmp_path):
    assert cli.main(["build", str(ARTICLES), "--out", str(tmp_path / "dask"), "--engine", "dask", "--jobs", "2"]) == 0
    assert cli.main(["build", str(ARTICLES), "--out", str(tmp_path / "local")]) == 0
    dask_tables, local_tables = store.read_tables(tmp_path / "dask"), store.read_tables(tmp_path / "local")
    for name in local_tables:
        pd.testing.assert_frame_equal(dask_tables[name], local_tables[name], obj=name)


class _CountingClient(InFlight):
    """Stands in for a Dask client, counting the tasks submitted and not yet gathered."""

    def __init__(self, workers: int):
        super().__init__()
        self.workers = workers

    def scheduler_info(self):
        return {"workers": dict.fromkeys(range(self.workers))}

    def submit(self, function, batch, pure, **arguments):
        return self.handed(lambda: function(batch, **arguments))


def test_the_cluster_is_given_a_few_tasks_per_worker_ahead_not_the_whole_corpus(monkeypatch):
    """The build streams results into linking; a cluster handed every task at once would hold them all."""
    monkeypatch.setattr(dask_engine, "ARTICLES_PER_TASK", 1)
    articles = read_inputs([ARTICLES, *sorted(ROOT.glob("tests/articles_heldout*"))])[0]
    client = _CountingClient(workers=2)
    found = list(DaskEngine(client).extract(articles, load_kb(), ()))
    assert [e.document.article_id for e in found] == [a.article_id for a in articles]
    assert client.most == 2 * windowed.TASKS_AHEAD < len(articles)
