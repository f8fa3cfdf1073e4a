"""Overview: what the filtered data holds, which data version it is, and how to add articles."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import settings, state, stories, timeline


def _span(tables: dict[str, pd.DataFrame]) -> str:
    days = pd.concat([tables["meetings"]["start_date"], tables["meetings"]["end_date"], tables["articles"]["published"]]).dropna()
    return f"{days.min()} to {days.max()}" if len(days) else "no dated meetings or articles"


def main() -> None:
    st.title("Quad cyber diplomacy")
    state.linked_notice()
    st.caption("Meetings, officials, organisations and topics of Quad cyber cooperation, each traceable to the sentence it came from.")
    ds = state.dataset()
    tables = state.filtered_tables()
    if tables["articles"].empty and tables["meetings"].empty:
        st.info(state.NOTHING_MATCHES)
    else:
        counts = {
            "Stories": stories.count(tables),
            "Meetings": len(tables["meetings"]),
            "People": len(tables["people"]),
            "Organisations": len(tables["organizations"]),
            "Countries": len(tables["countries"]),
        }
        helps = {"Stories": f"{len(tables['articles'])} article(s): a report republished by several outlets is one story"}
        for column, (label, value) in zip(st.columns(len(counts)), counts.items()):
            column.metric(label, value, help=helps.get(label))
        st.markdown(f"**Dates covered:** {_span(tables)}")
        st.subheader("Latest meetings")
        meetings = timeline.meeting_frame(tables)
        if meetings.empty:
            st.info("No meeting matches the current filters; the articles above are listed on the Sources page.")
        else:
            latest = meetings.sort_values("start", ascending=False, na_position="last").head(10)
            st.dataframe(
                latest[["dates", "name", "place", "country_name", "participants", "n_sources"]],
                column_config={
                    "dates": "Dates",
                    "name": "Meeting",
                    "place": "Place",
                    "country_name": "Host",
                    "participants": "Participants",
                    "n_sources": st.column_config.NumberColumn("Sources", help="Articles that report the meeting"),
                },
                hide_index=True,
                key=state.key("overview", "latest"),
            )
            st.page_link(state.page_path("timeline"), label="All meetings on the timeline", icon=":material/timeline:")
    st.subheader("Data version")
    manifest = ds.manifest
    hosted = settings.hosted()  # a shared server does not show its file system to every reader
    st.markdown(
        f"Build `{ds.build_id}` · built {manifest.get('built_at', 'at an unknown time')} · "
        f"pipeline {manifest.get('pipeline_version', 'unknown')}" + ("" if hosted else f" · folder `{ds.folder}`")
    )
    st.subheader("Adding articles")
    st.page_link(state.page_path("add"), label="Upload or paste articles on the Add articles page", icon=":material/upload_file:")
    if not hosted:
        st.markdown(
            "Or, from a terminal, add articles (text, JSON, saved web pages, PDFs, feeds, e-mails) to the data folder; "
            "the dashboard picks up the new version on its next rerun."
        )
        st.code(f"python -m data_pipeline build my-articles/ --out {ds.folder}", language="sh")


main()
