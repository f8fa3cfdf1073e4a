"""Overview: what the filtered data holds, which data version it is, and how to add articles."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import briefing, colors, exports, settings, state, stories, table_access, timeline
from data_pipeline.ner import extractor_label


def _span(tables: dict[str, pd.DataFrame]) -> str:
    """The first and last day of the filtered meetings and articles, asked of DuckDB."""
    days = table_access.sql(tables, "SELECT min(day) AS first, max(day) AS last FROM (SELECT start_date AS day FROM {meetings} "
                                    "UNION ALL SELECT end_date FROM {meetings} UNION ALL SELECT published FROM {articles})").iloc[0]
    return f"{days['first']} to {days['last']}" if pd.notna(days["first"]) else "no dated meetings or articles"


def _briefing(tables: dict[str, pd.DataFrame]) -> bytes:
    """Built on the click only (a callable download): all meeting rows cost seconds at thousands of meetings."""
    rows = exports.meeting_rows(tables)
    params = state.applied_params()
    scope = "Filters: " + "; ".join(f"{k} = {', '.join(v) if isinstance(v, list) else v}" for k, v in params.items()) if params else "All meetings, no filter"
    palette = colors.country_colors(state.dataset().tables["countries"]["country"])
    document = briefing.briefing_html(timeline.meeting_frame(tables), rows, title="Quad cyber diplomacy: meetings", scope=scope,
                                      palette=palette, made_at=dt.datetime.now(dt.timezone.utc))
    return document.encode("utf-8")


def main() -> None:
    st.title("Quad cyber diplomacy")
    state.linked_notice()
    st.caption("Meetings, officials, organisations and topics of Quad cyber cooperation, each traceable to the sentence it came from.")
    ds = state.dataset()
    tables = state.filtered_tables()
    articles, meetings = table_access.count(tables, "articles"), table_access.count(tables, "meetings")
    if not articles and not meetings:
        st.info(state.NOTHING_MATCHES)
    else:
        counts = {
            "Stories": stories.count(tables),
            "Meetings": meetings,
            "People": table_access.count(tables, "people"),
            "Organisations": table_access.count(tables, "organizations"),
            "Countries": table_access.count(tables, "countries"),
        }
        helps = {"Stories": f"{articles:,} article(s): a report republished by several outlets is one story"}
        for column, (label, value) in zip(st.columns(len(counts)), counts.items()):
            column.metric(label, f"{value:,}", help=helps.get(label))  # 999,822 reads at a glance; 999822 does not
        st.markdown(f"**Dates covered:** {_span(tables)}")
        st.subheader("Latest meetings")
        if not meetings:
            st.info("No meeting matches the current filters; the articles above are listed on the Sources page.")
        else:
            latest = exports.meeting_rows(tables, exports.latest_meetings(tables, 10))
            st.dataframe(
                latest[["Date", "Meeting", "Place", "Host country", "Officials", "Countries taking part", "Articles reporting it"]],
                column_config={"Articles reporting it": st.column_config.NumberColumn("Sources", help="Articles that report the meeting")},
                hide_index=True,
                key=state.key("overview", "latest"),
            )
            left, middle, right = st.columns(3)
            left.page_link(state.page_path("timeline"), label="All meetings on the timeline", icon=":material/timeline:")
            middle.download_button("Briefing (HTML, opens offline)", partial(_briefing, tables), file_name="quad-briefing.html",
                                   mime="text/html", key=state.key("overview", "briefing"), icon=":material/description:",
                                   help="One file to send or print: the meetings in time, each with its officials and a quoted source")
            right.download_button(f"These {meetings:,} meetings (CSV)", partial(exports.meeting_csv, tables), file_name="quad-meetings.csv",
                                  mime="text/csv", key=state.key("overview", "meetings_csv"), icon=":material/download:",
                                  help="One row per meeting the filters keep: dates as precise as the sources, officials with their titles, a source for each")
    st.subheader("Data version")
    manifest = ds.manifest
    hosted = settings.hosted()  # a shared server does not show its file system to every reader
    st.markdown(
        f"Built {manifest.get('built_at', 'at an unknown time')} · pipeline {manifest.get('pipeline_version', 'unknown')}"
        + ("" if hosted else f" · folder `{ds.folder}`")
    )
    extractor = manifest.get("extractor")
    st.text("People found by: " + (extractor_label(extractor["model"]) if extractor else "not recorded for this version"))
    st.caption(f"Version {ds.build_id}: the ZIP download on the Data page names it, so a table can be traced to the data it came from.")
    st.subheader("Adding articles")
    st.page_link(state.page_path("add"), label="Upload or paste articles on the Add articles page", icon=":material/upload_file:")
    if not hosted:
        st.markdown(
            "Or, from a terminal, add articles (text, JSON, saved web pages, PDFs, feeds, e-mails) to the data folder; "
            "the dashboard picks up the new version on its next rerun."
        )
        # Inline code: a code block (`st.code`) loads a syntax highlighter, about 0.7 s of the page's first load.
        st.markdown(f"`python -m data_pipeline build my-articles/ --out {ds.folder}`")


main()
