import pandas as pd

from data_pipeline import schema
from data_pipeline.kb import load_kb
from data_pipeline.link import link
from tests.conftest import ROOT


def _valid():
    tables = link([], load_kb())
    tables["articles"] = schema.conform("articles", pd.DataFrame([{
        "article_id": "art-1", "title": "T", "published": "2024-01-02", "date_source": "header", "dateline": None,
        "dateline_place_id": None, "source": "a.txt", "text": "Jane Roe spoke."}]))
    tables["sentences"] = schema.conform("sentences", pd.DataFrame([{
        "article_id": "art-1", "sentence_id": 0, "start": 0, "end": 15, "text": "Jane Roe spoke."}]))
    tables["mentions"] = schema.conform("mentions", pd.DataFrame([{
        "article_id": "art-1", "sentence_id": 0, "start": 0, "end": 8, "surface": "Jane Roe",
        "entity_type": "person", "entity_id": "per-jane-roe"}]))
    tables["people"] = schema.conform("people", pd.DataFrame([{
        "person_id": "per-jane-roe", "name": "Jane Roe", "honorific": None, "post_nominals": None,
        "title": None, "org_id": None, "country": "AUS"}]))
    return tables


def test_a_consistent_set_of_tables_has_no_problems():
    assert schema.problems(_valid()) == []


def test_problems_name_the_table_and_what_is_wrong():
    tables = _valid()
    tables["people"] = schema.conform("people", tables["people"].assign(country="XXX"))
    tables["articles"] = tables["articles"].assign(published="31/01/2023")
    tables["mentions"] = schema.conform("mentions", tables["mentions"].assign(entity_id="per-someone-else"))
    found = "\n".join(schema.problems(tables))
    assert "people['country']: 1 value(s) not in countries" in found
    assert "articles.published: not ISO dates" in found
    assert "people: 1 row(s) not traceable to a sentence" in found


def test_nulls_and_duplicate_keys_are_caught():
    tables = _valid()
    tables["sentences"] = schema.conform("sentences", pd.concat([tables["sentences"]] * 2))
    tables["people"] = schema.conform("people", tables["people"].assign(name=None))
    found = "\n".join(schema.problems(tables))
    assert "sentences: 2 rows share a key" in found
    assert "people.name: 1 null value(s)" in found


def test_a_topic_phrase_must_be_in_the_sentence_it_cites():
    """The sentence shown as evidence must show the phrase; a non-ASCII phrase is looked for as it is written."""
    tables = _valid()
    tables["sentences"] = schema.conform("sentences", tables["sentences"].assign(text="Jane Roe spoke on cyber résilience."))
    topics = load_kb().topics
    rows = [{"topic_id": next(iter(topics)), "article_id": "art-1", "sentence_id": 0, "meeting_id": None, "matched": m}
            for m in ("cyber résilience", "ransomware", "Cyber", "spoke")]
    tables["topic_mentions"] = schema.conform("topic_mentions", pd.DataFrame(rows))
    found = "\n".join(schema.problems(tables))
    assert "topic_mentions: 2 matched phrase(s) not in their sentence" in found
    assert "ransomware" in found and "'Cyber'" in found and "spoke" not in found
    tables["topic_mentions"] = tables["topic_mentions"].iloc[[0, 3]].reset_index(drop=True)
    assert schema.problems(tables) == []


def test_markdown_documents_every_table_and_column():
    text = schema.markdown()
    for table in schema.TABLES.values():
        assert f"### `{table.name}`" in text
        assert all(f"`{c.name}`" in text for c in table.columns)


def test_readme_carries_the_current_table_reference():
    assert schema.markdown() in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_reference_broken_many_times_is_counted_in_full_and_shown_by_its_first_three():
    tables = _valid()
    mention = tables["mentions"].iloc[0]
    tables["mentions"] = schema.conform("mentions", pd.DataFrame([
        mention.to_dict() | {"sentence_id": n, "start": 0, "end": 8} for n in (7, 3, 0, 5, 9, 5)]))
    found = "\n".join(schema.problems(tables))
    assert "mentions['article_id', 'sentence_id']: 4 value(s) not in sentences, e.g. [('art-1', 3), ('art-1', 5), ('art-1', 7)]" in found
