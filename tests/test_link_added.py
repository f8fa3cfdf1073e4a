"""An add links only what its new articles touch (`link_added`), and gives exactly the tables of linking them all.

Every test builds the same articles twice: added to a data folder a few files at a time, and built at once in
another folder, and compares every table and the linking state kept with them. Where the add cannot know the
result without every article (a join of names that changes, state it cannot read), it links them all.
"""

import random
import shutil

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_pipeline import build as build_module
from data_pipeline import store
from data_pipeline.link_state import FOLDER, LinkState
from data_pipeline.update import Upload, update
from tests.conftest import ARTICLES, ROOT

ADDED, EVERY = "the added articles", "every article"


def _same_state(a: LinkState, b: LinkState) -> None:
    assert (a.forms, a.joined, a.latest, a.given) == (b.forms, b.joined, b.latest, b.given)
    assert a.reports.equals(b.reports)
    assert a.index.ids.tolist() == b.index.ids.tolist() and np.array_equal(a.index.matrix, b.index.matrix)
    assert a.index.edges == b.index.edges


def _same_as_built_at_once(folder, items, tmp_path) -> None:
    whole = tmp_path / "at-once"
    shutil.rmtree(whole, ignore_errors=True)
    update(whole, items)
    added, built = store.read_tables(folder), store.read_tables(whole)
    for name in built:
        pd.testing.assert_frame_equal(added[name], built[name], obj=name)
    _same_state(_state(folder), _state(whole))


def _state(folder) -> LinkState:
    version = store.current(folder)
    return LinkState.read(version, store.read_manifest(version)["linking_state"])


def _generated(tmp_path, count: int, seed: int) -> list:
    from bench.generate import generate_corpus

    files = []
    for index, record in enumerate(generate_corpus(count, seed=seed)):
        path = tmp_path / "generated" / f"g{index:03d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"date {record['date']} {record['title']}\n{record['text']}\n", encoding="utf-8")
        files.append(path)
    return files


def test_files_added_a_few_at_a_time_link_only_what_they_touch_and_equal_building_them_at_once(tmp_path):
    """Analysts' and wire articles of every style, copies of one story, and generated articles that report the same
    meetings at the same places in other words: new reports join meetings, become their best report, part two
    meetings of one day; copies join a story; a person first named in full or by surname."""
    written = [p for folder in (ARTICLES, ROOT / "tests" / "articles_heldout", ROOT / "tests" / "formats" / "wire")
               for p in sorted(folder.iterdir()) if p.suffix in (".txt", ".md", ".json", ".jsonl") and p.name != "expected.json"]
    items = written + _generated(tmp_path, 30, seed=3)
    random.Random(5).shuffle(items)
    folder = tmp_path / "data"
    update(folder, items[: len(items) // 3])
    rest, how = items[len(items) // 3 :], []
    sizes = random.Random(6)
    while rest:
        count = sizes.choice((1, 1, 2, 3))
        take, rest = rest[:count], rest[count:]
        result = update(folder, take)
        how += [result.build.linked] if result.build is not None else []
    assert len(how) >= 15 and set(how) == {ADDED}
    _same_as_built_at_once(folder, items, tmp_path)


TOKYO = """date 2025-03-12 Quad cyber officials meet in Tokyo
TOKYO, March 12 - Senior cyber officials of Australia, India, Japan and the United States met in Tokyo on Tuesday \
to discuss ransomware, the Japanese foreign ministry said.
Ambassador {name} of Japan said partners agreed to share threat information faster.
"""
CANBERRA = """date 2025-06-04 Cyber partners gather in Canberra
CANBERRA, June 4 (Wire) - Quad cyber officials held a two-day meeting in Canberra on June 2 and 3.
Japan's Ambassador for Cyber Policy {name} told reporters the group would meet again in Delhi.
"""


def _people(folder) -> set[str]:
    return set(store.read_tables(folder)["people"]["name"])


def test_a_surname_an_earlier_article_gave_alone_joined_to_a_full_name_now_links_every_article(tmp_path):
    first, then = Upload("tokyo.txt", TOKYO.format(name="Haramoto").encode()), Upload("canberra.txt", CANBERRA.format(name="Kenji Haramoto").encode())
    folder = tmp_path / "data"
    update(folder, [first])
    assert "Haramoto" in _people(folder)
    assert update(folder, [then]).build.linked == EVERY
    assert _people(folder) >= {"Kenji Haramoto"} and "Haramoto" not in _people(folder)
    _same_as_built_at_once(folder, [first, then], tmp_path)


def test_a_second_full_name_that_unjoins_a_surname_links_every_article(tmp_path):
    first = [Upload("tokyo.txt", TOKYO.format(name="Haramoto").encode()), Upload("canberra.txt", CANBERRA.format(name="Kenji Haramoto").encode())]
    other = Upload("osaka.txt", CANBERRA.replace("Canberra", "Osaka").replace("CANBERRA", "OSAKA").format(name="Mariko Haramoto").encode())
    folder = tmp_path / "data"
    update(folder, first)
    assert "Haramoto" not in _people(folder)
    assert update(folder, [other]).build.linked == EVERY
    assert {"Haramoto", "Kenji Haramoto", "Mariko Haramoto"} <= _people(folder)
    _same_as_built_at_once(folder, [*first, other], tmp_path)


@pytest.mark.parametrize("damage", ["missing", "unreadable", "edited", "other code"])
def test_a_version_without_its_own_state_of_this_code_is_linked_again_in_full_then_added_to(tmp_path, monkeypatch, damage):
    """An edited state reads as well as the real one, and would give other tables: the manifest's digests tell it."""
    items = sorted(ARTICLES.glob("*.txt"))
    folder = tmp_path / "data"
    update(folder, items[:-2])
    state = store.current(folder) / FOLDER
    if damage == "missing":
        shutil.rmtree(state)
    elif damage == "unreadable":
        (state / "reports.parquet").write_bytes(b"not parquet")
    elif damage == "edited":
        reports = pq.read_table(state / "reports.parquet")
        pq.write_table(reports.slice(0, len(reports) // 3), state / "reports.parquet")
    else:  # the next release links in another way
        monkeypatch.setattr(build_module, "linking_code", lambda: "code of the next release")
    assert update(folder, [items[-2]]).build.linked == EVERY
    assert update(folder, [items[-1]]).build.linked == ADDED
    _same_as_built_at_once(folder, items, tmp_path)
