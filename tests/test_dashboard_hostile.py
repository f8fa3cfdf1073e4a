"""Hostile text in an article, through the real pipeline and every page: it stays text, and CSVs stay inert."""

import io
import json
import shutil
import tomllib
from importlib.metadata import version
from pathlib import Path

import pandas as pd
import pytest
from packaging.requirements import Requirement
from streamlit.testing.v1 import AppTest

from dashboard import access, downloads, sources, state
from dashboard_fixtures import html_bodies, live_markup, markdown_texts
from data_pipeline import cli, store

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
TITLE = '=HYPERLINK("http://evil.example/x","Quad cyber talks")'
TEXT = (
    "Tokyo, March 4: Officials of the Quad Senior Cyber Group met in Tokyo on Monday <script>alert(1)</script> "
    "to discuss ransomware and supply chain risks. "
    "Dr Hana Mori, Director of Japan's National Center of Incident Readiness and Strategy for Cybersecurity, "
    "said [click here](javascript:alert(2)) and ![x](http://evil.example/p.png) were posted <img src=x onerror=alert(3)>."
)


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.json"
    source.write_text(json.dumps({"title": TITLE, "date": "2024-03-06", "text": TEXT}), encoding="utf-8")
    assert cli.main(["build", str(source), "--out", str(folder / "data"), "--jobs", "1"]) == 0
    return folder / "data"


@pytest.mark.hostile_inputs(0)  # one hostile article, on every page
@pytest.mark.parametrize("page", list(state.PAGES))
def test_no_page_turns_article_text_into_markup(hostile_data, monkeypatch, page):
    monkeypatch.setenv("QUAD_DATA_DIR", str(hostile_data))
    at = AppTest.from_file(APP, default_timeout=60)
    tables = store.read_tables(hostile_data)
    at.query_params["meeting"] = tables["meetings"]["meeting_id"].iloc[0]
    at.query_params["article"] = tables["articles"]["article_id"].iloc[0]
    at.run()
    at.switch_page(state.page_path(page)).run()
    assert not at.exception, at.exception
    assert live_markup(at) == [], page
    if page in ("sources", "timeline"):  # the reader, and the meeting's evidence sentences
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in "\n".join(html_bodies(at))  # shown, as text


def test_downloads_defuse_the_formula_and_keep_the_text(hostile_data):
    articles = store.read_tables(hostile_data)["articles"]
    back = pd.read_csv(io.BytesIO(downloads.csv_bytes(articles)), encoding=downloads.ENCODING, dtype=str)
    assert back.loc[0, "title"] == "'" + TITLE
    assert back.loc[0, "text"] == TEXT  # not a formula: kept exactly as written


# ---- the hosted switch fails closed (issue 8) ---------------------------------------------------

UNCLEAR = ["", "y", "enabled", "hosted", "2"]


def _add_page(monkeypatch, data, env: str | None, secrets: dict | None = None) -> AppTest:
    monkeypatch.setenv("QUAD_DATA_DIR", str(data))
    if env is None:
        monkeypatch.delenv("QUAD_HOSTED", raising=False)
    else:
        monkeypatch.setenv("QUAD_HOSTED", env)
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    at.switch_page(state.page_path("add")).run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("env, secrets, unclear", [
    *((value, None, True) for value in UNCLEAR),
    *((value, {"hosted": True}, True) for value in UNCLEAR),
    ("0", {"hosted": True}, False),  # the environment cannot open what the secrets close
    ("off", {"hosted": "yes"}, False),
    (None, {"hosted": "enabled"}, True),
    ("1", None, False),
    (" TRUE ", None, False),
])
def test_any_hosted_setting_but_a_clear_no_keeps_anonymous_uploads_out(hostile_data, monkeypatch, env, secrets, unclear):
    at = _add_page(monkeypatch, hostile_data, env, secrets)
    assert not at.get("file_uploader") and "read-only" in at.info[0].value.replace("\\", "")
    banners = [e.value for e in at.error]
    assert bool(banners) is unclear
    if unclear:
        assert "runs as hosted" in banners[0].replace("\\", "") and live_markup(at) == []


@pytest.mark.hostile_inputs(0)  # the control: a laptop stays open
def test_a_clear_no_everywhere_is_a_laptop(hostile_data, monkeypatch):
    assert _add_page(monkeypatch, hostile_data, "no", {"hosted": False}).get("file_uploader")


@pytest.mark.parametrize("environment, secret, hosted, problem", [
    (None, None, False, False), ("0", None, False, False), ("1", None, True, False), (None, True, True, False),
    ("0", True, True, False), ("no", "false", False, False), ("", None, True, True), ("yes", "maybe", True, True),
])
def test_hosting_rules(environment, secret, hosted, problem):
    decided = access.hosting(environment, secret)
    assert decided.hosted is hosted and (decided.problem is not None) is problem


# ---- nothing from the URL becomes markup (issue 8) ---------------------------------------------

URL_VALUES = [
    "[Session expired](https://example.org)",
    "![x](http://evil.example/p.png)",
    ":red[Access revoked] $x^2$",
    "<img src=x onerror=alert(1)>",
    "https://evil.example/login www.evil.example ops@evil.example",
]


@pytest.mark.parametrize("kind", state.SELECTION_KINDS)
@pytest.mark.parametrize("value", URL_VALUES)
def test_an_unknown_link_value_is_dropped_with_an_escaped_notice(hostile_data, monkeypatch, kind, value):
    monkeypatch.setenv("QUAD_DATA_DIR", str(hostile_data))
    monkeypatch.delenv("QUAD_HOSTED", raising=False)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({kind: value, "linked": "1"})
    at.switch_page(state.page_path("sources")).run()
    assert not at.exception, at.exception
    assert live_markup(at) == []
    assert any("is not in this data version" in w.value for w in at.warning)
    assert at.session_state[f"selection_{kind}"] is None and kind not in at.query_params


@pytest.mark.hostile_inputs(0)  # the control: a real link still works
def test_a_known_link_value_is_shown_by_its_name(hostile_data, monkeypatch):
    monkeypatch.setenv("QUAD_DATA_DIR", str(hostile_data))
    meeting = store.read_tables(hostile_data)["meetings"].iloc[0]
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"meeting": meeting["meeting_id"], "linked": "1"})
    at.run()
    assert not at.exception and not at.warning
    assert any(meeting["name"] in c.value.replace("\\", "") for c in at.caption)


# ---- article metadata is never autolinked (issue 8) -------------------------------------------

LINKY_TITLE = "Quad update https://evil.example/a www.evil.example press@evil.example"


def test_urls_in_a_title_or_source_stay_plain_text(tmp_path, monkeypatch):
    source = tmp_path / "linky.json"
    source.write_text(json.dumps({"title": LINKY_TITLE, "date": "2024-03-06", "text": TEXT, "url": "https://evil.example/story"}))
    assert cli.main(["build", str(source), "--out", str(tmp_path / "data"), "--jobs", "1"]) == 0
    monkeypatch.setenv("QUAD_DATA_DIR", str(tmp_path / "data"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(state.page_path("sources")).run()
    assert not at.exception, at.exception
    shown = "\n".join(markdown_texts(at))
    assert live_markup(at) == [] and "evil" in shown  # shown, but not as a link
    assert sources.literal(LINKY_TITLE).replace("\\", "").replace(sources.WORD_JOINER, "") == LINKY_TITLE


# ---- hosted banners name no server path (issue 8) ---------------------------------------------

@pytest.mark.parametrize("breakage", ["no folder", "pointer to nothing", "no version yet"])
def test_a_hosted_error_banner_shows_no_server_path(hostile_data, tmp_path, monkeypatch, breakage):
    folder = tmp_path / "data"
    if breakage == "pointer to nothing":
        shutil.copytree(hostile_data, folder)
        (folder / store.CURRENT).write_text("000099-deadbeef\n")
    elif breakage == "no version yet":
        folder.mkdir()
    monkeypatch.setenv("QUAD_DATA_DIR", str(folder))
    for hosted in ("0", "1"):
        monkeypatch.setenv("QUAD_HOSTED", hosted)
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert not at.exception, at.exception
        shown = "\n".join(e.value for e in at.error)
        assert shown and (str(tmp_path) in shown) is (hosted == "0"), shown


# ---- dependency floors (issue 8) ------------------------------------------------------------------

@pytest.mark.hostile_inputs(0)
def test_the_dependency_floors_exclude_versions_with_published_advisories():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    requirements = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["hosted"]]
    floors = {r.name.lower(): r.specifier for r in requirements}
    assert "1.53.1" not in floors["streamlit"] and "1.54.0" in floors["streamlit"]  # GHSA-7p48-42j8-8846
    assert "1.7.1" not in floors["authlib"] and "1.7.2" in floors["authlib"]  # CVE-2025-61920 and five more
    assert version("streamlit") in floors["streamlit"]


@pytest.mark.hostile_inputs(0)
def test_the_dashboard_listens_on_this_machine_only_unless_told_otherwise():
    """`make run` once listened on every interface: anyone on a café's network could reach the Add page."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    makefile = (ROOT / "Makefile").read_text("utf-8")
    assert "ADDRESS ?= 127.0.0.1" in makefile
    run = next(line for line in makefile.splitlines() if "streamlit run" in line)
    assert "--server.address $(ADDRESS)" in run
