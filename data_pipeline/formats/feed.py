"""RSS and Atom feeds (`.xml`, `.rss`, `.atom`): each item is an article with its title, date, link and text.

feedparser reads RSS 0.9x/1.0/2.0 and Atom, tolerates the small breakages real
feeds have and sanitises item HTML. The item's text is its full content when the
feed carries it, else its summary; the source is the item's link (else its id),
which is also how an item already read is recognised: the same item twice in a
feed is read once, and `--feed URL` fetches only items whose link is not yet in
the data (`data_pipeline.fetch`).
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import date, datetime

import feedparser

from ..ids import article_id
from ..model import RawArticle
from ..readers import InputProblem, _Refused
from .text import html_fragment_text, tidy


@dataclass(frozen=True)
class Item:
    """One feed item as the feed gives it, before it becomes an article."""

    key: str  # link, else id: what identifies the item across fetches
    title: str
    published: date | None
    text: str
    link: str | None


def _day(entry) -> date | None:
    """The item's day as the feed wrote it, in the feed's own time zone (feedparser's parsed dates are UTC,
    which would move a Canberra morning release to the day before)."""
    # dict.get: feedparser's own get maps a missing `updated` to `published` with a deprecation warning
    written = dict.get(entry, "published") or dict.get(entry, "updated") or ""
    for parse in (email.utils.parsedate_to_datetime, datetime.fromisoformat):
        try:
            return parse(written.strip()).date()
        except (TypeError, ValueError, IndexError):
            continue
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday) if parsed else None


def _text(entry) -> str:
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    html = max(contents, key=len) if contents else entry.get("summary") or ""
    return html_fragment_text(html)


def items(data: bytes, label: str) -> list[Item]:
    """The feed's items in feed order, each key once; refused when the bytes are not a feed.

    An item with neither link nor id is keyed by the feed's label and its position.
    """
    try:
        parsed = feedparser.parse(data)
    except Exception as error:  # noqa: BLE001 - feedparser raises assorted errors (TypeError, UnicodeDecodeError…) on broken bytes
        raise _Refused(f"not a readable RSS or Atom feed: {type(error).__name__}: {error}") from error
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise _Refused("not an RSS or Atom feed" + (f": {reason}" if reason else ""))
    found: dict[str, Item] = {}
    for index, entry in enumerate(parsed.entries):
        link = entry.get("link") or None
        key = link or entry.get("id") or f"{label}#{index + 1}"
        if key not in found:
            published = _day(entry)
            found[key] = Item(key, tidy(entry.get("title") or ""), published, _text(entry), link)
    return list(found.values())


def item_article(item: Item, text: str | None = None) -> RawArticle:
    """The article of an item, with `text` (a fetched page's) in place of the item's own when given."""
    body = text or item.text
    title = item.title or body.split("\n", 1)[0][:120]
    return RawArticle(article_id(body), title, body, item.published, "metadata" if item.published else "unknown", item.key)


def read(data: bytes, label: str) -> list[RawArticle | InputProblem]:
    """The items with text as articles; an item without (a photo gallery, a bare link) is a warning, not an error."""
    found = items(data, label)
    if not found:
        raise _Refused("the feed has no items")
    if not any(i.text for i in found):
        raise _Refused(f"none of the feed's {len(found)} item(s) has text (no content or summary)")
    return [item_article(i) if i.text else InputProblem(label, f"item {i.key} has no text (no content or summary); skipped", False)
            for i in found]
