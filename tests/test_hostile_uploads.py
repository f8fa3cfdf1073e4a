"""Hostile and broken files through the real Add articles page: refused with a reason and nothing kept, or kept as text.

Every row of `CASES` is one input an outsider could hand over. A refused file
must leave the data folder byte for byte as it was and say why in words an
analyst understands; an added one must be stored exactly as written, kept only
inside the inbox, and never reach a page as live markup (`live_markup`). The
articles added here are then shown on every page once.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import json
import os
import re
import shutil
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import downloads, state
from dashboard_fixtures import html_bodies, live_markup, markdown_texts
from data_pipeline import store
from data_pipeline.update import ADDED, PRESENT, REFUSED, Upload, update
from tests.conftest import ROOT, SEED, snapshot

APP = str(ROOT / "dashboard" / "app.py")
# The page refuses what the browser widget would (`server.maxUploadSize`, in MB); AppTest does not enforce it.
LIMIT = int(tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"] * 1048576)
SCRIPT = "<script>alert(document.cookie)</script>"
JS_LINK = "[read more](javascript:alert(1))"
IMAGE = "![pixel](http://evil.example/p.png)"
IFRAME = '<iframe src="http://evil.example"></iframe>'
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"  # a 1x1 image's first bytes
BOM = b"\xef\xbb\xbf"
SEED_SOURCE = f"inbox/{SEED.name}"  # where the seeded folder keeps the one article it starts with


def report(case: str, extra: str = "") -> str:
    """A short wire report, distinct per case so no two cases are one article, carrying `extra` in its text."""
    return (
        f"TOKYO, March 4 (Wire) - Senior cyber officials of the Quad met in Tokyo on 3 March 2024 {extra} to discuss "
        f"ransomware ({case}).\nThe delegations agreed to share threat information faster."
    )


def dated(title: str, body: str) -> bytes:
    return f"date 2024-03-04 {title}\n{body}\n".encode()


def record(**fields) -> bytes:
    return json.dumps({"title": "Quad cyber talks", "date": "2024-03-04", **fields}).encode()


def _zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("article.txt", report("zipped"))
    return buffer.getvalue()


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    data: bytes
    status: str
    words: tuple[str, ...] = ()  # what the Notes must say, case-insensitive
    stored: tuple[str, ...] = ()  # what the stored article text must hold, literally
    title: str | None = None  # the stored title, exactly
    kept_as: str | None = None
    via_page: bool = True  # False only where the upload widget itself refuses the file before the page sees it


LONG_LINE = " ".join(["Analysts compared the ransomware advisories with the supply chain guidance line by line."] * 23_000)
FORMULAS = ('=HYPERLINK("http://evil.example/x","Quad cyber talks")', "+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0")

CASES = [
    Case("html-and-script-tags", "html.txt", dated(f"Quad talks <b>resume</b> {SCRIPT}", report("html", f"{SCRIPT} {IFRAME} <b>bold</b>")),
         ADDED, stored=(SCRIPT, IFRAME), title=f"Quad talks <b>resume</b> {SCRIPT}"),
    Case("markdown-link-and-image", "links.md", f"# Quad talks {JS_LINK} {IMAGE}\n\n{report('markdown', f'{JS_LINK} and {IMAGE}')}\n".encode(),
         ADDED, stored=(JS_LINK, IMAGE), title=f"Quad talks {JS_LINK} {IMAGE}"),
    Case("two-megabyte-single-line", "one-line.txt", f"{LONG_LINE} {SCRIPT}".encode(), ADDED, stored=(SCRIPT, LONG_LINE[:5000])),
    Case("null-bytes-in-text", "nul.txt", dated("Quad talks", report("nul")).replace(b"Tokyo on", b"Tokyo\x00 on"), REFUSED, ("binary", "NUL", "not text")),
    Case("invalid-utf-8", "latin.txt", dated("Quad talks", report("latin")).replace(b"Tokyo on", b"T\xf4ky\xff on"), REFUSED, ("not valid UTF-8", "save it as UTF-8")),
    Case("utf-8-byte-order-mark", "bom.txt", BOM + dated("Quad talks with a byte-order mark", report("bom")), ADDED,
         stored=("Quad met in Tokyo on 3 March 2024",), title="Quad talks with a byte-order mark"),
    Case("byte-order-mark-on-a-known-article", "seed copy.txt", BOM + SEED.read_bytes(), PRESENT, ("already in the data",)),
    Case("zero-byte-upload", "zero.txt", b"", REFUSED, ("empty file",)),
    Case("whitespace-only", "blank.txt", b"  \n\t\r\n   \n", REFUSED, ("empty file",)),
    Case("title-without-text", "title-only.txt", b"date 2024-03-04 A title and nothing else\n\n", REFUSED, ("no article text",)),
    Case("empty-json-list", "none.json", b"[]", REFUSED, ("no article could be read",)),
    Case("over-the-size-limit", "huge.txt", dated("Quad talks", "x" * (LIMIT + 2 * 1048576)), REFUSED,
         ("over the size limit", f"{LIMIT / 1048576:.1f} MB")),
    Case("one-byte-over-the-size-limit", "just-over.txt", b"x" * (LIMIT + 1), REFUSED, ("over the size limit",)),
    Case("png-renamed-txt", "photo.txt", PNG, REFUSED, ("binary", "not text")),
    Case("zip-renamed-txt", "archive.txt", _zip(), REFUSED, ("binary", "not text")),
    Case("json-that-is-not-json", "broken.json", b'{"title": "Quad", "text": "unterminated', REFUSED, ("not valid JSON",)),
    Case("json-without-text", "no-text.json", record(), REFUSED, ("'text' is missing",)),
    Case("json-text-a-number", "text-number.json", record(text=3), REFUSED, ("'text'", "not a non-empty string")),
    Case("json-date-a-number", "date-number.json", record(text=report("date number"), date=20240101), REFUSED, ("'date' must be a YYYY-MM-DD string",)),
    Case("json-title-a-list", "title-list.json", record(text=report("title list"), title=["x"]), REFUSED, ("'title' must be a string",)),
    Case("json-impossible-date", "bad-date.json", record(text=report("bad date"), date="2024-13-45"), REFUSED, ("2024-13-45", "does not exist")),
    Case("json-url-breaking-out-of-code", "url.json", record(text=report("url"), url=f"x` {IMAGE} `"), ADDED, stored=("Quad met in Tokyo",)),
    Case("jsonl-one-good-one-bad-line", "mixed.jsonl", record(text=report("jsonl", SCRIPT)) + b'\n{"title": "broken", "text": \n', ADDED,
         ("line 2", "not valid JSON"), stored=(SCRIPT,)),
    Case("traversal-unix", "../../evil.txt", dated("Quad talks", report("unix path")), ADDED, kept_as="inbox/evil.txt"),
    Case("traversal-windows", "..\\..\\evil.txt", dated("Quad talks", report("windows path")), ADDED, kept_as="inbox/evil.txt"),
    Case("absolute-path", "/etc/passwd.txt", dated("Quad talks", report("absolute path")), ADDED, kept_as="inbox/passwd.txt"),
    *(Case(f"formula-title-{title[0]}", f"formula-{n}.txt", dated(title, report(f"formula {n}")), ADDED, title=title) for n, title in enumerate(FORMULAS)),
    Case("html-file-name", "<img src=x onerror=alert(1)>.txt", dated("Quad talks", report("html name")), ADDED),
    Case("markdown-file-name", "[x](javascript:alert(1)).txt", dated("Quad talks", report("markdown name")), ADDED),
    # Inputs that once sank the whole batch, or made one file cost the server gigabytes (issue 8).
    Case("far-future-date-with-tomorrow", "far.txt", dated("Quad talks", report("far future", "and again tomorrow")).replace(b"2024-03-04", b"9999-12-31"),
         ADDED, stored=("again tomorrow",)),
    Case("json-nested-100000-deep", "deep.json", b"[" * 100_000 + b"]" * 100_000, REFUSED, ("nested more than 64 levels",)),
    Case("json-lone-surrogate", "surrogate.json", record(text=report("surrogate")).replace(b"Tokyo on", b"Tokyo \\ud800 on"), REFUSED,
         ("\\ud800", "not a character")),
    Case("json-a-million-numbers", "numbers.json", b"[" + b"0," * 4_900_000 + b"0]", REFUSED, ("more than 10,000 records",)),
    Case("json-5001-wrong-records", "wrong.json", b"[" + b"0," * 5_000 + b"0]", REFUSED, ("record 19:", "and 4,981 more records refused")),
    # The widget raises on a type outside its `type=` list before the page runs, so the server-side check is tested alone.
    Case("executable", "payload.exe", b"MZ\x90\x00\x03\x00", REFUSED, ("unsupported file type", ".txt"), via_page=False),
]
_SIZE = re.compile(r"file is ([\d.]+) MB, over the size limit of ([\d.]+) MB")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("seeded") / "data"
    update(folder, [SEED])
    return folder


@pytest.fixture
def folder(seeded, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the seeded data folder, served by the dashboard."""
    copy = tmp_path / "data"
    shutil.copytree(seeded, copy)
    monkeypatch.setenv("QUAD_DATA_DIR", str(copy))
    return copy


def add_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.switch_page(state.page_path("add")).run()
    assert not at.exception, at.exception
    return at


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click()
    at.run()
    assert not at.exception, at.exception
    return at


def upload(uploads: list[tuple[str, bytes]]) -> tuple[AppTest, pd.DataFrame]:
    """Hand the files to the page as a browser would and return the page and its results table."""
    at = add_page()
    at.file_uploader[0].set_value([(name, data, "text/plain") for name, data in uploads])
    click(at, "Add to the data")
    return at, at.dataframe[0].value


def assert_only_in_the_table(at: AppTest, name: str) -> None:
    """An outsider's file name is shown only as a table cell, never in text that is rendered."""
    assert name in set(at.dataframe[0].value["File"])
    assert not any(name in text for text in markdown_texts(at) + html_bodies(at))


def assert_states_sizes_truthfully(notes: str) -> None:
    """A size refusal must not read "10.0 MB, over the limit of 10.0 MB": the size shown exceeds the limit shown."""
    for size, limit in _SIZE.findall(notes):
        assert float(size) > float(limit), notes


def assert_kept_as_text(folder: Path, case: Case, kept_as: str) -> None:
    """The original is kept byte for byte inside the inbox, and its article's text and title are what it said."""
    assert re.fullmatch(r"inbox/[A-Za-z0-9_-]+\.(txt|md|json|jsonl)", kept_as), kept_as
    assert kept_as == (case.kept_as or kept_as)
    assert (folder / kept_as).read_bytes() == case.data
    articles = store.read_tables(folder)["articles"]
    mine = articles[articles["source"] != SEED_SOURCE]  # a record's source is its url, so not always `kept_as`
    assert len(mine) == 1, mine
    text, title = mine["text"].iloc[0], mine["title"].iloc[0]
    for literal in case.stored:
        assert literal in text
    assert "\ufeff" not in text + title
    assert title == (case.title or title)
    back = pd.read_csv(io.BytesIO(downloads.csv_bytes(mine)), encoding=downloads.ENCODING, dtype=str, keep_default_na=False)
    assert back["title"].iloc[0] == ("'" + title if title.startswith(downloads.FORMULA_PREFIXES) else title)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_upload(case, folder, tmp_path):
    before, around = snapshot(folder), sorted(p for p in tmp_path.rglob("*") if folder not in p.parents)
    if case.via_page:
        at, frame = upload([(case.name, case.data)])
        (row,) = frame.to_dict("records")
        status, notes, kept_as = row["Result"], row["Notes"], row["Kept as"]
        summary = (at.warning if status == REFUSED else at.success)[0].value
        assert {ADDED: "added", PRESENT: "already in the data", REFUSED: "refused"}[status] in summary
        assert live_markup(at) == []
        assert_only_in_the_table(at, case.name)
    else:
        (outcome,) = update(folder, [Upload(case.name, case.data)], max_bytes=LIMIT).outcomes
        status, notes, kept_as = outcome.status, "; ".join(outcome.messages), outcome.stored_as
    assert status == case.status, notes
    for word in case.words:
        assert word.lower() in notes.lower(), notes
    assert_states_sizes_truthfully(notes)
    assert sorted(p for p in tmp_path.rglob("*") if folder not in p.parents) == around  # nothing lands outside
    if status == ADDED:
        assert_kept_as_text(folder, case, kept_as)
    else:
        assert snapshot(folder) == before


# ---- the added hostile articles on every page -----------------------------------------------------

@pytest.fixture(scope="module")
def hostile_folder(seeded, tmp_path_factory) -> Path:
    """The seed plus every hostile file the page adds, as one data folder."""
    copy = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(seeded, copy)
    result = update(copy, [Upload(c.name, c.data) for c in CASES if c.status == ADDED], max_bytes=LIMIT)
    assert {o.status for o in result.outcomes} == {ADDED}
    return copy


@pytest.mark.hostile_inputs(0)  # the inputs above, now on every page
@pytest.mark.parametrize("page", list(state.PAGES))
def test_every_page_shows_the_added_hostile_articles_as_text(hostile_folder, monkeypatch, page):
    monkeypatch.setenv("QUAD_DATA_DIR", str(hostile_folder))
    tables = store.read_tables(hostile_folder)
    hostile = tables["articles"][tables["articles"]["source"] != SEED_SOURCE]
    meeting = tables["meeting_sources"].merge(hostile, on="article_id")["meeting_id"].iloc[0]
    live, escaped = {}, []
    # The reader shows one article at a time, so it opens each; the other pages show them all at once.
    for article_id, title in zip(hostile["article_id"], hostile["title"]) if page == "sources" else [(hostile["article_id"].iloc[0], "")]:
        at = AppTest.from_file(APP, default_timeout=60)
        at.query_params.update({"meeting": meeting, "article": article_id})
        at.switch_page(state.page_path(page)).run()
        assert not at.exception, at.exception
        live |= {title or article_id: found for found in [live_markup(at)] if found}
        escaped.append("&lt;script&gt;" in "\n".join(html_bodies(at)))
    assert live == {}, page
    if page in ("sources", "timeline"):  # the reader, and the meeting's evidence sentences: the script is shown as text
        assert any(escaped)


# ---- pasting a text --------------------------------------------------------------------------------

def paste(title: str, published: dt.date | None, text: str) -> AppTest:
    at = add_page()
    next(w for w in at.text_input if w.label == "Title").input(title)
    next(w for w in at.date_input if w.label == "Publication date").set_value(published)
    next(w for w in at.text_area if w.label == "Article text").input(text)
    return click(at, "Add this text")


def test_a_pasted_hostile_text_is_kept_as_plain_text(folder):
    title = f"<img src=x onerror=alert(1)> {JS_LINK}"
    text = report("pasted", f"{SCRIPT} {IMAGE}")
    at = paste(title, dt.date(2024, 3, 4), text)
    (row,) = at.dataframe[0].value.to_dict("records")
    assert row["Result"] == ADDED and row["Kept as"].startswith("inbox/pasted-")
    assert live_markup(at) == []
    assert_only_in_the_table(at, row["File"])
    articles = store.read_tables(folder)["articles"]
    mine = articles[articles["source"] == row["Kept as"]]
    assert list(mine["text"]) == [text] and list(mine["title"]) == [title] and list(mine["published"]) == ["2024-03-04"]


@pytest.mark.parametrize(
    "title, published, text, missing",
    [
        ("", dt.date(2024, 3, 4), report("no title"), "a title"),
        ("Quad talks", None, report("no date"), "a publication date"),
        ("Quad talks", dt.date(2024, 3, 4), "  \n ", "the text"),
        ("   ", None, "", "a title and a publication date and the text"),
    ],
)
def test_a_paste_missing_a_field_is_refused_and_changes_nothing(folder, title, published, text, missing):
    before = snapshot(folder)
    at = paste(title, published, text)
    assert [w.value for w in at.warning] == [f"Give {missing}."]
    assert not at.dataframe
    assert snapshot(folder) == before


# ---- broken input that reaches the other pages ----------------------------------------------------

@pytest.mark.hostile_inputs(1)
def test_an_article_about_an_undated_meeting_leaves_every_page_working(folder):
    """A report that a meeting took place, without saying when, is ordinary; the pages must still open."""
    text = dated("Quad partners compare notes", "Cyber officials of the Quad met in Canberra to review incident reporting.")
    _, frame = upload([("undated.txt", text)])
    assert list(frame["Result"]) == [ADDED] and "date not stated" in frame["New meetings"].iloc[0]
    for page in state.PAGES:
        at = AppTest.from_file(APP, default_timeout=60)
        at.switch_page(state.page_path(page)).run()
        assert not at.exception, (page, at.exception)


# ---- one bad input never sinks the batch (issue 8) ---------------------------------------------

BAD_BATCH = [c for c in CASES if c.id in ("json-nested-100000-deep", "json-lone-surrogate", "json-a-million-numbers",
                                          "json-5001-wrong-records", "far-future-date-with-tomorrow")]


@pytest.mark.hostile_inputs(len(BAD_BATCH) + 1)
def test_a_batch_with_every_kind_of_bad_file_still_adds_the_good_ones(folder):
    good = ("good.txt", dated("Quad talks in Tokyo", report("the good one in a bad batch")))
    at, frame = upload([(c.name, c.data) for c in BAD_BATCH] + [good])
    results = dict(zip(frame["File"], frame["Result"]))
    assert results == {**{c.name: c.status for c in BAD_BATCH}, "good.txt": ADDED}
    assert len(frame.loc[frame["File"] == "wrong.json", "Notes"].iloc[0].split("; ")) == 21  # 20 problems, then a count
    assert live_markup(at) == []
    sources = set(store.read_tables(folder)["articles"]["source"])
    assert {"inbox/good.txt", "inbox/far.txt"} <= sources


@pytest.mark.hostile_inputs(len(BAD_BATCH) + 1)
def test_the_command_line_refuses_each_bad_file_in_one_line_and_builds_the_rest(tmp_path, capsys):
    from data_pipeline import cli

    for case in BAD_BATCH:
        (tmp_path / case.name).write_bytes(case.data)
    (tmp_path / "good.txt").write_bytes(dated("Quad talks in Tokyo", report("the good one on the command line")))
    assert cli.main(["build", *(str(tmp_path / c.name) for c in BAD_BATCH), str(tmp_path / "good.txt"),
                     "--out", str(tmp_path / "data"), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err) < 8_000, err[:2000]  # a 9.8 MB list of numbers once wrote 464 MB
    for case in BAD_BATCH:
        if case.status == REFUSED:
            assert any(case.name in line and case.words[0] in line for line in err.splitlines()), case.id
    assert {"far.txt", "good.txt"} <= {Path(s).name for s in store.read_tables(tmp_path / "data")["articles"]["source"]}


@pytest.mark.hostile_inputs(2)
def test_a_file_too_slow_to_extract_is_refused_and_the_queue_goes_on(folder):
    """The time limit applies to each file, outside the folder lock; a 2 MB text takes seconds, the limit here is 0.5 s."""
    body = (ROOT / "tests" / "articles" / "02_wire_tokyo.txt").read_text("utf-8").split("\n", 1)[1]
    slow = Upload("slow.txt", dated("A very long report", body * (2_000_000 // len(body))))
    good = Upload("quick.txt", dated("Quad talks in Tokyo", report("quick after slow")))
    before = snapshot(folder)
    result = update(folder, [slow, good], max_bytes=LIMIT, extract_seconds=0.5)
    assert [(o.name, o.status) for o in result.outcomes] == [("slow.txt", REFUSED), ("quick.txt", ADDED)]
    assert result.outcomes[0].messages == ("took longer than 0.5 s to read; split it into smaller files",)
    assert not (folder / "inbox" / "slow.txt").exists() and (folder / "inbox" / "quick.txt").exists()
    assert {k: v for k, v in before.items() if k.startswith("inbox/")} == {k: v for k, v in snapshot(folder).items() if k.startswith("inbox/") and k != "inbox/quick.txt"}


def _denied(path: str) -> PermissionError:
    return PermissionError(errno.EACCES, "Permission denied", path)


def test_an_unreadable_file_is_refused_by_name(tmp_path, monkeypatch, capsys):
    """Simulated (the suite may run as root, who can read anything); a real unreadable file takes the same path."""
    from data_pipeline import cli

    secret = tmp_path / "in" / "secret.txt"
    secret.parent.mkdir()
    secret.write_bytes(dated("Quad talks", report("secret")))
    (tmp_path / "in" / "open.txt").write_bytes(dated("Quad talks", report("open")))
    read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: (_ for _ in ()).throw(_denied(str(self))) if self == secret else read_bytes(self))
    assert cli.main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "data"), "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    assert f"error: {secret}: cannot read file: Permission denied" in err and "Traceback" not in err
    assert len(store.read_tables(tmp_path / "data")["articles"]) == 1


def test_an_unreadable_sub_folder_is_reported_not_skipped(tmp_path, monkeypatch, capsys):
    from data_pipeline import cli

    locked = tmp_path / "in" / "locked"
    locked.mkdir(parents=True)
    (locked / "hidden.txt").write_bytes(dated("Quad talks", report("hidden")))
    (tmp_path / "in" / "open.txt").write_bytes(dated("Quad talks", report("open folder")))
    scandir = os.scandir
    def listing(path="."):  # os.walk lists folders with scandir; shutil also passes it descriptors
        if isinstance(path, (str, os.PathLike)) and Path(path) == locked:
            raise _denied(str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", listing)
    assert cli.main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "data"), "--jobs", "1"]) == 1
    assert f"error: {locked}: cannot read folder: Permission denied" in capsys.readouterr().err
    assert len(store.read_tables(tmp_path / "data")["articles"]) == 1


def test_a_file_deleted_while_the_build_reads_it_is_refused_by_name(tmp_path, monkeypatch, capsys):
    from data_pipeline import cli, update as update_module

    gone, kept = tmp_path / "in" / "gone.txt", tmp_path / "in" / "kept.txt"
    gone.parent.mkdir()
    gone.write_bytes(dated("Quad talks", report("gone")))
    kept.write_bytes(dated("Quad talks", report("kept")))
    listing = update_module.input_files

    def delete_after_listing(items):
        for path in listing(items):
            if path == gone:
                gone.unlink()
            yield path

    monkeypatch.setattr(update_module, "input_files", delete_after_listing)
    assert cli.main(["build", str(tmp_path / "in"), "--out", str(tmp_path / "data"), "--jobs", "1"]) == 1
    assert f"error: {gone}: cannot read file: No such file or directory" in capsys.readouterr().err
    assert len(store.read_tables(tmp_path / "data")["articles"]) == 1


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "the disk is full"), (errno.EACCES, "no permission to write")])
def test_a_full_disk_or_a_folder_without_permission_is_one_clear_line_and_changes_nothing(seeded, tmp_path, monkeypatch, capsys, code, words):
    from data_pipeline import cli

    copy = tmp_path / "data"
    shutil.copytree(seeded, copy)
    before = snapshot(copy)
    (tmp_path / "new.txt").write_bytes(dated("Quad talks", report("disk full")))

    def failing(self, path, **kwargs):
        raise OSError(code, os.strerror(code), str(path))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing)
    assert cli.main(["build", str(tmp_path / "new.txt"), "--out", str(copy), "--jobs", "1"]) == 2
    err = capsys.readouterr().err
    assert words in err and "current data version is unchanged" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert snapshot(copy) == before


@pytest.mark.hostile_inputs(0)  # not an input: the swap itself
def test_every_file_of_a_version_is_on_disk_before_current_points_at_it(seeded, tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(seeded, copy)
    events: list[tuple[str, str]] = []
    fsync, replace = store._fsync, os.replace
    monkeypatch.setattr(store, "_fsync", lambda path: (events.append(("fsync", Path(path).name)), fsync(path))[1])
    monkeypatch.setattr(os, "replace", lambda a, b: (events.append(("replace", Path(b).name)), replace(a, b))[1])
    update(copy, [Upload("fsync.txt", dated("Quad talks", report("fsync")))])
    swap = events.index(("replace", store.CURRENT))
    version = store.current(copy)
    synced = {name for kind, name in events[:swap] if kind == "fsync"}
    assert {p.name for p in version.iterdir()} | {store.VERSIONS} <= synced
