"""Reading and setting Streamlit widgets the way a user does: by their label, through the keyboard and mouse.

Streamlit 1.67 draws select boxes, multiselects and date inputs with react-aria, so
they are found by accessible role and name rather than by CSS classes that change
between releases.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from playwright.sync_api import Page, expect

from dashboard.downloads import FORMULA_PREFIXES
from streamlit_harness import VIEWPORT, wait_for_app

__all__ = [
    "as_cells",
    "choose",
    "date_value",
    "main_text",
    "metrics",
    "read_csv",
    "save_screenshot",
    "selected",
    "set_date",
    "wait_for_url_param",
]

BOM = b"\xef\xbb\xbf"  # Excel reads a CSV as UTF-8 only with it


def choose(page: Page, label: str, option: str | re.Pattern, *, search: str | None = None) -> None:
    """Pick `option` (its full label, or a pattern) in the select box or multiselect labelled `label`.

    Typing `search` (default: the option itself) first narrows a long list, as a user would.
    """
    box = page.get_by_role("combobox", name=label, exact=True)
    box.click()
    box.press_sequentially(search or option)
    page.get_by_role("option", name=option, exact=isinstance(option, str)).click()
    if box.get_attribute("aria-expanded") == "true":  # a multiselect stays open for more picks
        page.keyboard.press("Escape")


def selected(page: Page, label: str) -> list[str]:
    """The labels of the values chosen in the multiselect labelled `label`, in display order."""
    widget = page.locator('[data-testid="stMultiSelect"]').filter(has=page.get_by_role("combobox", name=label, exact=True))
    return [tag.get_attribute("aria-label") for tag in widget.locator("[data-tag]").all()]


def set_date(page: Page, label: str, day: str) -> None:
    """Type an ISO day into the date input labelled `label`; it is sent to the app when the field loses focus."""
    page.get_by_role("spinbutton", name=f"year, {label}", exact=True).click()
    page.keyboard.type(day)
    page.keyboard.press("Escape")  # closes the calendar that opened on the click
    page.get_by_role("heading", level=1).first.click()


def date_value(page: Page, label: str) -> str:
    """The date input's day as `YYYY-MM-DD`, or its placeholder (`yyyy-mm-dd`) when empty."""
    return "-".join(page.get_by_role("group", name=label, exact=True).get_by_role("spinbutton").all_inner_texts())


def wait_for_url_param(page: Page, name: str, value: str) -> None:
    """Wait until the app has written `name=value` to the URL and finished the rerun that follows."""
    encoded = re.escape(value).replace(r"\ ", "(\\+|%20)")  # a space is sent as + or %20
    # The rerun that writes it can take far longer than expect's 5 s on a busy machine (the 320-article corpus).
    expect(page).to_have_url(re.compile(rf"[?&]{re.escape(name)}={encoded}(&|$)"), timeout=30_000)
    wait_for_app(page)


def metrics(page: Page) -> dict[str, str]:
    """Every `st.metric` on the page: label → shown value."""
    values = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        values[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return values


def main_text(page: Page) -> str:
    """What the page shows outside the sidebar, as a reader sees it (chart labels included)."""
    return page.locator('[data-testid="stMain"]').inner_text()


def _un_neutralise(value: str) -> str:
    """Undo the leading `'` the dashboard puts before text that a spreadsheet would run as a formula."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES) else value


def _cells(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def read_csv(data: bytes) -> pd.DataFrame:
    """A downloaded CSV as text cells (empty for nulls), checking the byte-order mark Excel needs."""
    assert data.startswith(BOM), "CSV without a UTF-8 byte-order mark"
    return _cells(data).apply(lambda column: column.map(_un_neutralise))


def as_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as the text cells a plain CSV round trip gives, to compare with `read_csv` of a download."""
    return _cells(frame.to_csv(index=False).encode("utf-8"))


def save_screenshot(page: Page, path: Path, width: int = VIEWPORT["width"]) -> Path:
    """The whole page: the app scrolls inside its main area, so the window is made as tall as the content first."""
    height = page.evaluate(
        """() => Math.max(...['[data-testid="stMain"]', '[data-testid="stSidebarContent"]']
            .map(s => document.querySelector(s)?.scrollHeight || 0))"""
    )
    page.set_viewport_size({"width": width, "height": max(VIEWPORT["height"], height)})
    wait_for_app(page)
    page.screenshot(path=str(path), full_page=True)
    return path
