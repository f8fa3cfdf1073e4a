"""The dashboard on the real seed article, built by the pipeline: the New Delhi meeting and the year-only Sydney one."""

import base64
from pathlib import Path
from urllib.parse import parse_qs

import numpy as np
import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import state
from data_pipeline import cli

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
NEW_DELHI, SYDNEY = "mtg-2023-01-30-new-delhi", "mtg-2022-01-01-sydney"
PRINCIPALS = {
    "Michael Pezzullo": "Secretary",
    "Rajesh Pant": "National Cyber Security Coordinator",
    "Masataka Okano": "Deputy National Security Adviser",
    "Anne Neuberger": "Deputy National Security Advisor",
}


def numbers(value) -> list[float]:
    """Plotly's JSON encodes number arrays as base64 typed arrays."""
    if isinstance(value, dict):
        return list(np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]))
    return list(value)


@pytest.fixture(scope="module")
def seed_data(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed") / "data"
    assert cli.main(["build", str(ROOT / "seeds"), "--out", str(out), "--jobs", "1"]) == 0
    return out


@pytest.fixture
def timeline(seed_data, monkeypatch):
    monkeypatch.setenv("QUAD_DATA_DIR", str(seed_data))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(state.page_path("timeline")).run()
    assert not at.exception, at.exception
    return at


def test_new_delhi_meeting_with_its_four_principals(timeline):
    timeline.selectbox(key="timeline_meeting").select(NEW_DELHI).run()
    metrics = {m.label: m.value for m in timeline.metric}
    assert metrics == {"Dates": "2023-01-30 – 2023-01-31", "Date precision": "day", "Place": "New Delhi", "Host": "India"}
    people = timeline.dataframe[0].value.set_index("participant")
    assert {name: people.loc[name, "title_at_the_time"] for name in PRINCIPALS} == PRINCIPALS
    assert all("took part" in people.loc[name, "evidence"] for name in PRINCIPALS)


def test_sydney_meeting_is_shown_at_year_precision(timeline):
    figure = plotly.io.from_json(timeline.get("plotly_chart")[0].proto.spec)
    (sydney,) = [t for t in figure.data if t.customdata[0][0] == SYDNEY]
    assert list(sydney.text) == ["Sydney · 2022 (year only)"] and sydney.marker.pattern.shape == "/"
    assert str(sydney.base[0]).startswith("2022-01-01") and numbers(sydney.x)[0] == 365 * 86_400_000
    timeline.selectbox(key="timeline_meeting").select(SYDNEY).run()
    assert {m.label: m.value for m in timeline.metric}["Dates"] == "2022 (year only)"


def test_evidence_link_opens_the_seed_sentence(timeline):
    timeline.selectbox(key="timeline_meeting").select(NEW_DELHI).run()
    query = parse_qs(timeline.get("page_link")[0].proto.query_string)
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in query.items():
        at.query_params[name] = value
    at.run()
    at.switch_page(state.page_path("sources")).run()
    body = "\n".join(h.proto.body for h in at.get("html"))
    assert query["sentence"] == ["0"]  # the first sentence reporting the meeting
    assert 'id="sentence-0"' in body and 'title="place: New Delhi"' in body
    assert all(f'title="person: {name}"' in body for name in PRINCIPALS)
