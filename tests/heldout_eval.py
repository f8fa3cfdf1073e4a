"""Measure extraction quality on held-out articles the rules were not written against.

Run: `.venv/bin/python tests/heldout_eval.py [--folder DIR] [--only FILE ...]`. Not a pytest test: the
numbers are a measurement to read, not a pass/fail gate. Each article in `tests/articles_heldout/` (or DIR) is
built on its own (so nothing leaks between articles) and compared with what an analyst wrote in
`expected.json` before the pipeline was ever run on it. Every discrepancy is printed with the
sentence behind it, because a score without the failing sentence cannot be acted upon.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from data_pipeline.build import build_tables  # noqa: E402

HELDOUT = ROOT / "tests" / "articles_heldout"


# --- normalisation: what counts as "the same" value -------------------------------------------

def norm_text(value) -> str | None:
    """Titles compare case-blind and without surrounding punctuation: casing differs by style guide."""
    if value is None or (isinstance(value, float) and value != value):
        return None
    text = re.sub(r"\s+", " ", str(value)).strip(" .,;:").casefold()
    return text or None


def norm_honorific(value) -> str | None:
    """'The Hon.', 'the Hon' and 'Hon' are one honorific; 'Mr.' and 'Mr' likewise."""
    text = norm_text(value)
    if text is None:
        return None
    text = re.sub(r"^the\s+", "", text.replace(".", ""))
    return text.replace("-", " ")


def norm_post_nominals(value) -> str | None:
    """'AM, CSC' and 'AM CSC' are the same letters."""
    text = norm_text(value)
    return None if text is None else " ".join(text.replace(",", " ").split())


def name_key(name) -> frozenset[str]:
    """Word set of a name, so that 'SHIRAKAWA Tomohiro' and 'Tomohiro Shirakawa' are one person."""
    return frozenset(re.findall(r"[\w'-]+", str(name).casefold()))


def accepts(value, options: list, normaliser) -> bool:
    return normaliser(value) in {normaliser(o) for o in options}


# --- the article's tables, read once -------------------------------------------------------

@dataclass
class Built:
    tables: dict

    def sentence(self, sentence_id) -> str:
        rows = self.tables["sentences"]
        hit = rows[rows["sentence_id"] == sentence_id]
        return "" if hit.empty else str(hit.iloc[0]["text"])

    def sentence_with(self, needle: str) -> str:
        """The first sentence containing a phrase: where the analyst read the fact."""
        for text in self.tables["sentences"]["text"]:
            if needle.casefold() in str(text).casefold():
                return str(text)
        return ""

    def person_sentence(self, person_id: str) -> str:
        mentions = self.tables["mentions"]
        hit = mentions[(mentions["entity_type"] == "person") & (mentions["entity_id"] == person_id)]
        return "" if hit.empty else self.sentence(hit.iloc[0]["sentence_id"])

    def meeting_sentences(self, meeting_id: str) -> list[str]:
        sources = self.tables["meeting_sources"]
        return [self.sentence(s) for s in sources[sources["meeting_id"] == meeting_id]["sentence_id"]]

    def people(self) -> list[dict]:
        return [dict(r) for r in self.tables["people"].to_dict("records")]

    def meetings(self) -> list[dict]:
        return [dict(r) for r in self.tables["meetings"].to_dict("records")]

    def participants(self, meeting_id: str) -> tuple[list[str], set[str]]:
        """Names of the people and the set of countries recorded as taking part in a meeting."""
        rows = self.tables["participants"]
        rows = rows[rows["meeting_id"] == meeting_id]
        names = self.tables["people"].set_index("person_id")["name"]
        people = sorted({str(names[p]) for p in rows["person_id"].dropna()})
        return people, {str(c) for c in rows["country"].dropna()}

    def topics(self) -> set[str]:
        return set(self.tables["topic_mentions"]["topic_id"].dropna())


# --- scores --------------------------------------------------------------------------------

@dataclass
class Score:
    counts: Counter = field(default_factory=Counter)
    issues: list[str] = field(default_factory=list)

    def add(self, other: "Score") -> None:
        self.counts.update(other.counts)
        self.issues += other.issues


def ratio(hit: int, total: int) -> str:
    return f"{hit}/{total} ({hit / total:.0%})" if total else "–"


def _fmt_meeting(m: dict) -> str:
    return (f"{m.get('city')}/{m.get('country')} {m.get('start_date')}..{m.get('end_date')} "
            f"[{m.get('date_precision')}] kind={m.get('kind')!r} name={m.get('name')!r}")


def _fmt_expected(e: dict) -> str:
    start, end, precision = e["dates"][0]
    return f"{e['city'][0]}/{e['country']} {start}..{end} [{precision}] kind={e['kind'][0]!r}"


def _overlaps(expected: dict, got: dict) -> bool:
    if got.get("start_date") is None or got.get("end_date") is None:
        return False
    return any(s <= got["end_date"] and got["start_date"] <= e for s, e, _ in expected["dates"])


def _pair_score(expected: dict, got: dict, built: Built) -> int:
    """How likely an extracted meeting is the expected one; 0 when they cannot be the same."""
    reported_there = any(expected["evidence"].casefold() in s.casefold() for s in built.meeting_sentences(got["meeting_id"]))
    overlap = _overlaps(expected, got)
    if not (reported_there or overlap):
        return 0
    city = norm_text(got.get("city")) in {norm_text(c) for c in expected["city"]}
    kind = got.get("kind") == expected["kind"][0]
    return 3 * reported_there + 2 * overlap + 2 * city + (got.get("country") == expected["country"]) + kind


def pair_meetings(expected: list[dict], got: list[dict], built: Built) -> dict[int, int]:
    """Expected index -> extracted index, best-scoring pairs first, each meeting used once.

    Ties go to the expected meeting listed first: expected.json lists an article's main meeting first,
    so a merged extraction is charged against the meeting it mostly reports.
    """
    scored = sorted((-_pair_score(e, g, built), i, j) for i, e in enumerate(expected) for j, g in enumerate(got))
    pairs: dict[int, int] = {}
    for negative, i, j in scored:
        score = -negative
        if score and i not in pairs and j not in pairs.values():
            pairs[i] = j
    return pairs


def score_meetings(name: str, expected: list[dict], built: Built) -> Score:
    got = built.meetings()
    score = Score(Counter(meetings_expected=len(expected), meetings_found=len(got)))
    pairs = pair_meetings(expected, got, built)
    for i, exp in enumerate(expected):
        where = built.sentence_with(exp["evidence"])
        if i not in pairs:
            score.issues.append(f"[{name}] MEETING MISSED: expected {_fmt_expected(exp)}\n    sentence: {where}")
            score.counts["participants_expected"] += len(exp["participants"]) + len(exp["participant_countries"])
            continue
        m = got[pairs[i]]
        score.counts["meetings_matched"] += 1
        place_ok = norm_text(m.get("city")) in {norm_text(c) for c in exp["city"]} and m.get("country") == exp["country"]
        dates_ok = [m.get("start_date"), m.get("end_date"), m.get("date_precision")] in [list(d) for d in exp["dates"]]
        kind_ok = m.get("kind") in exp["kind"]
        score.counts["meetings_correct"] += place_ok and dates_ok
        score.counts["meetings_kind_ok"] += kind_ok
        if not (place_ok and dates_ok and kind_ok):
            wrong = ", ".join(w for w, ok in (("place", place_ok), ("dates", dates_ok), ("kind", kind_ok)) if not ok)
            score.issues.append(f"[{name}] MEETING WRONG {wrong}: expected {_fmt_expected(exp)}\n"
                                f"    got {_fmt_meeting(m)}\n    sentence: {where}")
        score.add(score_participants(name, exp, m, built))
    for j, m in enumerate(got):
        if j not in pairs.values():
            sentences = " | ".join(built.meeting_sentences(m["meeting_id"]))
            score.issues.append(f"[{name}] MEETING SPURIOUS: got {_fmt_meeting(m)}\n    sentence: {sentences}")
    return score


def score_participants(name: str, exp: dict, meeting: dict, built: Built) -> Score:
    people, countries = built.participants(meeting["meeting_id"])
    got_keys = {name_key(p): p for p in people}
    wanted = {name_key(p) for p in exp["participants"]}
    allowed = wanted | {name_key(p) for p in exp.get("participants_optional", [])}
    missing = [p for p in exp["participants"] if name_key(p) not in got_keys]
    missing_c = [c for c in exp["participant_countries"] if c not in countries]
    forbidden = [p for p in exp.get("not_participants", []) if name_key(p) in got_keys]
    extra = [p for k, p in got_keys.items() if k not in allowed]
    score = Score(Counter(
        participants_expected=len(exp["participants"]) + len(exp["participant_countries"]),
        participants_found=len(exp["participants"]) - len(missing) + len(exp["participant_countries"]) - len(missing_c),
        participant_people_got=len(got_keys),
        participant_people_ok=len(got_keys) - len(extra),
    ))
    if missing or missing_c or extra:
        score.issues.append(
            f"[{name}] PARTICIPANTS of {meeting['meeting_id']}: missing people {missing}, missing countries {missing_c}, "
            f"unexpected people {extra}{' (NAMED AS NOT TAKING PART: ' + str(forbidden) + ')' if forbidden else ''}\n"
            f"    got people {people}, countries {sorted(countries)}")
    return score


def score_people(name: str, expected: list[dict], non_officials: list[str], built: Built) -> Score:
    got = {name_key(p["name"]): p for p in built.people()}
    others = {name_key(n) for n in non_officials}
    score = Score(Counter(people_expected=len(expected), people_got=len(got),
                          non_officials=len(others), non_officials_got=len(others & got.keys())))
    for exp in expected:
        key = name_key(exp["name"])
        if key not in got:
            near = [p["name"] for k, p in got.items() if k & key]
            score.issues.append(f"[{name}] PERSON MISSED: {exp['name']}"
                                f"{' (near: ' + str(near) + ')' if near else ''}\n    sentence: {built.sentence_with(exp['name'].split()[-1])}")
            continue
        person = got[key]
        score.counts["people_found"] += 1
        checks = {
            "title": accepts(person["title"], exp["title"], norm_text),
            "country": person["country"] == exp["country"],
            "honorific": accepts(person["honorific"], exp["honorific"], norm_honorific),
            "post_nominals": accepts(person["post_nominals"], exp["post_nominals"], norm_post_nominals),
        }
        for field_name, ok in checks.items():
            score.counts[f"{field_name}_ok"] += ok
            if not ok:
                wanted = exp[field_name] if field_name != "country" else [exp["country"]]
                score.issues.append(f"[{name}] PERSON {field_name.upper()}: {exp['name']}: expected {wanted}, got {person[field_name]!r}\n"
                                    f"    sentence: {built.person_sentence(person['person_id'])}")
    wanted = {name_key(e["name"]) for e in expected}
    for key, person in got.items():
        if key in wanted:
            continue
        label = "NON-OFFICIAL EXTRACTED" if key in others else "PERSON SPURIOUS"
        score.issues.append(f"[{name}] {label}: {person['name']!r} (title {person['title']!r}, {person['country']})\n"
                            f"    sentence: {built.person_sentence(person['person_id'])}")
    return score


def score_topics(name: str, expected: list[str], optional: list[str], built: Built) -> Score:
    got = built.topics()
    hit = got & set(expected)
    tolerated = got & (set(expected) | set(optional))
    score = Score(Counter(topics_expected=len(expected), topics_got=len(got), topics_hit=len(hit), topics_tolerated=len(tolerated)))
    for topic in sorted(set(expected) - got):
        score.issues.append(f"[{name}] TOPIC MISSED: {topic}")
    mentions = built.tables["topic_mentions"]
    for topic in sorted(got - set(expected) - set(optional)):
        row = mentions[mentions["topic_id"] == topic].iloc[0]
        score.issues.append(f"[{name}] TOPIC SPURIOUS: {topic} (matched {row['matched']!r})\n    sentence: {built.sentence(row['sentence_id'])}")
    return score


def evaluate(name: str, expected: dict, folder: Path = HELDOUT) -> Score:
    built = Built(build_tables([folder / name]).tables)
    score = Score()
    score.add(score_meetings(name, expected["meetings"], built))
    score.add(score_people(name, expected["people"], expected["non_officials"], built))
    score.add(score_topics(name, expected["topics"], expected.get("topics_optional", []), built))
    return score


# --- report --------------------------------------------------------------------------------

COLUMNS = {
    "meetings found/exp": lambda c: f"{c['meetings_found']}/{c['meetings_expected']}",
    "meetings correct": lambda c: ratio(c["meetings_correct"], c["meetings_expected"]),
    "kind ok": lambda c: ratio(c["meetings_kind_ok"], c["meetings_matched"]),
    "people P": lambda c: ratio(c["people_found"], c["people_got"]),
    "people P (officials)": lambda c: ratio(c["people_found"], c["people_got"] - c["non_officials_got"]),
    "people R": lambda c: ratio(c["people_found"], c["people_expected"]),
    "non-officials taken": lambda c: f"{c['non_officials_got']}/{c['non_officials']}",
    "title": lambda c: ratio(c["title_ok"], c["people_found"]),
    "country": lambda c: ratio(c["country_ok"], c["people_found"]),
    "honorific": lambda c: ratio(c["honorific_ok"], c["people_found"]),
    "post-nom": lambda c: ratio(c["post_nominals_ok"], c["people_found"]),
    "particip. R": lambda c: ratio(c["participants_found"], c["participants_expected"]),
    "particip. P (people)": lambda c: ratio(c["participant_people_ok"], c["participant_people_got"]),
    "topics P": lambda c: ratio(c["topics_tolerated"], c["topics_got"]),
    "topics R": lambda c: ratio(c["topics_hit"], c["topics_expected"]),
}


def table(rows: dict[str, Counter]) -> str:
    lines = ["| article | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 1) + "|"]
    for label, counts in rows.items():
        lines.append(f"| {label} | " + " | ".join(f(counts) for f in COLUMNS.values()) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="article file names to evaluate (default: all)")
    parser.add_argument("--folder", type=Path, default=HELDOUT,
                        help="held-out set with its expected.json: a set once used to tune the rules no longer measures them")
    args = parser.parse_args(argv)
    expected = {k: v for k, v in json.loads((args.folder / "expected.json").read_text()).items() if not k.startswith("_")}
    names = args.only or sorted(expected)
    total, rows = Score(), {}
    for name in names:
        score = evaluate(name, expected[name], args.folder)
        rows[name.removesuffix(".txt")] = score.counts
        total.add(score)
    rows["TOTAL"] = total.counts
    print(table(rows))
    print(f"\n{len(total.issues)} discrepancies:\n")
    print("\n".join(total.issues))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
