"""Writes a synthetic corpus of Quad-cyber-like news for the benchmark.

Every title starts with "[SYNTHETIC]" and every text opens with a SYNTHETIC
notice, so a generated article can never pass for news if it leaks into a data
folder; the default output folder (`bench/out/`) is git-ignored and is not the
dashboard's data. Names, places, dates and phrases are drawn from small pools
with a seeded generator: the same seed gives byte-identical files.

    python bench/generate.py 1000 --out bench/out/corpus-1000 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Iterable

from data_pipeline.readers import DEFAULT_MAX_BYTES

MARK = "[SYNTHETIC]"
NOTICE = "SYNTHETIC benchmark article: generated text, not real news."
DEFAULT_OUT = Path(__file__).resolve().parent / "out"
RECORDS_EVERY = 10  # one article in ten goes to a JSON Lines file, to exercise the record reader too

COUNTRIES = {
    "AUS": ("Australia", "Australian", ("Sydney", "Canberra", "Melbourne", "Perth")),
    "IND": ("India", "Indian", ("New Delhi", "Mumbai", "Bengaluru", "Chennai")),
    "JPN": ("Japan", "Japanese", ("Tokyo", "Osaka", "Yokohama", "Hiroshima")),
    "USA": ("the United States", "U.S.", ("Washington", "New York", "Honolulu", "San Francisco")),
}
OTHER_VENUES = ("Singapore", "Jakarta", "Manila", "Suva")
GIVEN = ("Amelia", "Rohan", "Keiko", "Daniel", "Priya", "Hiroto", "Grace", "Arjun", "Naomi", "Samuel", "Leela",
         "Takumi", "Olivia", "Vikas", "Emi", "Marcus", "Ananya", "Ryo", "Clara", "Dev")
FAMILY = ("Harcourt", "Venkataraman", "Ishikawa", "Calloway", "Deshmukh", "Morimoto", "Fairbanks", "Raghavan",
          "Sakurada", "Whitfield", "Chaturvedi", "Nakahara", "Prendergast", "Subramanian", "Kuroda", "Ashdown")
HONORIFICS = ("", "", "", "Dr ", "Ambassador ", "Lt General ", "Rear Admiral ")
TITLES = ("Secretary", "Deputy Secretary", "National Cyber Security Coordinator", "Deputy National Security Adviser",
          "Ambassador for Cyber Affairs", "Director General", "Assistant Secretary", "Senior Director for Cybersecurity",
          "Joint Secretary", "Deputy National Cyber Director")
BODIES = {
    "AUS": ("Department of Home Affairs", "Australian Signals Directorate", "Department of Foreign Affairs and Trade"),
    "IND": ("Ministry of External Affairs", "National Security Council Secretariat", "CERT-In"),
    "JPN": ("Ministry of Foreign Affairs", "National Cybersecurity Office", "National Police Agency"),
    "USA": ("National Security Council", "Department of State", "Cybersecurity and Infrastructure Security Agency"),
}
KINDS = ("principals meeting", "working group meeting", "cyber dialogue", "senior officials meeting", "workshop")
TOPIC_PHRASES = ("threat information sharing", "supply chain security", "secure software development",
                 "capacity building", "incident response", "critical infrastructure protection", "cyber resilience",
                 "ransomware", "undersea cable security", "cyber hygiene", "vulnerability disclosure")
FILLER = (
    "Officials said the discussions on {topic} were frank and productive, and that follow-up work would be "
    "handed to technical teams in each capital.",
    "The {demonym} delegation presented a paper on {topic}, drawing on lessons from recent incidents affecting "
    "hospitals, ports and local governments.",
    "Analysts noted that the agenda reflected growing concern about {topic} across the Indo-Pacific, where "
    "many smaller states lack the resources to defend public networks.",
    "A joint statement is expected to set out a work plan on {topic} before the end of the year, according to "
    "people familiar with the preparations.",
    "Participants also exchanged views on how industry could contribute to {topic} without sharing sensitive "
    "commercial information.",
    "The meeting heard a briefing from national computer emergency response teams on {topic} and on the "
    "coordination of public advisories.",
    "Several delegates stressed that {topic} depends on trust built over many years of working-level contact.",
    "Training programmes on {topic} for officials from Pacific island countries and Southeast Asia will be "
    "expanded, the partners said.",
)


def _person(rng: random.Random, country: str) -> str:
    """'Dr Keiko Ishikawa, Deputy Secretary of the Ministry of Foreign Affairs' — an invented official."""
    name = f"{rng.choice(HONORIFICS)}{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
    body = rng.choice(BODIES[country])
    owner = COUNTRIES[country][0]
    possessive = f"{owner}'" if owner.endswith("s") else f"{owner}'s"
    return f"{name}, {rng.choice(TITLES)} of {possessive} {body}"


def _when(rng: random.Random, published: date) -> str:
    """A phrase for a meeting day shortly before publication, as a reporter would write it."""
    back = rng.randint(1, 6)
    day = published - timedelta(days=back)
    style = rng.randrange(4)
    if style == 0:
        return "yesterday" if back == 1 else f"on {day:%A}"
    if style == 1:
        return f"on {day:%B} {day.day}, {day.year}"
    if style == 2:
        return f"on {day.day} {day:%B}"
    return f"on {day:%A} and {(day + timedelta(days=1)):%A}"


def _opening(rng: random.Random, city: str, published: date) -> str:
    style = rng.randrange(3)
    if style == 0:
        return f"{city.upper()}, {published:%B} {published.day}, {published.year} \u2014 "
    if style == 1:
        return f"{city.upper()} (Synthetic Wire) - "
    return f"{city}, {published:%b} {published.day}: "


def generate_article(rng: random.Random, index: int) -> dict:
    """One synthetic article as a record: title, date, text, url."""
    published = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
    host = rng.choice(sorted(COUNTRIES))
    city = rng.choice(COUNTRIES[host][2] + (OTHER_VENUES if rng.random() < 0.15 else ()))
    kind = rng.choice(KINDS)
    when = _when(rng, published)
    members = rng.sample(sorted(COUNTRIES), rng.randint(2, 4))
    topics = rng.sample(TOPIC_PHRASES, 4)
    names = ", ".join(COUNTRIES[c][0] for c in members[:-1]) + f" and {COUNTRIES[members[-1]][0]}"
    title = f"{MARK} Quad {kind} in {city} focuses on {topics[0]}"
    paragraphs = [
        NOTICE,
        f"{_opening(rng, city, published)}Cyber officials from {names} met in {city} {when} for a Quad {kind}, "
        f"focusing on {topics[0]} and {topics[1]}.",
    ]
    if rng.random() < 0.3:
        lines = [f"- {_person(rng, c)}" for c in members]
        paragraphs.append("Participants:\n" + "\n".join(lines))
    else:
        people = "; ".join(_person(rng, c) for c in members)
        paragraphs.append(f"The delegations were led by {people}.")
    target = rng.randint(300, 800)
    words = sum(len(p.split()) for p in paragraphs)
    while words < target:
        topic, sentences = rng.choice(topics), []
        for _ in range(rng.randint(2, 4)):
            if words >= target:
                break
            sentences.append(rng.choice(FILLER).format(topic=topic, demonym=COUNTRIES[rng.choice(members)][1]))
            words += len(sentences[-1].split())
        paragraphs.append(" ".join(sentences))
    if rng.random() < 0.5:
        paragraphs.append(f"Last year, the partners met in {rng.choice(COUNTRIES[rng.choice(members)][2])} "
                          f"and agreed to deepen cooperation on {topics[2]}.")
    return {"title": title, "date": published.isoformat(), "text": "\n\n".join(paragraphs),
            "url": f"https://synthetic.invalid/article/{index}"}


# A build reads each file within a time limit (`update.EXTRACT_SECONDS`): 2,000 records in one file took longer
# than that on a loaded machine and were refused, so a records file holds a few seconds' work.
RECORDS_PER_FILE = 500


def generate_corpus(n: int, seed: int = 0) -> list[dict]:
    rng = random.Random(seed)
    return [generate_article(rng, i) for i in range(n)]


def write_articles(out: Path, articles: Iterable[tuple[str | None, dict]], max_bytes: int = DEFAULT_MAX_BYTES) -> list[Path]:
    """Write each (file stem, article) as a text file with a date header, or as a JSON Lines record when the stem is None.

    Files of an earlier corpus are removed first: a smaller corpus must not keep the files of a larger one.
    The records go to as many `.jsonl` files as keep each under `max_bytes`, the build's input limit, and
    under `RECORDS_PER_FILE`, so a large corpus is read whole instead of refused.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("synthetic_*"):
        stale.unlink()
    written: list[Path] = []
    records: list[bytes] = []
    for stem, article in articles:
        if stem is None:
            records.append((json.dumps(article, ensure_ascii=False) + "\n").encode("utf-8"))
            continue
        path = out / f"{stem}.txt"
        path.write_text(f"date {article['date']} {article['title']}\n\n{article['text']}\n", encoding="utf-8")
        written.append(path)
    for number, chunk in enumerate(_under(records, max_bytes)):
        path = out / f"synthetic_records_{number:03d}.jsonl"
        path.write_bytes(b"".join(chunk))
        written.append(path)
    return written


def write_corpus(out: Path, n: int, seed: int = 0, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Path]:
    """Write n articles under `out` (text files with a date header, one in ten as JSON Lines records)."""
    return write_articles(out, (
        (None if i % RECORDS_EVERY == RECORDS_EVERY - 1 else f"synthetic_{i:06d}", article)
        for i, article in enumerate(generate_corpus(n, seed))
    ), max_bytes)


def _under(lines: list[bytes], max_bytes: int) -> list[list[bytes]]:
    """Consecutive lines grouped into files of at most `max_bytes` and `RECORDS_PER_FILE` records each."""
    files: list[list[bytes]] = []
    size = 0
    for line in lines:
        if len(line) > max_bytes:
            raise ValueError(f"a generated record of {len(line)} bytes is over the {max_bytes}-byte input limit")
        if not files or size + len(line) > max_bytes or len(files[-1]) >= RECORDS_PER_FILE:
            files.append([])
            size = 0
        files[-1].append(line)
        size += len(line)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of articles")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / "corpus", help="folder to write (default bench/out/corpus)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    files = write_corpus(args.out, args.n, args.seed)
    print(f"wrote {args.n} synthetic articles in {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
