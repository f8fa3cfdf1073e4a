"""A small but realistic data version for the dashboard's tests, built by hand.

Three articles:
- a Canberra wire report of a day-precise principals meeting (2024-05-01) with
  three named officials and the United States represented without a name;
- a Tokyo piece that recalls a 2022 working-group meeting known only to the year,
  where one official held an earlier title;
- a hostile piece whose title is a spreadsheet formula and whose text carries a
  script tag, to prove the reader escapes and the CSVs neutralise.

Every mention span is located in the real text, so `text[start:end] == surface`
holds by construction and `schema.validate` passes.

Also `live_markup(at)`, the check every hostile-input test applies to a rendered page, and
`queried(tables, filters)`, the tables as the dashboard filters them (DuckDB over Parquet files).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from dashboard import data
from dashboard.filters import Filters, stages
from data_pipeline import schema

CANBERRA_ART = "art-00000000000000a1"
TOKYO_ART = "art-00000000000000b2"
HOSTILE_ART = "art-00000000000000c3"
CANBERRA = "mtg-2024-05-01-canberra"
TOKYO = "mtg-2022-tokyo"
FORMULA_TITLE = '=HYPERLINK("http://x","y")'

ARTICLES = {
    CANBERRA_ART: dict(
        title="Quad cyber chiefs meet in Canberra",
        published="2024-05-02",
        date_source="header",
        dateline="Canberra, May 2",
        dateline_place_id="canberra",
        paragraphs=[
            ["Canberra, May 2: Senior cyber officials of the Quad met in Canberra on May 1."],
            [
                "Jane Doe, Secretary of the Department of Home Affairs, hosted Ravi Kumar, National Cyber Security Coordinator of India, and Ken Mori of Japan.",
                "The United States also sent a delegation.",
            ],
            ["They discussed supply chain security and critical infrastructure protection."],
        ],
    ),
    TOKYO_ART: dict(
        title="Quad partners plan next cyber round",
        published="2023-03-10",
        date_source="header",
        dateline=None,
        dateline_place_id=None,
        paragraphs=[
            ["Last year, the Quad working group met in Tokyo to discuss cyber workforce skills."],
            ["Ravi Kumar, then Deputy Coordinator of India, attended with Japanese officials."],
        ],
    ),
    HOSTILE_ART: dict(
        title=FORMULA_TITLE,
        published="2024-06-01",
        date_source="header",
        dateline=None,
        dateline_place_id=None,
        paragraphs=[
            ['India warned of ransomware. <script>alert(1)</script> A reader typed =HYPERLINK("http://x","y") here.'],
            ["-1 analysts + critics disagreed about China."],
        ],
    ),
}

# (article, surface, entity_type, entity_id, occurrence): the occurrence-th appearance of the surface.
MENTIONS = [
    (CANBERRA_ART, "Canberra", "place", "canberra", 0),
    (CANBERRA_ART, "Quad", "organization", "quad", 0),
    (CANBERRA_ART, "Canberra", "place", "canberra", 1),
    (CANBERRA_ART, "May 1", "date", "2024-05-01/2024-05-01", 0),
    (CANBERRA_ART, "Jane Doe", "person", "per-jane-doe", 0),
    (CANBERRA_ART, "Department of Home Affairs", "organization", "org-aus-home-affairs", 0),
    (CANBERRA_ART, "Ravi Kumar", "person", "per-ravi-kumar", 0),
    (CANBERRA_ART, "India", "country", "IND", 0),
    (CANBERRA_ART, "Ken Mori", "person", "per-ken-mori", 0),
    (CANBERRA_ART, "Japan", "country", "JPN", 0),
    (CANBERRA_ART, "United States", "country", "USA", 0),
    (TOKYO_ART, "Last year", "date", "2022-01-01/2022-12-31", 0),
    (TOKYO_ART, "Quad", "organization", "quad", 0),
    (TOKYO_ART, "Tokyo", "place", "tokyo", 0),
    (TOKYO_ART, "Ravi Kumar", "person", "per-ravi-kumar", 0),
    (TOKYO_ART, "India", "country", "IND", 0),
    (TOKYO_ART, "Japanese", "country", "JPN", 0),
    (HOSTILE_ART, "India", "country", "IND", 0),
    (HOSTILE_ART, "China", "country", "CHN", 0),
]

# (topic, article, phrase, meeting)
TOPIC_MENTIONS = [
    ("supply-chain-security", CANBERRA_ART, "supply chain security", CANBERRA),
    ("critical-infrastructure", CANBERRA_ART, "critical infrastructure", CANBERRA),
    ("cyber-workforce", TOKYO_ART, "cyber workforce", TOKYO),
    ("ransomware", HOSTILE_ART, "ransomware", None),
]


def _article_rows() -> tuple[list[dict], list[dict]]:
    """Articles (paragraphs joined by blank lines) and their sentences with offsets."""
    articles, sentences = [], []
    for article_id, spec in ARTICLES.items():
        text, n = "", 0
        for p, paragraph in enumerate(spec["paragraphs"]):
            text += "\n\n" if p else ""
            for s, sentence in enumerate(paragraph):
                text += " " if s else ""
                sentences.append(dict(article_id=article_id, sentence_id=n, start=len(text), end=len(text) + len(sentence), text=sentence))
                text += sentence
                n += 1
        fields = {k: v for k, v in spec.items() if k != "paragraphs"}
        articles.append(dict(article_id=article_id, source=f"inputs/{article_id}.txt", text=text, **fields))
    return articles, sentences


def _sentence_of(sentences: list[dict], article_id: str, offset: int) -> int:
    return next(s["sentence_id"] for s in sentences if s["article_id"] == article_id and s["start"] <= offset < s["end"])


def _sentence_with(sentences: list[dict], article_id: str, phrase: str) -> int:
    return next(s["sentence_id"] for s in sentences if s["article_id"] == article_id and phrase in s["text"])


def _mention_rows(articles: list[dict], sentences: list[dict]) -> list[dict]:
    texts = {a["article_id"]: a["text"] for a in articles}
    rows = []
    for article_id, surface, entity_type, entity_id, occurrence in MENTIONS:
        start = -1
        for _ in range(occurrence + 1):
            start = texts[article_id].index(surface, start + 1)
        rows.append(
            dict(article_id=article_id, sentence_id=_sentence_of(sentences, article_id, start), start=start,
                 end=start + len(surface), surface=surface, entity_type=entity_type, entity_id=entity_id)
        )
    return rows


def build_tables() -> dict[str, pd.DataFrame]:
    """Every table of the contract, conformed; `schema.validate` holds."""
    articles, sentences = _article_rows()
    at = lambda article_id, phrase: _sentence_with(sentences, article_id, phrase)  # noqa: E731
    hosted = at(CANBERRA_ART, "Jane Doe")
    recalled = at(TOKYO_ART, "Ravi Kumar")
    rows = {
        "articles": articles,
        "sentences": sentences,
        "mentions": _mention_rows(articles, sentences),
        "countries": [
            dict(country="AUS", name="Australia", quad_member=True),
            dict(country="IND", name="India", quad_member=True),
            dict(country="JPN", name="Japan", quad_member=True),
            dict(country="USA", name="United States", quad_member=True),
            dict(country="CHN", name="China", quad_member=False),
        ],
        "places": [
            dict(place_id="canberra", name="Canberra", country="AUS"),
            dict(place_id="tokyo", name="Tokyo", country="JPN"),
        ],
        "organizations": [
            dict(org_id="org-aus-home-affairs", name="Department of Home Affairs", kind="government body", country="AUS"),
            dict(org_id="quad", name="Quad", kind="forum", country=None),
        ],
        "people": [
            dict(person_id="per-jane-doe", name="Jane Doe", honorific=None, post_nominals=None, title="Secretary", org_id="org-aus-home-affairs", country="AUS"),
            dict(person_id="per-ravi-kumar", name="Ravi Kumar", honorific=None, post_nominals=None, title="National Cyber Security Coordinator", org_id=None, country="IND"),
            dict(person_id="per-ken-mori", name="Ken Mori", honorific=None, post_nominals=None, title=None, org_id=None, country="JPN"),
        ],
        "roles": [
            dict(person_id="per-jane-doe", title="Secretary", org_id="org-aus-home-affairs", country="AUS", as_of="2024-05-02", article_id=CANBERRA_ART, sentence_id=hosted),
            dict(person_id="per-ravi-kumar", title="National Cyber Security Coordinator", org_id=None, country="IND", as_of="2024-05-02", article_id=CANBERRA_ART, sentence_id=hosted),
            dict(person_id="per-ravi-kumar", title="Deputy Coordinator", org_id=None, country="IND", as_of="2023-03-10", article_id=TOKYO_ART, sentence_id=recalled),
        ],
        "meetings": [
            dict(meeting_id=CANBERRA, name="Quad Senior Cyber Group principals meeting", kind="principals meeting", start_date="2024-05-01", end_date="2024-05-01", date_precision="day", city="Canberra", place_id="canberra", country="AUS", n_sources=1, status="held"),
            dict(meeting_id=TOKYO, name="Quad cyber working group meeting", kind="working group", start_date="2022-01-01", end_date="2022-12-31", date_precision="year", city="Tokyo", place_id="tokyo", country="JPN", n_sources=1, status="held"),
        ],
        "meeting_sources": [
            dict(meeting_id=CANBERRA, article_id=CANBERRA_ART, sentence_id=at(CANBERRA_ART, "met in Canberra")),
            dict(meeting_id=TOKYO, article_id=TOKYO_ART, sentence_id=at(TOKYO_ART, "met in Tokyo")),
        ],
        "participants": [
            dict(meeting_id=CANBERRA, person_id="per-jane-doe", org_id="org-aus-home-affairs", country="AUS", article_id=CANBERRA_ART, sentence_id=hosted),
            dict(meeting_id=CANBERRA, person_id="per-ravi-kumar", org_id=None, country="IND", article_id=CANBERRA_ART, sentence_id=hosted),
            dict(meeting_id=CANBERRA, person_id="per-ken-mori", org_id=None, country="JPN", article_id=CANBERRA_ART, sentence_id=hosted),
            dict(meeting_id=CANBERRA, person_id=None, org_id=None, country="USA", article_id=CANBERRA_ART, sentence_id=at(CANBERRA_ART, "United States")),
            dict(meeting_id=TOKYO, person_id="per-ravi-kumar", org_id=None, country="IND", article_id=TOKYO_ART, sentence_id=recalled),
            dict(meeting_id=TOKYO, person_id=None, org_id=None, country="JPN", article_id=TOKYO_ART, sentence_id=recalled),
        ],
        "topics": [
            dict(topic_id="supply-chain-security", label="Supply chain security", description="Risks in products and suppliers", nist_csf_function="Govern", quad_area="Supply chain"),
            dict(topic_id="critical-infrastructure", label="Critical infrastructure", description="Protecting essential services", nist_csf_function="Protect", quad_area="Critical infrastructure"),
            dict(topic_id="cyber-workforce", label="Cyber workforce", description="Skills and training", nist_csf_function="Govern", quad_area="Capacity building"),
            dict(topic_id="ransomware", label="Ransomware", description="Extortion by encryption", nist_csf_function="Respond", quad_area="Threat information sharing"),
            dict(topic_id="incident-response", label="Incident response", description="Handling incidents", nist_csf_function="Respond", quad_area="Threat information sharing"),
        ],
        "topic_mentions": [
            dict(topic_id=topic, article_id=article, sentence_id=at(article, phrase), meeting_id=meeting, matched=phrase)
            for topic, article, phrase, meeting in TOPIC_MENTIONS
        ],
    }
    # No `stories` or `pages` rows: each article is its own story, and none has pages.
    tables = {name: schema.conform(name, pd.DataFrame(rows.get(name, []), columns=table.column_names)) for name, table in schema.TABLES.items()}
    schema.validate(tables)
    return tables


MANIFEST = {
    "pipeline_version": "test",
    "built_at": "2024-06-02T09:30:00+00:00",
    "build_id": "fixture0001",
    "inputs": ["inputs/"],
    "row_counts": {},
}


def manifest(tables: dict[str, pd.DataFrame]) -> dict:
    return {**MANIFEST, "row_counts": {name: len(frame) for name, frame in tables.items()}}


# ---- the markup check shared by the hostile-input tests ---------------------------------------

# Elements whose text Streamlit renders as Markdown: a link, an image or raw HTML in them would be live.
MARKDOWN_ELEMENTS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "success", "error")
# Raw HTML or a Markdown link/image; a backslash before "<" is Markdown's escape, which shows the text as written.
# Also what Streamlit's Markdown turns into links or styling on its own: a bare URL, `www.` name or e-mail address
# (GFM autolinks, which no backslash stops), a colour directive `:red[…]` and `$…$` maths.
_LIVE_MARKDOWN = re.compile(
    r"(?<!\\)<(?:script|img)|\]\((?:javascript|http)|https?://|\bwww\.|\w@\w"
    r"|(?<!\\):(?:red|blue|green|orange|violet|gray|grey|rainbow|primary)(?:-background)?\[|(?<!\\)\$",
    re.IGNORECASE,
)
_LIVE_HTML = re.compile(r"<(?:script|img)|href=\"javascript|src=\"http", re.IGNORECASE)


def markdown_texts(at) -> list[str]:
    """Every text of a run app that is rendered as Markdown, labels of expanders and tabs included."""
    values = [e.value for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]
    return values + [b.label for b in (*at.expander, *at.tabs)]


def html_bodies(at) -> list[str]:
    return [h.proto.body for h in at.get("html")]


def live_markup(at) -> list[str]:
    """The hostile fragments a page would render as markup instead of text (empty when the page is safe)."""
    found = [m.group(0) for text in markdown_texts(at) for m in _LIVE_MARKDOWN.finditer(text)]
    return found + [m.group(0) for body in html_bodies(at) for m in _LIVE_HTML.finditer(body)]


_VERSIONS: dict[int, tuple[dict, tempfile.TemporaryDirectory, object]] = {}  # id(tables) -> (tables, folder, connection)


def queried(tables: dict[str, pd.DataFrame], filters: Filters, selection: Mapping[str, str | None] | None = None) -> dict[str, pd.DataFrame]:
    """Every table as the dashboard filters it: written once as a data version's Parquet files, queried by DuckDB."""
    if id(tables) not in _VERSIONS:
        folder = tempfile.TemporaryDirectory(prefix="queried-")
        for name, frame in tables.items():
            frame.to_parquet(Path(folder.name) / f"{name}.parquet", index=False)
        _VERSIONS[id(tables)] = (tables, folder, data.connect(Path(folder.name)))
    return dict(data.Tables(_VERSIONS[id(tables)][2], stages(filters, selection or {})))
