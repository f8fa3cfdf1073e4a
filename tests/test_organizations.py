"""Organisations from the curated list and general patterns, with kind and country from context."""

import pytest

from data_pipeline.countries import find_countries
from data_pipeline.kb import load_kb
from data_pipeline.organizations import find_organizations


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def orgs(text, kb):
    return [(text[o.start : o.end], o.org_id, o.kind, o.country) for o in find_organizations(text, kb, find_countries(text, kb))]


def test_the_longest_listed_name_wins(kb):
    assert orgs("The Quad Senior Cyber Group met; the Quad Leaders agreed; the Quad grew.", kb) == [
        ("Quad Senior Cyber Group", "org-quad-senior-cyber-group", "forum", None),
        ("Quad Leaders", "org-quad-leaders", "forum", None),
        ("Quad", "org-quad", "forum", None),
    ]


def test_aliases_resolve_to_the_listed_body(kb):
    found = orgs("CISA, formally the Cybersecurity and Infrastructure Security Agency, and CERT-In", kb)
    assert [o[1] for o in found] == [
        "org-usa-cybersecurity-and-infrastructure-security-agency",
        "org-usa-cybersecurity-and-infrastructure-security-agency",
        "org-ind-indian-computer-emergency-response-team",
    ]


@pytest.mark.parametrize(
    "text, surface, org_id, country",
    [
        ("Australia's Department of Home Affairs said", "Department of Home Affairs", "org-aus-department-of-home-affairs", "AUS"),
        ("the Ministry of External Affairs of India said", "Ministry of External Affairs", "org-ind-ministry-of-external-affairs", "IND"),
        # a name many countries use: the text's country beats the list's default
        ("Singapore's Ministry of Foreign Affairs said", "Ministry of Foreign Affairs", "org-sgp-ministry-of-foreign-affairs", "SGP"),
        ("the Ministry of Foreign Affairs said", "Ministry of Foreign Affairs", "org-jpn-ministry-of-foreign-affairs", "JPN"),
        ("the Japanese National Security Council met", "National Security Council", "org-jpn-national-security-council", "JPN"),
        ("the US National Security Council met", "National Security Council", "org-usa-national-security-council", "USA"),
    ],
)
def test_country_from_context(text, surface, org_id, country, kb):
    assert orgs(text, kb) == [(surface, org_id, "government body", country)]


@pytest.mark.parametrize(
    "text, surface, country",
    [
        ("officials of the Indonesian National Cyber and Crypto Agency", "National Cyber and Crypto Agency", "IDN"),
        ("the Department of Internal Affairs of New Zealand", "Department of Internal Affairs", "NZL"),
        ("Canada's Communications Security Establishment Agency", "Communications Security Establishment Agency", "CAN"),
        ("The Cyber Security Agency of Singapore", "Cyber Security Agency", "SGP"),
        ("a Ministry of Digital Affairs report", "Ministry of Digital Affairs", None),
        ("the National Institute of Standards and Technology", "National Institute of Standards and Technology", None),
    ],
)
def test_unlisted_bodies_found_by_pattern(text, surface, country, kb):
    (found,) = find_organizations(text, kb, find_countries(text, kb))
    assert (text[found.start : found.end], found.kind, found.country) == (surface, "government body", country)
    assert found.name == surface
    assert found.org_id == ("org-" + (country.lower() + "-" if country else "") + surface.lower().replace(" ", "-"))


def test_a_title_after_a_body_is_not_part_of_its_name(kb):
    assert [o[0] for o in orgs("the Department of Home Affairs Secretary Jane Doe said", kb)] == ["Department of Home Affairs"]


def test_two_bodies_joined_by_and_stay_two(kb):
    found = orgs("the Ministry of Home Affairs and CISA and the Ministry of Defence and Japan's NISC", kb)
    assert [o[0] for o in found] == ["Ministry of Home Affairs", "CISA", "Ministry of Defence", "NISC"]


def test_a_listed_name_inside_a_longer_pattern_is_one_organisation(kb):
    text = "the National Security Council Secretariat and the National Security Council Cyber Directorate"
    found = find_organizations(text, kb, find_countries(text, kb))
    assert [text[o.start : o.end] for o in found] == ["National Security Council Secretariat", "National Security Council Cyber Directorate"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_companies_and_forums_keep_their_kind(kb):
    kinds = {o[0]: o[2] for o in orgs("Microsoft briefed ASEAN and the G7 on Telstra's outage.", kb)}
    assert kinds == {"Microsoft": "company", "ASEAN": "forum", "G7": "forum", "Telstra": "company"}


def test_forum_members_are_listed(kb):
    assert set(kb.organizations["org-quad"].members) == {"AUS", "IND", "JPN", "USA"}
    assert set(kb.organizations["org-quad-senior-cyber-group"].members) == {"AUS", "IND", "JPN", "USA"}


def test_a_name_joined_to_a_listed_body_by_and_is_not_an_organisation(kb):
    found = orgs("Director Ana Ruiz and Cybersecurity and Infrastructure Security Agency staff met.", kb)
    assert [o[0] for o in found] == ["Cybersecurity and Infrastructure Security Agency"]


def test_universities_are_found_by_pattern_and_are_not_government_bodies(kb):
    found = orgs("The University of Tasmania signed with Keio University; ASPI and the Ministry of Defence watched.", kb)
    assert [(o[0], o[2]) for o in found] == [
        ("University of Tasmania", "other"),
        ("Keio University", "other"),
        ("ASPI", "other"),
        ("Ministry of Defence", "government body"),
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a lecturer at the Australian National University said",
         ("Australian National University", "org-aus-australian-national-university", "other", "AUS")),
        ("staff of the Australian Catholic University joined",
         ("Australian Catholic University", "org-aus-australian-catholic-university", "other", "AUS")),
        ("the Japanese National Police Agency said",
         ("National Police Agency", "org-jpn-national-police-agency", "government body", "JPN")),
        ("at Japan's Keio University", ("Keio University", "org-jpn-keio-university", "other", "JPN")),
    ],
)
def test_a_demonym_opens_a_university_name_but_is_context_for_a_body(text, expected, kb):
    assert orgs(text, kb) == [expected]


def test_a_venue_seat_must_be_a_known_place_and_posts_give_a_country(tmp_path):
    from data_pipeline.kb import KnowledgeBaseError, load_kb

    bad = tmp_path / "kb.toml"
    bad.write_text('[[organizations]]\nid = "org-x"\nname = "Blue House"\nkind = "government body"\nseat = "nowhere"\n')
    with pytest.raises(KnowledgeBaseError, match=r"kb.toml: organizations\[0\]: seat 'nowhere' is not the id of a place"):
        load_kb([bad])
    good = tmp_path / "posts.toml"
    good.write_text('[[posts]]\ntitle = "Chief Cyber Envoy of Fiji"\ncountry = "FJI"\n')
    kb = load_kb([good])
    assert kb.post_country("chief  cyber envoy of FIJI") == "FJI" and kb.post_country("External Affairs Minister") == "IND"
    assert kb.post_country("Foreign Minister") is None


@pytest.mark.parametrize(
    "text, expected",
    [
        # unlisted research bodies, in each of the forms they are named in
        ("a fellow of the Harbour Institute for Maritime Studies said", ("Harbour Institute for Maritime Studies", "other", None)),
        ("the Centre for Digital Rights and Society argued", ("Centre for Digital Rights and Society", "other", None)),
        ("a report from the Council on Pacific Affairs", ("Council on Pacific Affairs", "other", None)),
        ("the Meridian Foundation funded it", ("Meridian Foundation", "other", None)),
        ("an analyst at the Canadian Strategic Studies Institute", ("Canadian Strategic Studies Institute", "other", "CAN")),
        # a public body keeps its kind, its country a context ("National ... Council" is a public body)
        ("the Korean National Cyber Security Council", ("National Cyber Security Council", "government body", "KOR")),
        ("the Kenyan Federal Ministry of Information", ("Federal Ministry of Information", "government body", "KEN")),
        ("India's Union Ministry of Home Affairs", ("Union Ministry of Home Affairs", "government body", "IND")),
    ],
)
def test_research_bodies_and_their_kind(text, expected, kb):
    assert [(o[0], o[2], o[3]) for o in orgs(text, kb)] == [expected]


def test_a_city_written_after_a_body_gives_its_country(kb):
    from data_pipeline.places import find_places

    text = "She is a fellow at the Harbour Institute for Maritime Studies, Canberra, and at the Lakeside Foundation."
    found = find_organizations(text, kb, find_countries(text, kb), places=find_places(text, kb))
    assert [(text[o.start : o.end], o.country) for o in found] == [
        ("Harbour Institute for Maritime Studies", "AUS"),
        ("Lakeside Foundation", None),  # no place after it: no country guessed
    ]
