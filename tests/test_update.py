"""Adding articles to a data folder: originals kept, incremental builds, concurrency, crashes, hostile names."""

import json
import multiprocessing
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline import store, update as update_module
from data_pipeline.incoming import incoming
from data_pipeline.update import ADDED, PRESENT, REFUSED, Upload, safe_name, update
from tests.conftest import ARTICLES, ROOT, SEED, snapshot

# Short reports written for these tests, in a wire style the seed does not use.
TOKYO = b"""date 2025-03-12 Quad cyber officials meet in Tokyo
TOKYO, March 12 - Senior cyber officials of Australia, India, Japan and the United States met in Tokyo on Tuesday \
to discuss ransomware and the security of undersea cables, the Japanese foreign ministry said.
The talks were led by Japan's Ambassador for Cyber Policy Kenji Haramoto, who said partners agreed to share threat information faster.
"""
CANBERRA = b"""date 2025-06-04 Cyber partners gather in Canberra
CANBERRA, June 4 (Wire) - Quad cyber officials held a two-day meeting in Canberra on June 2 and 3, \
focusing on critical infrastructure protection and capacity building in the Pacific.
Australia's Ambassador for Cyber Affairs Lena Moorcroft chaired the meeting.
"""


@pytest.fixture
def seeded(tmp_path):
    folder = tmp_path / "data"
    update(folder, [SEED])
    return folder


def test_a_new_report_says_what_it_added(seeded):
    result = update(seeded, [Upload("tokyo.txt", TOKYO)])
    (outcome,) = result.outcomes
    assert outcome.status == ADDED and outcome.stored_as == "inbox/tokyo.txt"
    assert any("Tokyo" in m and "2025-03-11" in m for m in outcome.new_meetings), outcome.new_meetings
    assert outcome.known_meetings == ()
    assert "Kenji Haramoto" in outcome.new_people
    assert {"Ransomware", "Threat information sharing"} <= set(outcome.topics) or len(outcome.topics) >= 2, outcome.topics
    assert (seeded / "inbox" / "tokyo.txt").read_bytes() == TOKYO
    tables = store.read_tables(seeded)
    assert len(tables["articles"]) == 2 and "Tokyo" in set(tables["meetings"]["city"])


def test_the_same_article_again_adds_nothing_and_writes_no_version(seeded):
    update(seeded, [Upload("tokyo.txt", TOKYO)])
    before = snapshot(seeded)
    result = update(seeded, [Upload("tokyo.txt", TOKYO), Upload("copy of tokyo.txt", TOKYO), Upload("seed.txt", SEED.read_bytes())])
    assert [o.status for o in result.outcomes] == [PRESENT] * 3
    assert result.build is None and result.version is None
    assert snapshot(seeded) == before


def test_two_files_with_one_name_are_both_kept(seeded):
    update(seeded, [Upload("report.txt", TOKYO)])
    result = update(seeded, [Upload("report.txt", CANBERRA)])
    assert result.outcomes[0].status == ADDED and result.outcomes[0].stored_as.startswith("inbox/report-")
    assert sorted(p.read_bytes() for p in (seeded / "inbox").glob("report*.txt")) == sorted([TOKYO, CANBERRA])


@pytest.mark.parametrize(
    "name, expected",
    [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("..\\..\\Windows\\win.ini.txt", "win-ini.txt"),
        ("/abs/path/report.MD", "report.md"),
        ("nul\x00byte.txt", "nulbyte.txt"),
        ("<script>alert(1)</script>.txt", "script.txt"),  # "/" ends a path part, whatever it sits in
        ("..", "article"),
        ("", "article"),
        (".hidden.txt", "hidden.txt"),
    ],
)
def test_file_names_cannot_leave_the_inbox(name, expected):
    assert safe_name(name) == expected


def test_a_traversal_name_lands_inside_the_inbox(tmp_path, seeded):
    result = update(seeded, [Upload("../../../escaped.txt", TOKYO), Upload("../CURRENT.txt", CANBERRA)])
    assert [o.stored_as for o in result.outcomes] == ["inbox/escaped.txt", "inbox/CURRENT.txt"]
    assert not list(tmp_path.rglob("escaped.txt"))[0].relative_to(seeded / "inbox").parts[:-1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]
    assert store.current(seeded).name == (seeded / "CURRENT").read_text().strip()  # the pointer is untouched text


def test_an_incremental_build_extracts_only_new_articles_and_equals_a_full_rebuild(tmp_path):
    folder = tmp_path / "data"
    files = sorted(ARTICLES.glob("*.txt"))[:4]
    first = update(folder, [SEED])
    assert first.build.extracted == 1
    for n, path in enumerate(files, start=2):
        result = update(folder, [path])
        assert result.build.extracted == 1 and result.build.manifest["row_counts"]["articles"] == n
    full_folder = tmp_path / "full"
    shutil.copytree(folder / "inbox", full_folder / "inbox")
    full = update(full_folder, full=True)
    assert full.build.extracted == len(files) + 1
    incremental, rebuilt = store.read_tables(folder), store.read_tables(full_folder)
    for name in incremental:
        pd.testing.assert_frame_equal(incremental[name], rebuilt[name], obj=name)
    assert store.read_manifest(folder)["build_id"] == store.read_manifest(full_folder)["build_id"]


def test_an_edited_original_is_extracted_again(seeded):
    update(seeded, [Upload("tokyo.txt", TOKYO)])
    (seeded / "inbox" / "tokyo.txt").write_bytes(TOKYO.replace(b"Tokyo on Tuesday", b"Osaka on Tuesday"))
    result = update(seeded)
    assert result.build.extracted == 1 and result.version is not None
    assert "Osaka" in set(store.read_tables(seeded)["meetings"]["city"])


def test_a_knowledge_base_file_is_remembered_and_a_changed_one_reextracts_everything(seeded, write):
    kb = write("kb.toml", '[[organizations]]\nid = "org-harbour-cyber-forum"\nname = "Harbour Cyber Forum"\nkind = "forum"\n')
    result = update(seeded, kb_files=[kb])
    assert result.build.extracted == 1  # the seed again, under the new knowledge base
    article = b"date 2025-08-01 Forum\nOfficials of the Harbour Cyber Forum met in Sydney on Friday.\n"
    result = update(seeded, [Upload("forum.txt", article)])  # no --kb: the recorded file still applies
    assert result.build.extracted == 1
    assert "org-harbour-cyber-forum" in set(store.read_tables(seeded)["organizations"]["org_id"])


def test_a_failed_build_takes_its_files_out_of_the_inbox(seeded, monkeypatch):
    before = snapshot(seeded)

    def broken_link(*args):
        raise RuntimeError("linking failed")

    monkeypatch.setattr(update_module, "build_tables", lambda *a, **k: broken_link())
    with pytest.raises(RuntimeError):
        update(seeded, [Upload("tokyo.txt", TOKYO)])
    assert snapshot(seeded) == before


KILL_DURING_WRITE = """
import os, signal, sys
import pandas as pd
from data_pipeline.update import Upload, update
original, written = pd.DataFrame.to_parquet, []
def dying(self, path, **kwargs):
    written.append(path)
    if len(written) == 4:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(self, path, **kwargs)
pd.DataFrame.to_parquet = dying
update(sys.argv[1], [Upload("tokyo.txt", open(sys.argv[2], "rb").read())])
"""


def test_a_killed_build_leaves_the_previous_version_and_loses_nothing(seeded, write):
    before = {k: v for k, v in snapshot(seeded).items() if not k.startswith("inbox/")}
    run = subprocess.run([sys.executable, "-c", KILL_DURING_WRITE, str(seeded), str(write("tokyo.txt", TOKYO))], cwd=ROOT)
    assert run.returncode == -signal.SIGKILL
    assert {k: v for k, v in snapshot(seeded).items() if not k.startswith("inbox/")} == before
    assert len(store.read_tables(seeded)["articles"]) == 1
    left = list(seeded.glob(".incoming-*"))  # its own folder, which it could not remove
    assert len(left) == 1 and (left[0] / ".owner").is_file()
    # the original was already kept; the next change (here: the same upload again) builds it, and the lock was freed
    result = update(seeded, [Upload("tokyo.txt", TOKYO)])
    assert result.outcomes[0].status == ADDED and len(store.read_tables(seeded)["articles"]) == 2
    assert list((seeded / ".staging").iterdir()) == []
    assert list(seeded.glob(".incoming-*")) == []  # its owner gone, the next update removed it


def test_an_update_leaves_the_folders_of_updates_still_running(seeded):
    older = seeded / ".incoming-older"  # made by a version of the pipeline without owner files: cannot tell
    older.mkdir()
    with incoming(seeded) as running:  # an update that has not finished (its lock is on another descriptor)
        (running / "part-0.parquet").write_bytes(b"extractions")
        update(seeded, [Upload("tokyo.txt", TOKYO)])
        assert (running / "part-0.parquet").read_bytes() == b"extractions"
    assert not running.exists() and older.is_dir()


def _upload_in_process(folder, name, data, start):
    start.wait()
    update(folder, [Upload(name, data)])


@pytest.mark.parametrize("kind", ["processes", "threads"])  # two servers, or two sessions of one Streamlit server
def test_two_uploads_at_the_same_moment_both_land(seeded, kind):
    context = multiprocessing.get_context("fork") if kind == "processes" else None
    start = context.Event() if context else threading.Event()
    make = context.Process if context else threading.Thread
    workers = [make(target=_upload_in_process, args=(seeded, name, data, start))
               for name, data in (("tokyo.txt", TOKYO), ("canberra.txt", CANBERRA))]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(120)
    if context:
        assert [w.exitcode for w in workers] == [0, 0]
    tables = store.read_tables(seeded)
    assert len(tables["articles"]) == 3 and {"Tokyo", "Canberra"} <= set(tables["meetings"]["city"])


def test_refused_files_are_not_kept_and_say_why(seeded):
    before = snapshot(seeded)
    result = update(seeded, [Upload("notes.docx", b"PK\x03\x04"), Upload("empty.txt", b""), Upload("bad.json", b'{"title": 3}')])
    assert [o.status for o in result.outcomes] == [REFUSED] * 3
    assert "unsupported file type" in result.outcomes[0].messages[0]
    assert result.outcomes[1].messages == ("empty file",)
    assert "'text' is missing" in result.outcomes[2].messages[0]
    assert snapshot(seeded) == before


def test_files_added_together_are_described_each_by_its_own_articles(seeded):
    first = update(seeded, [ARTICLES / "05_canberra_outlet_a.txt"]).outcomes[0]
    assert first.new_meetings and first.new_people
    second, tokyo = update(seeded, [ARTICLES / "06_canberra_outlet_b.md", Upload("tokyo.txt", TOKYO)]).outcomes
    assert second.known_meetings == first.new_meetings and second.new_meetings == ()
    assert not set(second.new_people) & set(first.new_people)
    assert all("Tokyo" in m for m in tokyo.new_meetings) and tokyo.new_meetings and tokyo.known_meetings == ()
    assert "Kenji Haramoto" in tokyo.new_people and "Kenji Haramoto" not in second.new_people


def test_a_named_file_is_read_when_kept_and_one_gone_by_then_is_refused_while_the_others_land(seeded, write, monkeypatch):
    """Files named to the build command are read when needed, not held (90,000 files, 568 MB, at 100,000
    articles), so a file removed while the build runs is refused with the reason, and the rest is built."""
    gone = write("in/gone.txt", TOKYO)
    write("in/kept.txt", CANBERRA)
    extract_first = update_module._extract_first

    def then_remove(*args, **kwargs):
        found = extract_first(*args, **kwargs)
        gone.unlink()
        return found

    monkeypatch.setattr(update_module, "_extract_first", then_remove)
    result = update(seeded, [gone.parent])
    outcome = {Path(o.name).name: o for o in result.outcomes}
    assert outcome["gone.txt"].status == REFUSED and outcome["gone.txt"].messages[0].startswith("cannot read file")
    assert outcome["kept.txt"].status == ADDED and "Canberra" in set(store.read_tables(seeded)["meetings"]["city"])


def test_each_file_is_told_the_warnings_about_its_own_articles_and_no_others(seeded):
    """Build warnings are matched to files by path: the file itself, or one of its lines or records."""
    dated = json.dumps({"title": "Talks", "date": "2024-02-01", "text": "Officials met in Canberra on Monday."})
    undated = json.dumps({"title": "More talks", "text": "Officials met in Tokyo on Monday."})
    result = update(seeded, [Upload("feed.jsonl", f"{dated}\n{undated}\n".encode()),
                             Upload("notes.txt", b"Talks\nOfficials met in Delhi on Monday.\n"),
                             Upload("dated.txt", b"date 2024-02-02 Talks\nOfficials met in Perth on Monday.\n")])
    feed, notes, dated_file = result.outcomes
    assert [o.status for o in result.outcomes] == [ADDED] * 3
    assert sum("no publication date" in m for m in feed.messages) == 1
    assert sum("no publication date" in m for m in notes.messages) == 1
    assert not any("no publication date" in m for m in dated_file.messages)
    assert not any(p.path.startswith(("inbox/feed.jsonl", "inbox/notes.txt")) for p in result.other_problems)
