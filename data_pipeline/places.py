"""Cities and other places named in text, from the curated list in `places.toml`.

Only listed places are recognised: a capitalised word after "in" is as often a
building, a state or a person as a city, and a wrong city would put a meeting on
the wrong map. The dateline's place is added by `entities` even when unlisted,
because the dateline position itself says it is a place.
"""

from __future__ import annotations

import re

from .countries import Span, kb_cached, literal_pattern
from .kb import KnowledgeBase

__all__ = ["find_places"]


@kb_cached
def _place_matcher(kb: KnowledgeBase) -> tuple[re.Pattern, dict[str, str]]:
    phrases: dict[str, str] = {}
    for place in kb.places.values():
        for phrase in (place.name, *place.aliases):
            phrases.setdefault(phrase, place.place_id)
    return re.compile(rf"(?<!\w)(?:{literal_pattern(phrases)})(?!\w)"), phrases


def find_places(text: str, kb: KnowledgeBase) -> list[Span]:
    """Every listed place name or alias in the text, longest first ("New Delhi" is not "Delhi")."""
    pattern, phrases = _place_matcher(kb)
    return [Span(m.start(), m.end(), phrases[m.group()]) for m in pattern.finditer(text)]
