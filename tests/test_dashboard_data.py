"""Where the dashboard finds its data version, and its one DuckDB connection per process, made again when the version changes."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import data
from dashboard.filters import Filters, stages
from dashboard_fixtures import build_tables, manifest, queried
from data_pipeline import store

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def write_version(folder: Path, build_id: str) -> Path:
    tables = build_tables()
    if build_id == "fewer":
        tables["topics"] = tables["topics"][tables["topics"]["topic_id"] != "incident-response"]
    store.write_tables(folder, tables, {**manifest(tables), "build_id": build_id})
    return folder


def test_default_folder_is_the_repository_data_folder(monkeypatch):
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    assert data.data_dir() == Path(__file__).resolve().parent.parent / "data"


def test_environment_variable_wins(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    assert data.data_dir() == tmp_path


def test_build_id_falls_back_to_a_hash_of_the_manifest():
    assert data.build_id({"build_id": "abc"}) == "abc"
    assert data.build_id({"built_at": "x"}) == data.build_id({"built_at": "x"}) != data.build_id({"built_at": "y"})


def _overview(secrets: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    return at.run()


def test_secrets_name_the_folder_when_no_environment_variable(monkeypatch, tmp_path):
    monkeypatch.delenv(data.ENV_VAR, raising=False)
    write_version(tmp_path / "from-secrets", "secret-version")
    at = _overview({data.SECRET: str(tmp_path / "from-secrets")})
    assert not at.exception
    assert any("secret-version" in m.value for m in [*at.markdown, *at.caption])  # the version line on the Overview


def test_environment_variable_beats_secrets(monkeypatch, tmp_path):
    write_version(tmp_path / "env", "env-version")
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path / "env"))
    at = _overview({data.SECRET: str(tmp_path / "elsewhere")})
    assert any("env-version" in m.value for m in [*at.markdown, *at.caption])


def test_a_rebuilt_version_is_picked_up_on_the_next_run(monkeypatch, tmp_path):
    folder = write_version(tmp_path / "data", "first")
    monkeypatch.setenv(data.ENV_VAR, str(folder))
    at = AppTest.from_file(APP, default_timeout=30)
    at.switch_page("views/data.py").run()
    assert at.dataframe[0].value.set_index("table").loc["topics", "rows"] == 5
    write_version(folder, "fewer")
    at.run()
    assert at.dataframe[0].value.set_index("table").loc["topics", "rows"] == 4
    assert any("fewer" in c.value for c in at.caption)


def test_a_folder_without_manifest_is_explained(monkeypatch, tmp_path):
    monkeypatch.setenv(data.ENV_VAR, str(tmp_path))
    with pytest.raises(data.DataUnavailable, match="no data version yet"):
        data.load()


def test_one_connection_per_process_made_again_for_a_new_version(monkeypatch, tmp_path):
    folder = write_version(tmp_path / "data", "first")
    monkeypatch.setenv(data.ENV_VAR, str(folder))
    first = data.load()
    assert data.load().connection is first.connection  # every run of every session shares it
    write_version(folder, "fewer")
    again = data.load()
    assert again.connection is not first.connection
    assert again.tables.count("topics") == 4 and again.build_id == "fewer"


def test_sessions_query_the_shared_connection_from_many_threads_at_once(monkeypatch, tmp_path):
    """Streamlit runs each session's script in a thread of its own: each query takes a cursor of its own."""
    tables = build_tables()
    monkeypatch.setenv(data.ENV_VAR, str(write_version(tmp_path / "data", "first")))
    chosen = [Filters(countries=("JPN",)), Filters(countries=("AUS",)), Filters(topics=("cyber-workforce",)), Filters()] * 6
    expected = [list(queried(tables, f)["sentences"]["text"]) for f in chosen]

    def read(filters: Filters) -> list[str]:
        return list(data.Tables(data.load().connection, stages(filters, {}))["sentences"]["text"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(read, chosen)) == expected
    assert len({len(e) for e in expected}) > 1  # the filters keep different sentences


def test_one_column_of_a_filtered_table_without_reading_the_table(monkeypatch, tmp_path):
    tables = build_tables()
    monkeypatch.setenv(data.ENV_VAR, str(write_version(tmp_path / "data", "first")))
    connection = data.load().connection
    for chosen in (Filters(), Filters(countries=("JPN",))):
        filtered = data.Tables(connection, stages(chosen, {}))
        assert filtered.filtered == chosen.active
        assert list(filtered.column("articles", "article_id")) == list(queried(tables, chosen)["articles"]["article_id"])
    assert filtered.count("articles") < len(tables["articles"])  # the filter kept fewer articles
    with pytest.raises(KeyError, match="no column"):
        filtered.column("articles", "article_id; DROP TABLE articles")


def test_parts_of_a_filtered_table_are_those_of_the_whole_filtered_table(monkeypatch, tmp_path):
    """`table_access` asks `data.Tables` for some columns or some rows only; they must be the rows and values the
    whole filtered table holds, in its order, with its dtypes, as they are when cut from plain frames."""
    from dashboard import table_access

    tables = build_tables()
    monkeypatch.setenv(data.ENV_VAR, str(write_version(tmp_path / "data", "first")))
    connection = data.load().connection
    for chosen in (Filters(), Filters(countries=("JPN",)), Filters(topics=("supply-chain-security",))):
        reference = queried(tables, chosen)
        lazy = data.Tables(connection, stages(chosen, {}))
        ids = list(reference["articles"]["article_id"])[:2]
        cut = table_access.rows(lazy, "sentences", "article_id", ids)
        pd.testing.assert_frame_equal(cut.reset_index(drop=True), table_access.rows(reference, "sentences", "article_id", ids).reset_index(drop=True))
        assert set(cut["article_id"]) == set(ids) and len(cut) < len(tables["sentences"])
        columns = table_access.columns(lazy, "articles", ["article_id", "published"])
        pd.testing.assert_frame_equal(columns, reference["articles"][["article_id", "published"]].reset_index(drop=True))
        assert table_access.count(lazy, "meetings") == len(reference["meetings"])
        assert table_access.rows(lazy, "meetings", "meeting_id", []).empty
    with pytest.raises(KeyError, match="no column"):
        lazy.where("sentences", "article_id IS NOT NULL OR TRUE", ids)


def test_an_aggregate_over_the_filtered_tables_is_the_one_over_plain_frames(monkeypatch, tmp_path):
    """`table_access.sql` runs one query over `data.Tables` (the filtered views, in DuckDB) and over plain frames: the
    same result, the rows' order (`filters.ROW`) included; a table the query names that does not exist is refused."""
    from dashboard import table_access

    tables = build_tables()
    monkeypatch.setenv(data.ENV_VAR, str(write_version(tmp_path / "data", "first")))
    connection = data.load().connection
    query = ("SELECT s.article_id, count(*) AS n, string_agg(CAST(s.sentence_id AS VARCHAR), ',' ORDER BY s.file_row_number) AS seen "
             "FROM {sentences} s JOIN {articles} a ON a.article_id = s.article_id WHERE s.sentence_id >= $first GROUP BY s.article_id "
             "ORDER BY s.article_id")
    for chosen in (Filters(), Filters(countries=("JPN",)), Filters(topics=("supply-chain-security",))):
        lazy = table_access.sql(data.Tables(connection, stages(chosen, {})), query, {"first": 1})
        plain = table_access.sql(queried(tables, chosen), query, {"first": 1})
        pd.testing.assert_frame_equal(lazy, plain)
        assert len(plain) and (plain["n"] >= 1).all()
    with pytest.raises(KeyError, match="no table"):
        data.Tables(connection).sql("SELECT * FROM {secrets}", {})


def test_a_dataset_keeps_what_the_pages_show_of_the_manifest_not_its_list_of_inputs(monkeypatch, tmp_path):
    from data_pipeline import cli

    folder = tmp_path / "data"
    assert cli.main(["build", str(Path(__file__).resolve().parent.parent / "seeds"), "--out", str(folder), "--jobs", "1"]) == 0
    whole = store.read_manifest(folder)
    assert whole["inputs"] and whole["extraction_parts"]  # what a data folder of 100,000 articles lists in 16 MB
    monkeypatch.setenv(data.ENV_VAR, str(folder))
    ds = data.load()
    assert ds.manifest == {key: whole[key] for key in ("build_id", "built_at", "pipeline_version", "extractor", "row_counts")}
    assert ds.build_id == whole["build_id"] and ds.version == store.current(folder)
