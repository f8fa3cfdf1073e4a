"""Extractions kept as Parquet parts: exact round trip, no code run on reading, the text stored once, adds write only
what changed, and damaged parts mean extracting again, not a failed build."""

import ast
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bench.generate import write_corpus
from data_pipeline import build as build_module, extraction_store, store
from data_pipeline.build import extract_all, extraction_key, fingerprint
from data_pipeline.extraction_store import PARTS, Batch, ExtractionCache, read_cache, write_part
from data_pipeline.kb import load_kb
from data_pipeline.link import link, link_batches
from data_pipeline.readers import read_inputs
from data_pipeline.update import Upload, update
from tests.conftest import ARTICLES, ROOT, SEED

KB = load_kb()
TOKYO = b"""date 2025-03-12 Quad cyber officials meet in Tokyo
TOKYO, March 12 - Senior cyber officials of Australia, India, Japan and the United States met in Tokyo on Tuesday \
to discuss ransomware, the Japanese foreign ministry said. Japan's Ambassador for Cyber Policy Kenji Haramoto led the talks.
"""


def _keyed(inputs):
    articles, _, _ = read_inputs(inputs)
    code = fingerprint(())
    return {extraction_key(a, code): (a, e) for a, e in zip(articles, extract_all(articles, KB, (), 1))}


@pytest.mark.parametrize("corpus", ["articles", "seed", "generated"])
def test_a_part_gives_back_every_extraction_exactly(tmp_path, corpus):
    if corpus == "generated":
        write_corpus(tmp_path / "g", 60, seed=2)
    inputs = {"articles": [ARTICLES, *sorted(ROOT.glob("tests/articles_heldout*"))], "seed": [SEED],
              "generated": [tmp_path / "g"]}[corpus]
    keyed = _keyed(inputs)
    halves = [list(keyed.items())[:len(keyed) // 2], list(keyed.items())[len(keyed) // 2:]]
    parts = [write_part(tmp_path / PARTS, [k for k, _ in half], Batch.of(e for _, (_, e) in half).records) for half in halves if half]
    read = list(ExtractionCache(tmp_path, parts).batches({k: a for k, (a, _) in keyed.items()}))
    for part, keys, batch in read:
        assert set(keys) == {k for k, _ in [h for h in halves if h][parts.index(part)]}
        assert [a.article_id for a in batch.articles] == [keyed[k][0].article_id for k in keys]
    assert [part for part, _, _ in read] == sorted(parts)  # part by part
    loaded = {key: extraction for _, keys, batch in read for key, extraction in zip(keys, batch.extractions())}
    assert sum(len(keys) for _, keys, _ in read) == len(loaded) and loaded.keys() == keyed.keys()  # each once
    for key, (_, extraction) in keyed.items():
        assert loaded[key] == extraction
    assert any(e.meetings and e.meetings[0].participants for _, e in keyed.values()) or corpus == "seed"


def test_linking_a_part_as_stored_gives_the_tables_of_its_extractions(tmp_path):
    """Linking reads a stored part's records as they are, without making the extractions again (`article_rows`):
    the tables are those of the extractions themselves, whatever parts hold them."""
    write_corpus(tmp_path / "g", 60, seed=4)
    keyed = list(_keyed([ARTICLES, SEED, tmp_path / "g"]).items())
    parts = [write_part(tmp_path / PARTS, [k for k, _ in half], Batch.of(e for _, (_, e) in half).records)
             for half in (keyed[:25], keyed[25:])]
    stored = [batch for _, _, batch in ExtractionCache(tmp_path, parts).batches({k: a for k, (a, _) in keyed})]
    from_parts, made = link_batches(stored, KB).tables, link([e for _, (_, e) in keyed], KB)
    assert len(made["meetings"]) > 10 and made["topic_mentions"]["meeting_id"].notna().any()
    for name in made:
        assert made[name].equals(from_parts[name]), name


def test_parts_written_before_each_record_had_its_type_are_read_alike(tmp_path):
    """Parts written by the earlier store took each column's type from its values (no value: no type); read with
    the types of the model, they give the same extractions."""
    keyed = _keyed([SEED, ARTICLES])
    (tmp_path / PARTS).mkdir()
    parts, untyped = [], 0
    for n, key in enumerate(sorted(keyed)):  # a part per article: many a column has no value in it
        (record,) = Batch.of([keyed[key][1]]).records.to_pylist()
        inferred = pa.Table.from_pylist([{"key": key, "extraction": record}])
        untyped += any(pa.types.is_null(t) for t in _leaf_types(inferred.schema.field("extraction").type))
        pq.write_table(inferred, tmp_path / PARTS / f"part-{n}.parquet")
        parts.append(f"part-{n}.parquet")
    read = list(ExtractionCache(tmp_path, parts).batches({k: a for k, (a, _) in keyed.items()}))
    assert untyped > 5 and len(read) == len(keyed)
    for _, keys, batch in read:
        assert list(batch.extractions()) == [keyed[k][1] for k in keys]


def _leaf_types(kind: pa.DataType):
    if pa.types.is_struct(kind):
        for field in kind:
            yield from _leaf_types(field.type)
    elif pa.types.is_list(kind):
        yield from _leaf_types(kind.value_type)
    else:
        yield kind


def test_a_folder_holds_no_pickle_and_its_parts_hold_no_article_text(tmp_path):
    folder = tmp_path / "data"
    update(folder, [SEED, ARTICLES])
    files = [p for p in folder.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in (".pickle", ".pkl")]
    parts = list((folder / PARTS).glob("*.parquet"))
    assert parts
    text = "\n".join(str(row) for part in parts for row in pq.read_table(part).to_pylist())
    sentences = store.read_tables(folder)["sentences"]["text"]
    long_sentences = [s for s in sentences if len(s) > 60]
    assert long_sentences and not any(s in text for s in long_sentences)


def test_an_add_writes_one_small_part_and_keeps_the_others(tmp_path):
    folder = tmp_path / "data"
    update(folder, [SEED, ARTICLES])
    parts_before = {p.name: p.read_bytes() for p in (folder / PARTS).iterdir()}
    result = update(folder, [Upload("tokyo.txt", TOKYO)])
    assert result.build.extracted == 1
    parts_after = {p.name: p.read_bytes() for p in (folder / PARTS).iterdir()}
    (new,) = parts_after.keys() - parts_before.keys()
    assert pq.read_metadata(folder / PARTS / new).num_rows == 1
    assert {k: parts_after[k] for k in parts_before} == parts_before
    assert sorted(store.read_manifest(folder)["extraction_parts"]) == sorted(parts_after)


def test_extractions_are_written_batch_by_batch(tmp_path, monkeypatch):
    monkeypatch.setattr(extraction_store, "PART_SIZE", 4)
    monkeypatch.setattr(extraction_store, "SLICE", 2)  # encoded two at a time, written four at a time
    folder = tmp_path / "data"
    update(folder, [ARTICLES])
    n = len(store.read_tables(folder)["articles"])
    rows = sorted(pq.read_metadata(p).num_rows for p in (folder / PARTS).iterdir())
    assert sum(rows) == n and rows[-1] == 4 and len(rows) == -(-n // 4)
    assert not list(folder.glob(".incoming-*"))  # the parts written before the lock moved into the folder's store


def test_a_damaged_or_foreign_part_means_extracting_again(tmp_path):
    folder = tmp_path / "data"
    update(folder, [SEED, ARTICLES])
    expected = store.read_tables(folder)
    for part in (folder / PARTS).iterdir():
        part.write_bytes(b"PAR1 not really parquet")
    result = update(folder, [Upload("tokyo.txt", TOKYO)])
    assert result.build.extracted == len(expected["articles"]) + 1
    assert len(store.read_tables(folder)["articles"]) == len(expected["articles"]) + 1
    manifest = store.read_manifest(folder)
    assert len(read_cache(folder, manifest)) == len(expected["articles"]) + 1
    outside = dict(manifest, extraction_parts=manifest["extraction_parts"] + ["../../inbox/x.parquet"])
    assert len(read_cache(folder, outside)) == 0  # a part outside the folder is never read


def test_parts_no_kept_version_lists_are_removed(tmp_path):
    folder = tmp_path / "data"
    update(folder, [SEED])
    first = set(store.read_manifest(folder)["extraction_parts"])
    for n in range(store.KEEP + 1):
        update(folder, [Upload(f"tokyo-{n}.txt", TOKYO.replace(b"Tuesday", f"Tuesday ({n})".encode()))], full=True)
    on_disk = {p.name for p in (folder / PARTS).iterdir()}
    listed = {p for v in (folder / "versions").iterdir() for p in store.read_manifest(v)["extraction_parts"]}
    assert on_disk == listed and first.isdisjoint(on_disk)


def test_the_fingerprint_covers_the_code_extraction_runs_and_not_linking_or_storage():
    """A change to linking, storage or the command line keeps stored extractions; a change to any module an
    extraction runs, found by what a fresh interpreter imports while extracting every test article, does not."""
    script = ("import sys\nfrom data_pipeline.extract import extract_one\nfrom data_pipeline.kb import load_kb\n"
              "from data_pipeline.readers import read_inputs\n"
              f"for article in read_inputs([{str(ARTICLES)!r}, {str(SEED)!r}])[0]:\n    extract_one(article, load_kb())\n"
              "print('\\n'.join(m.__file__ for n, m in sys.modules.items() if n.startswith('data_pipeline.')))")
    ran = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    hashed = {str(path) for path in build_module.extraction_modules()}
    not_extraction = {"build.py", "cli.py", "extraction_store.py", "link.py", "schema.py", "store.py", "update.py"}
    ran_by_extraction = {path for path in ran if Path(path).name not in not_extraction}
    assert {"meetings.py", "people.py", "ner.py"} <= {Path(path).name for path in ran_by_extraction}
    assert ran_by_extraction <= hashed
    assert not {Path(path).name for path in hashed} & not_extraction


def test_two_sessions_uploading_at_once_never_parse_the_source_at_the_same_time(monkeypatch):
    """Sessions of one server uploading together ask for the fingerprint at the same moment; finding the extraction
    code parses the package's source, which two threads at once must not do (`ast.parse` fails in CPython 3.11:
    "AST constructor recursion depth mismatch", seen when two uploads landed together)."""
    parse, inside, most = ast.parse, [], []

    def slow_parse(*args, **kwargs):
        inside.append(1)
        most.append(len(inside))
        time.sleep(0.001)  # lets another thread in, if anything would
        try:
            return parse(*args, **kwargs)
        finally:
            inside.pop()

    monkeypatch.setattr(ast, "parse", slow_parse)
    build_module._modules_from.cache_clear()
    start, found = threading.Barrier(8), []

    def ask():
        start.wait()
        found.append(fingerprint(()))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(found) == 8 and len(set(found)) == 1 and max(most) == 1
