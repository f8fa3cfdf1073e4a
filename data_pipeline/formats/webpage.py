"""Saved web pages (`.html`, `.htm`): the article's main text, title, date and canonical URL.

trafilatura finds the main text and leaves out navigation, cookie banners,
newsletter boxes and related-article lists; it also reads the title, the
publication date (from the page's metadata, not a guess from its text) and the
canonical URL. readability-lxml, compared on the saved pages in
`tests/formats/`, kept a "Sign up for our newsletter" box and a "Media release ·
date" line in the text and gives neither date nor URL (see bench/README.md).
"""

from __future__ import annotations

import logging
from datetime import date

import trafilatura

from ..ids import article_id
from ..model import RawArticle
from ..readers import _Refused
from .text import paragraphs, tidy

# trafilatura logs every page it finds little text in; the refusal below says it once, naming the file.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)


def page_article(data: bytes | str, label: str) -> RawArticle:
    """The article of one saved page; the source is its canonical URL when it has one, else the file."""
    try:
        found = trafilatura.bare_extraction(
            # fast: no fallback extractors, which on a page without an article return its menu as the text
            data, with_metadata=True, favor_precision=True, fast=True, include_comments=False, include_tables=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except (ValueError, TypeError, AttributeError) as error:  # trafilatura on bytes that are no HTML at all
        raise _Refused(f"not a readable web page: {error}") from error
    if found is None or not (found.text or "").strip():
        raise _Refused("no article text found in the page (only navigation, banners or scripts)")
    title = tidy(found.title or "")
    lines = tidy(found.text).split("\n")
    if lines and title and lines[0].strip() == title:
        lines = lines[1:]  # the headline heads the text too; it is the title, not the first sentence
    body = paragraphs(lines)
    if not body:
        raise _Refused("the page holds a headline but no article text")
    published = _iso_day(found.date)
    return RawArticle(article_id(body), title or body.split("\n", 1)[0][:120], body, published,
                      "metadata" if published else "unknown", found.url or label)


def _iso_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def read(data: bytes, label: str) -> list[RawArticle]:
    return [page_article(data, label)]
