"""Benchmark of the dashboard server's memory per browser session, as a Markdown table.

    python bench/sessions.py --sessions 1 10

Starts `streamlit run dashboard/app.py` on a seeded data folder of its own (the
same launcher as the end-to-end tests, `tests/e2e/streamlit_harness.py`), then
opens browser sessions in the system Chromium, one browser context each, until
1 and then 10 are open. Each session visits every page through the page menu,
as an analyst does, so its per-session state and caches are filled, then opens
the Data page (every table, filtered) with `--combinations` filter combinations
of its own (date ranges drawn from the data's months, countries, and one hostile
value), so the number of different filters the server has seen grows with the
sessions; sessions stay open while the server is measured. The figure is the
resident memory of the server process and all its descendants (from /proc), the
median of a few readings taken a moment apart, since the Python heap settles
after a rerun. The first session's time to draw each page (first load, a cold
server) is reported too.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import expect, sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "e2e"))  # the launcher shared with the end-to-end tests

from streamlit_harness import (  # noqa: E402
    DEFAULT_PAGE, VIEWPORT, StreamlitServer, build_data, launch_chromium, page_errors, page_path, wait_for_app,
)

from bench.rss import descendants  # noqa: E402
from dashboard.state import PAGES  # noqa: E402
from data_pipeline import store  # noqa: E402

QUAD = ("AUS", "IND", "JPN", "USA")
HOSTILE = "' OR 1=1 --"  # a value that would change a query built by pasting text: it must match nothing
PAGE_TIMEOUT_MS = 300_000  # a cold page at 100,000 articles may take minutes; a hang still fails


def rss_bytes(pid: int) -> int:
    """Resident memory of one process (VmRSS), 0 when it has ended."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def tree_rss(pid: int) -> int:
    return sum(rss_bytes(p) for p in descendants(pid))


def median_rss(pid: int, readings: int, pause: float) -> int:
    values = []
    for _ in range(readings):
        time.sleep(pause)
        values.append(tree_rss(pid))
    return int(statistics.median(values))


def months(folder: Path) -> list[str]:
    """The months ("YYYY-MM") in which the data's meetings start, in order."""
    return sorted({day[:7] for day in store.read_column(folder, "meetings", "start_date") if day})


def combinations(months: list[str], session: int, count: int) -> list[dict[str, str | list[str]]]:
    """`count` filter combinations for session number `session`, different from other sessions' where the data
    has enough months: a range of a few months, a country or two, and (first) a hostile value."""
    out: list[dict[str, str | list[str]]] = [{"country": [HOSTILE, "IND"]}]
    for index in range(count - 1):
        month = months[(session * count + index) % len(months)] if months else "2023-01"
        out.append({"from": f"{month}-01", "to": f"{month[:4]}-12-31", "country": list(QUAD[: 1 + index % len(QUAD)])})
    return out[:count]


def _settled(page, title: str) -> None:
    wait_for_app(page, timeout=PAGE_TIMEOUT_MS)
    problems = page_errors(page)
    if problems:
        raise RuntimeError(f"{title}: {problems}")


def open_session(browser, url: str, filters: list[dict]) -> tuple[object, dict[str, float]]:
    """A new browser context on the app that visits every page through the menu, then the Data page with each of
    `filters`; the session stays open. Returns it and the seconds each page took to draw."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    expect.set_options(timeout=PAGE_TIMEOUT_MS)
    page.goto(url + page_path(DEFAULT_PAGE))
    _settled(page, "first page")
    menu = page.get_by_role("navigation", name="App pages")
    seconds: dict[str, float] = {}
    for key, page_def in PAGES.items():
        started = time.perf_counter()
        link = menu.get_by_role("link", name=page_def.title, exact=True)
        link.click()  # switches page within the same session, unlike loading its URL
        expect(page).to_have_url(re.compile(re.escape(url + page_path(key)) + r"(\?.*)?$"))  # a page may add its state
        expect(link).to_have_attribute("aria-current", "page")
        _settled(page, page_def.title)
        seconds[page_def.title] = time.perf_counter() - started
    for params in filters:  # a pasted link: the URL's filters are authoritative
        page.goto(f"{url}{page_path('data')}?{urlencode(params, doseq=True)}")
        _settled(page, f"Data with {params}")
    return context, seconds


def measure(counts: list[int], readings: int, pause: float, data_dir: Path | None, combos: int) -> tuple[list[dict], dict[str, float]]:
    rows, first_load = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-sessions-") as scratch:
        folder = data_dir or build_data(Path(scratch) / "data")
        drawn = months(folder)
        with StreamlitServer(folder, timeout=PAGE_TIMEOUT_MS / 1000) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            contexts = []
            rows.append({"sessions": 0, "rss": median_rss(server.pid, readings, pause)})
            for count in sorted(counts):
                started = time.perf_counter()
                while len(contexts) < count:
                    opened = time.perf_counter()
                    context, seconds = open_session(browser, server.url, combinations(drawn, len(contexts), combos))
                    contexts.append(context)
                    first_load = first_load or seconds
                    # As it goes, so that a run stopped early (minutes per session at 100,000 articles) still tells something.
                    print(f"session {len(contexts)} open in {time.perf_counter() - opened:.0f} s, server {tree_rss(server.pid) / 2**20:,.0f} MiB; "
                          + ", ".join(f"{title} {value:.1f} s" for title, value in seconds.items()), file=sys.stderr, flush=True)
                seconds = time.perf_counter() - started
                rows.append({"sessions": count, "rss": median_rss(server.pid, readings, pause), "open_seconds": seconds,
                             "filters_tried": len(contexts) * combos})
            browser.close()
    return rows, first_load


def markdown(rows: list[dict], readings: int) -> str:
    """One row per count; the first session also pays for the imports and the cached tables, so the
    cost of one more session is read from the step between counts."""
    mib = 1024 * 1024
    lines = [
        f"| sessions open | filter combinations tried | server RSS (median of {readings}) | change | per added session "
        "| time to open them |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for previous, row in zip([None, *rows], rows):
        if previous is None:
            lines.append(f"| {row['sessions']} | 0 | {row['rss'] / mib:,.0f} MiB | – | – | – |")
            continue
        change = row["rss"] - previous["rss"]
        added = row["sessions"] - previous["sessions"]
        lines.append(
            f"| {row['sessions']} | {row['filters_tried']} | {row['rss'] / mib:,.0f} MiB | {change / mib:+,.0f} MiB "
            f"| {change / added / mib:,.1f} MiB | {row['open_seconds']:.0f} s |"
        )
    return "\n".join(lines)


def first_loads(seconds: dict[str, float]) -> str:
    """The first session's time to draw each page, the first visit to it on a fresh server."""
    lines = ["| page | first load |", "|:---|---:|"]
    lines += [f"| {title} | {value:.1f} s |" for title, value in seconds.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 10], help="session counts to measure (cumulative)")
    parser.add_argument("--readings", type=int, default=5, help="RSS readings per count; the median is reported")
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between readings")
    parser.add_argument("--data", type=Path, help="serve this data folder instead of a fresh build of seeds/")
    parser.add_argument("--combinations", type=int, default=3, help="filter combinations each session opens (default 3)")
    args = parser.parse_args(argv)
    rows, seconds = measure(args.sessions, args.readings, args.pause, args.data, args.combinations)
    print(markdown(rows, args.readings))
    print()
    print(first_loads(seconds))


if __name__ == "__main__":
    main()
