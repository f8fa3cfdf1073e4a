"""Benchmark of reading each input format: the same synthetic articles as text, web pages, PDFs, feeds, e-mails.

    python bench/formats.py --articles 300 --repeats 3

Writes the first N articles of the synthetic corpus (titles marked [SYNTHETIC])
in each format under the git-ignored `bench/out/formats-N/`: plain text with a
header line (the baseline), saved web pages with navigation, a cookie banner and
a related-articles list, PDFs drawn by fpdf2 (installed with the test extras),
e-mails with a text and an HTML part, and RSS feeds of 25 items. Times
`read_inputs` on each folder (median of `--repeats`) and prints articles/s,
pages/s for PDFs, and the time relative to plain text. Extraction, linking and
writing cost the same whatever the format, so only reading is timed here; the
whole build is in bench/run.py. With `--stories`, it also times near-duplicate
detection (`data_pipeline.stories`) on corpora of those sizes.
"""

from __future__ import annotations

import argparse
import html
import statistics
import sys
import time
from datetime import date, datetime, timezone
from email.message import EmailMessage
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import DEFAULT_OUT, generate_corpus  # noqa: E402
from data_pipeline.readers import read_inputs  # noqa: E402
from data_pipeline.stories import signature  # noqa: E402
from data_pipeline.story_groups import story_ids  # noqa: E402

FEED_ITEMS = 25
_NAV = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in ("world", "business", "politics", "technology", "opinion"))
_RELATED = "".join(f'<li><a href="/r/{i}">Related story number {i} on another subject entirely</a></li>' for i in range(6))


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n"))


def page(record: dict) -> str:
    """A saved page: head metadata, cookie banner, navigation, the article, related list, footer."""
    title = html.escape(record["title"])
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | Synthetic Times</title>'
        f'<link rel="canonical" href="{record["url"]}"><meta property="article:published_time" content="{record["date"]}">'
        '</head><body><div id="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>'
        f'<header><nav><ul>{_NAV}</ul></nav></header><main><article><h1>{title}</h1>'
        f'<time datetime="{record["date"]}">{record["date"]}</time>{_paragraphs(record["text"])}</article>'
        f'<aside><h2>Related articles</h2><ul>{_RELATED}</ul></aside></main><footer>© Synthetic Times</footer></body></html>'
    )


def pdf(record: dict) -> bytes:
    from fpdf import FPDF  # a test extra: only the benchmark and the tests draw PDFs

    document = FPDF()
    document.set_title(record["title"])
    document.set_creation_date(datetime.combine(date.fromisoformat(record["date"]), datetime.min.time(), timezone.utc))
    document.set_font("helvetica", size=11)
    document.add_page()
    document.multi_cell(0, 6, (record["title"] + "\n\n" + record["text"]).encode("latin-1", "replace").decode("latin-1"))
    return bytes(document.output())


def mail(record: dict) -> bytes:
    message = EmailMessage()
    message["Subject"], message["From"] = record["title"], "press@synthetic.invalid"
    message["Date"] = datetime.combine(date.fromisoformat(record["date"]), datetime.min.time(), timezone.utc)
    message.set_content(record["text"])
    message.add_alternative(f"<html><body>{_paragraphs(record['text'])}</body></html>", subtype="html")
    return message.as_bytes()


def feed(records: list[dict]) -> str:
    items = "".join(
        f"<item><title>{html.escape(r['title'])}</title><link>{r['url']}</link>"
        f"<pubDate>{datetime.fromisoformat(r['date']):%a, %d %b %Y} 09:00:00 +0000</pubDate>"
        f"<description>{html.escape(_paragraphs(r['text']))}</description></item>"
        for r in records
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Synthetic feed</title>{items}</channel></rss>'


def write_formats(records: list[dict], root: Path) -> dict[str, Path]:
    """One folder per format holding the same articles; written once and reused."""
    folders = {name: root / name for name in ("text", "html", "pdf", "email", "feed")}
    if all(f.is_dir() for f in folders.values()):
        return folders
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(records):
        (folders["text"] / f"{i:05d}.txt").write_text(f"date {record['date']} {record['title']}\n\n{record['text']}\n", "utf-8")
        (folders["html"] / f"{i:05d}.html").write_text(page(record), "utf-8")
        (folders["pdf"] / f"{i:05d}.pdf").write_bytes(pdf(record))
        (folders["email"] / f"{i:05d}.eml").write_bytes(mail(record))
    for start in range(0, len(records), FEED_ITEMS):
        (folders["feed"] / f"{start:05d}.rss").write_text(feed(records[start : start + FEED_ITEMS]), "utf-8")
    return folders


def measure(folder: Path, repeats: int) -> tuple[float, int, int, int]:
    """Median seconds of reading the folder, files, articles and PDF pages read."""
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        articles, problems, files = read_inputs([folder])
        times.append(time.perf_counter() - started)
    if any(p.fatal for p in problems):
        raise SystemExit(f"{folder}: {problems[0]}")
    return statistics.median(times), len(files), len(articles), sum(len(a.pages) for a in articles)


def stories_cost(records: list[dict]) -> tuple[float, float, int]:
    """Near-duplicate detection on the corpus: ms per article for the signature (paid once, at extraction) and
    seconds to band and group all signatures (paid at every link), and the stories found."""
    started = time.perf_counter()
    signatures = {f"art-{i:016x}": signature(r["text"]) for i, r in enumerate(records)}
    signing = time.perf_counter() - started
    started = time.perf_counter()
    stories = story_ids(signatures)
    return 1000 * signing / len(records), time.perf_counter() - started, len(set(stories.values()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--stories", type=int, nargs="*", default=[1000, 10000], metavar="N",
                        help="corpus sizes to time near-duplicate detection on (default 1000 10000)")
    args = parser.parse_args(argv)
    records = generate_corpus(max([args.articles, *args.stories]), args.seed)
    folders = write_formats(records[: args.articles], args.out / f"formats-{args.articles}-seed{args.seed}")
    print("| format | files | articles | PDF pages | read seconds | articles/s | pages/s | × plain text |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    baseline = None
    for folder in folders.values():  # warm up: the first read of a format imports its libraries
        read_inputs([min(folder.iterdir())])
    for name, folder in folders.items():
        seconds, files, articles, pages = measure(folder, args.repeats)
        baseline = baseline or seconds
        per_page = f"{pages / seconds:,.0f}" if pages else "–"
        print(f"| {name} | {files} | {articles} | {pages or '–'} | {seconds:.2f} | {articles / seconds:,.0f} | {per_page} | {seconds / baseline:.1f} |")
    if args.stories:
        print("\n| articles | signature ms/article | grouping seconds | stories |\n|---:|---:|---:|---:|")
    for size in args.stories:
        per_article, grouping, stories = stories_cost(records[:size])
        print(f"| {size:,} | {per_article:.2f} | {grouping:.2f} | {stories:,} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
