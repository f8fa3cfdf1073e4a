"""Timeline: meetings on a time axis; click a bar (or pick a meeting) to read who, what and the evidence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import blocks, state, timeline

GROUP_KEY = state.key("timeline", "group_by")
CHART_KEY = state.key("timeline", "chart")
MEETING_KEY = state.key("timeline", "meeting")


def _on_chart() -> None:
    """A click on a bar selects its meeting for every page."""
    event = st.session_state.get(CHART_KEY) or {}
    meeting_id = timeline.meeting_from_selection(event.get("selection"))
    if meeting_id:
        state.select("meeting", meeting_id)


def _on_pick() -> None:
    state.select("meeting", st.session_state.get(MEETING_KEY))


def _link_column(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(source=[state.sentence_url(a, s) for a, s in zip(frame["article_id"], frame["sentence_id"])])


_LINK = st.column_config.LinkColumn("Source", display_text="read", help="Open the sentence in the Sources reader")


def _linked_table(frame: pd.DataFrame, empty: str, name: str, columns: list[str], labels: dict) -> None:
    """A detail table whose rows link to their sentence in the Sources reader, or a note when it has none."""
    if frame.empty:
        st.info(empty)
        return
    st.dataframe(_link_column(frame)[columns], column_config={**labels, "source": _LINK}, hide_index=True,
                 key=state.key("timeline", name))


def _detail(tables: dict[str, pd.DataFrame], meetings: pd.DataFrame, meeting_id: str) -> None:
    row = meetings.set_index("meeting_id").loc[meeting_id]
    st.subheader(row["name"])
    columns = st.columns([2.4, 1, 1.3, 1.3])  # a day range needs the room
    columns[0].metric("Dates", row["dates"], help="Year-only or month-only dates span the whole year or month")
    columns[1].metric("Date precision", row["precision"])
    columns[2].metric("Place", row["place"])
    columns[3].metric("Host", row["country_name"])
    st.markdown("**Participants** (titles as reported nearest to the meeting)")
    _linked_table(
        timeline.participants_detail(tables, meeting_id), "No participant is named in the sources.", "participants",
        ["participant", "title_at_the_time", "title_reported_on", "organization", "country", "evidence", "source"],
        {"title_at_the_time": "Title at the time", "title_reported_on": "Title reported on"},
    )
    st.markdown("**Topics**")
    _linked_table(
        timeline.topics_detail(tables, meeting_id), "No topic was found in the sentences about this meeting.", "topics",
        ["topic", "matched", "evidence", "source"], {"matched": "Phrase"},
    )
    st.markdown("**Evidence**")
    blocks.evidence_quotes(timeline.evidence_detail(tables, meeting_id), sentence_column="text")


def main() -> None:
    st.title("Timeline")
    state.linked_notice()
    tables = state.filtered_tables()
    meetings = timeline.meeting_frame(tables)
    if meetings.empty:
        st.info(state.NOTHING_MATCHES)
        return
    group_by = st.segmented_control(
        "Group by", list(timeline.GROUP_BY), format_func=timeline.GROUP_BY.get, default="country", key=GROUP_KEY
    ) or "country"
    undated = int(meetings["start"].isna().sum())
    if undated == len(meetings):
        st.info("None of the matching meetings has a known date, so there is nothing to place on the axis; pick one below.")
    else:
        st.plotly_chart(
            timeline.timeline_figure(meetings, group_by),
            key=CHART_KEY,
            on_select=_on_chart,
            selection_mode="points",
            config={"displaylogo": False},
        )
        st.caption(
            "Solid bars: dates known to the day. Hatched, pale bars: only the month or year is known, "
            "so the bar spans that whole month or year." + (f" {undated} meeting(s) without a date are not drawn." if undated else "")
        )
    labels = dict(zip(meetings["meeting_id"], meetings["dates"] + " · " + meetings["name"] + " (" + meetings["place"] + ")"))
    chosen = state.selection("meeting")
    st.session_state[MEETING_KEY] = chosen if chosen in labels else None
    if chosen and chosen not in labels:
        st.info("The selected meeting is outside the current filters.")
    picked = st.selectbox(
        "Meeting", list(labels), format_func=labels.get, index=None, placeholder="Click a bar or choose a meeting",
        key=MEETING_KEY, on_change=_on_pick,
    )
    if picked:
        _detail(tables, meetings, picked)


main()
