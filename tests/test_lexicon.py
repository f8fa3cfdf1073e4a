"""The rules' word lists are data: loaded from data/lexicon.toml and checked, with errors naming the list."""

import re

import pytest

from data_pipeline import lexicon, people


def test_the_packaged_lexicon_feeds_the_rules():
    assert "Minister" in lexicon.words("title_heads") and people.TITLE_HEADS == lexicon.words("title_heads")
    assert "Lt Gen" in people.HONORIFICS and "AO" in people.POST_NOMINALS


@pytest.mark.parametrize(
    "edit, message",
    [
        (lambda text: text.replace("title_heads = [", "title_head = ["), "missing list(s) ['title_heads']"),
        (lambda text: text.replace('"Secretary", "Minister",', '"Secretary", "Secretary",'), "title_heads lists a word twice"),
        (lambda text: text.replace('"Secretary", "Minister",', '"Secretary", " Minister",'), "title_heads must be"),
    ],
)
def test_a_broken_lexicon_is_refused_naming_the_list(edit, message):
    text = (lexicon.resources.files("data_pipeline") / "data" / "lexicon.toml").read_text("utf-8")
    with pytest.raises(lexicon.LexiconError, match=re.escape(message)):
        lexicon._load(edit(text), "lexicon.toml")
