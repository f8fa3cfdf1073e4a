"""The Add articles page: who may add, what a file adds, and a first article into an empty data folder."""

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard import access, sources, uploads
from data_pipeline import store
from data_pipeline.update import ADDED, PRESENT, REFUSED, FileOutcome, update
from tests.conftest import SEED, snapshot

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGE = "views/add.py"
# A short report written for this test, in the style of a ministry readout.
READOUT = b"""date 2025-09-18 Readout: Quad cyber envoys in Wellington
Wellington, September 18: Cyber envoys of Australia, India, Japan and the United States met in Wellington on \
Wednesday with Pacific partners to plan joint incident response exercises.
India's Joint Secretary for Cyber Diplomacy Meera Raghunathan said the partners would share threat information.
"""


@pytest.fixture
def folder(tmp_path, monkeypatch):
    data = tmp_path / "data"
    update(data, [SEED])
    monkeypatch.setenv("QUAD_DATA_DIR", str(data))
    monkeypatch.delenv("QUAD_HOSTED", raising=False)
    return data


def _page(secrets: dict | None = None, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    for name, value in (secrets or {}).items():
        at.secrets[name] = value
    if user is not None:
        at.user = user
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def shown(markdown: str) -> str:
    """Markdown as the reader sees it: the page escapes article and user text (`sources.literal`)."""
    return markdown.replace("\\", "")


def _submit(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "text/plain") for name, data in files])
    next(b for b in at.button if b.label == "Add to the data").click()
    at.run()
    assert not at.exception, at.exception
    return at


def test_locally_an_upload_adds_its_meeting_and_says_so(folder):
    at = _submit(_page(), [("wellington.txt", READOUT)])
    assert "1 file added (1 new meeting, 1 new person)" in at.success[0].value
    row = at.dataframe[-1].value.iloc[0]
    assert row["Result"] == ADDED and "Wellington" in row["New meetings"] and row["New people"] == "Meera Raghunathan"
    assert row["Kept as"] == "inbox/wellington.txt"
    assert "Wellington" in set(store.read_tables(folder)["meetings"]["city"])
    # the other pages read the new version on their next run
    at.switch_page("views/timeline.py").run()
    assert not at.exception and "Wellington" in json.dumps(at.get("plotly_chart")[0].proto.spec)


def test_uploading_the_same_article_again_adds_nothing(folder):
    _submit(_page(), [("wellington.txt", READOUT)])
    before = snapshot(folder)
    at = _submit(_page(), [("wellington (1).txt", READOUT)])
    assert "1 file already in the data (nothing added)" in at.success[0].value
    assert at.dataframe[-1].value.iloc[0]["Result"] == PRESENT
    assert snapshot(folder) == before


def test_a_pasted_text_needs_title_date_and_text(folder):
    at = _page()
    at.text_input[0].set_value("Envoys meet")
    at.text_area[0].set_value("Officials met in Wellington on Wednesday.")
    next(b for b in at.button if b.label == "Add this text").click()
    at.run()
    assert "Give a publication date." in [w.value for w in at.warning]
    date_widget = next(d for d in at.date_input if d.label == "Publication date")
    date_widget.set_value(dt.date(2025, 9, 18))
    next(b for b in at.button if b.label == "Add this text").click()
    at.run()
    assert not at.exception and at.dataframe[-1].value.iloc[0]["Result"] == ADDED
    articles = store.read_tables(folder)["articles"].set_index("title")
    assert articles.loc["Envoys meet", "published"] == "2025-09-18"


def test_an_empty_data_folder_offers_only_the_add_page_and_takes_a_first_article(tmp_path, monkeypatch):
    monkeypatch.setenv("QUAD_DATA_DIR", str(tmp_path / "new"))
    monkeypatch.delenv("QUAD_HOSTED", raising=False)
    (tmp_path / "new").mkdir()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and "no data version yet" in at.error[0].value
    assert [t.value for t in at.title] == ["Add articles"]
    _submit(at, [("wellington.txt", READOUT)])
    assert len(store.read_tables(tmp_path / "new")["articles"]) == 1


AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-only", "client_id": "x",
        "client_secret": "y", "server_metadata_url": "https://id.example/.well-known/openid-configuration"}


@pytest.mark.parametrize(
    "secrets, user, sees_uploader, message",
    [
        ({"hosted": True}, None, False, "read-only"),
        ({"hosted": True, "auth": AUTH, "editors": ["ana@example.org"]}, {"is_logged_in": False}, False, "Sign in"),
        ({"hosted": True, "auth": AUTH, "editors": ["ana@example.org"]}, {"is_logged_in": True, "email": "bo@example.org"}, False, "not on this dashboard"),
        ({"hosted": True, "auth": AUTH, "editors": ["Ana@Example.org"]}, {"is_logged_in": True, "email": "ana@example.org"}, True, None),
        ({}, None, True, None),
    ],
)
def test_hosted_mode_lets_only_signed_in_editors_add(folder, secrets, user, sees_uploader, message):
    at = _page(secrets, user)
    assert bool(at.get("file_uploader")) is sees_uploader
    if message:
        assert message in shown(at.info[0].value)
    if secrets.get("auth") and user and not user.get("is_logged_in"):
        assert any(b.label == "Sign in" for b in at.button)


def test_the_hosted_setting_also_comes_from_the_environment(folder, monkeypatch):
    monkeypatch.setenv("QUAD_HOSTED", "1")
    assert "read-only" in shown(_page().info[0].value)
    monkeypatch.setenv("QUAD_HOSTED", "0")
    assert _page().get("file_uploader")


def test_access_rules():
    local = access.decide(hosted=False, auth_configured=False, logged_in=False, email=None, editors=())
    assert local.allowed
    nobody_listed = access.decide(hosted=True, auth_configured=True, logged_in=True, email="ana@example.org", editors=())
    assert not nobody_listed.allowed  # an empty allow-list lets nobody in, never everybody
    no_email = access.decide(hosted=True, auth_configured=True, logged_in=True, email=None, editors=["ana@example.org"])
    assert not no_email.allowed and "without an e-mail" in no_email.reason


def test_summary_and_results_never_carry_markup_from_file_names():
    hostile = FileOutcome("[x](javascript:alert(1)).txt", REFUSED, ("empty file",))
    added = FileOutcome("a.txt", ADDED, (), "inbox/a.txt", ("art-1",), ("m1", "m2"), (), ("Ana Li",), ("Ransomware",))
    assert uploads.summary([added, hostile]) == "1 file added (2 new meetings, 1 new person); 1 file refused (see Notes)."
    frame = uploads.results_frame([hostile])
    assert frame.loc[0, "File"] == "[x](javascript:alert(1)).txt" and frame.loc[0, "Notes"] == "empty file"
    assert sources.literal("[x](javascript:alert(1)) <b>") == r"\[x\]\(javascript\:alert\(1\)\) \<b\>"


def test_a_pasted_article_becomes_a_json_record():
    item = uploads.pasted("Talks in Suva!", dt.date(2025, 1, 2), "Officials met in Suva.")
    assert item.name == "pasted-talks-in-suva.json"
    assert json.loads(item.data) == {"title": "Talks in Suva!", "date": "2025-01-02", "text": "Officials met in Suva."}
    with pytest.raises(ValueError, match="Give a title and the text"):
        uploads.pasted(" ", dt.date(2025, 1, 2), "")


def test_the_example_secrets_file_has_the_layout_the_dashboard_and_streamlit_read():
    import tomllib

    example = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "secrets.example.toml").read_text("utf-8"))
    assert example["hosted"] is True and isinstance(example["editors"], list) and example["data_dir"]
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(example["auth"])
    assert example["auth"]["redirect_uri"].endswith("/oauth2callback")  # the path st.login serves


def test_the_reasons_come_first_when_a_file_was_not_added():
    added = FileOutcome("a.txt", ADDED, (), "inbox/a.txt", ("art-1",), ("m1",))
    refused = FileOutcome("b.txt", REFUSED, ("empty file",))
    assert list(uploads.results_frame([added]).columns[:3]) == ["File", "Result", "New meetings"]
    assert list(uploads.results_frame([added, refused]).columns[:3]) == ["File", "Result", "Notes"]


def test_the_shipped_server_settings_keep_xsrf_on_and_bound_uploads():
    import tomllib

    config = tomllib.loads((Path(APP).parent.parent / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 50
    assert config["client"]["showErrorDetails"] == "none"  # no traceback (or article text in it) shown to users


@pytest.mark.parametrize("hosted", ["0", "1"])
def test_a_hosted_overview_does_not_show_the_server_folder(folder, monkeypatch, hosted):
    monkeypatch.setenv("QUAD_HOSTED", hosted)
    at = AppTest.from_file(APP, default_timeout=60).run()
    shown = "\n".join([m.value for m in at.markdown] + [c.value for c in at.code])
    assert not at.exception and (str(folder) in shown) is (hosted == "0")
