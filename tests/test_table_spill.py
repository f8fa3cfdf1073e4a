"""A large build writes the per-article tables to disk in parts as it links (`table_spill`): the same version, and the
same account of what each file added, as a build that holds them in memory."""

import random

import pandas as pd
import pytest

from data_pipeline import store, table_files, table_spill
from data_pipeline.table_spill import Spill
from data_pipeline.update import Upload, update
from tests.conftest import ARTICLES, ROOT
from tests.test_link_added import CANBERRA, TOKYO, _generated


@pytest.fixture(scope="module")
def items(tmp_path_factory):
    written = [p for folder in (ARTICLES, ROOT / "tests" / "formats" / "wire") for p in sorted(folder.iterdir())
               if p.suffix in (".txt", ".md", ".json", ".jsonl") and p.name != "expected.json"]
    joined = [Upload("tokyo.txt", TOKYO.format(name="Haramoto").encode()),  # a surname another article gives in full
              Upload("canberra.txt", CANBERRA.format(name="Kenji Haramoto").encode())]
    found = written + joined + _generated(tmp_path_factory.mktemp("generated"), 25, seed=11)
    random.Random(2).shuffle(found)
    return found


def _built(folder, items, spill_after: int, monkeypatch, steps: int = 1):
    """The outcomes of adding `items` in `steps` updates, spilling every build of more than `spill_after` articles."""
    monkeypatch.setattr(table_spill, "SPILL_AFTER", spill_after)
    monkeypatch.setattr(Spill, "FLUSH_ROWS", 50)  # many row groups per part, as a large build writes
    cut = len(items) // steps
    return [update(folder, items[n * cut : None if n == steps - 1 else (n + 1) * cut]) for n in range(steps)]


def test_a_spilled_build_writes_the_version_a_build_in_memory_writes(items, tmp_path, monkeypatch):
    spilled = _built(tmp_path / "spilled", items, 0, monkeypatch)
    held = _built(tmp_path / "held", items, 10**9, monkeypatch)
    assert spilled[0].build.tables["sentences"].empty and not held[0].build.tables["sentences"].empty
    assert not spilled[0].build.kept.checked
    a, b = store.read_tables(tmp_path / "spilled"), store.read_tables(tmp_path / "held")
    for name in b:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)
    assert store.read_manifest(tmp_path / "spilled")["row_counts"] == store.read_manifest(tmp_path / "held")["row_counts"]
    assert [o.new_people for o in spilled[0].outcomes] == [o.new_people for o in held[0].outcomes]
    assert sum(len(o.new_people) for o in held[0].outcomes) > 10
    assert "Kenji Haramoto" in set(a["people"]["name"]) and "Haramoto" not in set(a["people"]["name"])
    version = store.current(tmp_path / "spilled")
    assert len(table_files.files(version, "mentions")) > 8
    assert not list((tmp_path / "spilled").glob(".incoming-*"))  # the spill goes with the update


def test_adds_to_a_spilled_version_and_a_relink_that_spills_again_give_the_same_tables(items, tmp_path, monkeypatch):
    """The first build and any later build that links every article spill; the adds between link what they touch,
    their rows spilled and merged into the version's parts a part at a time (`link_added._merged_parts`)."""
    spilled = _built(tmp_path / "spilled", items, 5, monkeypatch, steps=4)
    assert [r.build.linked for r in spilled] == ["every article"] + ["the added articles"] * 3
    # the adds spilled too: no per-article row in memory, every part on disk, the new ones merged there
    assert all(r.build.tables[name].empty and not r.build.kept.checked for r in spilled for name in table_files.PARTED)
    assert update(tmp_path / "spilled", full=True).build.linked == "every article"
    _built(tmp_path / "held", items, 10**9, monkeypatch)
    a, b = store.read_tables(tmp_path / "spilled"), store.read_tables(tmp_path / "held")
    for name in b:
        pd.testing.assert_frame_equal(a[name], b[name], obj=name)


def test_a_spilled_part_that_breaks_the_contract_is_not_written(items, tmp_path, monkeypatch):
    from data_pipeline import link

    finish = link.finish_parts

    def doubled(spill, joined):
        parts = finish(spill, joined)
        path = parts.files["sentences"][min(parts.files["sentences"])]
        frame = pd.read_parquet(path)
        pd.concat([frame, frame.head(1)]).to_parquet(path, index=False)  # one sentence twice
        return parts

    monkeypatch.setattr(link, "finish_parts", doubled)
    with pytest.raises(Exception, match="sentences: 2 rows share a key"):
        _built(tmp_path / "data", items, 0, monkeypatch)
    assert not (tmp_path / "data" / store.CURRENT).exists()
