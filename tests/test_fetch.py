"""`build --feed URL` against a feed served on 127.0.0.1 only: polite requests, new items only, failures said."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from data_pipeline import cli, fetch, store
from tests.conftest import ROOT

FORMATS = ROOT / "tests" / "formats"
PAGE = (FORMATS / "ministry_media_release.html").read_bytes()


def _feed(base: str) -> bytes:
    """An RSS feed whose items link to pages on the local server: one a full page, one missing, one slow."""
    items = [
        ("Quad Senior Cyber Group meets in Canberra", f"{base}/release", "Senior cyber officials met in Canberra."),
        ("Statement withdrawn", f"{base}/missing", "A short summary of a statement that was later withdrawn from the site."),
        ("Slow page", f"{base}/slow", "The summary of a page whose server is too slow to answer in time."),
    ]
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><pubDate>Wed, 06 Mar 2024 09:00:00 +1100</pubDate>"
        f"<description>{d}</description></item>" for t, link, d in items
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>Test feed</title>{entries}</channel></rss>'.encode()


@pytest.fixture
def server():
    """A feed and its pages on 127.0.0.1, recording every request's path and user agent."""
    requests: list[tuple[str, str]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            requests.append((self.path, self.headers.get("User-Agent", "")))
            if self.path == "/slow":
                time.sleep(1.5)  # bounded: longer than the test's timeout, then the handler ends
            if self.path == "/to-ftp":
                self.send_response(302)
                self.send_header("Location", "ftp://127.0.0.1/feed.xml")
                self.end_headers()
                return
            routes = {"/feed.xml": (_feed(base), "application/rss+xml"), "/release": (PAGE, "text/html"),
                      "/slow": (PAGE, "text/html"), "/not-a-feed": (b"<html><body>Hello</body></html>", "text/html")}
            if self.path not in routes:
                self.send_error(404, "Not Found")
                return
            body, kind = routes[self.path]
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except OSError:  # the client gave up (the slow page)
                pass

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield base, requests
    httpd.shutdown()
    httpd.server_close()


def test_new_items_take_the_linked_page_and_fall_back_to_the_feed_text(server):
    base, requests = server
    pauses = []
    upload, warnings = fetch.feed_upload(f"{base}/feed.xml", set(), timeout=0.5, pause=0.25, sleep=pauses.append)
    assert pauses == [0.25, 0.25, 0.25]  # one pause before each page
    assert upload.name.startswith("feed-127.0.0.1-") and upload.name.endswith(".json")
    records = {r["url"]: r for r in json.loads(upload.data)}
    assert records[f"{base}/release"]["text"].startswith("Senior cyber officials of Australia, India, Japan")
    assert records[f"{base}/missing"]["text"] == "A short summary of a statement that was later withdrawn from the site."
    assert records[f"{base}/slow"]["date"] == "2024-03-06"
    assert any("/missing" in w and "404" in w for w in warnings) and any("/slow" in w for w in warnings)
    assert [path for path, _ in requests] == ["/feed.xml", "/release", "/missing", "/slow"]
    assert all(agent == fetch.USER_AGENT for _, agent in requests)


def test_build_with_feed_adds_items_once_and_skips_them_next_time(server, tmp_path, monkeypatch, capsys):
    base, requests = server
    monkeypatch.setattr(fetch, "TIMEOUT", 0.5)
    monkeypatch.setattr(fetch, "PAUSE", 0)
    out = tmp_path / "data"
    assert cli.main(["build", "--feed", f"{base}/feed.xml", "--out", str(out), "--jobs", "1"]) == 0
    tables = store.read_tables(out)
    assert set(tables["articles"]["source"]) == {f"{base}/release", f"{base}/missing", f"{base}/slow"}
    assert list(tables["meetings"]["city"]) == ["Canberra"]
    (kept,) = list(store.inbox(out).iterdir())
    assert kept.suffix == ".json"  # the fetched items, kept: a rebuild needs no network
    requests.clear()
    assert cli.main(["build", "--feed", f"{base}/feed.xml", "--out", str(out)]) == 0
    assert [path for path, _ in requests] == ["/feed.xml"]  # nothing new: no page fetched again
    assert "nothing new in" in capsys.readouterr().err


@pytest.mark.parametrize("path, reason", [("/gone.xml", "404"), ("/not-a-feed", "not an RSS or Atom feed"), ("/to-ftp", "refused")])
def test_a_feed_that_cannot_be_fetched_or_read_is_an_error_naming_it(server, tmp_path, capsys, path, reason):
    base, _ = server
    out = tmp_path / "data"
    assert cli.main(["build", "--feed", f"{base}{path}", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{base}{path}" in err and reason in err
    assert not out.exists() or not (out / store.CURRENT).exists()


def test_only_http_addresses_are_fetched():
    with pytest.raises(fetch.FetchError, match="only http"):
        fetch.get("file:///etc/passwd")
