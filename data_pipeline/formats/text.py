"""Text as every format hands it to extraction: tidy whitespace, paragraphs apart, an id from the text."""

from __future__ import annotations

import re
from datetime import date, datetime

import lxml.html

_SPACES = re.compile(r"[ \t\u00a0\u2009\u202f]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_BLOCK_END = re.compile(r"(?i)</(?:p|div|li|h[1-6]|blockquote|tr|ul|ol|table|section|article)\s*>")
_LINE_BREAK = re.compile(r"(?i)<br\s*/?>")


def tidy(text: str) -> str:
    """Newlines normalised, runs of spaces made one, trailing spaces and more than one blank line dropped.

    Offsets in the tables point into the text this returns, so it is applied once,
    by the reader, and never again.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def paragraphs(lines: list[str]) -> str:
    """Non-empty lines as paragraphs separated by a blank line, so each ends a sentence."""
    return "\n\n".join(line.strip() for line in lines if line.strip())


def html_fragment_text(fragment: str) -> str:
    """The text of an HTML fragment (a feed item's content, an e-mail's HTML part): block ends become
    paragraph breaks, `<br>` a line break, scripts and styles dropped, entities decoded."""
    marked = _LINE_BREAK.sub("\n", _BLOCK_END.sub(lambda m: m.group() + "\n\n", fragment))
    try:
        tree = lxml.html.fragment_fromstring(marked, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return ""
    for element in tree.xpath("//script|//style"):
        element.drop_tree()
    return tidy(tree.text_content())


def day(value: date | datetime | None) -> date | None:
    """The calendar day of a timestamp as the document wrote it (its own time zone, not UTC)."""
    if value is None:
        return None
    return value.date() if isinstance(value, datetime) else value
