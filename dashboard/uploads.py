"""What the Add articles page hands to the pipeline and shows back, as pure functions.

File names and messages come from the analyst's files, so they are shown in a
table (plain text) or through `sources.literal`, never as live Markdown.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Sequence

import pandas as pd

from data_pipeline.ids import slug
from data_pipeline.update import ADDED, PRESENT, REFUSED, FileOutcome, Upload

def pasted(title: str, published: dt.date | None, text: str) -> Upload:
    """A pasted article as the JSON record the readers take; the file name comes from the title."""
    missing = [name for name, value in (("a title", title.strip()), ("a publication date", published), ("the text", text.strip())) if not value]
    if missing:
        raise ValueError("Give " + " and ".join(missing) + ".")
    record = {"title": title.strip(), "date": published.isoformat(), "text": text}
    return Upload(f"pasted-{slug(title)[:60]}.json", json.dumps(record, ensure_ascii=False).encode("utf-8"))


def results_frame(outcomes: Sequence[FileOutcome]) -> pd.DataFrame:
    """One row per file. What the analyst needs first comes first: the reasons when a file was not added,
    else the meetings it added (the table is wider than a laptop screen)."""
    rows = [
        {
            "File": o.name,
            "Result": o.status,
            "New meetings": "; ".join(o.new_meetings),
            "New people": "; ".join(o.new_people),
            "Topics": "; ".join(o.topics),
            "Also reports": "; ".join(o.known_meetings),
            "Notes": "; ".join(o.messages),
            "Kept as": o.stored_as or "",
        }
        for o in outcomes
    ]
    columns = ["File", "Result", "New meetings", "New people", "Topics", "Also reports", "Notes", "Kept as"]
    if any(o.status != ADDED for o in outcomes):
        columns.remove("Notes")
        columns.insert(2, "Notes")
    return pd.DataFrame(rows, columns=columns)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(outcomes: Sequence[FileOutcome]) -> str:
    """One line an analyst can read at a glance; counts only, so no file text is in it."""
    by_status = {s: [o for o in outcomes if o.status == s] for s in (ADDED, PRESENT, REFUSED)}
    parts = []
    if by_status[ADDED]:
        meetings = sum(len(o.new_meetings) for o in by_status[ADDED])
        people = len({p for o in by_status[ADDED] for p in o.new_people})
        parts.append(f"{_count(len(by_status[ADDED]), 'file')} added "
                     f"({_count(meetings, 'new meeting')}, {_count(people, 'new person').replace('persons', 'people')})")
    if by_status[PRESENT]:
        parts.append(f"{_count(len(by_status[PRESENT]), 'file')} already in the data (nothing added)")
    if by_status[REFUSED]:
        parts.append(f"{_count(len(by_status[REFUSED]), 'file')} refused (see Notes)")
    return "; ".join(parts) + "." if parts else "No file was given."
