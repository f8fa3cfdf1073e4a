"""Fetching feeds for `build --feed URL`: politely, and only the items the data folder does not have yet.

Polite means one request at a time, a pause between requests, a timeout on each,
a user agent that says what is asking, no retries, a cap on the pages fetched
per feed and on the bytes read. An item already in the data (its link, else its
id, is an article's source) is not fetched again. An item whose feed text is
short (a summary) has its linked page fetched and its main text taken, as from
a saved page; when the page cannot be fetched or read, the feed's text is kept.
The new items become one JSON records file, which `update` keeps in the inbox
like any upload, so every table can be rebuilt without the network.
"""

from __future__ import annotations

import hashlib
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Callable

from . import __version__, store
from .formats import feed, webpage
from .readers import DEFAULT_MAX_BYTES, _Refused, too_large
from .update import Upload

USER_AGENT = f"quad-cyber-instrument/{__version__} (feed reader for policy analysts; one request at a time)"
TIMEOUT = 15.0  # seconds for each request
PAUSE = 1.0  # seconds between two requests
MAX_PAGES = 30  # linked pages fetched per feed and run
SUMMARY_CHARS = 600  # an item's text shorter than this is a summary: its page is fetched


class FetchError(ValueError):
    """A URL that could not be fetched; the message names it and says why."""


class _WebOnlyRedirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https only (urllib would also follow one to ftp://)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(newurl, code, f"redirect to {newurl} refused: not http(s)", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_WebOnlyRedirects)


def get(url: str, *, timeout: float = TIMEOUT, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """The body of one GET, or a FetchError; only http and https."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url}: only http:// and https:// addresses are fetched")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise FetchError(f"{url}: the server answered {error.code} {error.reason}") from error
    except urllib.error.URLError as error:
        raise FetchError(f"{url}: cannot be reached ({error.reason})") from error
    except (TimeoutError, OSError) as error:
        raise FetchError(f"{url}: {error or 'timed out'}") from error
    if len(data) > max_bytes:
        raise FetchError(f"{url}: {too_large(len(data), max_bytes)}")
    return data


def known_sources(folder) -> set[str]:
    """Sources of the articles in the data folder's current version (none when it has no version yet): one column,
    not every table (the articles' texts alone are 330 MB at 100,000 articles)."""
    try:
        return set(store.read_column(folder, "articles", "source"))
    except store.StoreError:
        return set()


def feed_upload(url: str, known: set[str], *, timeout: float | None = None, pause: float | None = None,
                max_pages: int | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
                sleep: Callable[[float], None] = time.sleep) -> tuple[Upload | None, list[str]]:
    """The feed's new items as one JSON records upload (None when nothing is new), and warnings to show.

    Timeout, pause and page cap default to this module's settings.
    """
    timeout = TIMEOUT if timeout is None else timeout
    pause = PAUSE if pause is None else pause
    max_pages = MAX_PAGES if max_pages is None else max_pages
    try:
        items = feed.items(get(url, timeout=timeout, max_bytes=max_bytes), url)
    except _Refused as error:
        raise FetchError(f"{url}: {error}") from error
    records, warnings, fetched = [], [], 0
    for item in (i for i in items if i.key not in known):
        text = item.text
        if item.link and len(item.text) < SUMMARY_CHARS and fetched < max_pages:
            sleep(pause)
            fetched += 1
            try:
                text = webpage.page_article(get(item.link, timeout=timeout, max_bytes=max_bytes), item.link).text
            except (FetchError, _Refused) as error:
                warnings.append(f"{item.link}: {error}; the feed's own text is kept")
        if not text:
            warnings.append(f"{url}: item {item.key} has no text; skipped")
            continue
        records.append({"title": item.title, "date": item.published.isoformat() if item.published else None, "text": text, "url": item.key})
    if not records:
        return None, warnings
    data = json.dumps(records, ensure_ascii=False, indent=1).encode("utf-8")
    host = urllib.parse.urlsplit(url).hostname or "feed"
    return Upload(f"feed-{host}-{hashlib.sha256(data).hexdigest()[:8]}.json", data), warnings
