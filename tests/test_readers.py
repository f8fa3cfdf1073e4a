import json
from datetime import date

import pytest

from data_pipeline.readers import read_inputs
from tests.conftest import SEED


def test_seed_header_gives_title_date_and_body():
    (article,), problems, files = read_inputs([SEED])
    assert problems == []
    assert article.title.startswith("Quad cyber group meets in New Delhi")
    assert article.published == date(2023, 1, 31) and article.date_source == "header"
    assert article.text.startswith("New Delhi, Jan 31:")
    assert files[0]["sha256"] and files[0]["articles"] == 1


def test_plain_markdown_takes_first_line_as_title(write):
    path = write("note.md", "# Cyber talks in Canberra\n\nOfficials met on Monday.\nMore text.\n")
    (article,), problems, _ = read_inputs([path])
    assert article.title == "Cyber talks in Canberra"
    assert article.text == "Officials met on Monday.\nMore text."
    assert article.published is None and problems == []


def test_json_list_jsonl_and_record_errors(write):
    good = {"title": "A", "date": "2024-03-04", "text": "Body one.", "url": "https://example.org/a"}
    listing = write("a.json", json.dumps([good, {"title": "B", "text": 5}, {"title": "C", "date": "2024-13-01", "text": "x"}]))
    lines = write("b.jsonl", json.dumps({"title": "D", "text": "Body two."}) + "\n{broken\n")
    articles, problems, _ = read_inputs([listing, lines])
    assert [(a.title, a.published, a.source) for a in articles] == [
        ("A", date(2024, 3, 4), "https://example.org/a"),
        ("D", None, f"{lines}:1"),
    ]
    messages = [str(p) for p in problems]
    assert any("record 1" in m and "'text'" in m for m in messages)
    assert any("record 2" in m and "2024-13-01" in m for m in messages)
    assert any(f"{lines}" in m and "line 2" in m and "not valid JSON" in m for m in messages)
    assert all(p.fatal for p in problems)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", "", "empty file"),
        ("blank.txt", "  \n\n ", "empty file"),
        ("binary.txt", b"\x89PNG\r\n\x00\x00\x01", "binary file"),
        ("latin1.txt", "Caf\u00e9 talks".encode("latin-1"), "not valid UTF-8"),
        ("bad.json", "{not json", "not valid JSON"),
        ("list.json", "[7]", "expected an object"),
        ("table.csv", "a,b\n1,2\n", "unsupported file type"),
        ("header.txt", "date 2023-02-30 Title\nBody.", "does not exist"),
    ],
)
def test_bad_files_are_refused_with_the_file_named(write, name, content, message):
    path = write(name, content)
    articles, problems, files = read_inputs([path])
    assert articles == []
    assert len(problems) == 1 and problems[0].fatal
    assert problems[0].path == str(path) and message in problems[0].message
    assert files[0]["status"] == "refused"


def test_size_limit_and_missing_path(write, tmp_path):
    big = write("big.txt", "date 2024-01-01 Big\n" + "word " * 300_000)
    articles, problems, _ = read_inputs([big, tmp_path / "missing.txt"], max_bytes=1024 * 1024)
    assert articles == []
    assert "over the size limit of 1.0 MB" in problems[0].message and problems[0].path == str(big)
    assert problems[1].message == "no such file or directory"


def test_same_text_twice_is_one_article_and_bom_is_ignored(write):
    body = "Officials met in Tokyo on Friday."
    first = write("one/a.txt", f"date 2024-05-10 First\n{body}\n")
    write("two/b.txt", "\ufeff" + f"date 2024-05-10 Second copy\r\n{body}\r\n")
    articles, problems, _ = read_inputs([first.parent.parent])
    assert len(articles) == 1 and articles[0].source == str(first)
    assert [p.fatal for p in problems] == [False] and str(first) in problems[0].message


def test_directories_are_read_recursively_in_a_stable_order(write, tmp_path):
    write("z/deep/c.txt", "Title C\nText C.")
    write("a.txt", "Title A\nText A.")
    write("z/.hidden.txt", "Title H\nText H.")
    write("z/notes.csv", "x")
    articles, problems, _ = read_inputs([tmp_path])
    assert [a.title for a in articles] == ["Title A", "Title C"] and problems == []
