"""Which cyber-policy topics each sentence is about, from the taxonomy's signal phrases.

Phrases are regular expressions from `topics.toml` (or an analyst's own file),
matched case-insensitively and only as whole words, so an analyst can cover
"sharing threat information" and "threat information sharing" with variants
rather than code. Each topic's phrases are compiled into one pattern, once per
taxonomy, because extraction runs the same patterns over every article (case-blind
by `caseblind`, on the text folded once per article). One scan of all topics at once
finds where any phrase starts; each topic is matched only there (`_topic_spans`).

A phrase inside a name is not a topic: "Ambassador for Cyber Affairs and
Critical Technology" is a post, not a discussion of critical technology, and
the "Cybersecurity and Infrastructure Security Agency" is an agency. So a
match lying wholly inside an organisation's mention or a person's title (as
the entity rules found them) does not count.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

from .caseblind import CaseBlind, fold
from .kb import KnowledgeBase
from .meetings import sentences_about
from .model import Document, Entities, MeetingFinding, TopicFinding
from .spans import inside_any

__all__ = ["find_topics", "topic_patterns"]


def _phrases(phrases: tuple[str, ...]) -> str:
    return "(?:" + "|".join(f"(?:{p})" for p in phrases) + r")(?!\w)"


@lru_cache(maxsize=8)
def _compile(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, CaseBlind], ...]:
    return tuple((topic_id, CaseBlind(rf"(?<!\w){_phrases(phrases)}")) for topic_id, phrases in topics)


@lru_cache(maxsize=8)
def _compile_start(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> CaseBlind | None:
    """Where any topic's phrase starts; None when a phrase can match nothing at all (an empty match would
    make a topic's own scan step differently)."""
    if any(pattern.match("", "", 0) for _, pattern in _compile(topics)):
        return None
    return CaseBlind(r"(?<!\w)(?=" + "|".join(_phrases(phrases) for _, phrases in topics) + ")")


def _taxonomy(kb: KnowledgeBase) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((t.topic_id, t.phrases) for t in kb.topics.values())


def topic_patterns(kb: KnowledgeBase) -> tuple[tuple[str, CaseBlind], ...]:
    """(topic id, compiled pattern) for every topic (`kb.load_kb` has checked that each phrase compiles)."""
    return _compile(_taxonomy(kb))


def _topic_spans(kb: KnowledgeBase, text: str) -> Iterator[tuple[str, int, int]]:
    """(topic id, start, end) of every match each topic's pattern finds scanning the text on its own.

    A topic's scan takes the first match at or after the end of its last one; every such start is
    among the starts of any phrase, so the topics are tried there only, in text order.
    """
    folded = fold(text)
    patterns = topic_patterns(kb)
    starts = _compile_start(_taxonomy(kb))
    if starts is None:
        yield from ((topic_id, s, e) for topic_id, pattern in patterns for s, e in pattern.spans(text, folded))
        return
    free = [0] * len(patterns)  # where each topic's own scan would resume
    for position, _ in starts.spans(text, folded):
        for i, (topic_id, pattern) in enumerate(patterns):
            if position >= free[i] and (span := pattern.match(text, folded, position)):
                free[i] = span[1]
                yield topic_id, *span


def _name_spans(document: Document, entities: Entities) -> list[tuple[int, int]]:
    """Character ranges of organisation names and of people's titles wherever the article writes them."""
    spans = [(m.start, m.end) for m in entities.mentions if m.entity_type == "organization"]
    for title in {r.title for r in entities.roles if r.title}:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(title), document.text)]
    return spans


def find_topics(document: Document, kb: KnowledgeBase, meetings: list[MeetingFinding], entities: Entities) -> list[TopicFinding]:
    """One finding per topic, sentence and phrase as written, linked to the meeting the sentence is about;
    none for words that are part of a name or title."""
    if not document.sentences:
        return []
    about = sentences_about(document, meetings)
    inside_name = inside_any(_name_spans(document, entities))
    findings: dict[tuple[str, int, str], TopicFinding] = {}
    text = document.text
    for topic_id, start, end in _topic_spans(kb, text):
        sentence_id = document.sentence_index(start)
        # a phrase across a cut in run-on text is in no one sentence: its evidence could not show it
        if inside_name(start, end) or end > document.sentences[sentence_id].end:
            continue
        key = (topic_id, sentence_id, text[start:end])
        if key not in findings:
            findings[key] = TopicFinding(topic_id, sentence_id, text[start:end], about.get(sentence_id))
    return sorted(findings.values(), key=lambda f: (f.sentence_id, f.topic_id, f.matched))
