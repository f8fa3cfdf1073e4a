"""Start the dashboard with `streamlit run` and drive it with the system Chromium, for tests and benchmarks.

Shared by the end-to-end tests (`tests/e2e/conftest.py`) and the session-memory
benchmark (`bench/sessions.py`), so both measure the same server the same way.
Both give the server a data folder of their own built from `seeds/` (`build_data`):
the upload test adds articles, and the analyst's `data/` must never change because
a test ran. Playwright only ever drives the system Chromium (`$CHROMIUM`, else
Debian's `/usr/bin/chromium`, else `chromium` on the PATH, which is what `make test`
checks before installing it); it never downloads a browser of its own.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

__all__ = [
    "CHROMIUM_ARGS",
    "CORPUS_WIDTH",
    "DEFAULT_PAGE",
    "ERROR_SELECTORS",
    "REPO",
    "VIEWPORT",
    "SETTLED",
    "ServerFailed",
    "StreamlitServer",
    "build_data",
    "chromium_path",
    "free_port",
    "launch_chromium",
    "page_errors",
    "page_path",
    "wait_for_app",
]

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # bench/sessions.py runs from bench/
    sys.path.insert(0, str(REPO))

from dashboard.state import PAGES  # noqa: E402

# Streamlit serves the default page (the first in `PAGES`, see dashboard/app.py) at the root, not at its key.
DEFAULT_PAGE = next(iter(PAGES))
VIEWPORT = {"width": 1280, "height": 900}
CORPUS_WIDTH = 1440  # the pages on the 320-article corpus are looked at as the screenshots are: at 1,440 px

# What worked in this sandbox: no setuid sandbox for root, no GPU, and nothing that phones home.
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

# How Streamlit shows a failure: an exception block (its details hidden by `showErrorDetails = "none"`),
# an `st.error` alert, an element that failed to draw (`stErrorElementStack`, and the `…Error` /
# `…ErrorIcon` of download buttons, inputs, charts), a modal dialog (nothing in the app opens one unasked;
# Streamlit uses them for "Page not found", a lost connection or a script that does not compile) and the
# connection status badge.
ERROR_SELECTORS = (
    '[data-testid="stException"]',
    '[data-testid="stAlertContentError"]',
    '[data-testid="stErrorElementStack"]',
    '[data-testid$="Error"]',
    '[data-testid$="ErrorIcon"]',
    '[role="dialog"]',
    '[data-testid="stConnectionStatus"]',
)

# The app is settled when its root says it is connected and no script run is in progress ("initial" before
# the first run, so "notRunning" means a run has finished), the page has drawn something, the running
# indicator in the top bar is gone, no element waits for its lazily loaded code (a skeleton) and none is
# greyed out as left over from the previous run (stale). The sidebar is not required: a page that fails
# before drawing it must still be reported by its error, not by a timeout.
SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app !== null
        && app.dataset.testConnectionState === "CONNECTED"
        && app.dataset.testScriptState === "notRunning"
        && document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]') !== null
        && document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSkeleton"], [data-stale="true"]') === null;
}"""


class ServerFailed(RuntimeError):
    """The server did not become healthy; the message carries its stderr."""


def chromium_path() -> str:
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured
    return "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else shutil.which("chromium") or "/usr/bin/chromium"


def free_port() -> int:
    """A port nothing listens on now (the OS picks it), so parallel runs and `make run` do not collide."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build_data(out: Path) -> Path:
    """Tables of the bundled seed articles in `out`, through the same CLI an analyst uses."""
    done = subprocess.run(
        [sys.executable, "-m", "data_pipeline", "build", "seeds", "--out", str(out)],
        cwd=REPO, capture_output=True, text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"building the seed data failed ({done.returncode}):\n{done.stderr}")
    return out


class StreamlitServer:
    """`streamlit run dashboard/app.py` (or `script`) on a free port, serving `data_dir`; a context manager.

    Started from the repository root so `.streamlit/config.toml` applies, in its own
    process group so stopping it also ends anything it started.
    """

    def __init__(self, data_dir: Path, *, port: int | None = None, timeout: float = 60.0, env: dict[str, str] | None = None,
                 script: str | Path = "dashboard/app.py") -> None:
        self.data_dir = Path(data_dir)
        self.script = str(script)  # another script served the same way, e.g. bench/pages.py's empty page
        self.env = dict(env or {})  # on top of the defaults below, e.g. {"QUAD_HOSTED": "1"}
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.timeout = timeout
        self.process: subprocess.Popen | None = None
        self._log = tempfile.TemporaryFile(prefix="streamlit-e2e-")

    @property
    def pid(self) -> int:
        assert self.process is not None, "server not started"
        return self.process.pid

    def stderr(self) -> str:
        """What the server wrote so far (stdout and stderr), for a failure message.

        Read without moving the file offset, which the server process shares for its writes.
        """
        fd = self._log.fileno()
        return os.pread(fd, os.fstat(fd).st_size, 0).decode("utf-8", "replace")

    def start(self) -> StreamlitServer:
        command = [
            sys.executable, "-m", "streamlit", "run", self.script,
            "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
        ]
        # Not hosted unless `env` says so, whatever this machine is set to: the upload test needs the open Add page.
        env = os.environ | {"QUAD_DATA_DIR": str(self.data_dir), "QUAD_HOSTED": "0", "PYTHONUNBUFFERED": "1"} | self.env
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self._wait_healthy()
        return self

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerFailed(f"streamlit exited with {self.process.returncode}:\n{self.stderr()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        self.stop()
        raise ServerFailed(f"streamlit not healthy after {self.timeout:.0f} s:\n{self.stderr()}")

    def stop(self) -> None:
        """End the whole process group: politely, then for good."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self._log.close()


def page_path(key: str) -> str:
    """The URL path of the dashboard page `key` of `PAGES`."""
    return "/" if key == DEFAULT_PAGE else f"/{key}"


def launch_chromium(playwright):
    """The system Chromium, headless; Playwright's own browser download is never used."""
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        raise FileNotFoundError(
            f"no Chromium at {executable}: `make test` installs Debian's chromium, or set CHROMIUM to a Chromium binary"
        )
    return playwright.chromium.launch(executable_path=executable, headless=True, args=list(CHROMIUM_ARGS))


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until the app is drawn and settled (see `SETTLED`) instead of sleeping a fixed time.

    After a widget change the app may look settled for a moment before its rerun
    starts, so callers then also wait for what the change should show.
    """
    page.wait_for_function(SETTLED, timeout=timeout, polling=50)


def page_errors(page) -> list[str]:
    """The text of every error element on the page (empty when the page is healthy)."""
    found = page.query_selector_all(", ".join(ERROR_SELECTORS))
    return [f"{element.get_attribute('data-testid') or element.get_attribute('role')}: {element.inner_text()!r}" for element in found]
