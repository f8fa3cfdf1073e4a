"""The command line on good and bad input: messages name the file, exit codes tell what failed."""

import json
import subprocess
import sys

import pytest

from data_pipeline import store
from data_pipeline.cli import main
from tests.conftest import ROOT, SEED, snapshot


def test_build_writes_tables_and_a_manifest(tmp_path, capsys):
    out = tmp_path / "data"
    assert main(["build", str(SEED), "--out", str(out), "--jobs", "1"]) == 0
    manifest = store.read_manifest(out)
    assert manifest["inputs"][0]["path"] == f"inbox/{SEED.name}" and len(manifest["inputs"][0]["sha256"]) == 64
    assert (out / "inbox" / SEED.name).read_bytes() == SEED.read_bytes()  # the original is kept for rebuilds
    assert manifest["row_counts"]["articles"] == 1 and manifest["pipeline_version"]
    assert manifest["built_at"] and manifest["build_id"]
    tables = store.read_tables(out)
    assert {n: len(t) for n, t in tables.items()} == manifest["row_counts"]
    assert "wrote" in capsys.readouterr().out


def test_an_add_says_how_many_originals_it_read_and_what_it_linked(tmp_path, write, capsys):
    out = tmp_path / "data"
    assert main(["build", str(SEED), "--out", str(out), "--jobs", "1"]) == 0
    assert "1 of 1 original(s) read; linked every article" in capsys.readouterr().out
    added = write("in/canberra.txt", "date 2024-02-01 Cyber talks\nCanberra, Feb 1: Quad cyber officials met in Canberra on Monday.\n")
    assert main(["build", str(added), "--out", str(out), "--jobs", "1"]) == 0
    assert "1 of 2 original(s) read; the other 1 unchanged since the previous version; linked the added articles" in capsys.readouterr().out


def test_bad_inputs_are_named_and_the_good_ones_still_built(tmp_path, write, capsys):
    good = write("in/good.txt", "date 2024-02-01 Cyber talks\nCanberra, Feb 1: Officials met in Canberra on Monday.\n")
    write("in/empty.txt", "")
    write("in/binary.txt", b"\x00\x01\x02")
    write("in/latin1.txt", "Caf\u00e9".encode("latin-1"))
    write("in/nodate.md", "Talks\nOfficials met in Tokyo.\n")
    write("in/records.json", json.dumps([{"title": "x", "text": 3}]))
    out = tmp_path / "data"
    code = main(["build", str(tmp_path / "in"), str(tmp_path / "missing.txt"), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    for name, reason in [("empty.txt", "empty file"), ("binary.txt", "binary file"), ("latin1.txt", "not valid UTF-8"),
                         ("missing.txt", "no such file"), ("records.json", "'text'")]:
        assert any(name in line and reason in line and line.startswith("error:") for line in err.splitlines()), name
    assert any("nodate.md" in line and line.startswith("warning:") and "no publication date" in line for line in err.splitlines())
    articles = store.read_tables(out)["articles"]
    assert sorted(articles["title"]) == ["Cyber talks", "Talks"]
    assert f"inbox/{good.name}" in set(articles["source"])
    assert sorted(p.name for p in (out / "inbox").iterdir()) == ["good.txt", "nodate.md"]  # refused files are not kept


def test_nothing_readable_leaves_existing_tables_untouched(tmp_path, write, capsys):
    out = tmp_path / "data"
    assert main(["build", str(SEED), "--out", str(out)]) == 0
    before = snapshot(out)
    assert main(["build", str(write("bad.txt", b"\xff\xfe\x00")), "--out", str(out)]) == 2
    assert "left as it was" in capsys.readouterr().err
    assert snapshot(out) == before


def test_a_broken_knowledge_base_file_is_named(tmp_path, write, capsys):
    kb = write("kb.toml", "[[organizations]]\nid = 'org-x'\nname = 'X'\nkind = 'club'\n")
    assert main(["build", str(SEED), "--out", str(tmp_path / "data"), "--kb", str(kb)]) == 2
    assert f"{kb}: organizations[0]: kind 'club'" in capsys.readouterr().err
    assert not (tmp_path / "data" / "CURRENT").exists()


def test_an_analyst_knowledge_base_adds_organisations_and_places(tmp_path, write):
    article = write("a.txt", "date 2024-06-12 Talks\nOfficials of the Pacific Cyber Forum met in Port Vila on Tuesday.\n")
    kb = write("kb.toml", """
[[organizations]]
id = "org-pacific-cyber-forum"
name = "Pacific Cyber Forum"
kind = "forum"

[[places]]
id = "port-vila"
name = "Port Vila"
country = "VUT"
""")
    assert main(["build", str(article), "--out", str(tmp_path / "data"), "--kb", str(kb)]) == 0
    tables = store.read_tables(tmp_path / "data")
    assert "org-pacific-cyber-forum" in set(tables["organizations"]["org_id"])
    assert tables["places"].set_index("place_id").loc["port-vila", "country"] == "VUT"


def test_module_entry_point_and_help():
    run = subprocess.run([sys.executable, "-m", "data_pipeline", "build", "--help"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "--out" in run.stdout and "--kb" in run.stdout
    run = subprocess.run([sys.executable, "-m", "data_pipeline", "schema"], capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0 and "### `meetings`" in run.stdout


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_parallel_and_serial_builds_give_identical_tables(tmp_path, jobs):
    copies = tmp_path / "in"
    copies.mkdir()
    text = SEED.read_text()
    for i in range(6):  # distinct texts, so each is its own article
        (copies / f"{i}.txt").write_text(text + f"\nNote {i}.\n")
    assert main(["build", str(copies), "--out", str(tmp_path / "serial"), "--jobs", "1"]) == 0
    assert main(["build", str(copies), "--out", str(tmp_path / "other"), "--jobs", jobs]) == 0
    serial, other = store.read_tables(tmp_path / "serial"), store.read_tables(tmp_path / "other")
    for name in serial:
        assert serial[name].equals(other[name]), name


def test_a_50_mb_file_is_refused_by_name_without_being_read(tmp_path, capsys):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert main(["build", str(big), str(SEED), "--out", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert f"error: {big}: file is 50.0 MB, over the size limit of 10.0 MB" in err
    assert len(store.read_tables(tmp_path / "data")["articles"]) == 1
