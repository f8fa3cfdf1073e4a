"""Which cyber-policy topics each sentence is about, from the taxonomy's signal phrases.

Phrases are regular expressions from `topics.toml` (or an analyst's own file),
matched case-insensitively and only as whole words, so an analyst can cover
"sharing threat information" and "threat information sharing" with variants
rather than code. Each topic's phrases are compiled into one pattern, once per
taxonomy, because extraction runs the same patterns over every article (case-blind
by `caseblind`, which scans the folded text once folded per article).

A phrase inside a name is not a topic: "Ambassador for Cyber Affairs and
Critical Technology" is a post, not a discussion of critical technology, and
the "Cybersecurity and Infrastructure Security Agency" is an agency. So a
match lying wholly inside an organisation's mention or a person's title (as
the entity rules found them) does not count.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .caseblind import CaseBlind, fold
from .kb import KnowledgeBase
from .meetings import sentences_about
from .model import Document, Entities, MeetingFinding, TopicFinding
from .spans import inside_any

__all__ = ["find_topics", "topic_patterns"]


@lru_cache(maxsize=8)
def _compile(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, CaseBlind], ...]:
    compiled = []
    for topic_id, phrases in topics:
        alternatives = "|".join(f"(?:{p})" for p in phrases)
        compiled.append((topic_id, CaseBlind(rf"(?<!\w)(?:{alternatives})(?!\w)")))
    return tuple(compiled)


def topic_patterns(kb: KnowledgeBase) -> tuple[tuple[str, CaseBlind], ...]:
    """(topic id, compiled pattern) for every topic (`kb.load_kb` has checked that each phrase compiles)."""
    return _compile(tuple((t.topic_id, t.phrases) for t in kb.topics.values()))


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
    folded = fold(text)
    for topic_id, pattern in topic_patterns(kb):
        for start, end in pattern.spans(text, folded):
            sentence_id = document.sentence_index(start)
            # a phrase across a cut in run-on text is in no one sentence: its evidence could not show it
            if inside_name(start, end) or end > document.sentences[sentence_id].end:
                continue
            key = (topic_id, sentence_id, text[start:end])
            if key not in findings:
                findings[key] = TopicFinding(topic_id, sentence_id, text[start:end], about.get(sentence_id))
    return sorted(findings.values(), key=lambda f: (f.sentence_id, f.topic_id, f.matched))
