"""Full-page screenshots of every dashboard page at 1,440 px, on a data folder of your choice, to look at.

    python bench/screenshots.py --data bench/out/dashboard-320/data [--out test-artifacts/screens] [--query PAGE?a=b ...] [--timeout S]

Uses the same launcher and browser as the end-to-end tests (the system
Chromium, never a downloaded one). Each page is opened by its own link and
captured once the app has settled; `--query` adds views with settings in the
URL (e.g. `network?connect_a=country:AUS&connect_b=country:JPN`). The output
folder is git-ignored.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "e2e"))  # the launcher shared with the end-to-end tests

from streamlit_harness import StreamlitServer, launch_chromium, page_path, wait_for_app  # noqa: E402
from streamlit_ui import save_screenshot  # noqa: E402

from dashboard.state import PAGES  # noqa: E402

WIDTH, HEIGHT = 1440, 900


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="a data folder built by the pipeline")
    parser.add_argument("--out", type=Path, default=HERE.parent / "test-artifacts" / "screens")
    parser.add_argument("--query", action="append", default=[], help="an extra view: a page key with URL parameters")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a page may take to settle (the Network page's first "
                        "visit took 147 s at 100,000 articles)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    views = [(key, page_path(key)) for key in PAGES] + [(q.split("?")[0] + "-" + str(i), "/" + q) for i, q in enumerate(args.query)]
    with StreamlitServer(args.data.resolve()) as server, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        for name, path in views:
            page = context.new_page()
            page.goto(server.url + path)
            wait_for_app(page, timeout=args.timeout * 1000)
            page.wait_for_timeout(1500)  # charts draw after the app settles
            save_screenshot(page, args.out / f"{name}.png", width=WIDTH)
            page.close()
            print(args.out / f"{name}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
