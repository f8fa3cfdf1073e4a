"""Benchmark of every dashboard page in Chromium: first load and rerun, next to an empty Streamlit page.

    python bench/pages.py --sizes 1000 10000 [--data /work/bench-data] [--repeats 5]

For each size N it serves `<data>/dashboard-N/data` (built from
`bench/dashboard_corpus.py` when missing, so every article is synthetic) with the
launcher of the end-to-end tests (`tests/e2e/streamlit_harness.py`), and beside it
two baselines served by the same launcher from the repository root (same config):
an empty page (a one-line script with a title and the same kind of sidebar date
filter) and the same page with one small Plotly chart that changes with the day,
the floor for any page that draws a chart. In
headless Chromium at 1440 px it then measures, in rounds (one visit of the empty
page and of every page per round, so a burst of load on the shared machine hits
them alike):

- first load: a new browser context opens the page's URL; the clock stops when the
  page's title is drawn, every visible Plotly chart has its plot, and Streamlit is idle
  (connected, not running, nothing stale or still loading; `SETTLED` of the harness);
- rerun: then a new "From" day is typed in the sidebar (a different day in every
  measurement, so no filtered result is already cached); the clock, in the page, runs
  from the message that sends the day to the server until the server has said the
  run finished and the page is drawn as above and idle again.

The first round is the first visit of each page since the server started (caches
in memory empty; what is kept on disk, such as the network layout per data version,
is read); it is shown on its own and is part of the median. The Add page has no
filters, so no rerun; `--no-reruns` measures first loads only (100,000 articles, where
reruns are left to the smaller corpora). Each first load also notes what it cost the
browser: the bytes the server sent over the WebSocket and the elements in the page once
drawn. Output: a Markdown table (page, size, medians, ratios to the empty page measured
in the same rounds).
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests" / "e2e"))  # the launcher shared with the end-to-end tests

from streamlit_harness import SETTLED, StreamlitServer, launch_chromium, page_errors, page_path  # noqa: E402

from bench.dashboard_corpus import build  # noqa: E402
from dashboard.state import NEEDS_NO_DATA, PAGES  # noqa: E402
from data_pipeline import store  # noqa: E402

WIDTH, HEIGHT = 1440, 900
EMPTY = "empty page"
# The baseline: what every page has at least (a title, a sidebar date input), and nothing else.
EMPTY_SCRIPT = 'import streamlit as st; st.title("Empty"); st.sidebar.date_input("From", value=None, format="YYYY-MM-DD", key="from")\n'
# The floor of a page with a chart: the same, plus one Plotly bar chart of twelve bars that changes with the day
# chosen (as every page's charts change with the filters). No page drawing a Plotly chart can rerun faster.
CHART = "one chart"
CHART_SCRIPT = EMPTY_SCRIPT + (
    "import plotly.graph_objects as go\n"
    "shift = st.session_state['from'].toordinal() % 7 if st.session_state.get('from') else 0\n"
    "st.plotly_chart(go.Figure(go.Bar(x=[f'topic {i}' for i in range(12)], y=[(7 * i + shift) % 13 for i in range(12)])), key='chart')\n"
)
# Drawn: the page's title, and every visible Plotly chart has its plot (SVG or WebGL) rather than an empty frame
# (one in a closed expander is not drawn until it opens).
DRAWN = f"""() => ({SETTLED})()
    && document.querySelector('[data-testid="stMain"] h1') !== null
    && [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stPlotlyChart"]')]
        .filter(chart => chart.checkVisibility())
        .every(chart => chart.querySelector('.main-svg, canvas') !== null)"""
# Before the app loads, the page's WebSocket is wrapped to note two moments in the page's own clock: the first
# message the browser sends once watching (the widget's new value: the request for a run; the date field sends
# it when Escape closes its calendar) and the server's "script finished" (field 6 of a ForwardMsg, read by
# walking the message's top-level protobuf fields; status 2, "stopped early for another run", is not an end).
# The script state shown in the page cannot serve: a run of a few milliseconds is never drawn as "running".
INIT = """(() => {
    const finished = (bytes) => {
        let at = 0;
        const varint = () => { let value = 0, shift = 0, byte; do { byte = bytes[at++]; value += (byte & 127) * 2 ** shift; shift += 7; } while (byte & 128); return value; };
        while (at < bytes.length) {
            const tag = varint(), field = Math.floor(tag / 8), wire = tag % 8;
            if (wire === 0) { const value = varint(); if (field === 6) return value !== 2; }
            else if (wire === 2) { const length = varint(); at += length; }  // not `at += varint()`: that reads `at` first
            else if (wire === 1) at += 8;
            else if (wire === 5) at += 4;
            else return false;
        }
        return false;
    };
    const Native = window.WebSocket;
    window.__benchReceived = 0;
    window.WebSocket = class extends Native {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", (event) => {
                window.__benchReceived += event.data.byteLength || event.data.length || 0;
                if (window.__benchAsked !== undefined && event.data instanceof ArrayBuffer && finished(new Uint8Array(event.data)))
                    window.__benchFinished = performance.now();
            });
        }
        send(data) {
            if (window.__benchWatching && window.__benchAsked === undefined) window.__benchAsked = performance.now();
            return super.send(data);
        }
    };
})();"""
WATCH_RUN = "() => { window.__benchAsked = undefined; window.__benchFinished = undefined; window.__benchWatching = true; }"
# True, with the time noted, once the asked-for run has finished and the page is drawn and idle again.
RERAN = f"""() => {{
    if (window.__benchFinished === undefined || !({DRAWN})()) return false;
    window.__benchDone = performance.now();
    return true;
}}"""


# What a loaded page holds: the bytes the server sent over the WebSocket, and the page's elements (DOM nodes).
WEIGHT = "() => [window.__benchReceived, document.getElementsByTagName('*').length]"


@dataclass
class Timings:
    loads: list[float] = field(default_factory=list)
    reruns: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    received: list[int] = field(default_factory=list)  # bytes sent to the browser by each first load
    elements: list[int] = field(default_factory=list)  # elements in the page after each first load


def data_folder(root: Path, size: int) -> Path:
    """`<root>/dashboard-<size>/data`, built from the synthetic dashboard corpus unless it already holds a version."""
    out = root / f"dashboard-{size}"
    try:
        store.current(out / "data")
    except store.StoreError:
        print(f"building {size} synthetic articles into {out} (minutes at 10,000)…", file=sys.stderr, flush=True)
        build(out, size)
    return out / "data"


class Days:
    """A new "From" day for each rerun, so every rerun is a filter not seen before (early in the data: most stays)."""

    def __init__(self, first: dt.date) -> None:
        self.next = first

    def __call__(self) -> dt.date:
        day, self.next = self.next, self.next + dt.timedelta(days=1)
        return day


def first_day(folder: Path) -> dt.date:
    """The earliest meeting day of the data, where the reruns' "From" days start."""
    starts = store.read_column(store.current(folder), "meetings", "start_date")
    return dt.date.fromisoformat(min(str(s) for s in starts if s)[:10])


@dataclass(frozen=True)
class Visit:
    load: float
    rerun: float | None
    received: int
    elements: int


def visit(browser, url: str, day: dt.date | None, timeout_ms: float) -> Visit:
    """First load of `url` in a new context, then (when `day` is given) the rerun after typing it as the "From" day."""
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    context.add_init_script(INIT)
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(DRAWN, timeout=timeout_ms, polling="raf")
        load = time.perf_counter() - started
        problems = page_errors(page)
        if problems:
            raise RuntimeError("; ".join(problems))
        received, elements = page.evaluate(WEIGHT)
        if day is None:
            return Visit(load, None, received, elements)
        page.get_by_role("spinbutton", name="year, From", exact=True).click()
        page.keyboard.type(day.isoformat())
        page.evaluate(WATCH_RUN)
        page.keyboard.press("Escape")  # closes the calendar the click opened, which sends the day
        page.wait_for_function(RERAN, timeout=timeout_ms, polling="raf")
        rerun = page.evaluate("() => window.__benchDone - window.__benchAsked") / 1000
        problems = page_errors(page)
        if problems:
            raise RuntimeError("; ".join(problems))
        return Visit(load, rerun, received, elements)
    finally:
        context.close()


def measure(folder: Path, names: list[str], repeats: int, timeout: float, reruns: bool = True) -> dict[str, Timings]:
    """`repeats` rounds of the two baselines and every named page; per page, its load and (with `reruns`) rerun times."""
    results = {name: Timings() for name in [EMPTY, CHART, *names]}
    days = Days(first_day(folder))
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as scratch:
        scripts = {EMPTY: Path(scratch) / "empty.py", CHART: Path(scratch) / "chart.py"}
        for baseline, text in ((EMPTY, EMPTY_SCRIPT), (CHART, CHART_SCRIPT)):
            scripts[baseline].write_text(text, encoding="utf-8")
        with (StreamlitServer(folder) as app, StreamlitServer(folder, script=scripts[EMPTY]) as empty,
              StreamlitServer(folder, script=scripts[CHART]) as chart, sync_playwright() as playwright):
            browser = launch_chromium(playwright)
            urls = {EMPTY: empty.url + "/", CHART: chart.url + "/"} | {name: app.url + page_path(name) for name in names}
            for round_ in range(repeats):
                for name, url in urls.items():
                    day = None if name in NEEDS_NO_DATA or not reruns else days()
                    try:
                        seen = visit(browser, url, day, timeout * 1000)
                    except (PlaywrightTimeout, RuntimeError) as problem:
                        results[name].failures.append(f"round {round_ + 1}: {str(problem).splitlines()[0]}")
                        print(f"  {name:<10} round {round_ + 1}: {results[name].failures[-1]}", file=sys.stderr, flush=True)
                        continue
                    timings = results[name]
                    timings.loads.append(seen.load)
                    timings.received.append(seen.received)
                    timings.elements.append(seen.elements)
                    if seen.rerun is not None:
                        timings.reruns.append(seen.rerun)
                    print(f"  {name:<10} round {round_ + 1}: load {seen.load:6.2f} s, {seen.received / 1e3:,.0f} kB, {seen.elements} elements"
                          + (f", rerun {seen.rerun:6.2f} s" if seen.rerun is not None else ""), file=sys.stderr, flush=True)
            browser.close()
    return results


def _median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f} s"


def _ratio(value: float | None, base: float | None) -> str:
    return "–" if value is None or not base else f"{value / base:.1f}×"


def markdown(rows: list[tuple[int, dict[str, Timings]]], repeats: int) -> str:
    lines = [
        f"| page | articles | first load (median of {repeats}) | first visit after start | rerun (median) "
        "| load ÷ empty page | rerun ÷ empty page | sent to the browser | page elements |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, results in rows:
        base_load, base_rerun = _median(results[EMPTY].loads), _median(results[EMPTY].reruns)
        for name, timings in results.items():
            title = name if name in (EMPTY, CHART) else PAGES[name].title
            load, rerun = _median(timings.loads), _median(timings.reruns)
            first = _seconds(timings.loads[0]) if timings.loads else "–"
            received, elements = _median(timings.received), _median(timings.elements)
            lines.append(
                f"| {title} | {size:,} | {_seconds(load)} | {first} | {_seconds(rerun)} "
                f"| {_ratio(load, base_load) if name != EMPTY else '1'} | {_ratio(rerun, base_rerun) if name != EMPTY else '1'} "
                f"| {'–' if received is None else f'{received / 1e3:,.0f} kB'} | {'–' if elements is None else f'{elements:,.0f}'} |"
            )
    failures = [f"- {size:,} {name}: {failure}" for size, results in rows for name, t in results.items() for failure in t.failures]
    return "\n".join(lines + ([""] + ["Not measured (timed out or failed):"] + failures if failures else []))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="articles in the synthetic corpus")
    parser.add_argument("--data", type=Path, default=HERE / "out", help="folder of the corpora (dashboard-N/data; built when missing)")
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES), help="pages to measure (default: all)")
    parser.add_argument("--repeats", type=int, default=5, help="rounds; medians are reported")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds a load or rerun may take before it is reported as not measured")
    parser.add_argument("--no-reruns", dest="reruns", action="store_false", help="first loads only (a large corpus, few repeats)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # `kill` still stops the servers (the context managers run)
    rows = []
    for size in args.sizes:
        folder = data_folder(args.data, size)
        print(f"{size} articles: {folder}", file=sys.stderr, flush=True)
        rows.append((size, measure(folder, args.pages, args.repeats, args.timeout, args.reruns)))
    print(markdown(rows, args.repeats))


if __name__ == "__main__":
    main()
