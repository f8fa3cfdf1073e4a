"""Merging meetings across articles, on hand-built extractions."""

import gc
from datetime import date
from pathlib import Path

import pytest

from bench.generate import write_corpus
from data_pipeline.build import extract_all
from data_pipeline.ids import article_id
from data_pipeline.kb import load_kb
from data_pipeline import extraction_store
from data_pipeline.link import link
from data_pipeline.model import (ArticleExtraction, DateSpan, Document, Entities, MeetingFinding, Mention,
                                 ParticipantFinding, PersonFinding, RoleFinding)
from data_pipeline.readers import read_inputs
from data_pipeline.sentences import split_sentences

KB = load_kb()


def _article(text, published, meetings, people=()):
    doc = Document(article_id(text), "t", text, published, split_sentences(text))
    mentions = tuple(Mention(text.index(p.name), text.index(p.name) + len(p.name), p.name, "person", p.person_id, 0)
                     for p in people)
    roles = tuple(RoleFinding(p.person_id, "Director", None, "JPN", 0) for p in people)
    return ArticleExtraction(doc, f"{doc.article_id}.txt", "header", None, Entities(mentions=mentions, people=tuple(people), roles=roles),
                             (), tuple(meetings), ())


def _meeting(span, kind="principals meeting", place="tokyo", participants=()):
    return MeetingFinding("Cyber principals meeting", kind, span, place, place.title() if place else None,
                          "JPN" if place else None, (0,), tuple(participants))


DAYS = DateSpan(date(2024, 3, 3), date(2024, 3, 4), "day")
MONTH = DateSpan(date(2024, 3, 1), date(2024, 3, 31), "month")


def test_two_reports_of_one_meeting_become_one_with_the_precise_date():
    person = PersonFinding("per-aiko-tanaka", "Aiko Tanaka", None, None, 0)
    one = _article("Aiko Tanaka met peers in Tokyo.", date(2024, 3, 5),
                   [_meeting(DAYS, participants=[ParticipantFinding("per-aiko-tanaka", None, "JPN", 0)])], [person])
    two = _article("Principals met in Tokyo in March.", date(2024, 4, 1), [_meeting(MONTH, kind="meeting")])
    tables = link([one, two], KB)
    (meeting,) = tables["meetings"].to_dict("records")
    assert meeting["meeting_id"] == "mtg-2024-03-03-tokyo"
    assert (meeting["start_date"], meeting["end_date"], meeting["date_precision"]) == ("2024-03-03", "2024-03-04", "day")
    assert meeting["n_sources"] == 2 and meeting["kind"] == "principals meeting"
    assert set(tables["meeting_sources"]["article_id"]) == {one.document.article_id, two.document.article_id}
    assert tables["participants"]["person_id"].tolist() == ["per-aiko-tanaka"]
    assert tables["people"].loc[0, "title"] == "Director" and tables["roles"].loc[0, "as_of"] == "2024-03-05"


def test_day_precise_reports_combine_their_days():
    two_days = _article("First report.", date(2024, 3, 5), [_meeting(DAYS)])
    second_day = _article("Second report.", date(2024, 3, 6), [_meeting(DateSpan(date(2024, 3, 4), date(2024, 3, 4), "day"))])
    (meeting,) = link([two_days, second_day], KB)["meetings"].to_dict("records")
    assert (meeting["start_date"], meeting["end_date"], meeting["n_sources"]) == ("2024-03-03", "2024-03-04", 2)


@pytest.mark.parametrize(
    "other",
    [
        _meeting(DateSpan(date(2024, 6, 1), date(2024, 6, 1), "day")),  # other dates
        _meeting(DAYS, place="sydney"),  # other place
        _meeting(DAYS, kind="leaders' summit"),  # another kind of meeting at the same venue
        _meeting(None),  # undated: never merged across articles
    ],
)
def test_different_meetings_stay_apart(other):
    one = _article("First report.", date(2024, 3, 5), [_meeting(DAYS)])
    two = _article("Second report.", date(2024, 7, 1), [other])
    tables = link([one, two], KB)
    assert len(tables["meetings"]) == 2 and set(tables["meetings"]["n_sources"]) == {1}
    assert tables["meetings"]["meeting_id"].is_unique


def test_ids_do_not_depend_on_input_order():
    one = _article("First report.", date(2024, 3, 5), [_meeting(DAYS)])
    two = _article("Second report.", date(2024, 3, 6), [_meeting(DAYS, place=None)])
    forward, backward = link([one, two], KB), link([two, one], KB)
    for name in forward:
        assert forward[name].equals(backward[name]), name


def test_two_meetings_one_article_reports_at_one_place_stay_two():
    dialogue = _meeting(DAYS, kind="dialogue")
    bilateral = _meeting(DateSpan(date(2024, 3, 3), date(2024, 3, 3), "day"), kind="meeting")
    tables = link([_article("Dialogue, and a bilateral on its margins.", date(2024, 3, 5), [dialogue, bilateral])], KB)
    assert len(tables["meetings"]) == 2 and tables["meetings"]["meeting_id"].is_unique


def test_streamed_in_any_order_and_in_small_batches_the_tables_are_the_same(tmp_path, monkeypatch):
    """A build streams extractions from stored parts and workers in no set order, and link turns each batch of
    articles into frames before the next: neither may change a table (short names joined to full ones across
    batches, topic mentions given the meeting of a report in another batch)."""
    write_corpus(tmp_path / "generated", 40, seed=3)
    root = Path(__file__).parent
    articles, _, _ = read_inputs([root / "articles", *sorted(root.glob("articles_heldout*")), tmp_path / "generated"])
    full = _article("Ingrid Halvorsen opened the talks.", date(2024, 3, 5), [],
                    [PersonFinding("per-ingrid-halvorsen", "Ingrid Halvorsen", None, None, 0)])
    short = _article("Halvorsen closed them.", date(2024, 3, 6), [], [PersonFinding("per-halvorsen", "Halvorsen", None, None, 0)])
    extractions = [full, *extract_all(articles, KB, (), 1), short]
    whole = link(extractions, KB)
    monkeypatch.setattr(extraction_store, "SLICE", 7)
    monkeypatch.setattr("data_pipeline.link.CUT", 5)  # sentences' texts cut from their articles' a few at a time
    streamed = link((ex for ex in reversed(extractions)), KB)
    assert whole["topic_mentions"]["meeting_id"].notna().any() and len(whole["meetings"]) > 20
    assert "per-halvorsen" not in set(streamed["mentions"]["entity_id"]) | set(streamed["roles"]["person_id"])
    for name in whole:
        assert whole[name].equals(streamed[name]), name
    found = {(ex.document.article_id, s.index): s.text for ex in extractions for s in ex.document.sentences}
    sentences = streamed["sentences"]
    assert list(sentences["text"]) == [found[key] for key in zip(sentences["article_id"], sentences["sentence_id"])]


def test_what_linking_hides_from_the_garbage_collector_is_given_back_even_when_the_stream_fails(monkeypatch):
    """Linking moves what it keeps out of the collector's sight while it runs (`gc.freeze`); a server that links
    an upload must get its collector back as it was, or a cycle among those objects would never be collected."""
    monkeypatch.setattr(extraction_store, "SLICE", 2)
    extractions = extract_all(read_inputs([Path(__file__).parent / "articles"])[0], KB, (), 1)
    frozen: list[int] = []

    def stream(fail: bool):
        for ex in extractions:
            frozen.append(gc.get_freeze_count())
            yield ex
        if fail:
            raise OSError("a stored part could not be read")

    link(stream(False), KB)
    assert max(frozen) > 0 and gc.get_freeze_count() == 0
    with pytest.raises(OSError):
        link(stream(True), KB)
    assert gc.get_freeze_count() == 0
