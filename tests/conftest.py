import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Timing is measured in bench/, not asserted in tests: on a shared machine (a load of 10 on 2 cores is common here)
# a per-example deadline or the "too slow to generate" health check fails at random, so neither is used.
# "seeded" (the default, and CI's): every run draws the same examples, so a test that passes once always passes;
# every failure a search found is pinned with @example. HYPOTHESIS_PROFILE=explore searches with fresh random
# examples (with QUAD_PROPERTY_EXAMPLES=1000 before a release) to find the next one.
_UNTIMED = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True)
settings.register_profile("seeded", derandomize=True, database=None, **_UNTIMED)
settings.register_profile("explore", **_UNTIMED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "seeded"))

from data_pipeline import schema

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_bf8b055a07b7d457.txt"
ARTICLES = ROOT / "tests" / "articles"


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (text or bytes) and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def assert_traceable(tables) -> None:
    """The contract holds and every mention, sentence and topic match slices to its text."""
    assert schema.problems(tables) == []
    text = tables["articles"].set_index("article_id")["text"]
    for row in tables["mentions"].itertuples():
        assert text[row.article_id][row.start:row.end] == row.surface
    for row in tables["sentences"].itertuples():
        assert text[row.article_id][row.start:row.end] == row.text
        assert row.text and row.text == row.text.strip()
    sentences = tables["sentences"].set_index(["article_id", "sentence_id"])
    for row in tables["topic_mentions"].itertuples():
        assert row.matched.lower() in sentences.loc[(row.article_id, row.sentence_id), "text"].lower()


class InFlight:
    """Counts tasks handed to stand-in workers and not yet taken back, and the most at once: a task runs when its
    result is asked for (`get`, as a pool's result; `result`, as a Dask future's)."""

    def __init__(self):
        self.waiting, self.most = 0, 0

    def handed(self, run):
        counter = self
        counter.waiting += 1
        counter.most = max(counter.most, counter.waiting)

        class Task:
            def get(self):
                counter.waiting -= 1
                return run()

            result = get

            def release(self):
                pass

        return Task()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder that holds data (not the lock, staging or an update's own folder), to show nothing
    changed."""
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith((".lock", ".staging", ".incoming-"))
    }


# ---- the hostile-input suite counts its inputs in the summary line ------------------------------

HOSTILE_SUITE = ("test_hostile_uploads.py", "test_dashboard_hostile.py")
_TALLY = {"inputs": 0, "passed": 0, "failed": 0, "skipped": 0}


def pytest_configure(config):
    config.addinivalue_line("markers", "hostile_inputs(n): how many hostile inputs the test feeds (default 1; 0 for a sweep of pages)")


def pytest_runtest_setup(item):
    if Path(item.path).name in HOSTILE_SUITE:
        marker = item.get_closest_marker("hostile_inputs")
        item.user_properties.append(("hostile_inputs", marker.args[0] if marker else 1))


def pytest_runtest_logreport(report):
    """One count per test: its call, or its setup when that failed or skipped (then there is no call); and the
    analyst tasks' times (tests/e2e), carried with the report from whichever test process ran them."""
    _TASK_TIMES.extend(value for key, value in report.user_properties if key == "analyst_task")
    inputs = dict(report.user_properties).get("hostile_inputs")
    if inputs is not None and (report.when == "call" or (report.when == "setup" and report.outcome != "passed")):
        _TALLY[report.outcome] += 1
        _TALLY["inputs"] += inputs


def pytest_terminal_summary(terminalreporter):
    _report_browser_tests(terminalreporter)
    tests = _TALLY["passed"] + _TALLY["failed"] + _TALLY["skipped"]
    if tests:
        terminalreporter.write_line(
            f"hostile-input suite: {_TALLY['inputs']} hostile inputs in {tests} tests: "
            f"{_TALLY['passed']} passed, {_TALLY['failed']} failed, {_TALLY['skipped']} skipped"
        )


# ---- the browser tests (tests/e2e): the analyst tasks' times and where the screenshots went -------

E2E_ARTIFACTS = ROOT / "test-artifacts" / "e2e"
TASK_TIMES = E2E_ARTIFACTS / "task-times.json"
_STARTED = time.time()  # screenshots written after this belong to this run
_TASK_TIMES: list[dict] = []


def _report_browser_tests(terminalreporter):
    """List the wall time of each analyst task that ran and name the screenshot folder when this run wrote to it.

    The times (the test's call, not the shared corpus and server it reuses) also go to
    `test-artifacts/e2e/task-times.json`, for the change's report; nothing asserts on them.
    """
    times = sorted(_TASK_TIMES, key=lambda row: (row["task"], row["test"]))
    if times:
        E2E_ARTIFACTS.mkdir(parents=True, exist_ok=True)
        TASK_TIMES.write_text(json.dumps(times, indent=2) + "\n", encoding="utf-8")
        terminalreporter.section("analyst tasks (wall time of each test's call)")
        for row in times:
            terminalreporter.write_line(f"({row['task']}) {row['what']}: {row['seconds']:.1f} s, {row['outcome']} [{row['test']}]")
        terminalreporter.write_line(f"written to {TASK_TIMES}")
    shots = sorted(p for p in E2E_ARTIFACTS.glob("*.png") if p.stat().st_mtime >= _STARTED)
    if shots:
        terminalreporter.write_line(f"e2e screenshots ({len(shots)}): {E2E_ARTIFACTS}")
