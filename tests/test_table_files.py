"""The per-article tables kept in parts by article id (`table_files`): read in order they are the table; an add writes
only the parts its articles fall in and links the others; the contract's check and the dashboard see the parts as
one table."""

import shutil

import pandas as pd
import pytest

from dashboard import data as dashboard_data
from dashboard import filters
from data_pipeline import schema, store, table_files
from data_pipeline.update import Upload, update
from tests.conftest import ARTICLES

ODD_IDS = ["", "Art-9", "art-", "art-0000", "art-0fff", "art-1000", "art-7abc", "art-8", "art-ffff", "art-g", "b", "\u00e9"]


def test_parts_read_in_order_are_the_table_in_key_order_even_for_ids_outside_the_usual_form(tmp_path):
    frame = pd.DataFrame({"article_id": ODD_IDS, "n": range(len(ODD_IDS))})
    table_files.write(frame, tmp_path, "articles")
    paths = table_files.files(tmp_path, "articles")
    assert [p.stem for p in paths] == ["0", "1", "7", "8", "f"]  # only the parts that hold a row
    pd.testing.assert_frame_equal(table_files.read(paths), frame)
    assert table_files.rows(paths) == len(ODD_IDS)


def test_a_table_without_a_row_keeps_its_columns_in_one_part(tmp_path):
    table_files.write(pd.DataFrame({"article_id": pd.Series([], dtype=object), "n": pd.Series([], dtype="int64")}), tmp_path, "pages")
    [path] = table_files.files(tmp_path, "pages")
    assert path.name == "0.parquet" and list(table_files.read([path]).columns) == ["article_id", "n"]
    with pytest.raises(FileNotFoundError):
        table_files.files(tmp_path, "mentions")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A data folder built from the written articles: their ids fall in most of the 16 parts."""
    data = tmp_path_factory.mktemp("parts") / "data"
    update(data, sorted(p for p in ARTICLES.iterdir() if p.suffix == ".txt"))
    return data


ADDED = """date 2025-06-02 Quad partners hold cyber talks in Canberra
CANBERRA, June 2 - Australia's Ambassador for Cyber Affairs, Jane Holloway, met India's National Cyber Security
Coordinator, Rajesh Menon, in Canberra on Monday to discuss ransomware and the security of undersea cables.
"""


def test_an_add_writes_the_parts_its_article_falls_in_and_links_the_others(folder, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(folder, data)  # the module's folder stays as it was built
    before = store.current(data)
    assert update(data, [Upload("canberra.txt", ADDED.encode())]).build.linked == "the added articles"
    after = store.current(data)
    [added] = set(store.read_column(data, "articles", "article_id")) - set(table_files.read(table_files.files(before, "articles"))["article_id"])
    touched = table_files.PARTS[table_files.parts_of(pd.Series([added]))[0]]
    whole = store.read_tables(data)
    for name in table_files.PARTED:
        old = {p.stem: p.stat().st_ino for p in table_files.files(before, name)}
        new = {p.stem: p.stat().st_ino for p in table_files.files(after, name)}
        written = {touched} if touched in old or (whole[name]["article_id"] == added).any() else set()  # (no pages here)
        assert set(new) - written == set(old) - written and {part for part in new if new[part] != old.get(part)} == written, name
    assert whole["articles"]["article_id"].is_monotonic_increasing and added in set(whole["articles"]["article_id"])
    assert schema.problems(whole) == []


def test_the_per_article_tables_have_keys_that_begin_with_the_article_id():
    """What lets a check of an add's new rows skip the kept parts (`schema.problems`), and the parts read in order be
    the table in key order."""
    assert all(schema.TABLES[name].key[0] == "article_id" for name in table_files.PARTED)


def _split(tables: dict, version, name: str) -> tuple[dict, dict]:
    """The tables with `name` holding only its rows of the part of the first article with a mention, the other parts of
    `version` given as kept files, as an add of an article in that part would have them."""
    part = table_files.parts_of(tables["mentions"]["article_id"].head(1))[0]
    rows = tables[name][table_files.parts_of(tables[name]["article_id"]) == part].reset_index(drop=True)
    return tables | {name: rows}, {name: {p.stem: p for p in table_files.files(version, name) if p.stem != table_files.PARTS[part]}}


def test_the_contract_is_checked_across_new_rows_and_kept_parts(folder):
    version, tables = store.current(folder), store.read_tables(folder)
    assert len(table_files.files(version, "sentences")) > 4
    new, kept = _split(tables, version, "sentences")
    assert schema.problems(new, table_files.Kept(kept)) == []
    assert schema.problems(new) != []  # without the kept parts, mentions point at sentences that are not there
    doubled = new | {"sentences": pd.concat([new["sentences"], new["sentences"].tail(1)], ignore_index=True)}
    assert any(p.startswith("sentences: 2 rows share a key") for p in schema.problems(doubled, table_files.Kept(kept)))
    elsewhere = tables["sentences"][~tables["sentences"]["article_id"].isin(new["sentences"]["article_id"])].head(1)
    placed = new | {"sentences": pd.concat([new["sentences"], elsewhere], ignore_index=True)}
    assert "sentences: 1 new row(s) of the parts kept from the version before" in schema.problems(placed, table_files.Kept(kept))
    both, kept_both = _split(new, version, "mentions")
    assert schema.problems(both, table_files.Kept(kept | kept_both)) == []
    astray = both["mentions"].copy()
    astray.loc[0, "sentence_id"] = 10_000
    assert any(p.startswith("mentions['article_id', 'sentence_id']: 1 value(s) not in sentences")
               for p in schema.problems(both | {"mentions": astray}, table_files.Kept(kept | kept_both)))
    articles, kept_articles = _split(tables, version, "articles")
    [gone] = sorted(set(tables["articles"]["dateline_place_id"].dropna()) - set(articles["articles"]["dateline_place_id"]))[:1]
    places = tables["places"][tables["places"]["place_id"] != gone]  # the dateline of a kept article only
    assert any(p.startswith("articles['dateline_place_id']: 1 value(s) not in places")
               for p in schema.problems(articles | {"places": places}, table_files.Kept(kept_articles)))
    assert any("articles" in p for p in schema.problems(articles | {"articles": articles["articles"].iloc[1:]}, table_files.Kept(kept_articles)))


def test_the_dashboard_numbers_rows_across_parts_as_in_one_file(folder):
    version = store.current(folder)
    connection = dashboard_data.connect(version)
    try:
        numbered = dashboard_data.query(connection, f"SELECT {filters.ROW} AS row, article_id, sentence_id FROM sentences ORDER BY row")
    finally:
        connection.close()
    expected = table_files.read(table_files.files(version, "sentences"), ["article_id", "sentence_id"])
    assert numbered["row"].tolist() == list(range(len(expected)))
    assert numbered[["article_id", "sentence_id"]].values.tolist() == expected.values.tolist()
