from pathlib import Path

import pytest
from hypothesis import settings

# Timing is measured in bench/, not asserted in tests: a shared machine makes any per-example deadline flaky.
settings.register_profile("no-deadline", deadline=None)
settings.load_profile("no-deadline")

from data_pipeline import schema

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_bf8b055a07b7d457.txt"
ARTICLES = ROOT / "tests" / "articles"


@pytest.fixture
def write(tmp_path):
    """Write a file under tmp_path (text or bytes) and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write


def assert_traceable(tables) -> None:
    """The contract holds and every mention, sentence and topic match slices to its text."""
    assert schema.problems(tables) == []
    text = tables["articles"].set_index("article_id")["text"]
    for row in tables["mentions"].itertuples():
        assert text[row.article_id][row.start:row.end] == row.surface
    for row in tables["sentences"].itertuples():
        assert text[row.article_id][row.start:row.end] == row.text
        assert row.text and row.text == row.text.strip()
    sentences = tables["sentences"].set_index(["article_id", "sentence_id"])
    for row in tables["topic_mentions"].itertuples():
        assert row.matched.lower() in sentences.loc[(row.article_id, row.sentence_id), "text"].lower()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file of a data folder that holds data (not the lock or staging), to show nothing changed."""
    folder = Path(folder)
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.relative_to(folder).as_posix().startswith((".lock", ".staging"))
    }
