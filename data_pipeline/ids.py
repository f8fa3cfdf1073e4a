"""Stable ids: the same name or text always gets the same id, in every run and every article."""

from __future__ import annotations

import hashlib
import re
import unicodedata


def slug(*parts: str | None) -> str:
    """Lower-case ASCII words joined by hyphens: slug("USA", "National Security Council")."""
    text = " ".join(p for p in parts if p)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def article_id(text: str) -> str:
    return "art-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def person_id(name: str) -> str:
    return "per-" + slug(name)


def org_id(name: str, country: str | None) -> str:
    """Id of an organisation found by a pattern; the country keeps India's and Japan's NSCs apart."""
    return "org-" + slug(country, name)


def place_id(name: str) -> str:
    return slug(name)
