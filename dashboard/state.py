"""Session state, URL state and the shared sidebar: the one module that knows their keys.

Page scripts live in `dashboard/views/` and are registered in `PAGES` below
(url path = the key). Not `dashboard/pages/`: a folder named `pages` beside the
entry script puts Streamlit in its legacy pages-folder mode, which runs a page
without `app.py` (no sidebar, no filters) for a deep link opened first after a
server start, and makes AppTest drop the sidebar on every rerun.

How a page uses it (pages are thin: read state, call pure functions, render)::

    from dashboard import state

    st.title("…")
    state.linked_notice()                 # says so when the linked selection narrows the page
    tables = state.filtered_tables()      # every table with the sidebar filters (and linked selection) applied
    everything = state.dataset().tables   # unfiltered, e.g. for widget options
    if tables["meetings"].empty:
        st.info(state.NOTHING_MATCHES)    # a filter that matches nothing: say so, never a blank chart

Both are `data.Tables`: a mapping of table name to pandas frame, each table
queried from DuckDB when the page first reads it (`tables.count(name)` counts
without reading; `tables.of_article(id)` reads one article's rows), and
nothing is kept between runs, so a page that needs only a few rows or a count
should ask for only that.

Linked selection — one selected meeting, topic and entity shared by all pages
(a page may highlight it or focus on it)::

    meeting_id = state.selection("meeting")   # kinds: state.SELECTION_KINDS = meeting, topic, entity
    state.select("meeting", meeting_id)       # or None to clear; kept in the URL as ?meeting=...
    # entity values are "<type>:<id>", e.g. "person:per-…", "organization:org-…", "country:IND"

With the sidebar toggle "Filter every page by the selection" on (`?linked=1`),
`filtered_tables()` also narrows every table to the selection
(further stages of the same query, `filters.stages`), and `linked_notice()` tells the reader so.

Linking a fact to the sentence it came from (opens the Sources reader on that
sentence, keeping the filters)::

    state.sentence_link(article_id, sentence_id, label="Source")   # an st.page_link
    url = state.sentence_url(article_id, sentence_id)              # for st.column_config.LinkColumn

Widget keys: build them with `state.key(page, name)` (e.g. `key("network", "layout")`)
so keys are unique across pages and stable across reruns.

URL rules: the filters, the selections, the linked toggle and the reader's article/sentence
live in query parameters (`?from=2023-01-01&country=IND&country=JPN&meeting=mtg-…&linked=1`), so a
copied link opens the same view. A URL that carries any of these parameters (a
pasted link, a `sentence_link`) is authoritative; a bare URL (a click in the
page menu clears parameters) keeps the session's state, which is then written
back to the URL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from dashboard import data, filters, sources, table_access, timeline

__all__ = [
    "NEEDS_NO_DATA",
    "NOTHING_MATCHES",
    "PAGES",
    "Page",
    "LINKED_KEY",
    "LINKED_PARAM",
    "SELECTION_KINDS",
    "adopt_url",
    "applied_params",
    "applied_selection",
    "dataset",
    "filtered_tables",
    "keep_filters",
    "current_filters",
    "key",
    "linked_notice",
    "page_path",
    "reader",
    "select",
    "selection",
    "sentence_link",
    "sentence_query",
    "sentence_url",
    "set_reader",
    "sidebar",
]

NOTHING_MATCHES = "Nothing matches the current filters. Widen the date range or remove a filter in the sidebar."


@dataclass(frozen=True)
class Page:
    path: str  # relative to dashboard/app.py
    title: str
    icon: str


PAGES = {
    "overview": Page("views/overview.py", "Overview", ":material/dashboard:"),
    "timeline": Page("views/timeline.py", "Timeline", ":material/timeline:"),
    "network": Page("views/network.py", "Network", ":material/hub:"),
    "people": Page("views/people.py", "People", ":material/person:"),
    "topics": Page("views/topics.py", "Topics", ":material/topic:"),
    "sources": Page("views/sources.py", "Sources", ":material/article:"),
    "data": Page("views/data.py", "Data", ":material/table:"),
    "add": Page("views/add.py", "Add articles", ":material/upload_file:"),
}
NEEDS_NO_DATA = ("add",)  # pages that work on an empty data folder (to add its first article)

SELECTION_KINDS = ("meeting", "topic", "entity")
READER_PARAMS = ("article", "sentence")
LINKED_PARAM = "linked"
_URL_KEYS = (*filters.PARAMS.values(), *SELECTION_KINDS, LINKED_PARAM, *READER_PARAMS)

# Session-state keys. Filter widgets are keyed by the Filters field they edit.
_FILTER_KEYS = {name: f"filter_{name}" for name in filters.PARAMS}
_SELECTION_KEY = "selection_{}"
_READER_KEY = "reader_{}"
LINKED_KEY = "selection_linked"  # the sidebar toggle "Filter every page by the selection"
_LAST_URL = "_last_url"


def key(page: str, name: str) -> str:
    """A widget key unique to its page."""
    return f"{page}_{name}"


def page_path(name: str) -> str:
    return PAGES[name].path


def dataset() -> data.Dataset:
    """The current data version and the process's DuckDB connection to it; `app.py` has already checked it loads."""
    return data.load()


# ---- URL <-> session -------------------------------------------------------------------------

def _url_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in _URL_KEYS if k in st.query_params}


def adopt_url() -> None:
    """Take filters, selections and reader position from the URL when it carries any (see module doc).

    Must run before the sidebar widgets are drawn (a widget's state cannot be set after it exists).
    """
    params = _url_params()
    if not params or params == st.session_state.get(_LAST_URL):
        return
    wanted = filters.from_query_params(params)
    for name, widget_key in _FILTER_KEYS.items():
        value = getattr(wanted, name)
        st.session_state[widget_key] = value if isinstance(value, dt.date) or value is None else list(value)
    ds = dataset()
    for kind in SELECTION_KINDS:
        value = (params.get(kind) or [None])[-1]
        if value is not None and _selection_label(ds, kind, value) is None:
            # A link's value is shown only when it names something in the data, and then by its name.
            st.warning(sources.literal(f"The link's {kind} “{_clip(value)}” is not in this data version; it was left out."))
            value = None
        st.session_state[_SELECTION_KEY.format(kind)] = value
    st.session_state[LINKED_KEY] = (params.get(LINKED_PARAM) or [None])[-1] == "1"
    for name in READER_PARAMS:
        st.session_state[_READER_KEY.format(name)] = (params.get(name) or [None])[-1]
    st.session_state[_LAST_URL] = params


def _write_url(values: dict[str, str | list[str] | None]) -> None:
    """Set (or remove, when empty) these parameters, leaving others alone, and remember what we wrote."""
    for name, value in values.items():
        if value in (None, "", []):
            if name in st.query_params:
                del st.query_params[name]
        elif st.query_params.get_all(name) != ([value] if isinstance(value, str) else list(value)):
            st.query_params[name] = value
    st.session_state[_LAST_URL] = _url_params()


# ---- filters --------------------------------------------------------------------------------

def current_filters() -> filters.Filters:
    values = {name: st.session_state.get(k) for name, k in _FILTER_KEYS.items()}
    return filters.Filters(**{name: v for name, v in values.items() if v is not None})


def applied_selection() -> dict[str, str]:
    """The selections that filter every page now: none unless the toggle is on, and only kinds a facet covers."""
    if not st.session_state.get(LINKED_KEY):
        return {}
    chosen = {kind: selection(kind) for kind in SELECTION_KINDS}
    return {kind: chosen[kind] for kind in filters.selection_filters(chosen)}


def applied_params() -> dict[str, str | list[str]]:
    """The URL parameters that decide `filtered_tables()`: for a page's caches, and a download's manifest."""
    narrowing = applied_selection()
    return filters.to_query_params(current_filters()) | narrowing | ({LINKED_PARAM: "1"} if narrowing else {})


def filtered_tables() -> data.Tables:
    """Every table with the sidebar filters and then the linked selection applied, queried from DuckDB as the page
    reads them. Not cached: a cache of filtered copies grew by a full copy per filter combination tried."""
    return dataset().filtered(current_filters(), applied_selection())


def _names(frame: pd.DataFrame, id_column: str, name_column: str) -> dict[str, str]:
    return dict(zip(frame[id_column].astype(str), frame[name_column].astype(str)))


@st.cache_data(max_entries=4, show_spinner=False)
def _choices(folder: str, version: str, _ds: data.Dataset) -> tuple[dict[str, dict[str, str]], tuple[dt.date, dt.date]]:
    """The sidebar's options but its meetings, people and organisations (`_meetings`, `_entities`), and its date range,
    for one data version (`folder` and `version` are the cache key): a few names per thing, read once per version
    rather than on every run of every session."""
    return _options(_ds), _data_span(_ds)


def _options(ds: data.Dataset) -> dict[str, dict[str, str]]:
    """Filter field → {value: label}, from the unfiltered tables so choosing one option keeps the others."""
    tables = ds.tables
    kinds = sorted(ds.query("SELECT DISTINCT kind FROM meetings WHERE kind IS NOT NULL")["kind"])
    return {
        "countries": _names(tables["countries"].sort_values("name"), "country", "name"),
        "topics": _names(tables["topics"].sort_values("label"), "topic_id", "label"),
        "meeting_kinds": {k: k for k in kinds},
    }


def _meetings(ds: data.Dataset, chosen: list[str]) -> dict[str, str]:
    """The meetings the sidebar lists on this run (`filters.offered_meetings`: the latest within the dates and every
    chosen one the data has), id → label, in the list's order."""
    wanted = [st.session_state.get(_FILTER_KEYS[name]) for name in ("date_from", "date_to")]
    rows = table_access.sql(ds.tables, *filters.offered_meetings(*wanted, chosen))
    plain = {column: rows[column].astype(object).where(rows[column].notna(), None) for column in ("start_date", "end_date", "date_precision")}
    return {str(m): f"{timeline.date_label(start, end, precision)} · {name}"
            for m, start, end, precision, name in zip(rows["meeting_id"], plain["start_date"], plain["end_date"], plain["date_precision"], rows["name"])}


@st.cache_data(max_entries=32, show_spinner=False)
def _offered(folder: str, version: str, facet: str, dates: tuple, chosen: tuple[str, ...], choices: int,
             _ds: data.Dataset) -> tuple[dict[str, str], int]:
    """`_entities` for one data version, dates and choice: counting mentions takes 0.3 s at 100,000 articles, so it is
    asked again only when one of them changes, not on every run."""
    rows = table_access.sql(_ds.tables, *filters.offered_entities(facet, *dates, chosen, choices))
    return _names(rows, "id", "name"), int(rows["listed"].iloc[0]) if len(rows) else 0


def _entities(ds: data.Dataset, facet: str, chosen: list[str]) -> tuple[dict[str, str], int]:
    """The people or organisations the sidebar lists on this run (`filters.offered_entities`: the most mentioned within
    the dates and every chosen one the data has), id → name in name order, and how many the data version holds."""
    dates = tuple(st.session_state.get(_FILTER_KEYS[name]) for name in ("date_from", "date_to"))
    return _offered(str(ds.folder), ds.build_id, facet, dates, tuple(sorted(chosen)), filters.ENTITY_CHOICES, ds)


def _data_span(ds: data.Dataset) -> tuple[dt.date, dt.date]:
    """Earliest and latest day in the data, widened to whole years, for the date pickers' range (asked of DuckDB)."""
    span = ds.query(
        "SELECT min(day) AS first, max(day) AS last FROM (SELECT start_date AS day FROM meetings "
        "UNION ALL SELECT end_date FROM meetings UNION ALL SELECT published FROM articles) WHERE day IS NOT NULL"
    ).iloc[0]
    if pd.isna(span["first"]):
        today = dt.date.today()
        return dt.date(today.year - 10, 1, 1), dt.date(today.year, 12, 31)
    return dt.date(int(span["first"][:4]), 1, 1), dt.date(int(span["last"][:4]), 12, 31)


def _reset() -> None:
    empty = filters.Filters()
    for name, widget_key in _FILTER_KEYS.items():
        value = getattr(empty, name)
        st.session_state[widget_key] = None if value is None else list(value)


def keep_filters() -> None:
    """Keep the filters through a page that does not draw them (Streamlit forgets a widget's value when a run skips it)."""
    for widget_key in (*_FILTER_KEYS.values(), LINKED_KEY):
        if widget_key in st.session_state:
            st.session_state[widget_key] = st.session_state[widget_key]


# The sidebar lists bounded by `filters.offered_entities`, and what their caption calls them.
ENTITY_LISTS = {"organizations": "organisations", "people": "people"}


def sidebar() -> filters.Filters:
    """Draw the shared filters in the sidebar, write them to the URL, and return them."""
    ds = dataset()
    options, (first, last) = _choices(str(ds.folder), ds.build_id, ds)
    with st.sidebar:
        st.header("Filters")
        for name in ("date_from", "date_to"):  # a linked date outside the data stays pickable
            value = st.session_state.get(_FILTER_KEYS[name])
            if isinstance(value, dt.date):
                first, last = min(first, value), max(last, value)
        st.date_input("From", value=None, min_value=first, max_value=last, key=_FILTER_KEYS["date_from"], format="YYYY-MM-DD", help="Meetings that end on or after this day; articles published on or after it.")
        st.date_input("To", value=None, min_value=first, max_value=last, key=_FILTER_KEYS["date_to"], format="YYYY-MM-DD", help="Meetings that start on or before this day; articles published on or before it.")
        labels = {
            "countries": ("Countries", "Meetings hosted in or attended by these countries"),
            "organizations": ("Organisations", "Meetings where these organisations took part"),
            "people": ("People", "Meetings these officials attended"),
            "topics": ("Topics", "Meetings and articles that discuss these topics"),
            "meeting_kinds": ("Meeting kinds", "Only meetings of these kinds"),
            "meetings": ("Meetings", f"Only these meetings, and the articles that report them. The list holds the latest "
                                     f"{filters.MEETING_CHOICES} meetings within the dates above: set the dates to reach older "
                                     "ones, or pick a meeting on the Timeline"),
        }
        for name, (label, help_text) in labels.items():
            widget_key = _FILTER_KEYS[name]
            chosen, listed = st.session_state.get(widget_key) or [], None
            if name == "meetings":
                names = _meetings(ds, chosen)
            elif name in ENTITY_LISTS:
                names, listed = _entities(ds, name, chosen)
            else:
                names = options[name]
            # Values from a pasted link that this data version does not have are dropped, not an error.
            st.session_state[widget_key] = [v for v in chosen if v in names]
            st.multiselect(label, list(names), format_func=lambda v, names=names: names.get(v, v), key=widget_key, help=help_text)
            if listed is not None and listed > filters.ENTITY_CHOICES:
                st.caption(f"Lists the {filters.ENTITY_CHOICES} {ENTITY_LISTS[name]} most mentioned within the dates above, of "
                           f"{listed:,}, and those chosen: set the dates to list others, or open a link that names one.")
        st.button("Reset filters", on_click=_reset, key="filter_reset", width="stretch")
        _selection_badges(ds)
    chosen = current_filters()
    if chosen.date_from and chosen.date_to and chosen.date_from > chosen.date_to:
        st.sidebar.warning("“From” is after “To”: no date can match.")
    # After a click in the page menu (which clears the URL) the view is written back, so a copied link still works.
    _write_url(
        {param: None for param in filters.PARAMS.values()}
        | filters.to_query_params(chosen)
        | {kind: selection(kind) for kind in SELECTION_KINDS}
        | {LINKED_PARAM: "1" if st.session_state.get(LINKED_KEY) else None}
    )
    return chosen


# ---- linked selection -----------------------------------------------------------------------

def selection(kind: str) -> str | None:
    """The selected meeting id, topic id or entity ("<type>:<id>"), or None."""
    if kind not in SELECTION_KINDS:
        raise ValueError(f"unknown selection kind {kind!r}; one of {SELECTION_KINDS}")
    return st.session_state.get(_SELECTION_KEY.format(kind))


def select(kind: str, value: str | None) -> None:
    """Set (None clears) a linked selection; safe in widget callbacks and in page code."""
    if kind not in SELECTION_KINDS:
        raise ValueError(f"unknown selection kind {kind!r}; one of {SELECTION_KINDS}")
    st.session_state[_SELECTION_KEY.format(kind)] = value
    _write_url({kind: value})


def _clip(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


# What a selection names: kind (or entity type) -> (table, id column, name column).
_LABELS = {
    "meeting": ("meetings", "meeting_id", "name"),
    "topic": ("topics", "topic_id", "label"),
    "person": ("people", "person_id", "name"),
    "organization": ("organizations", "org_id", "name"),
    "country": ("countries", "country", "name"),
    "place": ("places", "place_id", "name"),
}


def _selection_label(ds: data.Dataset, kind: str, value: str) -> str | None:
    """The name of the selected meeting, topic or entity; None when the data has no such thing (one row asked of DuckDB)."""
    wanted = value if kind in ("meeting", "topic") else value.partition(":")[2]
    lookup = _LABELS.get(kind if kind in ("meeting", "topic") else value.partition(":")[0])
    if lookup is None:
        return None
    table, id_column, name_column = lookup  # our own names, never the URL's
    found = ds.query(f"SELECT CAST({name_column} AS VARCHAR) AS label FROM {table} WHERE {id_column} = $id LIMIT 1", {"id": wanted})
    return None if found.empty else str(found["label"].iloc[0])


def _selection_badges(ds: data.Dataset) -> None:
    """Show what is selected across pages, each with a way to clear it, and the toggle that filters by it.

    Drawn even with nothing selected: the toggle keeps its state only while it is drawn.
    """
    st.subheader("Selected")
    active = [(kind, selection(kind)) for kind in SELECTION_KINDS if selection(kind)]
    if not active:
        st.caption("Nothing yet: pick a meeting on the Timeline, a node on the Network or a topic on Topics.")
    for kind, value in active:
        st.caption(sources.literal(f"{kind.capitalize()}: {_selection_label(ds, kind, value) or 'not in this data version'}"))
        st.button(f"Clear {kind}", key=f"selection_clear_{kind}", on_click=select, args=(kind, None))
    st.toggle(
        "Filter every page by the selection",
        key=LINKED_KEY,
        help="Every page then shows only the selected meeting, topic and person, organisation, country or meeting, "
        "on top of the filters above. Every page says so at the top.",
    )


def linked_notice() -> None:
    """Tell the reader, near the top of the page, that the linked selection narrows what it shows."""
    narrowing = applied_selection()
    if narrowing:
        ds = dataset()
        what = " · ".join(
            f"{value.partition(':')[0] if kind == 'entity' else kind} "
            f"{sources.literal(_selection_label(ds, kind, value) or 'not in this data version')}"
            for kind, value in narrowing.items()
        )
        st.caption(
            f":material/link: Filtered by the selection, showing only: {what}. "
            "Turn off “Filter every page by the selection” in the sidebar to see everything the filters allow."
        )


# ---- Sources reader position -----------------------------------------------------------------

def reader() -> tuple[str | None, int | None]:
    """The article and sentence the Sources reader should show."""
    article = st.session_state.get(_READER_KEY.format("article"))
    sentence = st.session_state.get(_READER_KEY.format("sentence"))
    try:
        return article, int(sentence) if sentence not in (None, "") else None
    except (TypeError, ValueError):
        return article, None


def set_reader(article_id: str | None, sentence_id: int | None) -> None:
    st.session_state[_READER_KEY.format("article")] = article_id
    st.session_state[_READER_KEY.format("sentence")] = None if sentence_id is None else str(sentence_id)
    _write_url({"article": article_id, "sentence": None if sentence_id is None else str(sentence_id)})


def sentence_query(article_id: str, sentence_id: int | None) -> dict[str, str | list[str]]:
    """Query parameters that open the reader on this sentence with the current filters and selections."""
    params: dict[str, str | list[str]] = dict(filters.to_query_params(current_filters()))
    params.update({kind: selection(kind) for kind in SELECTION_KINDS if selection(kind)})
    if st.session_state.get(LINKED_KEY):
        params[LINKED_PARAM] = "1"
    params["article"] = article_id
    if sentence_id is not None:
        params["sentence"] = str(int(sentence_id))
    return params


def sentence_url(article_id: str, sentence_id: int | None) -> str:
    """A relative URL to the reader on this sentence, for `st.column_config.LinkColumn` cells."""
    return f"sources?{urlencode(sentence_query(article_id, sentence_id), doseq=True)}"  # url_path = PAGES key


def sentence_link(article_id: str, sentence_id: int | None, label: str = "Read in source", *, icon: str = ":material/format_quote:") -> None:
    """A link that opens the Sources reader on this sentence, highlighted, with the same filters."""
    st.page_link(page_path("sources"), label=label, icon=icon, query_params=sentence_query(article_id, sentence_id))
