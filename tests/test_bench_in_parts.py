"""The in-parts benchmark splits a generated corpus into parts that together hold every article once, in article
order, so its adds build the same folder as one build of the corpus."""

from bench.generate import write_corpus
from bench.in_parts import split
from data_pipeline.readers import read_inputs


def test_the_parts_hold_every_article_once_in_article_order(tmp_path):
    write_corpus(tmp_path / "corpus", 40, seed=2, max_bytes=8_000)  # a record a JSON Lines file
    whole, _, _ = read_inputs([tmp_path / "corpus"])
    parts = split(tmp_path / "corpus", 40, 4, tmp_path / "parts")
    read = [read_inputs([part])[0] for part in parts]
    assert sorted(a.article_id for articles in read for a in articles) == sorted(a.article_id for a in whole)
    assert all(any(p.suffix == ".jsonl" for p in part.iterdir()) for part in parts)
    texts = [sorted(p.name for p in part.iterdir() if p.suffix == ".txt") for part in parts]
    assert all(texts) and [t[-1] < u[0] for t, u in zip(texts, texts[1:])] == [True] * 3
    assert len({(p.stat().st_ino) for part in parts for p in part.iterdir()}) == len(list((tmp_path / "corpus").glob("synthetic_*")))
    assert split(tmp_path / "corpus", 40, 4, tmp_path / "parts") == parts  # again: the links are there already
