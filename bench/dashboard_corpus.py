"""A synthetic corpus that looks like months of Quad cyber reporting, for looking at the dashboard at scale.

`bench/generate.py` writes one independent article per meeting, which is right
for measuring extraction speed but gives the dashboard nothing to connect. An
analyst's corpus is different: the same officials turn up at many meetings,
several outlets report one meeting in their own style, partners such as
Singapore or Fiji join some of them, and some dates are known only to the month.
This generator draws a calendar of meetings first, each with delegates from a
fixed roster of invented officials, and then writes one to three reports of
each meeting in one of five styles (wire copy, government media release,
attendee list, regional feature, JSON record). Every title starts with
"[SYNTHETIC]" and every text opens with the SYNTHETIC notice, as in the
benchmark generator whose word pools it reuses.

    python bench/dashboard_corpus.py 320 --out bench/out/dashboard-320 [--build]

`--build` also builds the tables into `<out>/data` (the articles go to
`<out>/articles`), ready for `QUAD_DATA_DIR=<out>/data make run` and the
screenshots; it is never the dashboard's default `data/`.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # run as a script from anywhere in the checkout

from bench.generate import BODIES, COUNTRIES, FAMILY, FILLER, GIVEN, MARK, NOTICE, TITLES, TOPIC_PHRASES, write_articles  # noqa: E402

__all__ = ["Official", "Meeting", "PARTNERS", "roster", "span", "calendar", "generate_corpus", "write_corpus", "build"]

DEFAULT_OUT = HERE / "out" / "dashboard-320"
# Partners that join some meetings: (name, demonym, body, venues).
PARTNERS = {
    "SGP": ("Singapore", "Singaporean", "Cyber Security Agency", ("Singapore",)),
    "IDN": ("Indonesia", "Indonesian", "National Cyber and Crypto Agency", ("Jakarta", "Bali")),
    "PHL": ("the Philippines", "Philippine", "Department of Information and Communications Technology", ("Manila",)),
    "FJI": ("Fiji", "Fijian", "Ministry of Communications", ("Suva",)),
    "KOR": ("the Republic of Korea", "Korean", "National Intelligence Service", ("Seoul",)),
}
KINDS = ("principals meeting", "working group meeting", "cyber dialogue", "senior officials meeting", "workshop")
OFFICIALS_PER_COUNTRY = 9
STYLES = ("wire", "release", "attendees", "feature", "record")
FIRST_DAY, DAYS = date(2021, 1, 1), 5 * 365
# Five years hold 22 cities × 1,825 days = 40,150 (day, city) pairs, one meeting each: enough for the 10,000-article
# corpus (5,882 meetings), while 100,000 articles (58,824 meetings) could never fill them and the draw never ended.
# Each further MEETINGS_PER_SPAN meetings add five earlier years, so the density of meetings per place and day, which
# decides what linking merges, stays that of the 10,000-article corpus, and the corpora up to it are unchanged.
MEETINGS_PER_SPAN = 6_000


@dataclass(frozen=True)
class Official:
    name: str
    title: str
    body: str
    country: str

    def introduced(self) -> str:
        """'Keiko Ishikawa, Deputy Secretary of Japan's Ministry of Foreign Affairs'."""
        owner = _country_name(self.country)
        possessive = f"{owner}'" if owner.endswith("s") else f"{owner}'s"
        return f"{self.name}, {self.title} of {possessive} {self.body}"


@dataclass(frozen=True)
class Meeting:
    day: date
    precision: str  # "day" or "month": some reports give only the month
    city: str
    host: str
    kind: str
    delegates: tuple[Official, ...]
    topics: tuple[str, ...]


def _country_name(code: str) -> str:
    return COUNTRIES[code][0] if code in COUNTRIES else PARTNERS[code][0]


def _demonym(code: str) -> str:
    return COUNTRIES[code][1] if code in COUNTRIES else PARTNERS[code][1]


def roster(rng: random.Random) -> dict[str, list[Official]]:
    """A fixed set of distinct invented officials per country; the first few of each lead most delegations."""
    used: set[str] = set()
    people: dict[str, list[Official]] = {}
    for code in [*sorted(COUNTRIES), *sorted(PARTNERS)]:
        count = OFFICIALS_PER_COUNTRY if code in COUNTRIES else 3
        people[code] = []
        while len(people[code]) < count:
            name = f"{rng.choice(GIVEN)} {rng.choice(FAMILY)}"
            if name in used:
                continue
            used.add(name)
            body = rng.choice(BODIES[code]) if code in BODIES else PARTNERS[code][2]
            people[code].append(Official(name, rng.choice(TITLES), body, code))
    return people


def _delegate(rng: random.Random, officials: list[Official]) -> Official:
    """Weighted towards the head of the roster, so a few officials are central and many are occasional."""
    return rng.choices(officials, weights=[1 / (i + 1) for i in range(len(officials))])[0]


def span(n_meetings: int) -> tuple[date, int]:
    """The calendar's first day and length in days: five years ending in 2025, five years earlier per MEETINGS_PER_SPAN."""
    spans = max(1, -(-n_meetings // MEETINGS_PER_SPAN))
    return FIRST_DAY - timedelta(days=DAYS * (spans - 1)), DAYS * spans


def calendar(rng: random.Random, n_meetings: int, people: dict[str, list[Official]]) -> list[Meeting]:
    """Meetings spread over five years or more (`span`), one per (day, city), with two to four Quad delegations and
    sometimes a partner."""
    meetings: dict[tuple[date, str], Meeting] = {}
    first, days = span(n_meetings)
    while len(meetings) < n_meetings:
        day = first + timedelta(days=rng.randrange(days))
        members = rng.sample(sorted(COUNTRIES), rng.randint(2, 4))
        partners = rng.sample(sorted(PARTNERS), rng.randint(1, 2)) if rng.random() < 0.3 else []
        if partners and rng.random() < 0.5:
            host = partners[0]
            city = rng.choice(PARTNERS[host][3])
        else:
            host = members[0]
            city = rng.choice(COUNTRIES[host][2])
        if (day, city) in meetings:
            continue
        delegates = tuple(_delegate(rng, people[c]) for c in [*members, *partners])
        precision = "month" if rng.random() < 0.1 else "day"
        meetings[(day, city)] = Meeting(day, precision, city, host, rng.choice(KINDS), delegates, tuple(rng.sample(TOPIC_PHRASES, 4)))
    return sorted(meetings.values(), key=lambda m: (m.day, m.city))


def _names(codes: list[str]) -> str:
    names = [_country_name(c) for c in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"


def _when(meeting: Meeting, published: date, style: str) -> str:
    """The meeting's date as this outlet writes it, relative to its publication day where reporters do that."""
    day = meeting.day
    if meeting.precision == "month":
        return f"in {day:%B} {day.year}"
    if style == "wire" and (published - day).days == 1:
        return "yesterday"
    if style == "feature":
        return f"on {day.day} {day:%B} {day.year}"
    return f"on {day:%B} {day.day}, {day.year}"


def _filler(rng: random.Random, meeting: Meeting, words: int) -> list[str]:
    paragraphs: list[str] = []
    while words > 0:
        topic = rng.choice(meeting.topics)
        sentences = [rng.choice(FILLER).format(topic=topic, demonym=_demonym(rng.choice(meeting.delegates).country))
                     for _ in range(rng.randint(2, 3))]
        words -= sum(len(s.split()) for s in sentences)
        paragraphs.append(" ".join(sentences))
    return paragraphs


def _body(rng: random.Random, meeting: Meeting, published: date, style: str) -> tuple[str, list[str]]:
    """Title and paragraphs of one report of the meeting in the given style."""
    codes = list(dict.fromkeys(d.country for d in meeting.delegates))
    when, city, kind = _when(meeting, published, style), meeting.city, meeting.kind
    first, second = meeting.topics[:2]
    if style == "release":
        title = f"{MARK} Joint media release: Quad {kind} in {city}"
        lead = (f"{city}, {published:%b} {published.day}: Senior officials of {_names(codes)} held a Quad {kind} in {city} "
                f"{when}. The partners reaffirmed their commitment to {first} and {second}.")
        people = [f"The meeting was attended by {'; '.join(d.introduced() for d in meeting.delegates)}."]
    elif style == "attendees":
        title = f"{MARK} Quad {kind}, {city}: list of participants"
        lead = f"{city.upper()}, {published:%B} {published.day}, {published.year} \u2014 The Quad {kind} met in {city} {when} to discuss {first}."
        people = ["Participants:\n" + "\n".join(f"- {d.introduced()}" for d in meeting.delegates)]
    elif style == "feature":
        title = f"{MARK} Why the Quad keeps talking about {first}"
        lead = (f"{city}, {published:%b} {published.day}: When cyber officials from {_names(codes)} gathered in {city} {when} "
                f"for a Quad {kind}, the talk was of {first}.")
        lead_person, *others = meeting.delegates
        people = [f"{lead_person.introduced()}, opened the session."]
        if others:
            people.append(f"The other delegations were led by {'; '.join(d.introduced() for d in others)}.")
    else:  # wire, and the JSON records
        title = f"{MARK} Quad {kind} in {city} focuses on {first}"
        lead = (f"{city.upper()} (Synthetic Wire) - Cyber officials from {_names(codes)} met in {city} {when} for a Quad {kind}, "
                f"focusing on {first} and {second}.")
        people = [f"The delegations were led by {'; '.join(d.introduced() for d in meeting.delegates)}."]
    paragraphs = [NOTICE, lead, *people]
    paragraphs += _filler(rng, meeting, rng.randint(150, 450) - sum(len(p.split()) for p in paragraphs))
    return title, paragraphs


def generate_corpus(n: int, seed: int = 0) -> list[dict]:
    """At least n article records (title, date, text, url, style), reporting about n / 1.7 meetings."""
    rng = random.Random(seed)
    people = roster(rng)
    articles: list[dict] = []
    meetings = calendar(rng, max(1, round(n / 1.7)), people)
    while len(articles) < n:
        for meeting in meetings:
            reports = 1 if len(articles) >= n else rng.choices((1, 2, 3), weights=(4, 4, 2))[0]
            for style in rng.sample(STYLES, reports):
                published = meeting.day + timedelta(days=rng.randint(1, 3) if meeting.precision == "day" else rng.randint(40, 60))
                title, paragraphs = _body(rng, meeting, published, style)
                articles.append({"title": title, "date": published.isoformat(), "text": "\n\n".join(paragraphs),
                                 "url": f"https://synthetic.invalid/{style}/{len(articles)}", "style": style})
    return articles


def write_corpus(out: Path, n: int, seed: int = 0) -> list[Path]:
    """Write the articles under `out`: a text file with a date header each, the "record" style as one JSON Lines file."""
    def files():
        for i, article in enumerate(generate_corpus(n, seed)):
            style = article.pop("style")
            yield (None if style == "record" else f"synthetic_{i:05d}_{style}"), article
    return write_articles(out, files())


def build(out: Path, n: int, seed: int = 0) -> Path:
    """Write the corpus to `<out>/articles` and build its tables into `<out>/data` (replacing an older build);
    an error names any file the build refused."""
    import shutil

    from data_pipeline.update import REFUSED, update

    out = Path(out)
    write_corpus(out / "articles", n, seed)
    data = out / "data"
    if data.exists():
        shutil.rmtree(data)
    result = update(data, [out / "articles"], jobs=2)
    refused = [f"{o.name}: {'; '.join(o.messages)}" for o in result.outcomes if o.status == REFUSED]
    if refused:  # a corpus with holes would measure and show less than it claims
        raise RuntimeError(f"{len(refused)} file(s) of the corpus were refused:\n" + "\n".join(refused))
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("n", type=int, help="number of articles (at least)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"folder to write (default {DEFAULT_OUT.relative_to(HERE.parent)})")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--build", action="store_true", help="also build the tables into <out>/data")
    args = parser.parse_args(argv)
    if args.build:
        print(f"built {build(args.out, args.n, args.seed)}")
    else:
        files = write_corpus(args.out, args.n, args.seed)
        print(f"wrote {args.n} synthetic articles in {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
