"""The format benchmark reads what it measures: every format folder holds the same articles."""

from bench.formats import write_formats
from bench.generate import MARK, generate_corpus
from data_pipeline.readers import read_inputs


def test_every_format_folder_reads_back_the_same_dated_synthetic_articles(tmp_path):
    records = generate_corpus(4, seed=3)
    folders = write_formats(records, tmp_path)
    expected = sorted((r["title"], r["date"]) for r in records)
    for name, folder in folders.items():
        articles, problems, _ = read_inputs([folder])
        assert not [p for p in problems if p.fatal], name
        assert sorted((a.title, a.published.isoformat()) for a in articles) == expected, name
        assert all(a.title.startswith(MARK) and "SYNTHETIC" in a.text for a in articles), name
        if name == "pdf":
            assert all(len(a.pages) >= 1 for a in articles)
        if name == "html":
            assert not any("cookies" in a.text or "Related story" in a.text for a in articles)
