"""An official's record: posts over time, meetings attended, officials met; each row traceable to its sentence."""

import datetime as dt
import re

import pandas as pd
import pytest

from dashboard import data, filters, person, state
from dashboard_fixtures import CANBERRA, TOKYO, build_tables, live_markup
from data_pipeline import schema
from test_network import open_page

TABLES = build_tables()
RAVI, KEN = "per-ravi-kumar", "per-ken-mori"

# Two more invented articles, so that seven officials are named: one of 2024 with three new names (Mira Sol three
# times, Tom Ashe twice, Ida Park once) and one of 2021 naming Olu Reyes four times, the most mentioned until the dates
# leave 2021 out. The fixture's Ravi Kumar is named twice, Jane Doe and Ken Mori once.
MIRA, TOM, IDA, OLU = "per-mira-sol", "per-tom-ashe", "per-ida-park", "per-olu-reyes"
CROWD = {MIRA: "Mira Sol", TOM: "Tom Ashe", IDA: "Ida Park", OLU: "Olu Reyes"}
MORE_ARTICLES = {
    "art-00000000000000d4": ("2024-02-01", ["Mira Sol met Tom Ashe and Ida Park.", "Mira Sol and Tom Ashe spoke again.",
                                            "Mira Sol closed the talks."]),
    "art-00000000000000e5": ("2021-07-01", ["Olu Reyes opened the forum.", "Olu Reyes spoke twice; Olu Reyes then left.",
                                            "Aides of Olu Reyes stayed."]),
}


def crowded_tables() -> dict[str, pd.DataFrame]:
    """The fixture with `MORE_ARTICLES`, a mention wherever their text names one of `CROWD`; the contract holds."""
    rows: dict[str, list[dict]] = {"articles": [], "sentences": [], "mentions": []}
    for article_id, (published, said) in MORE_ARTICLES.items():
        start = 0
        for number, sentence in enumerate(said):
            rows["sentences"].append(dict(article_id=article_id, sentence_id=number, start=start, end=start + len(sentence), text=sentence))
            rows["mentions"] += [dict(article_id=article_id, sentence_id=number, start=start + found.start(), end=start + found.end(),
                                      surface=name, entity_type="person", entity_id=person_id)
                                 for person_id, name in CROWD.items() for found in re.finditer(name, sentence)]
            start += len(sentence) + 1
        rows["articles"].append(dict(article_id=article_id, title="Invented report", published=published, date_source="header",
                                     dateline=None, dateline_place_id=None, source=f"inputs/{article_id}.txt", text=" ".join(said)))
    rows["people"] = [dict(person_id=person_id, name=name, honorific=None, post_nominals=None, title=None, org_id=None, country=None)
                      for person_id, name in CROWD.items()]
    tables = build_tables()
    for name, added in rows.items():
        tables[name] = schema.conform(name, pd.concat([tables[name], pd.DataFrame(added)], ignore_index=True))
    schema.validate(tables)
    return tables


def test_the_officials_offered_are_the_most_mentioned_in_name_order_and_the_one_chosen():
    tables = crowded_tables()
    names, listed = person.officials(tables, None, 3)
    assert names == {MIRA: "Mira Sol", OLU: "Olu Reyes", RAVI: "Ravi Kumar"}  # 3, 4 and 2 mentions; Tom Ashe's 2 lose by name
    assert list(names) == [MIRA, OLU, RAVI] and listed == 7
    assert list(person.officials(tables, KEN, 3)[0]) == [KEN, MIRA, OLU, RAVI]  # named once, but chosen
    assert list(person.officials(tables, "per-nobody", 3)[0]) == [MIRA, OLU, RAVI]
    everyone = tables["people"].sort_values("name")
    names, listed = person.officials(tables, None, 100)
    assert list(names.items()) == list(zip(everyone["person_id"], everyone["name"])) and listed == 7


def test_the_officials_offered_are_counted_in_the_filtered_articles_by_duckdb(tmp_path):
    for name, frame in crowded_tables().items():
        frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    connection = data.connect(tmp_path)
    tables = data.Tables(connection, filters.stages(filters.Filters(date_from=dt.date(2022, 1, 1)), {}))
    names, listed = person.officials(tables, OLU, 3)  # Olu Reyes is named only in 2021: not offered, even when chosen
    assert list(names) == [MIRA, RAVI, TOM] and listed == 6
    assert person.officials(tables, KEN, 3) == ({KEN: "Ken Mori", MIRA: "Mira Sol", RAVI: "Ravi Kumar", TOM: "Tom Ashe"}, 6)
    assert not {"people", "mentions"} & set(tables._read)  # counted by DuckDB: only the names offered came into pandas
    unfiltered = data.Tables(connection)
    assert list(person.officials(unfiltered, None, 3)[0]) == [MIRA, OLU, RAVI]
    connection.close()


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


def test_the_people_page_offers_the_most_mentioned_says_so_and_still_opens_a_rare_one(tmp_path, monkeypatch):
    monkeypatch.setattr(filters, "ENTITY_CHOICES", 3)
    at, _ = open_page(tmp_path / "first", monkeypatch, "people", fixture=crowded_tables())
    official = at.selectbox(key="people_person")
    assert official.options == ["Mira Sol", "Olu Reyes", "Ravi Kumar"] and official.value is None
    said = " ".join(c.value for c in at.main.caption)
    assert "The filtered articles name 7 officials. The list holds the 3 most mentioned: narrow the filters" in said
    assert "officials in the filtered articles" not in said  # the count is said once
    at, _ = open_page(tmp_path / "linked", monkeypatch, "people", fixture=crowded_tables(), official=KEN)  # named once
    official = at.selectbox(key="people_person")
    assert official.value == KEN and at.subheader[0].value == "Ken Mori" and len(at.dataframe) == 2  # no post; a meeting, those met
    assert official.options == ["Ken Mori", "Mira Sol", "Olu Reyes", "Ravi Kumar"]
    assert any("the 3 most mentioned and the one chosen: " in c.value for c in at.main.caption)
    at.switch_page(state.page_path("timeline")).run()
    at.switch_page(state.page_path("people")).run()  # back on the page: the one chosen is still offered, and shown
    assert at.selectbox(key="people_person").value == KEN and at.subheader[0].value == "Ken Mori"
    at, _ = open_page(tmp_path / "dated", monkeypatch, "people", fixture=crowded_tables(), official=OLU, **{"from": "2022-01-01"})
    official = at.selectbox(key="people_person")  # the filters leave Olu Reyes out: not chosen, and the others counted without 2021
    assert official.value is None and official.options == ["Mira Sol", "Ravi Kumar", "Tom Ashe"]
    assert any(c.value.startswith("The filtered articles name 6 officials.") for c in at.main.caption)
    monkeypatch.setattr(filters, "ENTITY_CHOICES", 7)  # every official fits: the list is not cut, and says nothing of it
    at, _ = open_page(tmp_path / "whole", monkeypatch, "people", fixture=crowded_tables())
    assert len(at.selectbox(key="people_person").options) == 7
    said = " ".join(c.value for c in at.main.caption)
    assert "most mentioned" not in said and "7 officials in the filtered articles. Choose one" in said


def test_the_people_page_shows_an_officials_name_and_post_as_written(tmp_path, monkeypatch):
    tables = crowded_tables()
    tables["people"].loc[tables["people"]["person_id"] == IDA, "title"] = "Envoy for [talks](javascript:alert(1)) <script>x</script>"
    at, _ = open_page(tmp_path, monkeypatch, "people", fixture=tables, official=IDA)
    assert at.subheader[0].value == "Ida Park" and live_markup(at) == []
