"""Which cyber-policy topics each sentence is about, from the taxonomy's signal phrases.

Phrases are regular expressions from `topics.toml` (or an analyst's own file),
matched case-insensitively and only as whole words, so an analyst can cover
"sharing threat information" and "threat information sharing" with variants
rather than code. Each topic's phrases are compiled into one pattern, once per
taxonomy, because extraction runs the same patterns over every article.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from .kb import KnowledgeBase
from .meetings import sentences_about
from .model import Document, MeetingFinding, TopicFinding

__all__ = ["find_topics", "topic_patterns"]


@lru_cache(maxsize=8)
def _compile(topics: tuple[tuple[str, tuple[str, ...]], ...]) -> tuple[tuple[str, re.Pattern], ...]:
    compiled = []
    for topic_id, phrases in topics:
        alternatives = "|".join(f"(?:{p})" for p in phrases)
        compiled.append((topic_id, re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)))
    return tuple(compiled)


def topic_patterns(kb: KnowledgeBase) -> tuple[tuple[str, re.Pattern], ...]:
    """(topic id, compiled pattern) for every topic (`kb.load_kb` has checked that each phrase compiles)."""
    return _compile(tuple((t.topic_id, t.phrases) for t in kb.topics.values()))


def find_topics(document: Document, kb: KnowledgeBase, meetings: list[MeetingFinding]) -> list[TopicFinding]:
    """One finding per topic, sentence and phrase as written, linked to the meeting the sentence is about."""
    if not document.sentences:
        return []
    starts = [s.start for s in document.sentences]
    about = sentences_about(document, meetings)
    findings: dict[tuple[str, int, str], TopicFinding] = {}
    for topic_id, pattern in topic_patterns(kb):
        for match in pattern.finditer(document.text):
            sentence_id = max(0, bisect.bisect_right(starts, match.start()) - 1)
            key = (topic_id, sentence_id, match.group())
            if key not in findings:
                findings[key] = TopicFinding(topic_id, sentence_id, match.group(), about.get(sentence_id))
    return sorted(findings.values(), key=lambda f: (f.sentence_id, f.topic_id, f.matched))
