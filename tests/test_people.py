"""People, their honours and posts, on the seed article and on short texts in other styles.

Every name below except the seed's is invented for these tests.
"""

from pathlib import Path

import pytest

from data_pipeline import ids
from data_pipeline.entities import find_entities
from data_pipeline.kb import load_kb
from data_pipeline.model import Dateline, Document
from data_pipeline.sentences import split_sentences

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_bf8b055a07b7d457.txt"


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def document(text):
    return Document(ids.article_id(text), "", text, None, split_sentences(text))


def extract(text, kb, dateline=None):
    doc = document(text)
    found = find_entities(doc, kb, dateline)
    assert_traceable(doc, found)
    return found


def assert_traceable(doc, found):
    """Spans are the text they claim, sit in their sentence, and back every finding."""
    for m in found.mentions:
        assert doc.text[m.start : m.end] == m.surface
        assert m.sentence_id == doc.sentence_at(m.start).index
        assert m.entity_type in {"person", "organization", "country", "place"}
    mentioned = {(m.entity_type, m.entity_id) for m in found.mentions}
    assert {("person", p.person_id) for p in found.people} <= mentioned
    assert {("organization", o.org_id) for o in found.organizations} <= mentioned
    assert {("place", p.place_id) for p in found.places} <= mentioned
    orgs = [m for m in found.mentions if m.entity_type == "organization"]
    assert all(a.end <= b.start for a, b in zip(orgs, orgs[1:])), "overlapping organisation mentions"
    people = [m for m in found.mentions if m.entity_type == "person"]
    assert all(a.end <= b.start for a, b in zip(people, people[1:])), "overlapping person mentions"


def people(found):
    return {p.name: (p.honorific, p.post_nominals, p.sentence_id) for p in found.people}


def roles(found):
    names = {p.person_id: p.name for p in found.people}
    return {(names[r.person_id], r.title, r.org_id, r.country) for r in found.roles}


def test_seed_article(kb):
    text = SEED.read_text(encoding="utf-8").split("\n", 1)[1].strip()
    dateline = Dateline(0, 17, "New Delhi, Jan 31", "new-delhi", "New Delhi", "IND", None)
    found = extract(text, kb, dateline)
    assert people(found) == {
        "Michael Pezzullo": (None, "AO", 1),
        "Rajesh Pant": ("Lt General", None, 1),
        "Masataka Okano": (None, None, 1),
        "Anne Neuberger": (None, None, 1),
    }
    assert roles(found) == {
        ("Michael Pezzullo", "Secretary", "org-aus-department-of-home-affairs", "AUS"),
        ("Rajesh Pant", "National Cyber Security Coordinator", None, "IND"),
        ("Masataka Okano", "Deputy National Security Adviser", None, "JPN"),
        ("Anne Neuberger", "Deputy National Security Advisor", None, "USA"),
    }
    assert {(p.place_id, p.country) for p in found.places} == {("new-delhi", "IND"), ("sydney", "AUS")}
    assert {(o.org_id, o.name, o.country) for o in found.organizations} == {
        ("org-quad-senior-cyber-group", "Quad Senior Cyber Group", None),
        ("org-aus-department-of-home-affairs", "Department of Home Affairs", "AUS"),
        ("org-quad", "Quad", None),
        ("org-quad-leaders", "Quad Leaders", None),
        ("org-usa-white-house", "White House", "USA"),
    }
    assert {m.entity_id for m in found.mentions if m.entity_type == "country"} == {"AUS", "IND", "JPN", "USA"}
    surfaces = {m.surface for m in found.mentions}
    assert not {"Quad Senior", "Prime Ministers", "Indo-Pacific", "Indian"} & surfaces


def test_wire_report_with_later_mentions_by_surname_and_rank(kb):
    text = (
        "Japanese Foreign Minister Yoko Tanabe met India's National Cyber Security Coordinator "
        "Lt. Gen. Arun Sethi in Tokyo on Friday. \"We agreed on a common approach,\" Tanabe told reporters. "
        "Gen. Sethi said the talks were useful. Sethi will visit Osaka."
    )
    found = extract(text, kb)
    assert people(found) == {"Yoko Tanabe": (None, None, 0), "Arun Sethi": ("Lt. Gen.", None, 0)}
    assert roles(found) == {
        ("Yoko Tanabe", "Foreign Minister", None, "JPN"),
        ("Arun Sethi", "National Cyber Security Coordinator", None, "IND"),
    }
    later = [(m.surface, m.sentence_id) for m in found.mentions if m.entity_type == "person"]
    assert later == [("Yoko Tanabe", 0), ("Arun Sethi", 0), ("Tanabe", 1), ("Sethi", 2), ("Sethi", 3)]


def test_attendee_list_lines(kb):
    text = (
        "Attendees:\n\n"
        "- Ms Clara Oduya, Director, Cyber Policy Division, Department of Foreign Affairs and Trade\n"
        "- Hiroshi Kanda, Deputy Director-General, Ministry of Foreign Affairs of Japan\n"
        "- Col. Ravi Menon (Joint Secretary, National Security Council Secretariat)\n"
        "- Dana Whitley, Senior Director for Cyber, U.S. National Security Council\n"
        "- Tomas Ruiz, Fiji\n"
    )
    found = extract(text, kb)
    assert set(people(found)) == {"Clara Oduya", "Hiroshi Kanda", "Ravi Menon", "Dana Whitley", "Tomas Ruiz"}
    assert people(found)["Clara Oduya"][0] == "Ms" and people(found)["Ravi Menon"][0] == "Col."
    assert roles(found) == {
        ("Clara Oduya", "Director", "org-aus-department-of-foreign-affairs-and-trade", "AUS"),
        ("Hiroshi Kanda", "Deputy Director-General", "org-jpn-ministry-of-foreign-affairs", "JPN"),
        ("Ravi Menon", "Joint Secretary", "org-ind-national-security-council-secretariat", "IND"),
        ("Dana Whitley", "Senior Director for Cyber", "org-usa-national-security-council", "USA"),
    }


def test_press_release_participants_with_honours(kb):
    text = (
        "Participants: Dr Eliza Marsh, Deputy National Security Advisor of the United States; "
        "Air Vice-Marshal Peter Quill AM CSC, Head of the Australian Cyber Security Centre; "
        "Nikhil Bose PhD, Director General of CERT-In; and Ambassador Emi Sato, "
        "Ambassador in charge of Cyber Policy of Japan."
    )
    found = extract(text, kb)
    assert people(found) == {
        "Eliza Marsh": ("Dr", None, 0),
        "Peter Quill": ("Air Vice-Marshal", "AM, CSC", 0),
        "Nikhil Bose": (None, "PhD", 0),
        "Emi Sato": ("Ambassador", None, 0),
    }
    assert roles(found) == {
        ("Eliza Marsh", "Deputy National Security Advisor", None, "USA"),
        ("Peter Quill", "Head", "org-aus-australian-cyber-security-centre", "AUS"),
        ("Nikhil Bose", "Director General", "org-ind-indian-computer-emergency-response-team", "IND"),
        ("Emi Sato", "Ambassador in charge of Cyber Policy", None, "JPN"),
    }


def test_stray_conjunction_between_a_name_and_its_title(kb):
    text = (
        "The talks drew Kenji Mori, Director of Japan's NISC and Maria Lopez and Senior Director "
        "of the National Security Council with their teams."
    )
    assert roles(extract(text, kb)) == {
        ("Kenji Mori", "Director", "org-jpn-national-center-of-incident-readiness-and-strategy-for-cybersecurity", "JPN"),
        ("Maria Lopez", "Senior Director", "org-usa-national-security-council", "USA"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        # the title after "and" has its own name, so it is not Jane's
        ("Jane Cole and Foreign Minister John Reed met.", {("John Reed", "Foreign Minister", None, None)}),
        # "and" joins two subjects: the prime minister is someone else
        ("Jane Cole said Omar Haddad and Prime Minister agreed.", set()),
    ],
)
def test_and_does_not_hand_a_title_to_the_wrong_person(text, expected, kb):
    assert roles(extract(text, kb)) == expected


def test_feature_story_apposition_styles(kb):
    text = (
        "Priya Nair (Director, CERT-In) briefed the group. Laura Fenwick, Australia's Ambassador for Cyber Affairs, "
        "chaired. Deputy Secretary Helen Ashby of Australia's Department of Home Affairs attended, as did "
        "CISA Director Mark Ellison and Tom Baker, deputy director of the State Department's cyber bureau."
    )
    assert roles(extract(text, kb)) == {
        ("Priya Nair", "Director", "org-ind-indian-computer-emergency-response-team", "IND"),
        ("Laura Fenwick", "Ambassador for Cyber Affairs", None, "AUS"),
        ("Helen Ashby", "Deputy Secretary", "org-aus-department-of-home-affairs", "AUS"),
        ("Mark Ellison", "Director", "org-usa-cybersecurity-and-infrastructure-security-agency", "USA"),
        ("Tom Baker", "deputy director", "org-usa-state-department", "USA"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "The Quad Leaders met on Monday in Tokyo and the White House said the Prime Ministers agreed.",
        "Cyber Security Week opened in Canberra. National Security Council officials attended.",
        "The Deputy National Security Adviser of Japan and the Home Affairs Minister spoke.",
        "Microsoft and Google said the Indo-Pacific Cyber Initiative would grow.",
    ],
)
def test_capitalised_phrases_without_a_person_signal_are_not_people(text, kb):
    assert extract(text, kb).people == ()


def test_a_common_word_opening_a_sentence_is_not_part_of_the_name(kb):
    text = "Analysts tracked the ransomware wave. Ransomware Rachel Kim said it was overdue."
    assert set(people(extract(text, kb))) == {"Rachel Kim"}


def test_a_surname_shared_by_two_people_is_not_resolved(kb):
    text = "Minister Ana Park met Director Joon Park. Park said the meeting went well."
    found = extract(text, kb)
    assert set(people(found)) == {"Ana Park", "Joon Park"}
    assert [m.surface for m in found.mentions if m.entity_type == "person"] == ["Ana Park", "Joon Park"]


def test_one_person_finding_per_person_and_a_role_per_sentence(kb):
    text = "Secretary Jane Holt spoke first. Later Jane Holt, Secretary of the Department of Home Affairs, spoke again."
    found = extract(text, kb)
    assert [(p.name, p.sentence_id) for p in found.people] == [("Jane Holt", 0)]
    assert {(r.title, r.org_id, r.sentence_id) for r in found.roles} == {
        ("Secretary", None, 0),
        ("Secretary", "org-aus-department-of-home-affairs", 1),
    }


def test_the_country_a_person_represents(kb):
    text = (
        "India was represented by Lt Gen Ravi Kapoor, National Cyber Security Coordinator, and Japan by "
        "Dr Mika Ueda. U.S. officials attending included Deputy Assistant Secretary Paul Grey. "
        "The intrusion was attributed to China by Nora Bell, an analyst."
    )
    assert roles(extract(text, kb)) == {
        ("Ravi Kapoor", "National Cyber Security Coordinator", None, "IND"),
        ("Mika Ueda", None, None, "JPN"),
        ("Paul Grey", "Deputy Assistant Secretary", None, "USA"),
    }


def test_a_title_then_the_name_between_commas(kb):
    text = (
        "Japan's Deputy Foreign Minister, Kaito Ren, said the talks went well. Canada sent its envoy for "
        "digital affairs, Lena Marsh, while the Director-General of Japan's National Police Agency, Goro Sato, "
        "spoke last. Singapore's Senior Minister of State, Ian Koh, opened the forum."
    )
    assert roles(extract(text, kb)) == {
        ("Kaito Ren", "Deputy Foreign Minister", None, "JPN"),
        ("Lena Marsh", "envoy for digital affairs", None, "CAN"),
        ("Goro Sato", "Director-General", "org-jpn-national-police-agency", "JPN"),
        ("Ian Koh", "Senior Minister of State", None, "SGP"),
    }


def test_a_title_between_two_names_of_a_list_is_not_given_to_the_second(kb):
    found = extract("Attending were Ann Lee, Director, Tom Ray, and others.", kb)
    assert not {r for r in roles(found) if r[0] == "Tom Ray"}


def test_long_and_coordinated_titles_before_names(kb):
    text = (
        "Indian High Commissioner to Australia Veer Das hosted the dinner. "
        "National Cyber Director Ana Ruiz and Cybersecurity and Infrastructure Security Agency Director Ben Holt attended."
    )
    assert roles(extract(text, kb)) == {
        ("Veer Das", "High Commissioner to Australia", None, "IND"),
        ("Ana Ruiz", "National Cyber Director", None, "USA"),  # only the US has this post (posts.toml)
        ("Ben Holt", "Director", "org-usa-cybersecurity-and-infrastructure-security-agency", "USA"),
    }


def test_japanese_surname_first_in_capitals_is_indexed_given_name_first(kb):
    text = (
        "Japan was represented by Mr. TANAKA Haruto, Deputy Director-General, Ministry of Foreign Affairs. "
        "Mr. Tanaka said the dialogue would continue. CISA Director Jill Ross and NISC staff attended."
    )
    found = extract(text, kb)
    assert set(people(found)) == {"Haruto Tanaka", "Jill Ross"}
    assert ("Haruto Tanaka", "Deputy Director-General", "org-jpn-ministry-of-foreign-affairs", "JPN") in roles(found)
    tanaka = ids.person_id("Haruto Tanaka")
    assert [m.surface for m in found.mentions if m.entity_id == tanaka] == ["TANAKA Haruto", "Tanaka"]


def test_capitals_without_an_honorific_are_not_a_name(kb):
    assert extract("TANAKA Haruto spoke briefly. The NSA Cyber team listened.", kb).people == ()


def test_academics_keep_their_post_and_institution(kb):
    text = (
        "The forum was opened by Professor Lee Carter AM, Vice-Chancellor of the University of Tasmania. "
        "Dr Jo Pike, who heads the cyber programme at the Lowy Institute, said more was needed."
    )
    found = extract(text, kb)
    assert people(found) == {"Lee Carter": ("Professor", "AM", 0), "Jo Pike": ("Dr", None, 1)}
    assert roles(found) == {
        ("Lee Carter", "Vice-Chancellor", "org-university-of-tasmania", None),
        ("Jo Pike", None, "org-aus-lowy-institute", "AUS"),
    }


def test_a_bracketed_qualifier_stays_in_the_title(kb):
    text = (
        "Ms Uma Rao, Joint Secretary (Cyber Diplomacy), Ministry of External Affairs, led the talks. "
        "Dr. Vik Rana, Additional Director (Cyber Law), MeitY, closed them. Raj Iyer, Deputy Director (NCSC), stayed."
    )
    assert roles(extract(text, kb)) == {
        ("Uma Rao", "Joint Secretary (Cyber Diplomacy)", "org-ind-ministry-of-external-affairs", "IND"),
        ("Vik Rana", "Additional Director (Cyber Law)", "org-ind-ministry-of-electronics-and-information-technology", "IND"),
        # an acronym in brackets names the post, it does not qualify it
        ("Raj Iyer", "Deputy Director", None, None),
    }


def test_a_second_post_joined_by_and_is_kept_whole(kb):
    text = (
        "Sen. Tara Quinn, Minister for Foreign Affairs and Minister for Trade, arrived. "
        "Hon Max Pell, Minister for Foreign Affairs and Trade, left."
    )
    assert {(name, title) for name, title, _, _ in roles(extract(text, kb))} == {
        ("Tara Quinn", "Minister for Foreign Affairs and Minister for Trade"),
        ("Max Pell", "Minister for Foreign Affairs and Trade"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Lina Ortiz, an assistant secretary for cyber policy, told reporters.", "assistant secretary for cyber policy"),
        # the lower-case complement must end the phrase: here it runs on into a clause
        ("Kim Otto, a deputy director of policy who joined in May, said so.", "deputy director"),
        ("Ben Cho, a nurse at the clinic, said staff coped.", None),
    ],
)
def test_a_lower_case_title_after_an_article(text, expected, kb):
    found = roles(extract(text, kb))
    assert {title for _, title, _, _ in found} == ({expected} if expected else set())


def test_the_country_a_delegation_list_names_first(kb):
    text = (
        "The heads of delegation were: for Canada, Ms Jo Hart, Director General; on behalf of India, Dr Ravi "
        "Nair, Joint Secretary; and for the United States, Mr Al Best, Senior Director. Japan was represented "
        "by Mr Ken Abe and the Australian delegation by Ms Yui Mori. Thanks went for India, Japan and Fiji."
    )
    assert {(name, country) for name, _, _, country in roles(extract(text, kb))} == {
        ("Jo Hart", "CAN"), ("Ravi Nair", "IND"), ("Al Best", "USA"), ("Ken Abe", "JPN"), ("Yui Mori", "AUS"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Delegations\nVietnam: Ms. Thu Lan Pham, Vice Minister of Information\n"
            "- Canada (observer): Mr. Owen Park, Director, Cyber Policy Division, Global Affairs Canada\n",
            {("Thu Lan Pham", "Vice Minister of Information", None, "VNM"), ("Owen Park", "Director", None, "CAN")},
        ),
        ("Attendees\n1. Malaysia: Dr Aziz Rahim, Chief Executive\n", {("Aziz Rahim", "Chief Executive", None, "MYS")}),
    ],
)
def test_a_line_labelled_with_a_country_gives_the_people_on_it_that_country(text, expected, kb):
    found = {(name, title, None, country) for name, title, _, country in roles(extract(text, kb))}
    assert expected <= found


def test_a_country_label_mid_sentence_is_not_a_delegation(kb):
    found = extract("The agenda had one item on Kenya: Ms. Ruth Achieng, an adviser, spoke.", kb)
    assert all(country is None for *_, country in roles(found))


@pytest.mark.parametrize(
    "text, name, org_id, country",
    [
        ("CISA published an advisory on Monday, and its Executive Director, Ms. Ada Quill, said more would follow.",
         "Ada Quill", "org-usa-cybersecurity-and-infrastructure-security-agency", "USA"),
        ("Japan expanded the programme this spring, and its cyber ambassador, Ren Hoshi, welcomed it.",
         "Ren Hoshi", None, "JPN"),
    ],
)
def test_its_points_back_to_the_body_or_country_earlier_in_the_clause(text, name, org_id, country, kb):
    assert [(o, c) for n, _, o, c in roles(extract(text, kb)) if n == name] == [(org_id, country)]


def test_its_does_not_reach_across_a_sentence(kb):
    found = extract("CISA met on Monday. The board praised its director, Ms. Ada Quill, for the work.", kb)
    assert [(o, c) for n, _, o, c in roles(found) if n == "Ada Quill"] == [(None, None)]


def test_multi_word_ranks_and_of_organisation_after_the_name(kb):
    text = (
        "Planning lead Group Captain Noel Varga, of the Australian Signals Directorate, ran the scenario. "
        "Squadron Leader Ivy Tran, of the Department of Defence, assisted. Flight Lieutenant Max Orr took notes. "
        "Deputy Director Lieutenant Commander Kit Lane, of the Australian Cyber Security Centre, closed."
    )
    found = extract(text, kb)
    assert {n: h for n, (h, _, _) in people(found).items()} == {
        "Noel Varga": "Group Captain", "Ivy Tran": "Squadron Leader", "Max Orr": "Flight Lieutenant",
        "Kit Lane": "Lieutenant Commander",
    }
    assert {r for r in roles(found) if r[0] in ("Noel Varga", "Kit Lane")} == {
        ("Noel Varga", None, "org-aus-australian-signals-directorate", "AUS"),
        ("Kit Lane", "Deputy Director", "org-aus-australian-cyber-security-centre", "AUS"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Indian team, led by MeitY joint secretary Dev Nair, stayed a day longer.",
         ("Dev Nair", "joint secretary", "org-ind-ministry-of-electronics-and-information-technology", "IND")),
        ("The Japanese delegation was headed by defence vice minister Sora Endo.",
         ("Sora Endo", "defence vice minister", None, "JPN")),
        ("A working session led by Home Affairs first assistant secretary Ruth Oake followed.",
         ("Ruth Oake", "Home Affairs first assistant secretary", None, None)),
    ],
)
def test_a_lower_case_title_after_led_by(text, expected, kb):
    assert expected in roles(extract(text, kb))


def test_a_lower_case_title_after_a_possessive_then_the_name(kb):
    found = extract("Australia's telecommunications secretary, Hugh Dyer, disagreed.", kb)
    assert roles(found) == {("Hugh Dyer", "telecommunications secretary", None, "AUS")}


def test_a_title_before_the_honourable(kb):
    text = "Yesterday the Minister for Digital Economy, the Hon. Tess Vane MP, opened the centre."
    found = extract(text, kb)
    assert people(found) == {"Tess Vane": ("Hon.", "MP", 0)}
    assert roles(found) == {("Tess Vane", "Minister for Digital Economy", None, None)}


def test_a_transcript_speaker_label_names_the_post(kb):
    found = extract("Briefing\nChief Spokesperson, Shri Arun Sethi: Thank you all for coming.", kb)
    assert roles(found) == {("Arun Sethi", "Chief Spokesperson", None, None)}


def test_a_title_then_a_unit_then_its_department_on_a_list_line(kb):
    text = "Attending:\n- Dr. Nia Holt, Senior Bureau Official, Bureau of Digital Trade, Department of State\n"
    assert roles(extract(text, kb)) == {("Nia Holt", "Senior Bureau Official", "org-usa-state-department", "USA")}


def test_stacked_honorifics_before_a_capitalised_surname(kb):
    found = extract("H.E. Mr. SATO Ren, Ambassador of Japan to Australia, spoke. His Excellency Mr. Abe Kai replied.", kb)
    assert {n: h for n, (h, _, _) in people(found).items()} == {"Ren Sato": "H.E. Mr.", "Abe Kai": "His Excellency Mr."}


def test_an_occupation_at_an_institution_is_kept_as_written(kb):
    text = (
        "Dr. Lia Fenn, a senior researcher at the Australian National University, disagreed. "
        "Omar Reyes, a fellow at the Brookings Institution, agreed."
    )
    assert roles(extract(text, kb)) == {
        ("Lia Fenn", "senior researcher", "org-aus-australian-national-university", "AUS"),
        ("Omar Reyes", "fellow", "org-usa-brookings-institution", "USA"),
    }


@pytest.mark.parametrize(
    "text, expected",
    [
        # initials: a single letter, two capitals, a middle initial with or without a full stop
        ("External Affairs Minister S Varadan said the talks went well.", ("S Varadan", "External Affairs Minister", "IND")),
        ("Representing India was Lt General KR Menon, the National Cyber Security Coordinator.", ("KR Menon", "National Cyber Security Coordinator", "IND")),
        ("Vice President J. D. Harlan spoke first.", ("J. D. Harlan", "Vice President", None)),
        # the post, then its country, then the name
        ("Deputy National Security Adviser of Japan Hiro Tanabe led the delegation.", ("Hiro Tanabe", "Deputy National Security Adviser", "JPN")),
        ("the Secretary of State of the United States Dana Whitlow met them.", ("Dana Whitlow", "Secretary of State", "USA")),
    ],
)
def test_wire_style_names_posts_and_countries(kb, text, expected):
    found = extract(text, kb)
    name, title, country = expected
    assert name in {p.name for p in found.people}
    assert (name, title, None, country) in roles(found)


def test_transcript_speaker_labels_and_bylines_are_people_and_short_forms_join_the_full_name(kb):
    text = (
        "Author: Priya Venkat\n\n"
        "MR. HOLLOWAY: Thank you all for coming.\n\n"
        "Later, Ian Holloway, the moderator, thanked Priya Venkat. Dr. Holloway closed the session."
    )
    found = extract(text, kb)
    assert {p.name for p in found.people} == {"Priya Venkat", "Ian Holloway"}
    assert next(p.honorific for p in found.people if p.name == "Ian Holloway") in ("Mr", "Dr")


def test_a_plural_post_over_a_list_of_countries_and_their_officials(kb):
    text = "The Foreign Ministers of Australia, Kate Lorne, India, R Iyer and Japan, Sato Kenji met in New York."
    found = extract(text, kb)
    assert {("Kate Lorne", "Foreign Minister", None, "AUS"), ("R Iyer", "Foreign Minister", None, "IND"),
            ("Sato Kenji", "Foreign Minister", None, "JPN")} <= roles(found)


def test_a_post_after_is(kb):
    found = extract("Ms Asha Rao is Research Assistant for the Cyber Security Project at the institute.", kb)
    assert ("Asha Rao", "Research Assistant for the Cyber Security Project", None, None) in roles(found)


def test_a_second_post_in_the_apposition_gives_the_body_and_its_country(kb):
    text = "Vikram Sethi, chair, G20 DEWG and Secretary, MeitY, opened the session."
    found = extract(text, kb)
    assert ("Vikram Sethi", "Secretary", "org-ind-ministry-of-electronics-and-information-technology", "IND") in roles(found)


def test_a_former_post_is_not_read_as_a_second_post(kb):
    found = extract("Vikram Sethi, chair, G20 DEWG and former Ambassador to Japan, opened the session.", kb)
    assert not any(title and "Ambassador" in title for _, title, _, _ in roles(found))


def test_a_post_where_a_body_would_stand_after_from(kb):
    found = extract("Taro Mizuno from Japan's Deputy National Security Advisor attended the meeting.", kb)
    assert ("Taro Mizuno", "Deputy National Security Advisor", None, "JPN") in roles(found)


def test_a_name_the_model_cut_short_keeps_its_given_name():
    """A small model often labels only the family name of a name it has not seen; the given name right before
    joins it, but not a word the article also uses in lower case."""
    from data_pipeline.people import find_people

    text = "Iran, Devika Raghunathan participated in the session while the Schools team watched the schools' match."

    def reader(_offsets):
        return [(text.index("Raghunathan"), text.index("Raghunathan") + len("Raghunathan")),
                (text.index("Schools team"), text.index("Schools team") + len("Schools"))]

    found = find_people(text, text, {}, {}, reader)  # no country or body here, so the masked text is the text
    assert [p.name for p in found.people] == ["Devika Raghunathan"]


@pytest.mark.parametrize(
    "text, expected",
    [
        # a name with a one-letter prefix and an apostrophe
        ("Australian Minister for Cyber Security Claire O'Rourke met him.", ("Claire O'Rourke", "Minister for Cyber Security", None, "AUS")),
        # a hyphenated post, and a family name in capitals after a post rather than an honorific
        ("Japan's Vice-Minister Haruto Takeda met him.", ("Haruto Takeda", "Vice-Minister", None, "JPN")),
        ("Japanese Vice-Minister TAKEDA Haruto met him.", ("Haruto Takeda", "Vice-Minister", None, "JPN")),
        # the body after "for"
        ("Priya Natarajan, spokesperson for India's Ministry of External Affairs, said so.",
         ("Priya Natarajan", "spokesperson", "org-ind-ministry-of-external-affairs", "IND")),
        # the delegation a person leads gives the country
        ("Arvind Menon led the Indian delegation.", ("Arvind Menon", None, None, "IND")),
        ("Arvind Menon, who headed Japan's delegation, spoke.", ("Arvind Menon", None, None, "JPN")),
    ],
)
def test_more_wire_styles(kb, text, expected):
    assert expected in roles(extract(text, kb))


def test_a_post_in_the_possessive_is_someone_elses(kb):
    found = extract("I'm Dana Larson, the National Cyber Director's deputy for outreach.", kb)
    assert not any(title == "National Cyber Director" for _, title, _, _ in roles(found))


@pytest.mark.parametrize(
    "text, name, title, country",
    [
        ("Australia's cyber ambassador Tom Reeve agreed on the agenda.", "Tom Reeve", "cyber ambassador", "AUS"),
        ("Tom Reeve and his Indian counterpart Nikhil Rao agreed on the agenda.", "Nikhil Rao", None, "IND"),
        # a rank that is also an honorific is a post when a country owns it
        ("India's Ambassador Vikram Rao agreed on the agenda.", "Vikram Rao", "Ambassador", "IND"),
    ],
)
def test_a_lower_case_post_or_a_counterpart_gives_the_country(kb, text, name, title, country):
    assert (name, title, None, country) in roles(extract(text, kb))


def test_a_body_after_a_titled_name_is_a_venue_unless_of_or_from(kb):
    text = (
        "Secretary of State Marco Reyes hosted Foreign Minister Ito Kenji at the State Department on Monday. "
        "India's Minister of State for Electronics and IT, Anand Verma, joined by video."
    )
    assert roles(extract(text, kb)) >= {
        ("Ito Kenji", "Foreign Minister", None, None),
        ("Anand Verma", "Minister of State for Electronics and IT", None, "IND"),
    }


def test_a_post_opening_the_report_after_a_dateline_with_a_former_post_between(kb):
    text = ("New Delhi: Secretary (West), Ministry of External Affairs and former Ambassador to Peru and Chile, "
            "Anil Mehra Thursday participated in the virtual meeting.")
    found = extract(text, kb)
    assert ("Anil Mehra", "Secretary (West)", "org-ind-ministry-of-external-affairs", "IND") in roles(found)
    assert not any(title and "Ambassador" in title for _, title, _, _ in roles(found)), "a former post is not held"


def test_a_post_in_lower_case_after_a_name_keeps_its_complements(kb):
    text = (
        "Maya Ortiz, deputy assistant to the president and senior director for cyber policy, spoke first. "
        "Ravi Menon is Research Assistant for the Programme on Maritime Security at the Harbour Institute for Maritime Studies, Chennai."
    )
    assert roles(extract(text, kb)) == {
        ("Maya Ortiz", "deputy assistant to the president and senior director for cyber policy", None, None),
        ("Ravi Menon", "Research Assistant for the Programme on Maritime Security",
         "org-ind-harbour-institute-for-maritime-studies", "IND"),
    }


def test_a_sentence_that_is_only_a_post_describes_the_person_just_introduced(kb):
    text = (
        "MODERATOR: Our second guest is Tomas Varga – did I say that right?\n\n"
        "Tomas Varga: Close enough.\n\n"
        "MODERATOR: Good – the director of the Cyber Policy Unit of the Hungarian Ministry of Defence. He joins us from Budapest.\n\n"
        "Tomas Varga: The head of the unit sends her regards.\n"
    )
    found = extract(text, kb)
    assert roles(found) == {("Tomas Varga", "director of the Cyber Policy Unit", "org-hun-ministry-of-defence", "HUN")}
    (role,) = found.roles
    assert "the director of the Cyber Policy Unit" in document(text).sentences[role.sentence_id].text


def test_a_post_fragment_goes_to_no_one_when_no_name_precedes_it_closely(kb):
    text = "The head of the Cyber Policy Unit. " + "The talks covered ransomware and cable repair in detail. " * 8 + "Jo Park spoke."
    assert roles(extract(text, kb)) == set()


def test_a_model_span_after_a_count_is_things_counted_not_a_person():
    from data_pipeline.people import find_people

    text = "Teachers from ten Harbourview Valley Schools and 12 Lakeside Academies met Aiko Tanabe."
    spans = [(text.index(n), text.index(n) + len(n)) for n in ("Harbourview Valley Schools", "Lakeside Academies", "Aiko Tanabe")]
    found = find_people(text, text, {}, {}, lambda _offsets: spans)
    assert [p.name for p in found.people] == ["Aiko Tanabe"]


@pytest.mark.parametrize("body", ["Japan Cybercrime Control Center", "Pacific Cable Fund", "Harbour Police", "Tech Alliance", "Secure Software Project"])
def test_a_name_ending_in_a_body_noun_is_not_a_person(body, kb):
    text = f"The {body} said on Monday that attacks rose, Director Ana Ruiz added."
    assert [p.name for p in extract(text, kb).people] == ["Ana Ruiz"]


def test_abbreviated_posts_of_the_press_stand_before_names(kb):
    text = ("EAM S Jaishankar on Monday held cyber talks with NSA Ajit Doval and Japanese PM Fumio Kishida. "
            "The talks ended at 5 pm, Jaishankar said.")
    found = extract(text, kb)
    assert {p.name for p in found.people} == {"S Jaishankar", "Ajit Doval", "Fumio Kishida"}
    assert roles(found) == {
        ("S Jaishankar", "EAM", None, "IND"),  # the abbreviation of a post only India has
        ("Ajit Doval", "NSA", None, None),
        ("Fumio Kishida", "PM", None, "JPN"),
    }


def test_whom_a_country_sent_and_who_represented_it(kb):
    text = ("India sent Joint Secretary Muanpuii Lalrin to the cyber talks. "
            "Kenji Sato, who represented Japan at the talks, said trust had grown.")
    assert roles(extract(text, kb)) == {
        ("Muanpuii Lalrin", "Joint Secretary", None, "IND"),
        ("Kenji Sato", None, None, "JPN"),
    }


def test_counterparts_named_with_their_countries(kb):
    text = ("Ambassador Brendan Hale and his counterparts Rina Sato of Japan and Mark Evans of the United States "
            "met on cyber issues. Sato said the talks went well.")
    found = extract(text, kb)
    assert {(name, country) for name, _, _, country in roles(found)} >= {("Rina Sato", "JPN"), ("Mark Evans", "USA")}


def test_a_speaker_label_with_a_post_is_a_person_with_that_post(kb):
    text = ("SECRETARY REYES: Good afternoon. We met our partners today.\n\n"
            "FOREIGN MINISTER TANABE: Thank you.\n\nDeputy Secretary Ortiz: And we agreed.\n\nQUESTION: What next?\n")
    assert roles(extract(text, kb)) == {
        ("Reyes", "Secretary", None, None), ("Tanabe", "Foreign Minister", None, None), ("Ortiz", "Deputy Secretary", None, None),
    }
