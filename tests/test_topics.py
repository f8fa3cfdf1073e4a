import re
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from data_pipeline.kb import KnowledgeBaseError, TopicEntry, load_kb
from data_pipeline.model import DateSpan, Document, Entities, MeetingFinding, Mention, RoleFinding
from data_pipeline.sentences import split_sentences
from data_pipeline.topics import _compile_start, _topic_spans, find_topics, topic_patterns
from tests.test_meetings import seed_extraction

KB = load_kb()
REQUIRED = {
    "threat-information-sharing", "supply-chain-security", "software-security", "capacity-building",
    "critical-infrastructure", "incident-response", "cyber-resilience", "workforce", "cybercrime-ransomware",
    "public-awareness", "norms-international-law", "emerging-technology",
}
NIST_FUNCTIONS = {"Govern", "Identify", "Protect", "Detect", "Respond", "Recover"}
QUAD_AREAS = {
    "critical infrastructure protection", "supply chain resilience and security",
    "workforce development and talent", "software security", "cross-cutting",
}


def doc(text: str) -> Document:
    return Document("art-test", "test", text, date(2024, 3, 6), split_sentences(text))


def topics_in(text: str, meetings=()) -> set[tuple[str, int, str]]:
    return {(t.topic_id, t.sentence_id, t.matched) for t in find_topics(doc(text), KB, list(meetings), Entities())}


def test_taxonomy_has_the_required_topics_with_valid_functions_and_areas():
    assert REQUIRED <= set(KB.topics)
    for topic in KB.topics.values():
        assert topic.nist_csf_function in NIST_FUNCTIONS, topic.topic_id
        assert topic.quad_area in QUAD_AREAS, topic.topic_id
        assert len(topic.phrases) >= 2 and len(topic.description) > 40, topic.topic_id
    areas = {t.quad_area for t in KB.topics.values()}
    assert areas == QUAD_AREAS


@pytest.mark.parametrize(
    "text, topic_id, matched",
    [
        ("The partners agreed on threat information sharing.", "threat-information-sharing", "threat information sharing"),
        ("The partners began sharing threat information.", "threat-information-sharing", "sharing threat information"),
        ("They will Share Cyber Threat Intelligence daily.", "threat-information-sharing", "Share Cyber Threat Intelligence"),
        ("They reviewed risks in the supply chain for chips.", "supply-chain-security", "risks in the supply chain"),
        ("Supply-chain resilience was on the agenda.", "supply-chain-security", "Supply-chain resilience"),
        ("Vendors must ship an SBOM with each release.", "software-security", "SBOM"),
        ("The guidance promotes secure-by-design products.", "software-security", "secure-by-design"),
        ("A capacity-building programme for Pacific states.", "capacity-building", "capacity-building"),
        ("Attacks on the power grid were discussed.", "critical-infrastructure", "power grid"),
        ("National CERTs ran a joint cyber exercise.", "incident-response", "CERTs"),
        ("They responded quickly to the ransomware attacks.", "cybercrime-ransomware", "ransomware"),
        ("They responded quickly to the ransomware attacks.", "incident-response", "responded quickly to the ransomware attacks"),
        ("A plan to build cyber resilience across the region.", "cyber-resilience", "cyber resilience"),
        ("Programmes to close the cyber skills gap.", "workforce", "cyber skills gap"),
        ("Workforce development for analysts.", "workforce", "Workforce development"),
        ("A campaign to raise awareness among small firms.", "public-awareness", "raise awareness"),
        ("They reaffirmed the norms of responsible state behaviour.", "norms-international-law", "norms of responsible state behaviour"),
        ("Risks from artificial intelligence and quantum computing.", "emerging-technology", "quantum computing"),
    ],
)
def test_phrases_match_as_written(text, topic_id, matched):
    assert (topic_id, 0, matched) in topics_in(text)


@pytest.mark.parametrize(
    "text, topic_id",
    [
        ("The ship's chain of supply officers met.", "supply-chain-security"),
        ("A CERTificate was issued.", "incident-response"),
        ("He said the bait was cheap.", "emerging-technology"),  # "ai" only as a whole word
        ("Awareness of the weather was high.", "public-awareness"),
    ],
)
def test_no_match_inside_words_or_on_loose_wording(text, topic_id):
    assert topic_id not in {t for t, _, _ in topics_in(text)}


def test_one_finding_per_phrase_as_written_and_sentence():
    found = topics_in("Ransomware and ransomware again. Ransomware once more.")
    assert found == {
        ("cybercrime-ransomware", 0, "Ransomware"), ("cybercrime-ransomware", 0, "ransomware"),
        ("cybercrime-ransomware", 1, "Ransomware"),
    }


def test_meeting_index_for_the_meeting_sentences_and_the_account_that_follows():
    text = (
        "Japan is working on supply chains. Officials met in Tokyo on Monday. "
        "The officials also discussed ransomware. Separately, ransomware hit a hospital."
    )
    meeting = MeetingFinding("meeting in Tokyo", "meeting", DateSpan(date(2024, 3, 4), date(2024, 3, 4), "day"),
                             "tokyo", "Tokyo", "JPN", (1,))
    by_sentence = {(t.topic_id, t.sentence_id): t.meeting_index for t in find_topics(doc(text), KB, [meeting], Entities())}
    assert by_sentence == {
        ("supply-chain-security", 0): None,
        ("cybercrime-ransomware", 2): 0,
        ("cybercrime-ransomware", 3): None,
    }


def test_analyst_topics_replace_the_taxonomy_and_bad_regexes_name_the_topic(tmp_path):
    custom = TopicEntry("space", "Space", "Satellites and space systems.", ("satellites?", "space\\s+systems?"), "Protect", "cross-cutting")
    kb = replace(KB, topics={"space": custom})
    assert {t.topic_id for t in find_topics(doc("Satellites and ransomware."), kb, [], Entities())} == {"space"}
    broken = tmp_path / "kb.toml"
    broken.write_text('[[topics]]\nid = "bad"\nlabel = "Bad"\ndescription = "x"\nphrases = ["(unclosed"]\n'
                      'nist_csf_function = "Protect"\nquad_area = "cross-cutting"\n')
    with pytest.raises(KnowledgeBaseError, match=r"kb.toml: topics\[0\]: phrase '\(unclosed'"):
        load_kb([broken])


def test_patterns_are_compiled_once_per_taxonomy():
    assert topic_patterns(KB) is topic_patterns(load_kb())
    assert all(isinstance(p.pattern, re.Pattern) for _, p in topic_patterns(KB))


def test_seed_topics_linked_to_the_new_delhi_meeting():
    extraction = seed_extraction()
    found = {t.topic_id for t in extraction.topics}
    assert {
        "threat-information-sharing", "supply-chain-security", "software-security", "capacity-building",
        "incident-response", "critical-infrastructure", "cyber-resilience",
    } <= found
    linked = {t.topic_id for t in extraction.topics if t.meeting_index == 0}
    assert {"threat-information-sharing", "supply-chain-security", "software-security", "capacity-building", "incident-response"} <= linked


@pytest.mark.parametrize(
    "text, topic_id, matched",
    [
        ("The scheme funds training of chief information security officers.", "workforce", "training of chief information security officers"),
        ("Money for training for incident analysts was agreed.", "workforce", "training for incident analysts"),
        ("The agency trained 400 cyber professionals last year.", "workforce", "trained 400 cyber professionals"),
        ("Japan will fund a regional incident response training centre.", "capacity-building", "regional incident response training centre"),
    ],
)
def test_training_phrases(text, topic_id, matched):
    assert (topic_id, 0, matched) in topics_in(text)


def test_words_inside_a_title_or_an_organisation_name_are_not_topics():
    text = (
        "Australia's Ambassador for Cyber Affairs and Critical Technology spoke. "
        "The Critical Infrastructure Centre published a report. "
        "They discussed critical technology and critical infrastructure."
    )
    document = doc(text)
    org = text.index("Critical Infrastructure Centre")
    entities = Entities(
        mentions=(Mention(org, org + len("Critical Infrastructure Centre"), "Critical Infrastructure Centre", "organization", "org-cic", 1),),
        roles=(RoleFinding("per-x", "Ambassador for Cyber Affairs and Critical Technology", None, "AUS", 0),),
    )
    found = {(t.topic_id, t.sentence_id) for t in find_topics(document, KB, [], entities)}
    assert found == {("emerging-technology", 2), ("critical-infrastructure", 2)}
    # without the entities the same words are topics, so it is the names that hold them back
    assert {("emerging-technology", 0), ("critical-infrastructure", 1)} <= {(t, s) for t, s, _ in topics_in(text)}


@pytest.mark.parametrize(
    ("text", "topic_id", "matched"),
    [
        ("Officials ran a tabletop exercise on a port outage.", "incident-response", "tabletop exercise"),
        ("The agency staged a national cyber drill for ministries.", "incident-response", "cyber drill"),
        ("Funding will go to training regional incident responders.", "capacity-building", "training regional incident responders"),
        ("Officials from Palau now attend short courses in Canberra.", "capacity-building", "short courses in"),
        ("Ransomware attacks on hospitals rose sharply.", "critical-infrastructure", "Ransomware attacks on hospitals"),
        ("The ministry runs training courses for network engineers.", "capacity-building", "training courses for"),
        ("Hackers launched intrusions against water utilities.", "critical-infrastructure", "intrusions against water utilities"),
    ],
)
def test_plain_words_for_exercises_training_and_targets(text, topic_id, matched):
    assert (topic_id, 0, matched) in topics_in(text)


@pytest.mark.parametrize(
    "text",
    [
        "Critics mounted attacks on the opposition leader.",
        "The university offers short films about the city.",
        "The coach said his team is training hard for the final.",
        "Officials will take a different course next year.",
        "Paramedics are training new emergency responders.",
    ],
)
def test_attacks_and_training_in_other_senses_are_not_topics(text):
    found = {t for t, _, _ in topics_in(text)}
    assert not found & {"critical-infrastructure", "capacity-building", "incident-response"}


def test_a_phrase_cut_by_the_sentence_length_limit_signals_no_sentence(tmp_path):
    """A run without full stops is cut at MAX_SENTENCE; a topic phrase across the cut is in neither sentence.
    (Found by the property test in tests/test_properties.py.)"""
    from data_pipeline.build import build_tables
    from tests.conftest import assert_traceable

    (tmp_path / "cut.txt").write_text("date 2000-01-01 Cut sentence\n\n" + "word " * 298 + "threat information sharing was discussed.")
    tables = build_tables([tmp_path]).tables
    assert len(tables["sentences"]) == 2
    assert_traceable(tables)
    assert tables["topic_mentions"].empty


TOPIC_WORDS = ["threat", "intelligence", "information", "sharing", "shared", "cyber", "security", "critical",
               "infrastructure", "ransomware", "capacity-building", "5G", "AI", "norms", "supply", "chain", "software",
               "bill", "of", "materials", "SBOMs", "workforce", "training", "exercises", "undersea", "cables", "the"]
TOPIC_TEXTS = st.lists(
    st.builds(lambda w, case: case(w), st.sampled_from(TOPIC_WORDS), st.sampled_from([str.lower, str.upper, str.title]))
    | st.sampled_from([",", ".", "-", "\n", "’s"]),
    max_size=40,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(TOPIC_TEXTS)
def test_one_scan_for_all_topics_finds_what_each_topics_own_scan_finds(text):
    own = sorted((topic_id, *m.span()) for topic_id, p in topic_patterns(KB) for m in p.pattern.finditer(text))
    assert sorted(_topic_spans(KB, text)) == own


def test_a_phrase_that_can_match_nothing_keeps_each_topics_own_scan():
    assert _compile_start((("empty", ("x?",)),)) is None
    assert _compile_start((("x", ("x+",)),)) is not None
