"""What linking keeps with a data version, so that adding articles links only what they touch (`link_added`).

Linking needs every article: a short name is joined to a full name another article gives, reports of one meeting
come from many articles, copies of a story are found among all of them. An add of one article to 100,000 need not
read them all again if the version keeps what those steps read, small next to the tables:

    linking/forms.parquet      each person id found, before joining: first name, countries and posts (`Forms`)
    linking/joined.parquet     the short-name ids joined to full-name ids (`Forms.joins`)
    linking/reports.parquet    each meeting report: article, index in it, meeting, place's blocking key, the
                               meeting's id before `link._unique`, and the report itself
    linking/latest.parquet     each person's latest role, by aspect (post, country, any), and when it was reported
    linking/given.parquet      the article that gave each place's, organisation's and person's row and values
    linking/stories/           the story index (`story_groups.StoryIndex`): ids, signatures, pairs (the band keys are
                               made again from the signatures: a fifth of the state's bytes, written on every add)

Parquet and plain NumPy arrays, never pickles: reading a data folder must not run code. The version's manifest
holds each file's SHA-256 (`linking_state`): a state damaged or edited since, which could read well and give other
tables, is refused, and the add links every article.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from .extraction_store import decoded, encoded
from .file_digests import digests
from .model import RoleFinding
from .name_forms import shorter_forms
from .stories import NUM_PERM
from .story_groups import SIGNATURE, StoryIndex

FOLDER = "linking"


class StateError(ValueError):
    """Linking state that cannot be read; an add then links every article."""


@dataclass(frozen=True)
class Forms:
    """Every person id the extractions found, before a short name is joined to a full one: its first name (in article
    order), and the countries and posts its roles give. All that joining reads (`joins`)."""

    names: dict[str, str]
    countries: dict[str, set[str]]
    posts: dict[str, set[str]]

    @classmethod
    def of(cls, gathered: Iterable) -> Forms:
        """The forms of `gathered` (what linking keeps of each article, `article_rows.Kept`, in article order)."""
        names: dict[str, str] = {}
        countries: dict[str, set[str]] = defaultdict(set)
        posts: dict[str, set[str]] = defaultdict(set)
        for ex in gathered:
            for p in ex.entities.people:
                names.setdefault(p.person_id, p.name)
            for r in ex.entities.roles:
                countries[r.person_id].update([r.country] if r.country else [])
                posts[r.person_id].update([r.title.lower()] if r.title else [])
        return cls(names, dict(countries), dict(posts))

    def merged(self, later: Forms) -> Forms:
        """These forms and `later`'s, a name found here first (`later` must come after in article order, or give
        the same names)."""
        def union(mine: dict[str, set[str]], theirs: dict[str, set[str]]) -> dict[str, set[str]]:
            return {key: mine.get(key, set()) | theirs.get(key, set()) for key in mine.keys() | theirs.keys()}

        return Forms(later.names | self.names, union(self.countries, later.countries), union(self.posts, later.posts))

    def joins(self) -> dict[str, str]:
        """{found person id: the person id it stands for}: a short form of a name in one article ("President Biden")
        is the person another article names in full ("Joe Biden") when exactly one full name fits (`name_forms`) and
        the two are not given different countries or only different posts."""
        countries, posts = defaultdict(set, self.countries), defaultdict(set, self.posts)

        def conflict(short: str, full: str) -> bool:
            return bool(countries[short] and countries[full] and not countries[short] & countries[full]
                        or posts[short] and posts[full] and not posts[short] & posts[full])

        return shorter_forms(self.names, conflict)


REPORT_COLUMNS = ["article_id", "meeting_index", "meeting_id", "place_key", "base", "finding"]


def reports(findings: pa.Table, reported: dict[str, list]) -> pa.Table:
    """Every meeting report (`findings`: article_id, meeting_index, finding) with its meeting (`reported`), in
    article and index order."""
    meetings = pa.table({"article_id": pa.array(reported["article_id"], pa.string()),
                         "meeting_index": pa.array(reported["meeting_index"], pa.int64()),
                         "meeting_id": pa.array(reported["meeting_id"], pa.string()),
                         "place_key": pa.array(reported["place_key"], pa.string()),
                         "base": pa.array(reported["base"], pa.string())})
    positions = findings.select(["article_id", "meeting_index"]).append_column("at", pa.array(np.arange(len(findings)), pa.int64()))
    joined = positions.join(meetings, ["article_id", "meeting_index"], join_type="inner")  # a join carries no struct
    joined = joined.append_column("finding", findings.column("finding").take(joined.column("at")))
    return joined.select(REPORT_COLUMNS).sort_by([("article_id", "ascending"), ("meeting_index", "ascending")])


@dataclass(frozen=True)
class LinkState:
    """What linking read across articles, kept with the version it made (the files are listed in the module)."""

    forms: Forms
    joined: dict[str, str]
    reports: pa.Table  # REPORT_COLUMNS
    latest: dict[tuple[str, str], tuple]  # (person id, aspect) -> ((published or date.min, article id, sentence id), role)
    given: dict[tuple[str, str, str], str]  # (table, entity id, "row" or a column) -> the article that gave it
    index: StoryIndex

    def write(self, version: Path) -> dict[str, str]:
        """Written under the version's `linking/`; returns each file's SHA-256 by its path there, for the manifest, so
        that a state damaged or edited since is known (`read`) and the next add links every article instead."""
        folder = Path(version) / FOLDER
        (folder / "stories").mkdir(parents=True)
        names = sorted(set(self.forms.names) | set(self.forms.countries) | set(self.forms.posts))
        pq.write_table(pa.table({
            "person_id": pa.array(names, pa.string()),
            "name": pa.array([self.forms.names.get(n) for n in names], pa.string()),
            "countries": pa.array([sorted(self.forms.countries[n]) if n in self.forms.countries else None for n in names], pa.list_(pa.string())),
            "posts": pa.array([sorted(self.forms.posts[n]) if n in self.forms.posts else None for n in names], pa.list_(pa.string())),
        }), folder / "forms.parquet")
        pq.write_table(pa.table({"short_id": pa.array(list(self.joined), pa.string()),
                                 "person_id": pa.array(list(self.joined.values()), pa.string())}), folder / "joined.parquet")
        pq.write_table(self.reports, folder / "reports.parquet")
        latest = sorted(self.latest.items())
        pq.write_table(pa.table({
            "person_id": pa.array([key[0] for key, _ in latest], pa.string()),
            "aspect": pa.array([key[1] for key, _ in latest], pa.string()),
            "published": pa.array([None if order[0] == date.min else order[0] for _, (order, _) in latest], pa.date32()),
            "article_id": pa.array([order[1] for _, (order, _) in latest], pa.string()),
            "sentence_id": pa.array([order[2] for _, (order, _) in latest], pa.int64()),
            "role": encoded(RoleFinding, [role for _, (_, role) in latest]),
        }), folder / "latest.parquet")
        given = sorted(self.given.items())
        pq.write_table(pa.table({name: pa.array([key[i] for key, _ in given], pa.string())
                                 for i, name in enumerate(("table", "entity_id", "part"))}
                                | {"article_id": pa.array([aid for _, aid in given], pa.string())}), folder / "given.parquet")
        stories = folder / "stories"
        pq.write_table(pa.table({"article_id": pa.array(self.index.ids.tolist(), pa.string())}), stories / "ids.parquet")
        np.save(stories / "matrix.npy", self.index.matrix)
        edges = sorted(self.index.edges)
        pq.write_table(pa.table({"band": pa.array([e[0] for e in edges], pa.int64()),
                                 "first": pa.array([e[1] for e in edges], pa.string()),
                                 "other": pa.array([e[2] for e in edges], pa.string())}), stories / "edges.parquet")
        return digests(folder)

    @classmethod
    def read(cls, version: Path, written: dict[str, str]) -> LinkState:
        """The state `write` wrote under the version, whose files must have the SHA-256 `written` it gave then."""
        folder = Path(version) / FOLDER
        try:
            if digests(folder) != written:
                raise StateError(f"{folder}: the linking state is not the one written with the version")
            forms = pq.read_table(folder / "forms.parquet").to_pydict()
            joined = pq.read_table(folder / "joined.parquet").to_pydict()
            report_table = pq.read_table(folder / "reports.parquet")
            latest = pq.read_table(folder / "latest.parquet")
            given = pq.read_table(folder / "given.parquet").to_pydict()
            stories = folder / "stories"
            ids = np.array(pq.read_table(stories / "ids.parquet").column("article_id").to_pylist(), dtype=object)
            matrix = np.load(stories / "matrix.npy", allow_pickle=False)
            edges = pq.read_table(stories / "edges.parquet").to_pydict()
        except StateError:
            raise
        except (OSError, ValueError, pa.ArrowException) as error:
            raise StateError(f"{folder}: unreadable linking state: {error}") from error
        if report_table.column_names != REPORT_COLUMNS or matrix.shape != (len(ids), NUM_PERM) or matrix.dtype != SIGNATURE:
            raise StateError(f"{folder}: linking state of another shape")
        names = {p: n for p, n in zip(forms["person_id"], forms["name"]) if n is not None}
        countries = {p: set(c) for p, c in zip(forms["person_id"], forms["countries"]) if c is not None}
        posts = {p: set(c) for p, c in zip(forms["person_id"], forms["posts"]) if c is not None}
        roles = decoded(RoleFinding, latest.column("role").combine_chunks())
        orders = zip([d or date.min for d in latest.column("published").to_pylist()], latest.column("article_id").to_pylist(),
                     latest.column("sentence_id").to_pylist())
        return cls(Forms(names, countries, posts), dict(zip(joined["short_id"], joined["person_id"])), report_table,
                   {(p, a): (order, role) for p, a, order, role in zip(latest.column("person_id").to_pylist(),
                                                                       latest.column("aspect").to_pylist(), orders, roles)},
                   dict(zip(zip(given["table"], given["entity_id"], given["part"]), given["article_id"])),
                   StoryIndex.restored(ids, matrix, frozenset(zip(edges["band"], edges["first"], edges["other"]))))
