"""Progress bars: files read and articles extracted on a terminal, nothing when output is not a terminal."""

import io
import sys

from data_pipeline import cli
from data_pipeline.build import build_tables
from tests.conftest import ARTICLES


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_build_on_a_terminal_counts_files_and_articles(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    result = build_tables([ARTICLES], bars=True)
    files = len([p for p in ARTICLES.iterdir() if p.is_file()])
    drawn = screen.getvalue()
    assert "reading: 100%" in drawn and f"{files}/{files}" in drawn and "file/s" in drawn
    articles = len(result.tables["articles"])
    assert "extracting: 100%" in drawn and f"{articles}/{articles}" in drawn and "article/s" in drawn


def test_without_a_terminal_the_command_line_prints_no_bars(tmp_path, capsys):
    assert cli.main(["build", str(ARTICLES), "--out", str(tmp_path / "data"), "--jobs", "1"]) == 0
    err = capsys.readouterr().err
    assert "reading" not in err and "extracting" not in err and "\r" not in err


def test_bars_are_off_unless_asked_even_on_a_terminal(monkeypatch):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    build_tables([ARTICLES])
    assert screen.getvalue() == ""
