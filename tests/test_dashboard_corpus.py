"""The dashboard corpus generator: synthetic, varied, and connected the way an analyst's corpus is."""

import json
import random
from datetime import date, timedelta

from bench.dashboard_corpus import DAYS, MEETINGS_PER_SPAN, STYLES, build, calendar, generate_corpus, roster, span, write_corpus
from bench.generate import MARK, NOTICE


def test_every_article_is_marked_synthetic_and_every_style_is_used(tmp_path):
    files = write_corpus(tmp_path, 60, seed=1)
    texts = [f.read_text(encoding="utf-8") for f in files if f.suffix == ".txt"]
    records = [json.loads(line) for f in files if f.suffix == ".jsonl" for line in f.read_text(encoding="utf-8").splitlines()]
    assert len(texts) + len(records) >= 60
    assert all(MARK in t.splitlines()[0] and NOTICE in t for t in texts)
    assert records and all(r["title"].startswith(MARK) and r["text"].startswith(NOTICE) for r in records)
    assert {f.stem.rsplit("_", 1)[-1] for f in files if f.suffix == ".txt"} == set(STYLES) - {"record"}


def test_same_seed_same_corpus():
    assert generate_corpus(30, seed=4) == generate_corpus(30, seed=4)
    assert generate_corpus(30, seed=4) != generate_corpus(30, seed=5)


def test_built_tables_have_shared_meetings_recurring_officials_and_partners(tmp_path):
    from data_pipeline import store

    tables = store.read_tables(build(tmp_path, 60, seed=2))
    meetings = tables["meetings"]
    assert (meetings["n_sources"] >= 2).sum() >= 5  # several outlets report one meeting
    assert {"AUS", "IND", "JPN", "USA"} <= set(tables["participants"]["country"].dropna())
    assert set(tables["participants"]["country"].dropna()) - {"AUS", "IND", "JPN", "USA"}  # partners join some
    attended = tables["participants"].dropna(subset=["person_id"]).groupby("person_id")["meeting_id"].nunique()
    assert attended.max() >= 4  # the same officials turn up at many meetings
    assert "month" in set(meetings["date_precision"].dropna())


def test_a_large_corpus_gets_more_years_at_the_density_of_the_ten_thousand_article_one():
    assert span(round(10_000 / 1.7)) == (date(2021, 1, 1), DAYS)  # the 1,000- and 10,000-article corpora are unchanged
    for meetings in (MEETINGS_PER_SPAN + 1, round(100_000 / 1.7)):
        first, days = span(meetings)
        assert first + timedelta(days=days - 1) == date(2025, 12, 30)  # the same last day
        assert meetings / days <= MEETINGS_PER_SPAN / DAYS  # no more meetings per day than the smaller corpora
    rng = random.Random(3)
    drawn = calendar(rng, 2 * MEETINGS_PER_SPAN, roster(rng))  # more than five years' (day, city) pairs could hold cheaply
    assert len({(m.day, m.city) for m in drawn}) == 2 * MEETINGS_PER_SPAN
    assert drawn[0].day.year < 2021 and drawn[-1].day <= date(2025, 12, 30)
