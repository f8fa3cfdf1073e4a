"""Unrelated news takes the cheap path: kept and readable, with no people, meetings or topics looked for."""

from datetime import date

import pytest

from data_pipeline.extract import extract_article
from data_pipeline.kb import load_kb
from data_pipeline.model import RawArticle
from data_pipeline.relevance import is_relevant

SPORT = (
    "Perth, June 3: Coach Harriet Lomax said her side would meet the Lions in Brisbane next week. "
    "Captain Sam Okafor, who scored twice, said the team had trained hard."
)
CYBER = (
    "Perth, June 3: Japan's ambassador for cyber policy, Kenta Mori, met Australian officials in Perth on Monday. "
    "Captain Sam Okafor said the talks went well."
)


@pytest.mark.parametrize(
    "title, text, relevant",
    [
        ("Lions edge Eels", SPORT, False),
        ("Ministers talk", CYBER, True),
        ("Diplomatic row over fishing rights", "The row went on.", True),  # the title alone is enough
        ("Markets", "Shares fell on Monday as investors weighed cybersecurity spending.", True),
        ("Weather", "Rain in Perth; the Quadrant shopping centre flooded.", False),  # whole words only: not "Quad"
    ],
)
def test_relevance_words(title, text, relevant):
    assert is_relevant(title, text) is relevant


def test_unrelated_news_yields_no_people_meetings_or_topics_but_keeps_its_text():
    kb = load_kb()
    sport = extract_article(RawArticle("art-s", "Lions edge Eels", SPORT, date(2024, 6, 3), "header", "s"), kb)
    assert (sport.entities.people, sport.meetings, sport.topics) == ((), (), ())
    assert sport.document.text == SPORT and len(sport.document.sentences) == 2
    cyber = extract_article(RawArticle("art-c", "Ministers talk", CYBER, date(2024, 6, 3), "header", "c"), kb)
    assert "Kenta Mori" in {p.name for p in cyber.entities.people} and len(cyber.meetings) == 1
