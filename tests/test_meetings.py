import re
from dataclasses import replace
from datetime import date

import pytest

from data_pipeline import ids
from data_pipeline.dateline import find_dateline
from data_pipeline.dates import find_dates
from data_pipeline.entities import find_entities
from data_pipeline.kb import OrgEntry, PlaceEntry, load_kb
from data_pipeline.meetings import find_meetings, sentences_about
from data_pipeline.extract import extract_article
from data_pipeline.model import (
    DateSpan, Document, Entities, Mention, OrgFinding, PersonFinding, RawArticle, RoleFinding,
)
from data_pipeline.sentences import split_sentences
from tests.conftest import SEED

PLACES = (
    PlaceEntry("tokyo", "Tokyo", "JPN"),
    PlaceEntry("sydney", "Sydney", "AUS"),
    PlaceEntry("perth", "Perth", "AUS"),
    PlaceEntry("canberra", "Canberra", "AUS"),
    PlaceEntry("washington", "Washington", "USA"),
    PlaceEntry("hiroshima", "Hiroshima", "JPN"),
    PlaceEntry("manila", "Manila", "PHL"),
)
QUAD = OrgEntry("org-quad", "Quad", "forum", None, (), ("AUS", "IND", "JPN", "USA"))
KB = replace(load_kb(), places={p.place_id: p for p in PLACES}, organizations={QUAD.org_id: QUAD})
COUNTRY_NAMES = {"Japan": "JPN", "Australia": "AUS", "India": "IND", "US": "USA", "United States": "USA", "Philippines": "PHL"}


def entities_for(document: Document, people: dict[str, tuple[str, str]] = {}) -> Entities:
    """Entities as the entity rules would give them: every known place, country and forum name, and the listed people.

    `people` maps a name to (title, country) and stands in for the person rules.
    """
    starts = [s.start for s in document.sentences]

    def sentence_of(offset):
        return max(i for i, s in enumerate(starts) if s <= offset)

    mentions, found_people, roles = [], [], []
    names = [(p.name, "place", p.place_id) for p in PLACES] + [(n, "country", c) for n, c in COUNTRY_NAMES.items()]
    names += [("Quad", "organization", QUAD.org_id)]
    for name, kind, entity_id in names:
        for m in re.finditer(rf"\b{re.escape(name)}\b", document.text):
            mentions.append(Mention(m.start(), m.end(), name, kind, entity_id, sentence_of(m.start())))
    for name, (title, country) in people.items():
        for m in re.finditer(re.escape(name), document.text):
            sentence = sentence_of(m.start())
            person_id = ids.person_id(name)
            mentions.append(Mention(m.start(), m.end(), name, "person", person_id, sentence))
            found_people.append(PersonFinding(person_id, name, None, None, sentence))
            roles.append(RoleFinding(person_id, title, None, country, sentence))
    organizations = tuple(
        OrgFinding(m.entity_id, QUAD.name, QUAD.kind, None, m.sentence_id) for m in mentions if m.entity_type == "organization"
    )
    return Entities(tuple(sorted(mentions, key=lambda m: m.start)), organizations, (), tuple(found_people), tuple(roles))


def meetings_of(text: str, published: date | None, people: dict[str, tuple[str, str]] = {}):
    dateline = find_dateline(text, KB, published)
    document = Document("art-test", "test", text, published, split_sentences(text))
    return find_meetings(document, KB, entities_for(document, people), find_dates(document), dateline)


def days(first: str, last: str) -> DateSpan:
    return DateSpan(date.fromisoformat(first), date.fromisoformat(last), "day")


def test_wire_report_ministers_held_talks():
    text = (
        "TOKYO (Reuters) - Foreign ministers of Japan and Australia held talks in Tokyo on Tuesday, "
        "officials said. The talks covered ransomware."
    )
    [meeting] = meetings_of(text, date(2024, 3, 6))
    assert (meeting.kind, meeting.place_id, meeting.city, meeting.country) == ("ministerial", "tokyo", "Tokyo", "JPN")
    assert meeting.span == days("2024-03-05", "2024-03-05")
    assert meeting.sentence_ids == (0, 1)
    assert {p.country for p in meeting.participants} == {"JPN", "AUS"}
    assert all(p.person_id is None for p in meeting.participants)


def test_press_release_names_the_meeting_and_its_date_range():
    text = "Canberra, 12 February 2024: Australia hosted the third Quad Cyber Dialogue in Canberra on 8–9 February 2024."
    [meeting] = meetings_of(text, None)
    assert (meeting.name, meeting.kind, meeting.place_id) == ("Quad Cyber Dialogue", "dialogue", "canberra")
    assert meeting.span == days("2024-02-08", "2024-02-09")


@pytest.mark.parametrize(
    "text, place",
    [
        ("The Quad leaders will meet in Tokyo next month.", "tokyo"),
        ("Ministers are expected to meet in Sydney to discuss supply chains.", "sydney"),
        ("The summit is scheduled to be held in Hiroshima in May.", "hiroshima"),
        ("Ahead of the Quad Leaders' Summit in Hiroshima, officials briefed reporters.", "hiroshima"),
        ("At a Quad meeting in Sydney next month, Japan will press for a cable repair ship.", "sydney"),
        ("The two ministers agreed to hold talks in Canberra in July.", "canberra"),
    ],
)
def test_scheduled_meetings_are_recorded_as_planned(text, place):
    [meeting] = meetings_of(text, date(2023, 3, 1))
    assert (meeting.status, meeting.place_id) == ("planned", place)


@pytest.mark.parametrize(
    "text",
    [
        "The plan met with criticism in Canberra last week.",
        "The agency met its targets in Perth last year.",
        "Officials did not meet in Tokyo last week.",
        "Officials said a meeting could be held in Tokyo soon.",
        "The agency plans to meet the challenge in Tokyo.",
        "The principals of Japan and India agreed to meet again.",  # a plan with neither a place nor a time
        "The Quad meeting planned for October in Canberra has been cancelled.",
        "A meeting of the principals that was due to open in Perth on Wednesday has been postponed.",
    ],
)
def test_speculation_cancellations_and_other_senses_are_not_meetings(text):
    assert meetings_of(text, date(2023, 3, 1)) == []


def test_met_needs_an_official_setting():
    sports = "The two sides last met in Sydney in round three last year, when the home team won."
    assert meetings_of(sports, date(2023, 3, 1)) == []
    diplomatic = "Japan and Australia have long cooperated. The two sides last met in Sydney last year."
    [meeting] = meetings_of(diplomatic, date(2023, 3, 1))
    assert meeting.place_id == "sydney" and meeting.span.precision == "year"


def test_reference_to_a_later_meeting_is_not_coreference():
    text = "Officials from Japan and India met in Tokyo on 3 May 2023. They agreed that the next meeting would be longer."
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert meeting.sentence_ids == (0,)


def test_meeting_dated_after_the_article_is_a_plan():
    [meeting] = meetings_of("Officials met in Tokyo on 5 May 2025 to finalise the text.", date(2024, 5, 1))
    assert meeting.status == "planned" and meeting.span.start == date(2025, 5, 5)


def test_attendee_list_people_are_participants_with_their_countries():
    text = (
        "WASHINGTON, March 3, 2024 — The US-India Cyber Working Group met this week.\n\n"
        "Priya Raman, Joint Secretary, and Daniel Ortiz, Deputy Director, took part in the meeting.\n\n"
        "Separately, the weather was fine."
    )
    people = {"Priya Raman": ("Joint Secretary", "IND"), "Daniel Ortiz": ("Deputy Director", "USA")}
    [meeting] = meetings_of(text, date(2024, 3, 3), people)
    assert (meeting.kind, meeting.name) == ("working group", "US-India Cyber Working Group meeting")
    # no place in the sentence: the dateline's place; "this week" ends by the article date (a Sunday)
    assert (meeting.place_id, meeting.country) == ("washington", "USA")
    assert meeting.span == days("2024-02-26", "2024-03-03")
    assert meeting.sentence_ids == (0, 1)
    assert {(p.person_id, p.country) for p in meeting.participants} == {("per-priya-raman", "IND"), ("per-daniel-ortiz", "USA")}


def test_attendee_list_after_a_wire_lead_and_a_meeting_named_after_for():
    text = (
        "PERTH (Example Wire) - Officials from Japan and India met on Friday for a Quad cyber dialogue.\n\n"
        "Participants:\n- Kenji Mori, Director, Japan\n- Asha Varma, Joint Secretary, India\n\n"
        "Japan is an island nation."
    )
    people = {"Kenji Mori": ("Director", "JPN"), "Asha Varma": ("Joint Secretary", "IND")}
    [meeting] = meetings_of(text, date(2024, 3, 11), people)
    assert (meeting.name, meeting.kind, meeting.place_id) == ("Quad cyber dialogue", "dialogue", "perth")
    assert meeting.span == days("2024-03-08", "2024-03-08")
    assert meeting.sentence_ids == (0, 1, 2, 3)  # the lead, "Participants:" and the two list lines
    assert {p.person_id for p in meeting.participants} == {"per-kenji-mori", "per-asha-varma"}


def test_this_week_is_clipped_to_the_article_date():
    [meeting] = meetings_of("Officials from Japan and India met in Tokyo this week.", date(2024, 2, 28))
    assert meeting.span == days("2024-02-26", "2024-02-28")


def test_two_day_meeting_with_an_end_date_is_two_days_ending_then():
    [meeting] = meetings_of("Officials concluded a two-day meeting in Tokyo on 31 January 2024.", date(2024, 2, 1))
    assert meeting.span == days("2024-01-30", "2024-01-31")


def test_lead_report_without_a_date_ends_on_the_dateline_day():
    [meeting] = meetings_of("SYDNEY, Feb 2 — Senior officials took part in a two-day meeting.", date(2024, 2, 2))
    assert (meeting.place_id, meeting.span) == ("sydney", days("2024-02-01", "2024-02-02"))


def test_lead_report_without_length_or_date_stays_undated():
    [meeting] = meetings_of("SYDNEY, Feb 2 — Senior officials took part in a meeting.", date(2024, 2, 2))
    assert meeting.span is None


def test_references_and_same_place_reports_merge_other_meetings_stay_apart():
    text = (
        "Officials from Japan and Australia met in Sydney last year. "
        "The talks focused on supply chains. "
        "In March 2023, officials met in Perth. "
        '"We met in Sydney and made progress," an official said.'
    )
    sydney, perth = meetings_of(text, date(2023, 6, 1))
    assert (sydney.place_id, sydney.span.precision, sydney.sentence_ids) == ("sydney", "year", (0, 1, 3))
    assert (perth.place_id, perth.span, perth.sentence_ids) == ("perth", DateSpan(date(2023, 3, 1), date(2023, 3, 31), "month"), (2,))


def test_relative_date_in_a_quote_does_not_date_the_meeting():
    text = 'Officials met in Perth in 2021. "This week we met in Perth again," an official said.'
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert meeting.span == DateSpan(date(2021, 1, 1), date(2021, 12, 31), "year")


def test_listed_countries_are_the_subject_and_the_kind_comes_from_them():
    text = "Foreign ministers of Australia, India, Japan and the United States met in Tokyo on Friday for talks."
    [meeting] = meetings_of(text, date(2023, 9, 23))
    assert meeting.kind == "ministerial"  # "ministers" is more specific than "talks"
    assert {p.country for p in meeting.participants} == {"AUS", "IND", "JPN", "USA"}


def test_a_level_named_later_refines_talks_and_named_people_are_not_doubled():
    text = (
        "Cyber chiefs from the four Quad countries concluded two days of talks in Sydney on Wednesday.\n\n"
        "Japan was represented by Kenji Mori. Asha Varma chaired the principals meeting."
    )
    people = {"Kenji Mori": ("Director", "JPN"), "Asha Varma": ("Joint Secretary", "IND")}
    [meeting] = meetings_of(text, date(2024, 10, 10), people)
    assert meeting.kind == "principals meeting"
    assert meeting.span == days("2024-10-08", "2024-10-09")  # two days ending on the Wednesday
    assert meeting.sentence_ids == (0, 1, 2)
    rows = {(p.person_id, p.country) for p in meeting.participants}
    # the two named officials, and the forum's other members as countries on their own
    assert rows == {("per-kenji-mori", "JPN"), ("per-asha-varma", "IND"), (None, "AUS"), (None, "USA")}


def test_countries_named_in_the_report_keep_the_forum_s_other_members_out():
    [meeting] = meetings_of("Officials from Japan and India met in Tokyo on Friday for a Quad dialogue.", date(2024, 3, 11))
    assert {p.country for p in meeting.participants} == {"JPN", "IND"}


def test_meeting_noun_with_an_of_phrase_and_a_place_is_a_meeting_of_the_forum():
    text = "Officials said the talks built on the meeting of Quad senior officials in Tokyo last month."
    [meeting] = meetings_of(text, date(2023, 11, 16))
    assert (meeting.place_id, meeting.span) == ("tokyo", DateSpan(date(2023, 10, 1), date(2023, 10, 31), "month"))
    assert {p.country for p in meeting.participants} == {"AUS", "IND", "JPN", "USA"}


def test_forum_members_are_the_participants():
    text = "The Quad was founded to coordinate. Last year, the members met in Tokyo."
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert {p.country for p in meeting.participants} == {"AUS", "IND", "JPN", "USA"}
    assert meeting.name == "Quad meeting"
    assert {p.sentence_id for p in meeting.participants} == {1}


@pytest.mark.parametrize(
    "text, kind",
    [
        ("The Quad Senior Officials Principals met in Tokyo on 3 May 2023.", "principals meeting"),
        ("Quad leaders met for their summit in Hiroshima on 20 May 2023.", "leaders' summit"),
        ("At the Quad Leaders' Summit in Hiroshima, the four leaders spoke.", "leaders' summit"),
        ("The Quad Foreign Ministers met in Tokyo on 3 May 2023.", "ministerial"),
        ("Japan and India held their annual cyber dialogue in Tokyo on 3 May 2023.", "dialogue"),
        ("Officials met in Tokyo on 3 May 2023.", "meeting"),
    ],
)
def test_kind_from_the_words_of_the_report(text, kind):
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert meeting.kind == kind and meeting.place_id in ("tokyo", "hiroshima")


def test_summit_in_a_place_without_a_verb_is_a_meeting():
    [meeting] = meetings_of("The summit in Hiroshima was the first since 2021.", date(2023, 6, 1))
    assert (meeting.place_id, meeting.name) == ("hiroshima", "summit in Hiroshima")


@pytest.mark.parametrize(
    "text, about",
    [
        ("Officials met in Tokyo on Monday. The officials also discussed ransomware. They agreed to meet again. "
         "Japan is an island nation. The officials discussed trade.", {0: 0, 1: 0, 2: 0}),
        ("Officials convened a workshop in Tokyo on Monday. Sessions covered incident response. "
         "The agenda was long.", {0: 0, 1: 0}),
    ],
)
def test_sentences_about_follow_the_account_until_it_stops(text, about):
    document = Document("art-test", "test", text, date(2024, 3, 6), split_sentences(text))
    meetings = find_meetings(document, KB, entities_for(document), find_dates(document), None)
    assert sentences_about(document, meetings) == about


def seed_extraction():
    header, _, body = SEED.read_text("utf-8").partition("\n")
    _, published, title = header.split(None, 2)
    body = body.strip("\n").rstrip()
    raw = RawArticle(ids.article_id(body), title, body, date.fromisoformat(published), "header", str(SEED))
    return extract_article(raw, load_kb())


def test_seed_has_exactly_the_new_delhi_and_sydney_meetings():
    delhi, sydney = seed_extraction().meetings
    assert (delhi.name, delhi.kind) == ("Quad Senior Cyber Group principals meeting", "principals meeting")
    assert (delhi.place_id, delhi.city, delhi.country) == ("new-delhi", "New Delhi", "IND")
    assert delhi.span == days("2023-01-30", "2023-01-31")
    assert {p.person_id for p in delhi.participants} == {
        "per-michael-pezzullo", "per-rajesh-pant", "per-masataka-okano", "per-anne-neuberger",
    }
    assert {p.country for p in delhi.participants} == {"AUS", "IND", "JPN", "USA"}
    assert (sydney.place_id, sydney.country) == ("sydney", "AUS")
    assert sydney.span == DateSpan(date(2022, 1, 1), date(2022, 12, 31), "year")
    assert {p.country for p in sydney.participants} == {"AUS", "IND", "JPN", "USA"}
    assert all(p.person_id is None for p in sydney.participants)


# --- reports in other shapes: reduced relatives, welcomes, several meetings in one sentence ----------------


def test_reduced_relative_held_and_a_welcome_to_a_place_are_one_meeting_there():
    text = (
        "Yesterday the minister welcomed delegates from Japan and India to Sydney for the annual Quad cyber "
        "dialogue, held on 3 and 4 June 2024."
    )
    [meeting] = meetings_of(text, date(2024, 6, 5))
    assert (meeting.name, meeting.kind, meeting.place_id) == ("Quad cyber dialogue", "dialogue", "sydney")
    assert meeting.span == days("2024-06-03", "2024-06-04")  # "yesterday" does not narrow the days given
    # the visitors, and the country that welcomed them to its city
    assert {p.country for p in meeting.participants} == {"JPN", "IND", "AUS"}


@pytest.mark.parametrize(
    "text, place, span",
    [
        ("Officials praised the Quad principals meeting, held in Tokyo on 3 May 2023.", "tokyo", days("2023-05-03", "2023-05-03")),
        ("The second round of talks, held at Perth on 9 May 2023, ended early.", "perth", days("2023-05-09", "2023-05-09")),
    ],
)
def test_meeting_noun_then_held(text, place, span):
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert (meeting.place_id, meeting.span) == (place, span)


@pytest.mark.parametrize(
    "text",
    [
        "Officials in Tokyo held on to their positions on Monday.",
        "The museum welcomed visitors to Sydney for years.",
        "Crowds gathered in Tokyo on Saturday to watch the parade.",
    ],
)
def test_new_verbs_need_their_meeting_or_official_actor(text):
    assert meetings_of(text, date(2023, 6, 1)) == []


@pytest.mark.parametrize(
    "text, kind",
    [
        ("Foreign ministers followed in Canberra on 2 May 2023, a week after the officials.", "ministerial"),
        ("Defence officials gathered in Canberra on 2 May 2023 to review the plan.", "meeting"),
        ("The negotiators reconvened in Canberra on 2 May 2023.", "meeting"),
    ],
)
def test_officials_who_gathered_in_a_place_met(text, kind):
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert (meeting.place_id, meeting.kind, meeting.span) == ("canberra", kind, days("2023-05-02", "2023-05-02"))


def test_several_meetings_in_one_sentence_each_take_their_own_place_and_date():
    text = (
        "Senior officials met in Tokyo in March 2023 and in Sydney on 4 and 5 September 2023, "
        "and the foreign ministers met in Perth in May 2024."
    )
    tokyo, sydney, perth = meetings_of(text, date(2024, 8, 1))
    assert (tokyo.place_id, tokyo.span) == ("tokyo", DateSpan(date(2023, 3, 1), date(2023, 3, 31), "month"))
    assert (sydney.place_id, sydney.span) == ("sydney", days("2023-09-04", "2023-09-05"))
    assert (perth.place_id, perth.kind, perth.span) == ("perth", "ministerial", DateSpan(date(2024, 5, 1), date(2024, 5, 31), "month"))


def test_and_in_without_a_place_of_its_own_does_not_split():
    [meeting] = meetings_of("Officials met in Tokyo on 3 May 2023 and in private agreed a plan.", date(2023, 6, 1))
    assert (meeting.place_id, meeting.span) == ("tokyo", days("2023-05-03", "2023-05-03"))


@pytest.mark.parametrize(
    "text, kind",
    [
        ("When the four leaders first met virtually in March 2021, cyber was a footnote.", "leaders' summit"),
        ("The leaders met in Hiroshima in May 2023.", "leaders' summit"),
        ("Business leaders met in Hiroshima in May 2023.", "meeting"),
        ("The foreign ministers met in Hiroshima in May 2023.", "ministerial"),
    ],
)
def test_kind_from_who_met(text, kind):
    [meeting] = meetings_of(text, date(2023, 6, 1))
    assert meeting.kind == kind


# --- merging: side meetings stay apart, dates are never moved or narrowed ----------------------------------


def test_bilateral_on_the_margins_is_a_meeting_of_its_own_in_the_same_city():
    text = (
        "MANILA, May 8 (Example Wire) - Officials from Japan, India and Australia met in Manila on Tuesday and "
        "Wednesday for a two-day dialogue.\n\n"
        "Japan and India also held a bilateral meeting on the sidelines on Tuesday evening."
    )
    dialogue, bilateral = meetings_of(text, date(2024, 5, 8))  # a Wednesday
    assert (dialogue.place_id, dialogue.span) == ("manila", days("2024-05-07", "2024-05-08"))
    assert (bilateral.place_id, bilateral.country, bilateral.span) == ("manila", "PHL", days("2024-05-07", "2024-05-07"))
    assert {p.country for p in bilateral.participants} == {"JPN", "IND"}


def test_a_later_report_of_part_of_the_days_does_not_narrow_the_meeting():
    text = "Officials from Japan and India met in Tokyo on Monday and Tuesday. The officials met in Tokyo on Tuesday too."
    [meeting] = meetings_of(text, date(2024, 3, 6))
    assert meeting.span == days("2024-03-04", "2024-03-05")


@pytest.mark.parametrize(
    "text, published, span",
    [
        # an exact day refines a week it lies in
        ("Officials from Japan and India met in Tokyo this week. The talks in Tokyo on Tuesday covered ransomware.",
         date(2024, 3, 6), days("2024-03-05", "2024-03-05")),
        # a date in the possessive dates its own noun
        ("Tuesday's announcement follows a meeting of officials from Japan and India in Tokyo last week.",
         date(2024, 8, 20), days("2024-08-12", "2024-08-18")),
    ],
)
def test_the_days_a_report_gives(text, published, span):
    [meeting] = meetings_of(text, published)
    assert meeting.span == span


# --- who took part: absences, people joining, hosts -----------------------------------------------------


def test_someone_who_did_not_attend_makes_no_meeting():
    people = {"Kenji Mori": ("Director", "JPN")}
    assert meetings_of("Kenji Mori did not attend the meeting in Tokyo on Monday.", date(2024, 3, 6), people) == []
    assert meetings_of("The envoy was absent from the talks held in Tokyo on Monday.", date(2024, 3, 6)) == []


def test_someone_who_did_not_attend_is_not_a_participant_of_a_meeting_reported_elsewhere():
    text = (
        "Officials from Japan and Australia met in Perth on Monday; India did not attend. "
        "Asha Varma chaired the meeting, and Kenji Mori, Japan's envoy, did not attend the meeting in Perth."
    )
    people = {"Asha Varma": ("Secretary", "AUS"), "Kenji Mori": ("Director", "JPN")}
    [meeting] = meetings_of(text, date(2024, 3, 6), people)
    assert {p.person_id for p in meeting.participants if p.person_id} == {"per-asha-varma"}
    assert {p.country for p in meeting.participants} == {"JPN", "AUS"}


@pytest.mark.parametrize(
    "second",
    ["He was joined by Asha Varma and Kenji Mori.", "The talks were opened by Asha Varma in the presence of Kenji Mori."],
)
def test_people_who_joined_the_meeting_are_participants(second):
    text = f"Officials from Japan and India met in Tokyo on Monday. {second}"
    people = {"Asha Varma": ("Secretary", "IND"), "Kenji Mori": ("Director", "JPN")}
    [meeting] = meetings_of(text, date(2024, 3, 6), people)
    assert {p.person_id for p in meeting.participants if p.person_id} == {"per-asha-varma", "per-kenji-mori"}


def test_the_host_named_after_hosted_by_takes_part_but_a_mere_venue_does_not():
    hosted = "Officials from Japan and India met in Manila on Monday. The talks were hosted by the Philippines."
    [meeting] = meetings_of(hosted, date(2024, 3, 6))
    assert {p.country for p in meeting.participants} == {"JPN", "IND", "PHL"}
    venue = "Officials from Japan and India met in Manila on Monday."
    [meeting] = meetings_of(venue, date(2024, 3, 6))
    assert {p.country for p in meeting.participants} == {"JPN", "IND"}


def test_delegation_list_after_a_report_gives_people_and_their_countries():
    text = (
        "Officials from Japan and Australia held their fourth cyber dialogue in Tokyo on 2 April 2024.\n\n"
        "Delegations:\n"
        "Australia: Ms Ruth Bell, Ambassador for Cyber Affairs\n"
        "Japan (host): Mr Jun Sato, Director-General\n"
        "Philippines: Usec. Teodoro Reyes, Undersecretary\n\n"
        "Reporters waited outside."
    )
    people = {"Ruth Bell": ("Ambassador for Cyber Affairs", None), "Jun Sato": ("Director-General", "JPN")}
    [meeting] = meetings_of(text, date(2024, 4, 5), people)
    assert meeting.sentence_ids == (0, 1, 2, 3, 4)
    by_person = {p.person_id: p.country for p in meeting.participants if p.person_id}
    assert by_person == {ids.person_id("Ruth Bell"): "AUS", ids.person_id("Jun Sato"): "JPN"}
    # Nobody on the Philippines line is recognised as a person; the label still says the country took part.
    assert {p.country for p in meeting.participants} == {"AUS", "JPN", "PHL"}


def test_bulleted_delegation_heads_after_a_wire_report():
    text = (
        "SYDNEY - Cyber officials met in Sydney on Monday. The delegations were led by:\n"
        "- India: Shri Om Dutt, Joint Secretary\n"
        "- United States: Ms Dana Cole, Deputy Coordinator\n\n"
        "Separately, India announced a new agency."
    )
    people = {"Om Dutt": ("Joint Secretary", None), "Dana Cole": ("Deputy Coordinator", None)}
    [meeting] = meetings_of(text, date(2024, 5, 14), people)
    assert {(p.person_id, p.country) for p in meeting.participants if p.person_id} == {
        (ids.person_id("Om Dutt"), "IND"), (ids.person_id("Dana Cole"), "USA")}
    assert meeting.sentence_ids == (0, 1, 2, 3)


def test_country_labelled_lines_away_from_any_meeting_are_no_participants():
    text = "Officials met in Perth on 1 May 2024.\n\nThe weather was fine.\n\nJapan: Mr Jun Sato, Director-General"
    [meeting] = meetings_of(text, date(2024, 5, 3), {"Jun Sato": ("Director-General", "JPN")})
    assert all(p.person_id is None for p in meeting.participants)
    assert "JPN" not in {p.country for p in meeting.participants}


@pytest.mark.parametrize(
    ("text", "place", "precision"),
    [
        ("At a Quad meeting in Sydney earlier this year, Japan pressed for a cable repair ship.", "sydney", "year"),
        ("During a dialogue in Manila in March 2024, the Philippines raised ransomware.", "manila", "month"),
    ],
)
def test_meeting_named_in_a_prepositional_phrase_with_place_and_past_date(text, place, precision):
    [meeting] = meetings_of(text, date(2024, 10, 14))
    assert meeting.place_id == place and meeting.span.precision == precision and meeting.kind in ("meeting", "dialogue")


@pytest.mark.parametrize(
    "text",
    [
        "At a meeting in Sydney, Japan pressed for a cable repair ship.",
        "Japan wants a meeting in Sydney soon.",
    ],
)
def test_meeting_noun_phrase_without_a_past_date_is_no_meeting(text):
    assert meetings_of(text, date(2024, 10, 14)) == []


def test_earlier_gathering_of_a_series_is_a_meeting_of_its_own_and_keeps_no_later_list():
    text = (
        "Officials from Japan and India held the third cyber dialogue in Tokyo on 3 June 2025. "
        "The dialogue follows the first such gathering, held in Manila in 2023.\n\n"
        "The delegations were as follows:\n\n"
        "Japan: Mr Jun Sato, Director-General"
    )
    tokyo, manila = meetings_of(text, date(2025, 6, 5), {"Jun Sato": ("Director-General", "JPN")})
    assert (tokyo.place_id, manila.place_id) == ("tokyo", "manila")
    assert manila.span == DateSpan(date(2023, 1, 1), date(2023, 12, 31), "year")
    assert manila.participants == ()
    assert ids.person_id("Jun Sato") in {p.person_id for p in tokyo.participants}


@pytest.mark.parametrize(
    "text",
    [
        "The training session, held in Perth, drew forty engineers.",
        "A gathering held in 2023 drew forty engineers.",
    ],
)
def test_event_nouns_need_a_place_and_a_date(text):
    assert meetings_of(text, date(2024, 10, 14)) == []


def participants_of(meeting) -> set[str]:
    return {p.person_id for p in meeting.participants if p.person_id}


def test_hosting_a_named_official_is_a_meeting_with_both_present():
    text = "Secretary of State Mara Quill hosted Foreign Minister Jun Arata and Ravi Menon in Washington on Monday."
    [meeting] = meetings_of(text, date(2025, 2, 4), {"Mara Quill": ("Secretary of State", "USA"), "Jun Arata": ("Foreign Minister", "JPN"), "Ravi Menon": (None, "IND")})
    assert participants_of(meeting) == {"per-mara-quill", "per-jun-arata", "per-ravi-menon"} and meeting.status == "held"


def test_a_pronoun_report_takes_the_person_and_the_date_of_the_sentence_before():
    text = (
        "Ambassador Lena Ortiz will travel to the Philippines from March 10 to 12. "
        "She will hold consultations in Manila with officials of Japan and India."
    )
    [meeting] = meetings_of(text, date(2025, 3, 1), {"Lena Ortiz": ("Ambassador", "USA")})
    assert (meeting.status, meeting.place_id, meeting.span) == ("planned", "manila", days("2025-03-10", "2025-03-12"))
    assert participants_of(meeting) == {"per-lena-ortiz"}


def test_an_article_that_only_refers_to_the_meeting_still_reports_it():
    text = (
        "The meeting stressed the need for faster incident reporting across the region. "
        "Representing Japan at the meeting was Kenji Aoki. Other participants included Maya Roy of India."
    )
    [meeting] = meetings_of(text, date(2024, 12, 14), {"Kenji Aoki": (None, "JPN"), "Maya Roy": (None, "IND")})
    assert meeting.span is None and meeting.place_id is None
    assert participants_of(meeting) == {"per-kenji-aoki", "per-maya-roy"}


def test_one_passing_reference_to_a_meeting_is_not_a_meeting():
    assert meetings_of("The meeting stressed the need for faster incident reporting across the region.", date(2024, 12, 14)) == []


def test_the_principals_named_after_they_met_took_part():
    text = (
        "The Quad principals met in Tokyo on 5 December 2023. "
        "The principals are Ana Reyes, Dev Rao, Emi Sato and Tom Hale, the host ministry said."
    )
    names = {n: (None, None) for n in ("Ana Reyes", "Dev Rao", "Emi Sato", "Tom Hale")}
    [meeting] = meetings_of(text, date(2023, 12, 7), names)
    assert participants_of(meeting) == {"per-ana-reyes", "per-dev-rao", "per-emi-sato", "per-tom-hale"}


def test_a_body_that_is_a_venue_gives_the_meeting_its_city():
    kb = load_kb()  # the packaged knowledge base: the White House stands in Washington
    text = "The group was set up after the Quad Leaders' Summit held at the White House on 24 September 2021."
    document = Document("art-test", "test", text, date(2023, 12, 14), split_sentences(text))
    [meeting] = find_meetings(document, kb, find_entities(document, kb, None), find_dates(document), None)
    assert (meeting.place_id, meeting.city, meeting.country) == ("washington", "Washington", "USA")


def test_a_forum_named_like_a_meeting_is_not_one():
    kb = load_kb()
    text = "Members of the Quadrilateral Security Dialogue have long worried about ransomware, officials said."
    document = Document("art-test", "test", text, date(2022, 6, 1), split_sentences(text))
    assert find_meetings(document, kb, find_entities(document, kb, None), find_dates(document), None) == []


def test_a_meeting_without_a_date_takes_the_one_news_day_of_the_report():
    text = (
        "Australia's foreign minister hosted counterparts from Japan and India for talks on undersea cables. "
        "The ministers agreed to share threat reports. "
        "A joint statement issued by the three countries on Monday said the talks were constructive."
    )
    [meeting] = meetings_of(text, date(2024, 5, 8))  # a Wednesday: "Monday" is 6 May
    assert meeting.span == days("2024-05-06", "2024-05-06")
    assert 2 in meeting.sentence_ids, "the sentence naming the day is among the meeting's sources"


@pytest.mark.parametrize("days_named", ["on Monday, and a second statement followed on Tuesday", "in a statement"])
def test_no_news_day_when_the_report_names_several_recent_days_or_none(days_named):
    text = (
        "Australia's foreign minister hosted counterparts from Japan and India for talks on undersea cables. "
        f"The ministers spoke to reporters {days_named}."
    )
    [meeting] = meetings_of(text, date(2024, 5, 8))
    assert meeting.span is None


def test_a_forum_abbreviation_in_brackets_still_reports_the_meeting_and_online_has_no_venue():
    text = "SYDNEY: The deputy secretary participated in the Pacific Islands Forum (PIF) officials' virtual meeting on Friday."
    [meeting] = meetings_of(text, date(2024, 3, 9))
    assert meeting.span == days("2024-03-08", "2024-03-08")
    assert meeting.place_id is None, "the dateline city is where the report was filed, not where an online meeting was"


def test_the_source_of_a_report_is_not_a_participant():
    text = ("Officials from Japan and Australia met in Tokyo on 3 May 2024, according to Ravi Sen. "
            "Aiko Tanaka chaired the meeting.")
    [meeting] = meetings_of(text, date(2024, 5, 8), {"Ravi Sen": ("spokesperson", "IND"), "Aiko Tanaka": ("Director", "JPN")})
    assert {p.person_id for p in meeting.participants if p.person_id} == {"per-aiko-tanaka"}


def test_the_country_in_an_agency_dateline_says_where_not_who():
    text = "TOKYO, Japan (AP) — Officials from Australia and India met on the sidelines of the conference on Saturday."
    [meeting] = meetings_of(text, date(2023, 5, 20))
    assert meeting.place_id == "tokyo"
    assert {p.country for p in meeting.participants} == {"AUS", "IND"}


def test_someone_who_also_attended_took_part():
    text = "Japan's Aiko Tanaka met Ravi Sen in Tokyo on 3 May 2024. Mei Ono also attended."
    people = {name: ("Director", "JPN") for name in ("Aiko Tanaka", "Ravi Sen", "Mei Ono")}
    [meeting] = meetings_of(text, date(2024, 5, 8), people)
    assert {p.person_id for p in meeting.participants if p.person_id} == {"per-aiko-tanaka", "per-ravi-sen", "per-mei-ono"}


def test_a_plan_in_reported_speech():
    text = "Aiko Tanaka said the two countries would hold their next cyber dialogue in Sydney in March."
    [meeting] = meetings_of(text, date(2024, 1, 18), {"Aiko Tanaka": ("Director", "JPN")})
    assert (meeting.status, meeting.place_id, meeting.span.precision) == ("planned", "sydney", "month")


def test_in_a_transcript_we_met_is_the_speakers_report():
    text = ("MODERATOR: Welcome.\n\nMS. ONO: Thank you. I'm Mei Ono. We met officials from Australia in Tokyo this morning.\n\n"
            "MR. SEN: And we listened.")
    [meeting] = meetings_of(text, date(2024, 5, 8), {"Mei Ono": ("Director", "JPN"), "ONO": (None, None)})
    assert "per-ono" in {p.person_id for p in meeting.participants}
    text = "FOREIGN MINISTER ONO: Thank you. We met officials from Australia in Tokyo this morning."
    [meeting] = meetings_of(text, date(2024, 5, 8), {"ONO": ("Foreign Minister", "JPN")})
    assert "per-ono" in {p.person_id for p in meeting.participants}  # a post in capitals before the label's name


def test_a_plan_to_gather_and_a_closing_attribution_is_the_source_not_a_participant():
    text = "Cyber envoys from the four Quad nations will gather in Sydney on September 3 and 4, Foreign Minister Ravi Sen announced on Tuesday."
    [meeting] = meetings_of(text, date(2024, 8, 20), {"Ravi Sen": ("Foreign Minister", "IND")})
    assert (meeting.status, meeting.place_id, meeting.span) == ("planned", "sydney", days("2024-09-03", "2024-09-04"))
    assert not any(p.person_id for p in meeting.participants)




def test_a_virtual_summit_named_in_passing_does_not_take_the_venue_from_a_meeting_in_person():
    text = "WASHINGTON, November 30: Officials from Japan and India held talks on Thursday, a day after the leaders' virtual summit."
    meetings = meetings_of(text, date(2023, 12, 1))
    assert meetings[0].place_id == "washington"


@pytest.mark.parametrize(
    "text, place, first_day",
    [
        ("Officials of India and Australia held cyber security discussions in Canberra on Monday.", "canberra", "2024-03-04"),
        ("Talks between India and Japan on cyber norms took place in Tokyo on Friday.", "tokyo", "2024-03-01"),
    ],
)
def test_discussions_held_and_talks_that_took_place_are_meetings(text, place, first_day):
    [meeting] = meetings_of(text, date(2024, 3, 6))
    assert (meeting.place_id, meeting.span, meeting.status) == (place, days(first_day, first_day), "held")


def test_talks_between_two_sides_on_a_day_of_their_own_are_a_meeting_of_their_own():
    text = (
        "Quad foreign ministers met in Tokyo on Monday. "
        "Their meeting follows security discussions between Japan and the US on Sunday, officials said. "
        "The talks covered ransomware, and India and Australia backed a new cable fund."
    )
    quad, pair = meetings_of(text, date(2024, 7, 30), {})
    assert (quad.place_id, quad.span, quad.sentence_ids) == ("tokyo", days("2024-07-29", "2024-07-29"), (0, 2))
    # the sides say who met, not where; the later "the talks" goes on with the meeting reported, not the one in passing
    assert (pair.name, pair.place_id, pair.span, pair.sentence_ids) == (
        "discussions between Japan and the US", None, days("2024-07-28", "2024-07-28"), (1,))
    assert {p.country for p in pair.participants} == {"JPN", "USA"}


def test_only_the_sides_of_talks_between_them_took_part_in_them():
    text = "Penny Wong met Yoko Kamikawa in Sydney on Tuesday, after talks between Japan and India on Monday."
    people = {"Penny Wong": ("Foreign Minister", "AUS"), "Yoko Kamikawa": ("Foreign Minister", "JPN")}
    sydney, pair = meetings_of(text, date(2024, 7, 31), people)
    assert (sydney.place_id, sydney.span) == ("sydney", days("2024-07-30", "2024-07-30"))
    assert {p.person_id for p in sydney.participants} >= {"per-penny-wong", "per-yoko-kamikawa"}
    assert pair.span == days("2024-07-29", "2024-07-29")
    assert [(p.person_id, p.country) for p in pair.participants] == [(None, "JPN"), (None, "IND")]


@pytest.mark.parametrize(
    "text",
    [
        "Talks between India and Japan on cyber norms are going well.",  # no date: no meeting to place in time
        "Talks between India and Japan could resume on Friday.",
        "Talks between India and Japan planned for Friday in Tokyo were called off.",
        "Talks between the two sides on Friday covered cables.",  # sides not named
    ],
)
def test_talks_between_two_sides_without_a_day_or_that_did_not_happen_are_not_meetings(text):
    assert meetings_of(text, date(2024, 3, 6)) == []


def test_officials_who_will_convene_in_a_place_plan_a_meeting():
    [meeting] = meetings_of("The Quad's senior cyber officials will convene in Sydney this month.", date(2024, 3, 6))
    assert (meeting.status, meeting.place_id, meeting.span.precision) == ("planned", "sydney", "month")


def test_a_meeting_named_as_the_subject_of_was_held_keeps_its_name_without_the_ordinal():
    [meeting] = meetings_of("The 7th India-Japan Cyber Dialogue was held in Tokyo on 12 November 2024.", date(2024, 11, 15))
    assert (meeting.name, meeting.kind, meeting.place_id) == ("India-Japan Cyber Dialogue", "dialogue", "tokyo")


def test_after_meeting_a_counterpart_reports_a_meeting():
    text = "Foreign Minister Penny Wong announced a cyber package today after meeting her counterpart Yoko Kamikawa in Tokyo."
    people = {"Penny Wong": ("Foreign Minister", "AUS"), "Yoko Kamikawa": ("Foreign Minister", "JPN")}
    [meeting] = meetings_of(text, date(2024, 11, 15), people)
    assert (meeting.place_id, meeting.span) == ("tokyo", days("2024-11-15", "2024-11-15"))
    assert {p.person_id for p in meeting.participants} == {"per-penny-wong", "per-yoko-kamikawa"}
    assert meetings_of("After meeting the press, the minister left Tokyo.", date(2024, 11, 15)) == []


def test_a_virtual_meeting_on_a_day_is_a_meeting_without_a_place():
    [meeting] = meetings_of("In a virtual meeting on 5 June 2024, officials of Japan and India reviewed progress.", date(2024, 6, 7))
    assert (meeting.place_id, meeting.span, meeting.status) == (None, days("2024-06-05", "2024-06-05"), "held")
    assert meetings_of("In a virtual meeting, officials of Japan and India reviewed progress.", date(2024, 6, 7)) == []


def test_talks_with_a_person_on_a_day_are_a_meeting():
    text = "Kurt Campbell told reporters in Tokyo on Wednesday that the allies agreed to deepen cyber ties during his talks with Masataka Okano."
    people = {"Kurt Campbell": ("Deputy Secretary of State", "USA"), "Masataka Okano": ("Vice Foreign Minister", "JPN")}
    [meeting] = meetings_of(text, date(2024, 11, 15), people)
    assert (meeting.place_id, meeting.span) == ("tokyo", days("2024-11-13", "2024-11-13"))
    assert {p.person_id for p in meeting.participants} == {"per-kurt-campbell", "per-masataka-okano"}
    for undated_or_speculated in ("Talks with Masataka Okano are difficult, Kurt Campbell said.",
                                  "Kurt Campbell said talks with Masataka Okano could take place in Tokyo on Friday."):
        assert meetings_of(undated_or_speculated, date(2024, 11, 15), people) == []


def test_hosting_her_counterparts_and_a_meeting_which_ended_on_a_day():
    text = "TOKYO - Foreign Minister Yoko Kamikawa hosted her counterparts from Australia and India on Monday for talks on cyber security."
    [meeting] = meetings_of(text, date(2024, 7, 30), {"Yoko Kamikawa": ("Foreign Minister", "JPN")})
    assert (meeting.place_id, meeting.span) == ("tokyo", days("2024-07-29", "2024-07-29"))
    assert {p.person_id or p.country for p in meeting.participants} == {"per-yoko-kamikawa", "AUS", "IND"}
    text = "The principals met in Tokyo this year, officials said. The two-day meeting, which ended on Friday in Tokyo, set a plan."
    [meeting] = meetings_of(text, date(2024, 7, 30))
    assert meeting.span == days("2024-07-25", "2024-07-26")


def test_hosting_the_leaders_of_other_countries_is_a_meeting_held_or_planned():
    held = "Prime Minister Anthony Albanese hosted the leaders of India and Japan in Sydney on Wednesday."
    [meeting] = meetings_of(held, date(2024, 9, 19))
    assert (meeting.status, meeting.place_id, meeting.span) == ("held", "sydney", days("2024-09-18", "2024-09-18"))
    planned = "President Joe Biden will host the leaders of Australia, India and Japan in Washington, DC, on Saturday."
    [meeting] = meetings_of(planned, date(2024, 9, 19))
    assert (meeting.status, meeting.place_id, meeting.span) == ("planned", "washington", days("2024-09-21", "2024-09-21"))


def test_a_date_in_the_possessive_dates_the_meeting_noun_after_it():
    [meeting] = meetings_of("Last year's Quad summit in Hiroshima set the agenda.", date(2024, 7, 30))
    assert (meeting.name, meeting.place_id, meeting.span.precision, meeting.span.start) == ("Quad summit", "hiroshima", "year", date(2023, 1, 1))
    [meeting] = meetings_of("Next month's summit in Sydney will focus on cables.", date(2024, 7, 30))
    assert (meeting.status, meeting.span.precision, meeting.span.start) == ("planned", "month", date(2024, 8, 1))
    assert meetings_of("Tuesday's announcement in Tokyo surprised analysts.", date(2024, 7, 30)) == []
