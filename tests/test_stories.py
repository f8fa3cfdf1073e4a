"""Near-duplicates: one wire story republished by three outlets with edits is one story with three sources."""

import numpy as np
import pytest
from hypothesis import given, strategies as st

from data_pipeline import stories, story_groups
from data_pipeline.build import build_tables
from tests.conftest import ARTICLES, ROOT, assert_traceable

WIRE = ROOT / "tests" / "formats" / "wire"


def test_three_outlets_republishing_a_wire_story_make_one_story_and_keep_every_copy():
    tables = build_tables([WIRE, ARTICLES]).tables
    assert_traceable(tables)
    articles = tables["articles"].merge(tables["stories"], on="article_id")
    story = articles.set_index(articles["source"].str.rsplit("/", n=1).str[-1])["story_id"]
    copies = {story["outlet_a_daily_courier.txt"], story["outlet_b_pacific_herald.txt"], story["outlet_c_morning_post.txt"]}
    assert len(copies) == 1
    assert story["own_report_tokyo_gazette.txt"] not in copies  # the same meeting, written by its own reporter
    assert story["05_canberra_outlet_a.txt"] != story["06_canberra_outlet_b.md"]
    assert len(tables["articles"]) == 4 + len(list(ARTICLES.glob("*.txt"))) + len(list(ARTICLES.glob("*.md"))) + 3
    assert tables["stories"]["story_id"].nunique() == len(tables["articles"]) - 2
    (copy_story,) = copies
    members = articles[articles["story_id"] == copy_story]
    assert copy_story == "sto-" + min(members["article_id"]).removeprefix("art-")
    tokyo = tables["meetings"][tables["meetings"]["city"] == "Tokyo"]
    assert set(tables["meeting_sources"].merge(tokyo, on="meeting_id")["article_id"]) >= set(members["article_id"])


def test_signatures_are_the_same_in_every_process_and_estimate_jaccard():
    text = (WIRE / "outlet_a_daily_courier.txt").read_text()
    assert stories.signature(text) == stories.signature(text)
    assert len(stories.signature(text)) == stories.NUM_PERM == story_groups.BANDS * story_groups.ROWS
    other = (WIRE / "outlet_b_pacific_herald.txt").read_text()
    first, second = stories.shingles(text), stories.shingles(other)
    exact = len(first & second) / len(first | second)
    assert abs(stories.similarity(stories.signature(text), stories.signature(other)) - exact) < 0.1


def test_case_and_punctuation_edits_do_not_make_a_new_story():
    text = (WIRE / "outlet_b_pacific_herald.txt").read_text()
    edited = text.upper().replace(",", " ;").replace("\n\n", "\n")
    ids = story_groups.story_ids({"art-b": stories.signature(text), "art-a": stories.signature(edited)})
    assert ids == {"art-a": "sto-a", "art-b": "sto-a"}


@given(st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=60), min_size=1, max_size=6))
def test_every_article_gets_a_story_named_after_one_of_its_copies(texts):
    signatures = {f"art-{i:02d}": stories.signature(t) for i, t in enumerate(texts)}
    ids = story_groups.story_ids(signatures)
    assert set(ids) == set(signatures)
    for story in set(ids.values()):
        members = [a for a, s in ids.items() if s == story]
        assert story == "sto-" + min(members).removeprefix("art-")


def test_one_article_in_every_format_is_one_story(tmp_path):
    from bench.formats import write_formats
    from bench.generate import generate_corpus

    folders = write_formats(generate_corpus(3, seed=11), tmp_path)
    tables = build_tables(list(folders.values())).tables
    assert len(tables["articles"]) > 3  # page extraction, PDF line breaks and e-mail text make different texts
    assert tables["stories"]["story_id"].nunique() == 3


def test_an_article_without_a_signature_is_a_story_of_its_own():
    text = (WIRE / "outlet_a_daily_courier.txt").read_text()
    ids = story_groups.story_ids({"art-1": stories.signature(text), "art-2": stories.signature(text), "art-0": ()})
    assert ids == {"art-0": "sto-0", "art-1": "sto-1", "art-2": "sto-1"}


def test_buckets_compared_a_few_rows_at_a_time_give_the_same_stories(monkeypatch):
    """Template-made articles fill many buckets of more than one article; comparing them in slices of rows (as a
    large corpus is) must find the same copies as comparing them at once."""
    from bench.generate import generate_corpus

    texts = [article["text"] for article in generate_corpus(120, seed=5)]
    edited = {f"art-c{i:03d}": texts[i].replace(",", " ;").upper() for i in range(0, 120, 7)}
    signatures = {f"art-{i:03d}": stories.signature(t) for i, t in enumerate(texts)} | {
        aid: stories.signature(t) for aid, t in edited.items()}
    at_once = story_groups.story_ids(signatures)
    monkeypatch.setattr(story_groups, "COMPARED", 3)
    assert story_groups.story_ids(signatures) == at_once
    for aid in edited:
        assert at_once[aid] == at_once[f"art-{aid[5:]}"]  # each copy is its original's story


def _same_index(a: story_groups.StoryIndex, b: story_groups.StoryIndex) -> bool:
    return (a.ids.tolist() == b.ids.tolist() and np.array_equal(a.matrix, b.matrix) and np.array_equal(a.keys, b.keys)
            and a.edges == b.edges)


def test_adding_articles_to_a_story_index_equals_indexing_them_all_at_once():
    """An add compares only the buckets its articles fall in; an added article that comes first in a bucket (by id)
    changes which pairs that bucket compares, so the copies it joins and the ones it parts must come out as when the
    whole corpus is banded at once."""
    from bench.generate import generate_corpus

    texts = [article["text"] for article in generate_corpus(60, seed=9)]
    signatures = {f"art-{i + 100}": stories.signature(t) for i, t in enumerate(texts)}
    signatures |= {f"art-{i + 100}x": stories.signature(texts[i].replace(",", " ;").upper()) for i in range(0, 60, 5)}
    signatures["art-0a"] = stories.signature(texts[0].upper())  # once added, first of its copies' buckets (by id)
    signatures["art-empty"] = ()
    everything = story_groups.StoryIndex.of(signatures)
    assert len(everything.edges) >= 12
    for added in (["art-0a"], ["art-0a", "art-105x", "art-empty"], [a for a in signatures if a.endswith("x")]):
        before = story_groups.StoryIndex.of({a: s for a, s in signatures.items() if a not in added})
        after = before.added({a: signatures[a] for a in added})
        assert _same_index(after, everything)
        assert after.stories(signatures) == story_groups.story_ids(signatures)
    with pytest.raises(ValueError):
        everything.added({"art-0a": signatures["art-0a"]})
