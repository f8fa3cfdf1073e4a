"""An official's record: posts over time, meetings attended, officials met; each row traceable to its sentence."""

import pytest

from dashboard import person
from dashboard_fixtures import CANBERRA, TOKYO, build_tables
from test_network import open_page

TABLES = build_tables()
RAVI = "per-ravi-kumar"


def test_profile_names_the_latest_post_in_words():
    about = person.profile(TABLES, RAVI)
    assert about["name"] == "Ravi Kumar" and about["country"] == "India"
    with pytest.raises(KeyError):
        person.profile(TABLES, "per-nobody")


def test_posts_are_listed_oldest_first_with_their_sentences():
    posts = person.posts(TABLES, RAVI)
    assert posts["Title"].tolist() == ["Deputy Coordinator", "National Cyber Security Coordinator"]  # a post changes over time
    assert posts["Reported on"].tolist() == sorted(posts["Reported on"])
    assert posts["Sentence"].str.contains("Ravi Kumar").all() and (posts["Country"] == "India").all()


def test_meetings_attended_latest_first_with_the_others_there():
    attended = person.meetings_attended(TABLES, RAVI)
    assert attended["meeting_id"].tolist() == [CANBERRA, TOKYO]
    canberra = attended.iloc[0]
    assert set(canberra["With"].split("; ")) == {"Jane Doe", "Ken Mori"} and canberra["Place"] == "Canberra"


def test_co_attendees_count_the_meetings_shared():
    met = person.co_attendees(TABLES, RAVI)
    assert dict(zip(met["Official"], met["Meetings together"])) == {"Jane Doe": 1, "Ken Mori": 1}
    assert person.co_attendees(TABLES, "per-nobody").empty


def test_the_people_page_opens_an_official_from_the_url(tmp_path, monkeypatch):
    at, _ = open_page(tmp_path, monkeypatch, "people", official=RAVI)
    assert at.selectbox(key="people_person").value == RAVI
    assert at.subheader[0].value == "Ravi Kumar"
    assert len(at.dataframe) == 3
    shown = " ".join(df.value.drop(columns="source", errors="ignore").to_string() for df in at.dataframe)  # links show "read"
    assert "per-" not in shown and "art-" not in shown and "mtg-" not in shown and "None" not in shown
