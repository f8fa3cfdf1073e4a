"""An add reads only the originals that changed since the version it builds on (`inbox_reading`), and the version
lists the same inputs and problems, and holds the same tables, as reading every original again."""

import json
import os
import shutil

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_pipeline import build, inbox_reading, store
from data_pipeline.readers import DEFAULT_MAX_BYTES, read_file
from data_pipeline.update import Upload, update
from tests.conftest import ARTICLES, ROOT

STORY = """date 2025-09-{day:02d} Quad partners talk cyber in {city}
{upper}, Sept {day} - Cyber officials of the Quad met in {city} on Monday to discuss undersea cables and \
ransomware, a joint statement said.
"""


def _story(day: int, city: str) -> Upload:
    return Upload(f"{city.lower()}.txt", STORY.format(day=day, city=city, upper=city.upper()).encode())


@pytest.fixture
def files_read(monkeypatch) -> list[str]:
    """The labels of the files the build reads (not those taken from the record)."""
    labels: list[str] = []

    def read(path, max_bytes, label=None):
        labels.append(label)
        return read_file(path, max_bytes, label)

    monkeypatch.setattr(inbox_reading, "read_file", read)
    return labels


def _mixed_inbox(folder) -> None:
    """Articles in every plain style, records where one repeats an article of another file and one is refused."""
    update(folder, sorted(ARTICLES.glob("*.txt")) + sorted(ARTICLES.glob("*.md")) + [ARTICLES / "08_ministerial.json"])
    first = json.loads((ARTICLES / "08_ministerial.json").read_text("utf-8"))
    first = first[0] if isinstance(first, list) else first
    records = [first, {"title": "Quad cyber dialogue", "date": "2025-02-30", "text": "A record with a date that does not exist."},
               {"title": "Cyber talks in Delhi", "date": "2025-02-03", "text": "NEW DELHI, Feb 3 - Quad cyber officials met in Delhi."}]
    update(folder, [Upload("feed.jsonl", "\n".join(json.dumps(r) for r in records).encode())])


def _manifest(folder) -> dict:
    return store.read_manifest(folder)


def test_an_add_reads_only_its_new_file_and_lists_what_reading_every_file_lists(tmp_path, files_read):
    folder = tmp_path / "data"
    _mixed_inbox(folder)
    problems = _manifest(folder)["problems"]
    assert any("same text as" in p for p in problems) and any("does not exist" in p for p in problems)
    files_read.clear()
    result = update(folder, [_story(8, "Tokyo")])
    assert files_read == ["inbox/tokyo.txt"] and result.build.linked == "the added articles"
    added, tables = _manifest(folder), store.read_tables(folder)
    files_read.clear()
    update(folder, full=True)
    assert len(files_read) == len(added["inputs"]) >= 10
    again = _manifest(folder)
    assert (added["inputs"], added["problems"]) == (again["inputs"], again["problems"])
    for name, frame in store.read_tables(folder).items():
        pd.testing.assert_frame_equal(tables[name], frame, obj=name)


def test_an_original_edited_in_place_is_read_again_even_with_its_old_size_and_time(tmp_path, files_read):
    """A tool that keeps a file's modification time (`cp -p`, an editor's backup) still sets its change time."""
    folder = tmp_path / "data"
    update(folder, [_story(8, "Tokyo"), _story(9, "Paris")])
    original = store.inbox(folder) / "tokyo.txt"
    before = original.stat()
    original.write_text(original.read_text("utf-8").replace("undersea cables", "satellite links"), "utf-8")
    os.utime(original, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert original.stat().st_size == before.st_size
    files_read.clear()
    assert update(folder, [_story(10, "Lima")]).build.linked == "every article"
    # Lima is new, Tokyo edited; the edit changed an article, so every article is linked, and Paris read for its text
    assert files_read == ["inbox/lima.txt", "inbox/tokyo.txt", "inbox/paris.txt"]
    texts = store.read_tables(folder)["articles"]["text"]
    tokyo = texts[texts.str.startswith("TOKYO")]
    assert len(tokyo) == 1 and "satellite links" in tokyo.iloc[0]


@pytest.mark.parametrize("damage", ["edited", "other code", "other size limit"])
def test_a_record_edited_or_made_under_other_reading_rules_is_not_used(tmp_path, files_read, monkeypatch, damage):
    folder = tmp_path / "data"
    update(folder, [_story(8, "Tokyo"), _story(9, "Paris"), _story(10, "Lima")])
    record = store.current(folder) / inbox_reading.FOLDER / "articles.parquet"
    if damage == "edited":  # a record that still reads well, with one article fewer
        pq.write_table(pq.read_table(record).slice(1), record)
    elif damage == "other code":
        key = build.reading_key
        monkeypatch.setattr(build, "reading_key", lambda max_bytes: key(max_bytes) | {"code": "other"})
    files_read.clear()
    update(folder, [_story(11, "Oslo")], max_bytes=DEFAULT_MAX_BYTES - (damage == "other size limit"))
    assert sorted(files_read) == ["inbox/lima.txt", "inbox/oslo.txt", "inbox/paris.txt", "inbox/tokyo.txt"]
    assert len(store.read_tables(folder)["articles"]) == 4


def test_a_text_left_out_of_the_record_is_read_again_and_a_changed_one_refused(tmp_path):
    """Linking every article needs the texts the record left out; an original changed since it was listed is named."""
    inbox = tmp_path / "inbox"
    shutil.copytree(ROOT / "tests" / "formats" / "wire", inbox)
    files = sorted(inbox.iterdir())
    articles, reading = inbox_reading.read([inbox], 10**7, tmp_path, False, {})
    recorded = {r.label: r for r in reading.reads}
    again, later = inbox_reading.read([inbox], 10**7, tmp_path, False, recorded)
    assert [a.text for a in again] == [""] * len(files) and [a.article_id for a in again] == [a.article_id for a in articles]
    assert [a.text for a in later.texts(again)] == [a.text for a in articles]
    _, later = inbox_reading.read([inbox], 10**7, tmp_path, False, recorded)
    files[0].write_text(files[0].read_text("utf-8") + " More text.", "utf-8")
    with pytest.raises(inbox_reading.ReadingError, match=f"inbox/{files[0].name}: changed while the build was reading it"):
        later.texts(again)
