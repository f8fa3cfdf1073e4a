"""Short forms of names joined to the full name, within an article and across the corpus (invented names)."""

from datetime import date

import pytest

from data_pipeline.ids import article_id
from data_pipeline.kb import load_kb
from data_pipeline.link import link
from data_pipeline.model import ArticleExtraction, Document, Entities, Mention, PersonFinding, RoleFinding
from data_pipeline.name_forms import abbreviates, shorter_forms
from data_pipeline.sentences import split_sentences


@pytest.mark.parametrize(
    "short, full, expected",
    [
        ("Halvorsen", "Erik Halvorsen", True),
        ("E Halvorsen", "Erik Halvorsen", True),
        ("E. J. Halvorsen", "Erik John Halvorsen", True),
        ("Erik Halvorsen", "Erik John Halvorsen", True),
        ("K Halvorsen", "Erik Halvorsen", False),  # another initial
        ("Ingrid Halvorsen", "Erik Halvorsen", False),
        ("Erik Halvorsen", "Erik Halvorsen", False),
        ("Halvorsen", "Halvorsen Erik", False),  # the family name is not last
    ],
)
def test_which_names_abbreviate_which(short, full, expected):
    assert abbreviates(short, full) is expected


def test_a_short_form_joins_the_fullest_name_and_only_when_one_fits():
    names = {"a": "Halvorsen", "b": "E Halvorsen", "c": "Erik Halvorsen", "d": "Okafor", "e": "Ada Okafor", "f": "Chidi Okafor"}
    assert shorter_forms(names) == {"a": "c", "b": "c"}
    assert shorter_forms(names, conflict=lambda short, full: short == "a") == {"b": "c"}


def _article(text, published, name, title, country):
    doc = Document(article_id(text), "t", text, published, split_sentences(text))
    person_id = "per-" + name.lower().replace(" ", "-")
    start = text.index(name)
    entities = Entities(
        mentions=(Mention(start, start + len(name), name, "person", person_id, 0),),
        people=(PersonFinding(person_id, name, None, None, 0),),
        roles=(RoleFinding(person_id, title, None, country, 0),),
    )
    return ArticleExtraction(doc, f"{doc.article_id}.txt", "header", None, entities, (), (), ())


def test_across_articles_a_surname_is_the_one_official_named_in_full():
    full = _article("President Erik Halvorsen of Norway spoke.", date(2024, 1, 2), "Erik Halvorsen", "President", "NOR")
    short = _article("President Halvorsen thanked the hosts.", date(2024, 1, 3), "Halvorsen", "President", None)
    tables = link([full, short], load_kb())
    assert tables["people"][["person_id", "name", "country"]].to_dict("records") == [
        {"person_id": "per-erik-halvorsen", "name": "Erik Halvorsen", "country": "NOR"}
    ]
    mentions = tables["mentions"][tables["mentions"].entity_type == "person"]
    assert sorted(mentions.surface) == ["Erik Halvorsen", "Halvorsen"], "each mention keeps the words its article wrote"
    assert set(mentions.entity_id) == {"per-erik-halvorsen"}
    assert set(tables["roles"].person_id) == {"per-erik-halvorsen"}


def test_across_articles_different_countries_or_posts_keep_two_people():
    full = _article("Minister Erik Halvorsen of Norway spoke.", date(2024, 1, 2), "Erik Halvorsen", "Minister", "NOR")
    other_country = _article("Halvorsen of Denmark spoke.", date(2024, 1, 3), "Halvorsen", None, "DNK")
    other_post = _article("Ambassador Halvorsen spoke.", date(2024, 1, 3), "Halvorsen", "Ambassador", None)
    for short in (other_country, other_post):
        assert len(link([full, short], load_kb())["people"]) == 2
