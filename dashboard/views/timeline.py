"""Timeline: meetings on a time axis; click a bar (or pick a meeting) to read who, what and the evidence.

Up to `timeline.AGGREGATE_ABOVE` meetings, every meeting is a bar; beyond, the
page opens on meetings per month and country, and a click on a month (or the
month picker) draws that month's meetings. Grouping, view and month are in the
URL (`url_settings`).
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import blocks, colors, exports, filters, state, timeline
from dashboard.url_settings import Setting, bind

GROUP_KEY = state.key("timeline", "group_by")
VIEW_KEY = state.key("timeline", "view")
MONTH_KEY = state.key("timeline", "month")
CHART_KEY = state.key("timeline", "chart")
MONTHS_CHART_KEY = state.key("timeline", "months_chart")
MEETING_KEY = state.key("timeline", "meeting")
ATTENDEE_KEY = state.key("timeline", "attendee")
VIEWS = {"meetings": "Each meeting", "months": "Meetings per month"}


def _on_chart() -> None:
    """A click on a bar selects its meeting for every page."""
    event = st.session_state.get(CHART_KEY) or {}
    meeting_id = timeline.meeting_from_selection(event.get("selection"))
    if meeting_id:
        state.select("meeting", meeting_id)


def _on_month() -> None:
    """A click on a month's bar drills down to that month."""
    event = st.session_state.get(MONTHS_CHART_KEY) or {}
    month = timeline.month_from_selection(event.get("selection"))
    if month:
        st.session_state[MONTH_KEY] = month


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
    shown = _link_column(frame)[columns]
    shown = shown.astype(object).where(shown.notna(), "")  # an organisation not reported is blank, not "None"
    st.dataframe(shown, column_config={**labels, "source": _LINK}, hide_index=True,
                 key=state.key("timeline", name))


def _detail(tables: dict[str, pd.DataFrame], meetings: pd.DataFrame, meeting_id: str) -> None:
    row = meetings.set_index("meeting_id").loc[meeting_id]
    st.subheader(row["name"])
    # Two rows of two: at 1,440 px one row of four cut a day range, "San Francisco" and "United States" short.
    when, precision = st.columns([2, 1])
    when.metric("Dates", row["dates"], help="Year-only or month-only dates span the whole year or month")
    precision.metric("Date precision", row["precision"])
    place, host = st.columns([2, 1])
    place.metric("Place", row["place"])
    host.metric("Host", row["country_name"])
    st.markdown("**Participants** (titles as reported nearest to the meeting)")
    detail = timeline.participants_detail(tables, meeting_id)
    _linked_table(
        timeline.attendees(detail), "No participant is named in the sources.", "participants",
        ["participant", "title_at_the_time", "title_reported_on", "organization", "country", "evidence", "sentences", "source"],
        {"participant": "Participant", "title_at_the_time": "Title at the time", "title_reported_on": "Title reported on",
         "organization": "Organisation", "country": "Country", "evidence": "First sentence naming them",
         "sentences": st.column_config.NumberColumn("Sentences", help="How many sentences put them at this meeting")},
    )
    if not detail.empty:
        _attendee_sentences(detail)
    st.markdown("**Topics**")
    _linked_table(
        timeline.topics_detail(tables, meeting_id), "No topic was found in the sentences about this meeting.", "topics",
        ["topic", "matched", "evidence", "source"], {"topic": "Topic", "matched": "Phrase", "evidence": "Sentence"},
    )
    st.markdown("**Evidence**")
    blocks.evidence_quotes(timeline.evidence_detail(tables, meeting_id), sentence_column="text")


def _attendee_sentences(detail: pd.DataFrame) -> None:
    """Every sentence that puts one participant at the meeting, quoted, each a link to its place in the article."""
    seats = timeline.attendees(detail)
    described = {
        name: " · ".join(part for part in (name, title, country) if isinstance(part, str) and part and (part == name or part not in name))
        for name, title, country in zip(seats["participant"], seats["title_at_the_time"], seats["country"])
    }
    bind(ATTENDEE_KEY, Setting("attendee", None, list(described)))
    name = st.selectbox("Read the sentences that put a participant there", list(described), format_func=described.get, index=None,
                        key=ATTENDEE_KEY, placeholder="Choose a participant")
    if name:
        blocks.evidence_quotes(detail[detail["participant"] == name], sentence_column="evidence")


def _meeting_chart(tables: dict[str, pd.DataFrame], meetings: pd.DataFrame, group_by: str, palette: dict[str, str]) -> None:
    st.plotly_chart(
        timeline.timeline_figure(meetings, group_by, palette), key=CHART_KEY, on_select=_on_chart, selection_mode="points",
        config={"displaylogo": False},
    )
    ids = meetings["meeting_id"].tolist()
    st.download_button(f"These {len(ids):,} meetings (CSV)", partial(exports.meeting_csv, tables, ids), file_name="quad-timeline.csv", mime="text/csv",
                       key=state.key("timeline", "meetings_csv"), icon=":material/download:",
                       help="The meetings drawn: dates as precise as the sources, officials with their titles, a source for each")


def main() -> None:
    st.title("Timeline")
    state.linked_notice()
    tables = state.filtered_tables()
    meetings = timeline.meeting_frame(tables)
    if meetings.empty:
        st.info(state.NOTHING_MATCHES)
        return
    palette = colors.country_colors(state.dataset().tables["countries"]["country"])
    dated = meetings.dropna(subset=["start"])
    many = len(dated) > timeline.AGGREGATE_ABOVE
    bind(GROUP_KEY, Setting("group", "country", tuple(timeline.GROUP_BY)))
    bind(VIEW_KEY, Setting("view", "months" if many else "meetings", tuple(VIEWS)))
    counts = timeline.month_counts(dated)
    months = sorted(counts["month"].dt.strftime("%Y-%m").unique())
    if st.session_state[VIEW_KEY] == "months":  # bound before the controls: grouping applies to a chosen month's meetings
        bind(MONTH_KEY, Setting("month", None, months))
    left, right = st.columns(2)
    view = left.segmented_control("Show", list(VIEWS), format_func=VIEWS.get, key=VIEW_KEY) or "meetings"
    group_by = right.segmented_control("Group by", list(timeline.GROUP_BY), format_func=timeline.GROUP_BY.get, key=GROUP_KEY,
                                       disabled=view == "months" and not st.session_state.get(MONTH_KEY),
                                       help="In meetings per month, the grouping applies to the meetings of the month chosen") or "country"
    undated = len(meetings) - len(dated)
    month = None  # the month whose meetings are drawn, in meetings per month
    if dated.empty:
        st.info("None of the matching meetings has a known date, so there is nothing to place on the axis; pick one below.")
    elif view == "months":
        st.plotly_chart(timeline.aggregate_figure(counts, palette), key=MONTHS_CHART_KEY, on_select=_on_month,
                        selection_mode="points", config={"displaylogo": False})
        month = st.selectbox("Meetings of the month", months, index=None, key=MONTH_KEY, placeholder="Click a bar or choose a month",
                             format_func=lambda m: pd.Timestamp(f"{m}-01").strftime("%B %Y"))
        if note := timeline.year_only(dated):
            st.caption(note)
        if month:
            _meeting_chart(tables, timeline.in_month(dated, month), group_by, palette)
    else:
        if many:
            st.caption(f"{len(dated)} meetings: narrow the dates or countries in the sidebar, or show meetings per month, to read them.")
        _meeting_chart(tables, dated, group_by, palette)
    if not dated.empty:
        st.caption(
            "Solid bars: dates known to the day. Hatched, pale bars: only the month or year is known, "
            "so the bar spans that whole month or year. Drag the slider under the axis, or use the buttons above it, to zoom."
            + (f" {undated} meeting(s) without a date are not drawn." if undated else "")
        )
    chosen = state.selection("meeting")
    if chosen and chosen not in set(meetings["meeting_id"]):
        st.info("The selected meeting is outside the current filters.")
    listed, note = meetings, None
    if len(meetings) > filters.MEETING_CHOICES:  # thousands of labels would be sent to the browser on every run
        few = timeline.in_month(dated, month) if month else meetings.sort_values("start", na_position="first").tail(filters.MEETING_CHOICES)
        listed = meetings[meetings["meeting_id"].isin(set(few["meeting_id"]) | {chosen})]
        note = (f"The list holds the meetings of {pd.Timestamp(f'{month}-01').strftime('%B %Y')}" if month else
                f"The list holds the latest {filters.MEETING_CHOICES} of the {len(meetings):,} meetings") + \
            ": choose a month above, click a bar or narrow the sidebar filters to reach the others."
    labels = dict(zip(listed["meeting_id"], listed["dates"] + " · " + listed["name"] + " (" + listed["place"] + ")"))
    st.session_state[MEETING_KEY] = chosen if chosen in labels else None
    picked = st.selectbox(
        "Meeting", list(labels), format_func=labels.get, index=None, placeholder="Click a bar or choose a meeting",
        key=MEETING_KEY, on_change=_on_pick,
    )
    if note:
        st.caption(note)
    if picked:
        _detail(tables, meetings, picked)


main()
