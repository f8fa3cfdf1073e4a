"""Fixtures for the end-to-end tests: one seeded server and one Chromium for the whole session.

The server serves a data folder of its own (built from `seeds/` into a temporary
folder), so the repository's `data/` never changes. Screenshots of every page go to
`test-artifacts/e2e/` (git-ignored), named in the pytest summary. A failed test
shows the server's log in its report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from data_pipeline import store
from tests.conftest import E2E_ARTIFACTS
from streamlit_harness import CORPUS_WIDTH, VIEWPORT, StreamlitServer, build_data, launch_chromium, wait_for_app

ARTIFACTS = E2E_ARTIFACTS  # the run's summary (tests/conftest.py) names what went there
HERE = Path(__file__).resolve().parent
# Playwright's assertions wait 5 s by default; on a shared CI machine a rerun can take longer than that, and a
# wait that ends as soon as the page is right costs nothing when the machine is quick.
expect.set_options(timeout=30_000)


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives the dashboard in a real browser (tests/e2e); skip with -m 'not e2e'")
    config.addinivalue_line("markers", "analyst_task(letter, what): one of the analyst's tasks of issue 12; its wall time is reported")


def pytest_collection_modifyitems(items):
    """Mark every test of this folder, so a quick local run can leave the browser out, and keep them in one
    test process (pytest-xdist's group), so the browser, the servers and the built corpora are started once."""
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("browser"))


@pytest.fixture(scope="session")
def seed_data(tmp_path_factory) -> Path:
    return build_data(tmp_path_factory.mktemp("e2e") / "data")


@pytest.fixture(scope="session")
def seed_tables(seed_data):
    """The tables the seeded server shows, read with the pipeline's own reader."""
    return store.read_tables(seed_data)


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory) -> Path:
    """A data folder of the 320-article synthetic corpus (bench/dashboard_corpus.py): the dashboard at scale."""
    from bench.dashboard_corpus import build

    return build(tmp_path_factory.mktemp("e2e-corpus"), 320, seed=0)


@pytest.fixture(scope="session")
def corpus_tables(corpus_data):
    return store.read_tables(corpus_data)


@pytest.fixture(scope="session")
def corpus_server(corpus_data):
    with StreamlitServer(corpus_data) as running:
        yield running


@pytest.fixture(scope="session")
def server(seed_data):
    with StreamlitServer(seed_data) as running:
        yield running


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def shared_context(browser):
    """One browser context for the tests that only read: its cache keeps the app's scripts between pages.

    Every tab is still a session of its own on the server.
    """
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def new_page(browser, shared_context):
    """Open a tab; `isolated=True` puts it in a new browser context (no cookie, cache or storage in common).

    Every tab and context opened is closed after the test.
    """
    opened = []

    def _open(*, isolated: bool = False):
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True) if isolated else shared_context
        page = context.new_page()
        opened.append(context if isolated else page)
        return page

    yield _open
    for thing in opened:
        thing.close()


@pytest.fixture
def open_app(new_page, server):
    """Go to a dashboard URL (path and query) in `page`, else a new tab, and wait until the app has settled."""

    def _open(path_and_query: str, page=None):
        page = page or new_page()
        page.goto(server.url + path_and_query)
        wait_for_app(page)
        return page

    return _open


@pytest.fixture
def open_corpus(new_page, corpus_server):
    """Like `open_app`, on the 320-article corpus at 1,440 px (its first page waits for the corpus tables to load)."""

    def _open(path_and_query: str, page=None):
        page = page or new_page()
        page.set_viewport_size({"width": CORPUS_WIDTH, "height": VIEWPORT["height"]})
        page.goto(corpus_server.url + path_and_query)
        wait_for_app(page, timeout=120_000)
        return page

    return _open


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """The screenshot folder, emptied once per session so it never shows a stale page."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the server's log to a failed end-to-end test."""
    report = yield
    task = item.get_closest_marker("analyst_task")
    if task is not None and call.when == "call":  # carried to the reporting process with the report
        report.user_properties.append(
            ("analyst_task", {"task": task.args[0], "what": task.args[1], "test": item.nodeid,
                              "seconds": round(call.duration, 1), "outcome": report.outcome})
        )
    if report.failed:
        for name, value in getattr(item, "funcargs", {}).items():
            if isinstance(value, StreamlitServer):
                lines = [line for line in value.stderr().splitlines() if '"GET /static/' not in line]
                report.sections.append((f"streamlit log ({name})", "\n".join(lines[-200:])))
    return report
