"""The benchmark generator: every article is marked synthetic, and a seed always gives the same corpus."""

import json

from bench.generate import MARK, NOTICE, generate_corpus, write_corpus
from data_pipeline.readers import read_inputs


def test_every_article_and_record_is_marked_synthetic(tmp_path):
    files = write_corpus(tmp_path, 25, seed=3)
    articles, problems, _ = read_inputs(files)
    assert problems == [] and len(articles) == 25
    assert all(a.title.startswith(MARK) and NOTICE in a.text for a in articles)
    records = [json.loads(line) for line in (tmp_path / "synthetic_records_000.jsonl").read_text("utf-8").splitlines()]
    assert records and all(r["title"].startswith(MARK) and "SYNTHETIC" in r["text"] for r in records)


def test_articles_have_realistic_length():
    lengths = [len(a["text"].split()) for a in generate_corpus(40, seed=1)]
    assert min(lengths) >= 300 and max(lengths) <= 850


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    one, two, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    for folder, seed in ((one, 5), (two, 5), (other, 6)):
        write_corpus(folder, 12, seed)
    contents = {folder: {p.name: p.read_bytes() for p in folder.iterdir()} for folder in (one, two, other)}
    assert contents[one] == contents[two]
    assert contents[one] != contents[other]


def test_rewriting_a_smaller_corpus_leaves_no_stale_files(tmp_path):
    write_corpus(tmp_path, 30, seed=0)
    files = write_corpus(tmp_path, 5, seed=0)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in files)
    articles, _, _ = read_inputs([tmp_path])
    assert len(articles) == 5


def test_records_over_the_input_limit_are_split_into_files_under_it(tmp_path):
    limit = 20_000  # about four records: the corpus's records need several files
    files = write_corpus(tmp_path, 200, seed=2, max_bytes=limit)
    record_files = [f for f in files if f.suffix == ".jsonl"]
    assert len(record_files) > 2 and all(f.stat().st_size <= limit for f in record_files)
    articles, problems, _ = read_inputs(files, max_bytes=limit)
    assert problems == [] and len(articles) == 200


def test_a_records_file_holds_a_few_seconds_of_work(tmp_path, monkeypatch):
    """The per-file time limit of a build refused one file of 2,000 records; records are split by count too."""
    from bench import generate

    monkeypatch.setattr(generate, "RECORDS_PER_FILE", 3)
    files = write_corpus(tmp_path, 100, seed=2)  # ten records, one article in ten
    record_files = [f for f in files if f.suffix == ".jsonl"]
    assert [len(f.read_text(encoding="utf-8").splitlines()) for f in record_files] == [3, 3, 3, 1]
