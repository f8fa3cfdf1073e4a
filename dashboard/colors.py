"""One colour per country and per entity type, the same on every page and in every session.

An analyst learns "orange is India" once; so the four Quad members have fixed
colours, and any other country gets one from a palette chosen by a hash of its
code (not by the order it appears in a filtered table), so a country keeps its
colour when filters change.
"""

from __future__ import annotations

import hashlib

__all__ = ["QUAD", "UNKNOWN", "PALETTE", "ENTITY_TYPES", "country_color", "type_color", "country_colors"]

QUAD = {"AUS": "#00843D", "IND": "#FF9933", "JPN": "#BC002D", "USA": "#1F4E9C"}
UNKNOWN = "#9E9E9E"
# Muted, distinct from the Quad colours and from each other (Tableau-like).
PALETTE = ("#8C564B", "#9467BD", "#17BECF", "#BCBD22", "#E377C2", "#7F7F7F", "#2CA02C", "#D62728", "#6B6ECF", "#B5CF6B")
ENTITY_TYPES = {
    "person": "#4C78A8",
    "organization": "#F58518",
    "country": "#54A24B",
    "place": "#B279A2",
    "meeting": "#E45756",
    "date": "#72B7B2",
    "topic": "#EECA3B",
}


def country_color(country: str | None) -> str:
    """Colour of an alpha-3 code; grey when the country is unknown."""
    if not country:
        return UNKNOWN
    code = country.upper()
    if code in QUAD:
        return QUAD[code]
    digest = hashlib.sha256(code.encode("ascii", "replace")).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def country_colors(countries) -> dict[str, str]:
    """A plotly `color_discrete_map` for these codes."""
    return {c: country_color(c) for c in countries}


def type_color(entity_type: str) -> str:
    return ENTITY_TYPES.get(entity_type, UNKNOWN)
