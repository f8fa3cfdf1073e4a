"""When one written name is a shorter form of another: "Biden" of "Joe Biden", "S Jaishankar" of
"Subrahmanyam Jaishankar", "Jamila Ade" of "Jamila Akaaga Ade".

Reporters give a name in full once and shorten it after, and another outlet may only ever use the short
form; an analyst reads both as one person when exactly one full name fits. The same test joins the forms
within one article (`people`) and across the corpus (`link`), so the two never disagree.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping

__all__ = ["abbreviates", "shorter_forms"]

_INITIALS = re.compile(r"(?:[A-Z]\.?){1,3}")


def _is_initials(word: str) -> bool:
    return bool(_INITIALS.fullmatch(word))


def _stands_for(word: str, given: str) -> bool:
    return word == given or (_is_initials(word) and not _is_initials(given) and given.startswith(word.replace(".", "")[0]))


def abbreviates(short: str, full: str) -> bool:
    """`short` is `full` with given names left out or cut to initials, keeping its last word (the family name in
    the order English-language news writes names)."""
    s, f = short.split(), full.split()
    if not s or s == f or len(s) > len(f) or s[-1].lower() != f[-1].lower():
        return False
    given = iter(f[:-1])  # the short form's words stand for the full name's in order
    return all(any(_stands_for(word, g) for g in given) for word in s[:-1])


def shorter_forms(names: Mapping[str, str], conflict=lambda short_id, full_id: False) -> dict[str, str]:
    """{id of a short form: id of the one fullest name it abbreviates} among `names` ({id: name}).

    Of the names a short form fits, those that are themselves short forms of another fit give way ("Ade" goes
    to "Jamila Akaaga Ade", not "Jamila Ade"). A short form that still fits several names ("Biden" with both
    "Joe Biden" and "Jill Biden") stays on its own, as does one `conflict` rules out (a different country).
    """
    by_surname: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for person_id, name in names.items():
        if name.split():
            by_surname[name.split()[-1].lower()].append((person_id, name))
    joined = {}
    for group in by_surname.values():
        for short_id, short in group:
            fits = [(full_id, full) for full_id, full in group if abbreviates(short, full)]
            fullest = [i for i, full in fits if not any(abbreviates(full, other) for _, other in fits)]
            if len(fullest) == 1 and not conflict(short_id, fullest[0]):
                joined[short_id] = fullest[0]
    return joined
