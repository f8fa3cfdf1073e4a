"""One colour per country, community, topic and entity type, the same on every page: colour-blind safe and never shared.

An analyst learns "orange is India" once; so the four Quad members have fixed
colours from the Okabe–Ito set (told apart with the common forms of colour
blindness). Other countries get colours from `PALETTE` with `country_colors`,
which is given every country of the data version (not of a filtered table), so
a country keeps its colour when filters change and no two countries of the data
share one while the palette lasts (beyond its size, colours repeat). Each
country starts at a slot chosen by a hash of its code and takes the next free
one, so adding a country to the data moves few others. "Unknown" is a light grey
that no palette holds. Communities and topics take `CATEGORICAL` (Paul Tol's
muted scheme, also colour-blind safe) in order.
"""

from __future__ import annotations

import hashlib
from typing import Iterable

__all__ = ["QUAD", "UNKNOWN", "PALETTE", "CATEGORICAL", "ENTITY_TYPES", "country_color", "type_color", "country_colors", "categorical"]

QUAD = {"AUS": "#009E73", "IND": "#E69F00", "JPN": "#D55E00", "USA": "#0072B2"}
UNKNOWN = "#BBBBBB"
# Other countries: the rest of Okabe–Ito and Tol's dark colours, none grey, none a Quad colour.
PALETTE = ("#56B4E9", "#CC79A7", "#332288", "#882255", "#999933", "#000000", "#AA4499", "#44AA99", "#661100", "#DDCC77", "#117733", "#6699CC")
CATEGORICAL = ("#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499",
               "#E69F00", "#0072B2", "#D55E00")
ENTITY_TYPES = {
    "person": "#0072B2",
    "organization": "#E69F00",
    "country": "#009E73",
    "place": "#CC79A7",
    "meeting": "#D55E00",
    "date": "#56B4E9",
    "topic": "#999933",
}


def _slot(code: str) -> int:
    return hashlib.sha256(code.encode("ascii", "replace")).digest()[0] % len(PALETTE)


def country_color(country: str | None) -> str:
    """Colour of one alpha-3 code on its own (grey when unknown); pages colour with `country_colors` of all countries."""
    if not country:
        return UNKNOWN
    code = country.upper()
    return QUAD.get(code) or PALETTE[_slot(code)]


def country_colors(countries: Iterable[str | None]) -> dict[str, str]:
    """A plotly `color_discrete_map` for these codes: Quad colours fixed, the others distinct while the palette lasts."""
    codes = sorted({str(c).upper() for c in countries if c})
    colours = {code: QUAD[code] for code in codes if code in QUAD}
    taken: set[int] = set()
    for code in (c for c in codes if c not in QUAD):
        start = _slot(code)
        free = [(start + step) % len(PALETTE) for step in range(len(PALETTE)) if (start + step) % len(PALETTE) not in taken]
        slot = free[0] if free else start
        taken.add(slot)
        colours[code] = PALETTE[slot]
    return colours


def categorical(keys: Iterable[str]) -> dict[str, str]:
    """Distinct colours for these keys (communities, topics) in the order given; beyond CATEGORICAL they repeat."""
    return {key: CATEGORICAL[i % len(CATEGORICAL)] for i, key in enumerate(dict.fromkeys(keys))}


def type_color(entity_type: str) -> str:
    return ENTITY_TYPES.get(entity_type, UNKNOWN)
