"""Topics page: what the meetings and the coverage dealt with, where and when, and the sentences that say so.

Thin: `dashboard.topics` builds every frame and figure. A click on the bar chart
only sets the topic selectbox (through the chart's callback); the selectbox is
the linked topic selection shared with the other pages.
"""

import streamlit as st

from dashboard import blocks, downloads, state, topics

PAGE = "topics"
KEYS = {name: state.key(PAGE, name) for name in ("counts_chart", "topic", "by", "period")}
MAX_LINKS = 30


def _on_bar_select() -> None:
    points = st.session_state[KEYS["counts_chart"]]["selection"]["points"]
    chosen = [point["customdata"][0] for point in points if point.get("customdata")]
    if chosen:
        st.session_state[KEYS["topic"]] = chosen[0]
        state.select("topic", chosen[0])


def _on_topic() -> None:
    state.select("topic", st.session_state[KEYS["topic"]])


st.title("Topics")
state.linked_notice()
st.caption("Cyber-policy topics signalled in the articles, counted as distinct meetings, stories (a report republished "
           "by several outlets is one story) and sentences.")

tables = state.filtered_tables()
counts = topics.topic_counts(tables)
if tables["articles"].empty or counts.empty:
    st.info(state.NOTHING_MATCHES)
    st.stop()
if counts["sentences"].sum() == 0:
    st.info("No sentence in the filtered articles signals a topic. Widen the filters, or add phrases to the topic taxonomy.")
    st.stop()

st.plotly_chart(topics.counts_figure(counts), key=KEYS["counts_chart"], on_select=_on_bar_select, selection_mode="points")

by_meeting, by_country, over_time = st.tabs(["Topic × meeting", "Topic × country", "Over time"])
HEATMAPS = (
    (by_meeting, topics.topic_meeting_matrix, "meeting", "No topic sentence is about a meeting in the filtered data.", None),
    (by_country, topics.topic_country_matrix, "country",
     "No topic sentence names a country or is about a meeting with a known participant country.",
     "A sentence counts for a country when it names the country or is about a meeting the country took part in."),
)
for tab, build_matrix, axis, empty, note in HEATMAPS:
    with tab:
        matrix = build_matrix(tables)
        if matrix.empty:
            st.info(empty)
            continue
        st.plotly_chart(topics.heatmap_figure(matrix, title=f"Sentences per topic and {axis}"), key=state.key(PAGE, f"{axis}_heatmap"))
        if note:
            st.caption(note)
with over_time:
    left, right = st.columns(2)
    by = left.radio("Date", topics.DATE_BASES, horizontal=True, format_func={"article": "article published", "meeting": "meeting held"}.get, key=KEYS["by"])
    period = right.radio("Period", list(topics.PERIODS), horizontal=True, key=KEYS["period"])
    frame = topics.topics_over_time(tables, by=by, period=period)
    if frame.empty:
        st.info(f"No dated {by}s with a topic at this precision. Try another date or a coarser period.")
    else:
        st.plotly_chart(topics.over_time_figure(frame, by=by), key=state.key(PAGE, "over_time"))

options = list(counts.loc[counts["sentences"] > 0, "topic_id"])
labels = dict(zip(counts["topic_id"], counts["label"]))
if st.session_state.get(KEYS["topic"]) not in options:
    linked = state.selection("topic")
    st.session_state[KEYS["topic"]] = linked if linked in options else options[0]
topic_id = st.selectbox("Topic", options, format_func=labels.get, key=KEYS["topic"], on_change=_on_topic)

detail = topics.topic_detail(tables, topic_id)
st.subheader(detail["label"])
st.write(detail["description"])
columns = st.columns(5)
for column, (label, value) in zip(columns, [("NIST CSF 2.0", detail["nist_csf_function"]), ("Quad area", detail["quad_area"]), ("Meetings", detail["meetings"]), ("Stories", detail["stories"]), ("Sentences", detail["sentences"])]):
    column.metric(label, value)

sentences = topics.topic_sentences(tables, topic_id)
blocks.evidence_quotes(sentences, limit=MAX_LINKS)
if len(sentences) > MAX_LINKS:
    st.caption(f"The first {MAX_LINKS} of {len(sentences)} sentences; download them all below.")
st.download_button("Sentences CSV", downloads.csv_bytes(sentences), file_name=f"quad-topic-{topic_id}.csv", mime="text/csv", key=state.key(PAGE, "sentences_csv"), icon=":material/download:")
