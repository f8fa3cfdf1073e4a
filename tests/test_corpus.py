"""End to end: hand-written articles in several styles against what an analyst reading them expects.

Each case is built on its own (so a case's expectations do not depend on the
others), then the whole corpus together for merging, duplicates and
determinism. Expectations come from the text, as an analyst would read it, not
from the code's output; one test per aspect (dates, kind, participants, ...) so
that a regression names exactly what it broke.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import os
import shutil
import subprocess
import sys
import weakref
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline import build, extraction_store, inbox_reading, schema, windowed
from data_pipeline.build import BuildResult, build_tables
from data_pipeline.extraction_store import PARTS, ExtractionCache
from data_pipeline.ids import article_id, person_id
from data_pipeline.kb import load_kb
from data_pipeline.readers import read_file, read_inputs
from data_pipeline.store import read_tables
from tests.conftest import ROOT, SEED, InFlight, assert_traceable

ARTICLES = ROOT / "tests" / "articles"
QUAD = frozenset({"AUS", "IND", "JPN", "USA"})


@dataclass(frozen=True)
class Meeting:
    city: str
    country: str
    start: str
    end: str
    precision: str
    kind: str | None = None  # None: the text leaves the kind open, so it is not checked
    people: frozenset[str] = frozenset()  # participants named as people
    countries: frozenset[str] = frozenset()  # every country represented, by a person or on its own
    topics: frozenset[str] = frozenset()  # topics the sentences about this meeting raise (at least)
    n_sources: int = 1
    status: str = "held"  # or planned: still to come when every report was written


@dataclass(frozen=True)
class Person:
    name: str
    title: str
    country: str
    honorific: str | None = None
    post_nominals: str | None = None


@dataclass(frozen=True)
class Case:
    name: str
    files: tuple[str, ...]
    meetings: tuple[Meeting, ...]
    people: tuple[Person, ...]
    topics: frozenset[str]  # topics the articles raise (at least); empty means none at all


SEED_CASE = Case(
    "seed",
    (str(SEED),),
    meetings=(
        Meeting("New Delhi", "IND", "2023-01-30", "2023-01-31", "day", "principals meeting",
                people=frozenset({"Michael Pezzullo", "Rajesh Pant", "Masataka Okano", "Anne Neuberger"}),
                countries=QUAD,
                topics=frozenset({"threat-information-sharing", "supply-chain-security", "software-security",
                                  "capacity-building", "incident-response"})),
        Meeting("Sydney", "AUS", "2022-01-01", "2022-12-31", "year", countries=QUAD,
                topics=frozenset({"cyber-resilience", "critical-infrastructure"})),
    ),
    people=(
        Person("Michael Pezzullo", "Secretary", "AUS", post_nominals="AO"),
        Person("Rajesh Pant", "National Cyber Security Coordinator", "IND", honorific="Lt General"),
        Person("Masataka Okano", "Deputy National Security Adviser", "JPN"),
        Person("Anne Neuberger", "Deputy National Security Advisor", "USA"),
    ),
    topics=frozenset({"threat-information-sharing", "supply-chain-security", "software-security", "capacity-building",
                      "incident-response", "critical-infrastructure", "cyber-resilience"}),
)

CASES = (
    SEED_CASE,
    Case(
        "press-release",
        ("01_press_release_washington.txt",),
        meetings=(
            Meeting("Washington", "USA", "2024-03-04", "2024-03-05", "day", "principals meeting",
                    people=frozenset({"Eleanor Whitcombe", "Thomas Ellery", "Vikram Solanki", "Haruka Midorikawa"}),
                    countries=QUAD,
                    topics=frozenset({"software-security", "threat-information-sharing", "critical-infrastructure",
                                      "capacity-building", "incident-response"})),
            # "The principals will next meet in India in 2025."
            Meeting("?", "IND", "2025-01-01", "2025-12-31", "year", countries=frozenset({"IND"}), status="planned"),
        ),
        people=(
            Person("Eleanor Whitcombe", "Deputy National Security Advisor", "USA", honorific="Dr"),
            Person("Thomas Ellery", "Head", "AUS", honorific="Brigadier", post_nominals="AM"),
            Person("Vikram Solanki", "National Cyber Security Coordinator", "IND"),
            Person("Haruka Midorikawa", "Ambassador in charge of Cyber Policy", "JPN", honorific="Ambassador"),
        ),
        topics=frozenset({"software-security", "threat-information-sharing", "critical-infrastructure",
                          "capacity-building", "incident-response"}),
    ),
    Case(
        "wire-report",
        ("02_wire_tokyo.txt",),
        meetings=(
            Meeting("Tokyo", "JPN", "2024-06-13", "2024-06-13", "day", "working group",
                    people=frozenset({"Kenji Moriyama", "Laura Brennan"}), countries=QUAD,
                    topics=frozenset({"critical-infrastructure"})),
        ),
        people=(
            Person("Kenji Moriyama", "Ambassador for Cyber Policy", "JPN"),
            Person("Laura Brennan", "Deputy Assistant Secretary of State", "USA"),
        ),
        topics=frozenset({"threat-information-sharing", "critical-infrastructure"}),
    ),
    Case(
        "attendee-list",
        ("03_attendee_list.md",),
        meetings=(
            Meeting("Canberra", "AUS", "2024-09-16", "2024-09-17", "day", "meeting",
                    people=frozenset({"Rebecca Thornbury", "Arvind Kulkarni", "Yuki Hasegawa", "Marcus Delgado",
                                      "Losana Vakacegu"}),
                    countries=QUAD | {"FJI"},
                    topics=frozenset({"capacity-building", "incident-response", "critical-infrastructure"})),
        ),
        people=(
            Person("Rebecca Thornbury", "Assistant Secretary", "AUS"),
            Person("Arvind Kulkarni", "Director General", "IND"),
            Person("Yuki Hasegawa", "Deputy Director-General", "JPN"),
            Person("Marcus Delgado", "Senior Director for Cybersecurity", "USA"),
            Person("Losana Vakacegu", "Permanent Secretary", "FJI"),
        ),
        topics=frozenset({"capacity-building", "incident-response", "critical-infrastructure"}),
    ),
    Case(
        "relative-dates",
        ("04_relative_dates.txt",),
        meetings=(
            Meeting("New Delhi", "IND", "2023-11-15", "2023-11-15", "day", "dialogue",
                    people=frozenset({"Meera Iyengar", "Takeshi Onoda"}), countries=frozenset({"IND", "JPN"}),
                    topics=frozenset({"supply-chain-security"})),
            Meeting("Tokyo", "JPN", "2023-10-01", "2023-10-31", "month", countries=QUAD),
        ),
        people=(
            Person("Meera Iyengar", "Joint Secretary for Cyber Diplomacy", "IND"),
            Person("Takeshi Onoda", "Ambassador in charge of Cyber Policy", "JPN"),
        ),
        topics=frozenset({"supply-chain-security", "capacity-building"}),
    ),
    Case(
        "two-outlets",
        ("05_canberra_outlet_a.txt", "06_canberra_outlet_b.md"),
        meetings=(
            Meeting("Canberra", "AUS", "2024-10-08", "2024-10-09", "day", "principals meeting",
                    people=frozenset({"Helen Ashcombe", "Daniel Prescott", "Sanjay Mehrotra", "Aiko Fujisawa"}),
                    countries=QUAD, n_sources=2,
                    topics=frozenset({"supply-chain-security", "threat-information-sharing", "critical-infrastructure",
                                      "incident-response"})),
        ),
        people=(
            Person("Helen Ashcombe", "Deputy Secretary", "AUS"),
            Person("Daniel Prescott", "Deputy National Cyber Director", "USA"),
            Person("Sanjay Mehrotra", "National Cyber Security Coordinator", "IND", honorific="Lt Gen"),
            Person("Aiko Fujisawa", "Deputy National Security Adviser", "JPN", honorific="Dr"),
        ),
        topics=frozenset({"supply-chain-security", "threat-information-sharing", "critical-infrastructure",
                          "incident-response", "cyber-resilience"}),
    ),
    Case("no-quad-content", ("07_sports_no_quad.txt",), meetings=(), people=(), topics=frozenset()),
    Case(
        "json-record",
        ("08_ministerial.json",),
        meetings=(
            Meeting("New York", "USA", "2023-09-22", "2023-09-22", "day", "ministerial", countries=QUAD,
                    topics=frozenset({"cyber-resilience"})),
        ),
        people=(Person("Aditi Rao", "Spokesperson", "IND"),),
        topics=frozenset({"cyber-resilience", "critical-infrastructure", "capacity-building"}),
    ),
    Case(
        "jsonl-records",
        ("09_records.jsonl",),
        meetings=(
            Meeting("Mumbai", "IND", "2024-04-01", "2024-04-30", "month", people=frozenset({"Nandita Bose"}),
                    countries=QUAD),
        ),
        people=(Person("Nandita Bose", "Director", "IND"),),
        topics=frozenset({"incident-response"}),
    ),
)
BY_NAME = {case.name: case for case in CASES}


def _path(name: str) -> Path:
    return Path(name) if Path(name).is_absolute() else ARTICLES / name


@functools.cache
def built(case_name: str) -> BuildResult:
    return build_tables([_path(f) for f in BY_NAME[case_name].files])


@functools.cache
def built_corpus() -> BuildResult:
    return build_tables([ARTICLES, SEED])


def _meeting_params(with_kind: bool = False, with_topics: bool = False):
    return [pytest.param(case.name, i, id=f"{case.name}-{m.city}") for case in CASES for i, m in enumerate(case.meetings)
            if (m.kind or not with_kind) and (m.topics or not with_topics)]


def _person_params():
    return [pytest.param(case.name, p, id=f"{case.name}-{p.name}") for case in CASES for p in case.people]


CASE_NAMES = [case.name for case in CASES]


def _meeting_row(case_name: str, index: int) -> pd.Series:
    expected = BY_NAME[case_name].meetings[index]
    meetings = built(case_name).tables["meetings"]
    found = meetings[(meetings["city"].fillna("?") == expected.city) & (meetings["country"].fillna("?") == expected.country)]
    assert len(found) == 1, f"expected one meeting in {expected.city}, {expected.country}; meetings: " \
                            f"{meetings[['city', 'country', 'start_date', 'kind']].to_dict('records')}"
    return found.iloc[0]


@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_every_reported_meeting_is_found_and_nothing_else(case_name):
    meetings = built(case_name).tables["meetings"]
    found = sorted(zip(meetings["city"].fillna("?"), meetings["country"].fillna("?")))
    assert found == sorted((m.city, m.country) for m in BY_NAME[case_name].meetings)


@pytest.mark.parametrize("case_name, index", _meeting_params())
def test_meeting_dates_and_precision(case_name, index):
    row, expected = _meeting_row(case_name, index), BY_NAME[case_name].meetings[index]
    assert (row["start_date"], row["end_date"], row["date_precision"]) == (expected.start, expected.end, expected.precision)


@pytest.mark.parametrize("case_name, index", _meeting_params())
def test_meeting_held_or_planned(case_name, index):
    assert _meeting_row(case_name, index)["status"] == BY_NAME[case_name].meetings[index].status


@pytest.mark.parametrize("case_name, index", _meeting_params(with_kind=True))
def test_meeting_kind(case_name, index):
    assert _meeting_row(case_name, index)["kind"] == BY_NAME[case_name].meetings[index].kind


@pytest.mark.parametrize("case_name, index", _meeting_params())
def test_meeting_participants_named_as_people(case_name, index):
    row, expected = _meeting_row(case_name, index), BY_NAME[case_name].meetings[index]
    participants = built(case_name).tables["participants"]
    people = set(participants.loc[participants["meeting_id"] == row["meeting_id"], "person_id"].dropna())
    assert people == {person_id(name) for name in expected.people}


@pytest.mark.parametrize("case_name, index", _meeting_params())
def test_meeting_countries_represented(case_name, index):
    row, expected = _meeting_row(case_name, index), BY_NAME[case_name].meetings[index]
    participants = built(case_name).tables["participants"]
    assert set(participants.loc[participants["meeting_id"] == row["meeting_id"], "country"].dropna()) == expected.countries


@pytest.mark.parametrize("case_name, index", _meeting_params())
def test_meeting_sources(case_name, index):
    row, expected = _meeting_row(case_name, index), BY_NAME[case_name].meetings[index]
    sources = built(case_name).tables["meeting_sources"]
    assert row["n_sources"] == expected.n_sources
    assert sources.loc[sources["meeting_id"] == row["meeting_id"], "article_id"].nunique() == expected.n_sources


@pytest.mark.parametrize("case_name, index", _meeting_params(with_topics=True))
def test_topics_are_linked_to_their_meeting(case_name, index):
    row, expected = _meeting_row(case_name, index), BY_NAME[case_name].meetings[index]
    mentions = built(case_name).tables["topic_mentions"]
    assert expected.topics <= set(mentions.loc[mentions["meeting_id"] == row["meeting_id"], "topic_id"])


@pytest.mark.parametrize("case_name, person", _person_params())
def test_person_name_rank_title_and_country(case_name, person):
    people = built(case_name).tables["people"].set_index("person_id")
    pid = person_id(person.name)
    assert pid in people.index, f"{person.name} not found; people: {people['name'].tolist()}"
    row = people.loc[pid]
    found = (row["name"], row["honorific"], row["post_nominals"], row["title"], row["country"])
    expected = (person.name, person.honorific, person.post_nominals, person.title, person.country)
    assert tuple(None if pd.isna(v) else v for v in found) == expected


@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_only_officials_get_titles(case_name):
    """Reporters, athletes and people merely quoted without a post must not become officials."""
    people = built(case_name).tables["people"]
    titled = set(people.loc[people["title"].notna(), "name"])
    assert titled == {p.name for p in BY_NAME[case_name].people}


@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_topics_raised(case_name):
    expected = BY_NAME[case_name].topics
    found = set(built(case_name).tables["topic_mentions"]["topic_id"])
    if expected:
        assert expected <= found
    else:
        assert found == set()


@pytest.mark.parametrize("case_name", CASE_NAMES)
def test_every_fact_traces_to_its_text(case_name):
    assert_traceable(built(case_name).tables)
    assert not [p for p in built(case_name).problems if p.fatal]


def test_relative_dates_resolve_against_the_publication_date():
    mentions = built("relative-dates").tables["mentions"]
    dates = dict(zip(mentions.loc[mentions["entity_type"] == "date", "surface"].str.lower(),
                     mentions.loc[mentions["entity_type"] == "date", "entity_id"]))
    assert dates.get("yesterday") == "2023-11-15/2023-11-15"
    assert dates.get("last month") == "2023-10-01/2023-10-31"
    assert dates.get("last year") == "2022-01-01/2022-12-31"


def test_record_without_a_date_is_read_with_a_warning():
    result = built("jsonl-records")
    articles = result.tables["articles"].set_index("source")
    undated = articles.loc["https://example.org/news/quad-ransomware-statement"]
    assert pd.isna(undated["published"]) and undated["date_source"] == "unknown"
    assert articles.loc["https://example.org/news/quad-cyber-campaign-mumbai", "published"] == "2024-05-04"
    assert any(not p.fatal and "date" in p.message for p in result.problems)


# --- the whole corpus together -------------------------------------------------------------------------


def _meeting_summary(meetings: pd.DataFrame) -> list[tuple]:
    columns = ["city", "start_date", "end_date", "kind", "n_sources"]
    return sorted(tuple("?" if pd.isna(v) else v for v in row) for row in meetings[columns].itertuples(index=False))


def test_corpus_gives_each_case_meetings_unmerged():
    """The cases report different meetings (other dates or places), so building them together must not merge them."""
    separately = [row for case in CASES for row in _meeting_summary(built(case.name).tables["meetings"])]
    assert _meeting_summary(built_corpus().tables["meetings"]) == sorted(separately)


def test_corpus_merges_people_across_articles():
    tables = built_corpus().tables
    ashcombe = person_id("Helen Ashcombe")
    assert (tables["people"]["person_id"] == ashcombe).sum() == 1
    mentions = tables["mentions"]
    assert mentions.loc[mentions["entity_id"] == ashcombe, "article_id"].nunique() == 2
    assert schema.problems(tables) == []


def test_same_text_in_two_files_is_one_article(tmp_path):
    copy = tmp_path / "copy_of_seed.txt"
    shutil.copyfile(SEED, copy)
    result = build_tables([SEED, copy])
    assert len(result.tables["articles"]) == 1
    assert result.tables["articles"].loc[0, "source"] == str(SEED)
    assert [p.fatal for p in result.problems if "same text" in p.message] == [False]
    assert result.tables.keys() == built("seed").tables.keys()
    for name, table in built("seed").tables.items():
        assert result.tables[name].equals(table), name


def test_building_twice_gives_identical_tables():
    first, second = built_corpus(), build_tables([ARTICLES, SEED])
    for name in schema.TABLES:
        assert first.tables[name].equals(second.tables[name]), name
    assert first.manifest["build_id"] == second.manifest["build_id"]


def test_parallel_build_gives_the_same_tables():
    parallel = build_tables([ARTICLES, SEED], jobs=2)
    for name in schema.TABLES:
        assert parallel.tables[name].equals(built_corpus().tables[name]), name


class _CountingPool(InFlight):
    """Stands in for `multiprocessing.Pool`, counting the tasks submitted and not yet taken."""

    def __init__(self, processes: int):
        super().__init__()

    def __enter__(self):
        return self

    def __exit__(self, *raised):
        return False

    def apply_async(self, function, args):
        return self.handed(lambda: function(*args))


def test_the_local_workers_are_given_a_few_batches_ahead_not_the_whole_corpus(monkeypatch):
    """Linking takes extractions one at a time; workers handed every batch at once would pile their results up in
    the building process whenever it is slower than they are (a loaded machine, many workers)."""
    pools: list[_CountingPool] = []
    monkeypatch.setattr(build.multiprocessing, "Pool", lambda processes: pools.append(_CountingPool(processes)) or pools[-1])
    articles = read_inputs([ARTICLES, *sorted(ROOT.glob("tests/articles_heldout*"))])[0]
    found = list(build.iter_extract(articles, load_kb(), (), 2))
    assert [e.document.article_id for e in found] == [a.article_id for a in articles]
    batches = -(-len(articles) // max(1, len(articles) // 16))
    assert pools[0].most == 2 * windowed.TASKS_AHEAD < batches


class _Text(str):
    """A text a test can watch (`weakref`) to see whether the build still holds it."""


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_build_lets_each_input_text_go_once_its_extraction_is_out(monkeypatch, tmp_path, jobs):
    """The extraction carries the text (a worker's copy, or the input's own when read from a stored part), and the
    tables hold it twice more: the inputs' texts kept to the end were 330 MB of a 100,000-article build."""
    watched: dict[str, weakref.ref] = {}

    def read(*args, **kwargs):
        articles, problems, digest = read_file(*args, **kwargs)
        tracked = [dataclasses.replace(a, text=_Text(a.text)) for a in articles]
        watched.update((a.article_id, weakref.ref(a.text)) for a in tracked)
        return tracked, problems, digest

    def held_back(run: build.Extraction) -> list[int]:
        """Draw the stream; after each batch, how many texts of the articles already drawn are still held."""
        drawn, held = set(), []
        for batch in run.batches():
            drawn.update(a.article_id for a in batch.articles)
            del batch
            gc.collect()
            held.append(sum(watched[a]() is not None for a in drawn))
        return held

    monkeypatch.setattr(inbox_reading, "read_file", read)
    # a batch (a slice being encoded, or a part read) holds its articles: 2 here, not 250 or 2,000
    monkeypatch.setattr(extraction_store, "PART_SIZE", 2)
    monkeypatch.setattr(extraction_store, "SLICE", 2)
    made = build.Extraction([ARTICLES, SEED], engine=build.LocalEngine(jobs), parts_to=tmp_path / PARTS)
    assert max(held_back(made)) <= 2 and len(made.parts) > 4
    stored = build.Extraction([ARTICLES, SEED], cache=ExtractionCache(tmp_path, sorted(made.parts)))
    assert max(held_back(stored)) <= 2 and len(watched) > 10
    assert (stored.extracted, stored.build_id(), stored.problems()) == (0, made.build_id(), made.problems())


def test_article_ids_are_stable_across_processes(tmp_path):
    """The CLI in a fresh interpreter writes the same ids (a hash of the text) as an in-process build."""
    out = tmp_path / "data"
    done = subprocess.run([sys.executable, "-m", "data_pipeline", "build", str(ARTICLES), str(SEED), "--out", str(out),
                           "--jobs", "1"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    written = read_tables(out)
    articles = written["articles"]
    assert sorted(articles["article_id"]) == sorted(built_corpus().tables["articles"]["article_id"])
    assert all(article_id(text) == aid for aid, text in zip(articles["article_id"], articles["text"]))
    for name in ("meetings", "people", "participants", "topic_mentions"):
        assert written[name].equals(built_corpus().tables[name]), name


def test_cli_builds_the_rest_when_one_input_is_refused(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    out = tmp_path / "data"
    done = subprocess.run([sys.executable, "-m", "data_pipeline", "build", str(ARTICLES / "02_wire_tokyo.txt"), str(broken),
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert str(broken) in done.stderr
    assert len(read_tables(out)["articles"]) == 1


@pytest.mark.parametrize("chosen", [None, "system"])
def test_a_build_allocates_arrow_memory_from_jemalloc_unless_told_otherwise(chosen):
    """Arrow's pool decides how much of what a build frees goes back to the system (the peak of linking 100,000
    articles: 3,986 MiB with jemalloc, 4,353 with pyarrow's default mimalloc); a pool named in the environment wins."""
    import pyarrow as pa

    try:
        pa.jemalloc_memory_pool()
    except NotImplementedError:
        pytest.skip("this pyarrow has no jemalloc")
    environment = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    environment |= {"ARROW_DEFAULT_MEMORY_POOL": chosen} if chosen else {}
    script = ("import pyarrow as pa; from data_pipeline.build import build_tables; "
              f"before = pa.default_memory_pool().backend_name; build_tables([{str(SEED)!r}]); "
              "print(before, pa.default_memory_pool().backend_name)")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    before, after = done.stdout.split()
    assert after == (chosen or "jemalloc")
    assert before == chosen or not chosen
