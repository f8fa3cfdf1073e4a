import pytest

from data_pipeline.sentences import split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lt. Gen. Singh met U.S. officials on Jan. 3. Then Dr. Lee spoke.",
         ["Lt. Gen. Singh met U.S. officials on Jan. 3.", "Then Dr. Lee spoke."]),
        ('He said: "We agreed." The talks ended.', ['He said: "We agreed."', "The talks ended."]),
        ("Participants\n\n- A, Director\n- B, Secretary", ["Participants", "- A, Director", "- B, Secretary"]),
        ("Is it over? Yes! It is.", ["Is it over?", "Yes!", "It is."]),
        ("No final stop", ["No final stop"]),
        ("   ", []),
    ],
)
def test_splits_where_a_reader_would(text, expected):
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == expected
    assert [s.index for s in sentences] == list(range(len(expected)))
    assert all(text[s.start:s.end] == s.text for s in sentences)


def test_each_list_item_is_its_own_sentence():
    text = "Attendees:\n- Jane Roe, Director, Ministry of Defence\n* John Doe, Secretary\n1. Ann Lee, Adviser"
    assert [s.text for s in split_sentences(text)] == [
        "Attendees:", "- Jane Roe, Director, Ministry of Defence", "* John Doe, Secretary", "1. Ann Lee, Adviser"]


def test_indian_honorifics_do_not_end_a_sentence():
    text = "The talks were held in the presence of Smt. Lata Rao and Shri. Anil Desai. They ended at noon."
    assert [s.text for s in split_sentences(text)] == [
        "The talks were held in the presence of Smt. Lata Rao and Shri. Anil Desai.", "They ended at noon."]


def test_each_labelled_line_of_a_delegation_list_is_its_own_sentence():
    text = "Delegations:\nIndia: Shri Om Dutt, Joint Secretary\nUnited States (host): Ms Jo Park, Director\nJapan: Mr Ken Ito"
    assert [s.text for s in split_sentences(text)] == [
        "Delegations:", "India: Shri Om Dutt, Joint Secretary", "United States (host): Ms Jo Park, Director", "Japan: Mr Ken Ito"]


def test_a_wrapped_line_with_a_colon_in_running_text_is_not_split():
    text = "The minister told reporters\nthat: the talks were useful."
    assert [s.text for s in split_sentences(text)] == [text]


def test_a_run_without_sentence_ends_is_cut_at_spaces_into_bounded_pieces():
    from data_pipeline.sentences import MAX_SENTENCE

    text = "officials met and talked " * 400 + "Then it ended."
    sentences = split_sentences(text)
    assert len(sentences) > 1 and all(len(s.text) <= MAX_SENTENCE for s in sentences)
    assert all(text[s.start : s.end] == s.text and not s.text.startswith(" ") for s in sentences)
    assert " ".join(s.text for s in sentences).split() == text.split()  # nothing lost, no word cut
    unbroken = "x" * (MAX_SENTENCE * 2 + 5)
    assert [len(s.text) for s in split_sentences(unbroken)] == [MAX_SENTENCE, MAX_SENTENCE, 5]
