"""People: one official's posts over time, the meetings attended and the officials met, each with its source.

Thin: `dashboard.person` builds the frames. The official shown is in the URL
(`?official=per-…`); `official`, because `person` is the sidebar's people filter.
The Official list holds the `filters.ENTITY_CHOICES` most mentioned in the filtered
articles and the one chosen, as the sidebar's People list does within its dates.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import filters, person, sources, state
from dashboard.url_settings import Setting, bind, requested

PAGE = "people"
PERSON_KEY = state.key(PAGE, "person")
OFFICIAL = Setting("official", None)  # a person id; offered only when the filtered tables hold that person
_LINK = st.column_config.LinkColumn("Source", display_text="read", help="Open the sentence in the Sources reader")


def _with_links(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(source=[state.sentence_url(a, s) for a, s in zip(frame["article_id"], frame["sentence_id"])])


def main() -> None:
    st.title("People")
    state.linked_notice()
    tables = state.filtered_tables()
    # The most mentioned and the one a link or the session asks for: a real corpus names tens of thousands.
    names, listed = person.officials(tables, requested(PERSON_KEY, OFFICIAL), filters.ENTITY_CHOICES)
    if not listed:
        st.info(state.NOTHING_MATCHES)
        return
    bind(PERSON_KEY, replace(OFFICIAL, options=list(names)))
    chosen = st.selectbox("Official", list(names), format_func=names.get, index=None, key=PERSON_KEY,
                          placeholder="Choose an official (type to search)")
    cut = listed > filters.ENTITY_CHOICES
    listing = (f"The filtered articles name {listed:,} officials. The list holds the {filters.ENTITY_CHOICES:,} most mentioned"
               f"{' and the one chosen' if len(names) > filters.ENTITY_CHOICES else ''}: narrow the filters in the sidebar to list "
               "others, or open a link that names one." if cut else f"{listed:,} officials in the filtered articles.")
    if chosen is None:
        st.caption(f"{listing} Choose one to see the posts reported, the meetings attended and the officials met.")
        return
    if cut:
        st.caption(listing)
    about = person.profile(tables, chosen)
    st.subheader(sources.literal(" ".join(part for part in (about["honorific"], about["name"]) if part)))  # names are data
    st.caption(sources.literal(" · ".join(part for part in (about["title"], about["organisation"], about["country"]) if part))
               or "No post reported")
    _section("Posts reported over time", person.posts(tables, chosen), "No post is reported for this official in the filtered articles.",
             "posts", ["article_id", "sentence_id"])
    _section("Meetings attended", person.meetings_attended(tables, chosen), "No meeting attended in the filtered articles.",
             "meetings", ["meeting_id", "article_id", "sentence_id"])
    _section("Officials met most often", person.co_attendees(tables, chosen), "No other named official at the same meetings.",
             "met", ["person_id"])


def _section(heading: str, frame: pd.DataFrame, empty: str, name: str, hidden: list[str]) -> None:
    """One of the page's tables under its heading, with a link to the sentence behind each row where it has one."""
    st.markdown(f"**{heading}**")
    if frame.empty:
        st.info(empty)
        return
    sourced = "sentence_id" in frame.columns
    shown = (_with_links(frame) if sourced else frame).drop(columns=hidden)
    st.dataframe(shown, column_config={"source": _LINK} if sourced else None, hide_index=True, key=state.key(PAGE, name))

main()
