"""Topics page: what the meetings and the coverage dealt with, where and when, and the sentences that say so.

Thin: `dashboard.topics` builds every frame and figure. A click on the bar chart
only sets the topic selectbox (through the chart's callback); the selectbox is
the linked topic selection shared with the other pages.
"""

from functools import partial

import streamlit as st

from dashboard import blocks, downloads, state, topics
from dashboard.url_settings import Setting, bind

PAGE = "topics"
KEYS = {name: state.key(PAGE, name) for name in ("counts_chart", "topic", "by", "period", "heatmap", "heatmap_chart", "cell", "over_time_open")}
MAX_LINKS = 30
HEATMAP_LABELS = {"month": "Month", "country": "Country", "meeting": "Meeting"}
EMPTY = {
    "month": "No topic sentence is in a dated article.",
    "country": "No topic sentence names a country or is about a meeting with a known participant country.",
    "meeting": "No topic sentence is about a meeting in the filtered data.",
}
CLICKED = state.key(PAGE, "clicked_cell")  # (topic label, column) of the last click, resolved once the labels are known
NOTES = {"country": "A sentence counts for a country when it names the country or is about a meeting the country took part in."}


def _on_bar_select() -> None:
    points = st.session_state[KEYS["counts_chart"]]["selection"]["points"]
    chosen = [point["customdata"][0] for point in points if point.get("customdata")]
    if chosen:
        st.session_state[KEYS["topic"]] = chosen[0]
        state.select("topic", chosen[0])


def _on_topic() -> None:
    state.select("topic", st.session_state[KEYS["topic"]])
    st.session_state[KEYS["cell"]] = None


def _every_sentence_csv(tables, topic_id: str) -> bytes:
    """Every sentence of the topic as a CSV, read on the click only (a callable download)."""
    return downloads.csv_bytes(topics.topic_sentences(tables, topic_id))


def _on_cell() -> None:
    """A click on a heatmap cell picks its topic and column: the sentences below are then that cell's."""
    st.session_state[CLICKED] = topics.cell_from_selection(st.session_state[KEYS["heatmap_chart"]]["selection"])


st.title("Topics")
state.linked_notice()
st.caption("Cyber-policy topics signalled in the articles, counted as distinct meetings, stories (a report republished "
           "by several outlets is one story) and sentences.")

tables = state.filtered_tables()
counts = topics.topic_counts(tables)
if not tables.count("articles") or counts.empty:  # counted, not read: the articles carry every text
    st.info(state.NOTHING_MATCHES)
    st.stop()
if counts["sentences"].sum() == 0:
    st.info("No sentence in the filtered articles signals a topic. Widen the filters, or add phrases to the topic taxonomy.")
    st.stop()

st.plotly_chart(topics.counts_figure(counts), key=KEYS["counts_chart"], on_select=_on_bar_select, selection_mode="points")

bind(KEYS["heatmap"], Setting("heatmap", "month", tuple(topics.HEATMAPS)))
axis = st.segmented_control("Topics by", list(topics.HEATMAPS), format_func=HEATMAP_LABELS.get, key=KEYS["heatmap"]) or "month"
matrix = topics.topic_matrix(tables, axis)
if matrix.empty:
    st.info(EMPTY[axis])
elif axis == "meeting" and len(matrix.columns) > topics.MAX_MEETING_COLUMNS:
    st.info(f"{len(matrix.columns)} meetings are too many for a column each: narrow the dates, countries or meetings in the "
            f"sidebar to {topics.MAX_MEETING_COLUMNS} or fewer, or see topics by month or country.")
else:
    st.plotly_chart(topics.heatmap_figure(matrix, title=f"Sentences per topic and {topics.HEATMAPS[axis][2]}"), key=KEYS["heatmap_chart"],
                    on_select=_on_cell, selection_mode="points", config={"displaylogo": False})
    st.caption("Click a cell to read its sentences below." + (" " + NOTES[axis] if axis in NOTES else ""))

OVER_TIME = {"by": Setting("by", "article", topics.DATE_BASES), "period": Setting("period", "year", tuple(topics.PERIODS))}
for name, setting in OVER_TIME.items():
    bind(KEYS[name], setting)
# Drawn only while open (its chart costs as much as the rest of the page); a link with its settings opens it.
over_time = st.expander("Topics over time", key=KEYS["over_time_open"], on_change="rerun",
                        expanded=any(st.session_state[KEYS[name]] != setting.default for name, setting in OVER_TIME.items()))
if over_time.open:
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
clicked = st.session_state.pop(CLICKED, None)
if clicked and clicked[0] in labels.values():
    st.session_state[KEYS["topic"]] = next(t for t, label in labels.items() if label == clicked[0])
    state.select("topic", st.session_state[KEYS["topic"]])
    st.session_state[KEYS["cell"]] = clicked[1]
if st.session_state.get(KEYS["topic"]) not in options:
    linked = state.selection("topic")
    st.session_state[KEYS["topic"]] = linked if linked in options else options[0]
topic_id = st.selectbox("Topic", options, format_func=labels.get, key=KEYS["topic"], on_change=_on_topic)

detail = topics.topic_detail(tables, topic_id, counts)
st.subheader(detail["label"])
st.write(detail["description"])
st.caption(f"NIST CSF 2.0 function: {detail['nist_csf_function']} · Quad area: {detail['quad_area']}")  # text, never cut like a metric
columns = st.columns(3)
for column, (label, value) in zip(columns, [("Meetings", detail["meetings"]), ("Stories", detail["stories"]), ("Sentences", detail["sentences"])]):
    column.metric(label, f"{value:,}")

cell_options = [None, *matrix.columns] if not matrix.empty else [None]
bind(KEYS["cell"], Setting("cell", None, cell_options))
cell = st.selectbox(f"Only the sentences of one {axis}", cell_options, key=KEYS["cell"],
                    format_func=lambda v: f"every {axis}" if v is None else v)
if cell is None:  # a topic's sentences run to thousands: the page reads the texts of those it quotes, the CSV all
    sentences, total = topics.topic_sentences(tables, topic_id, first=MAX_LINKS), detail["sentences"]
    csv = partial(_every_sentence_csv, tables.unread(), topic_id)
else:
    sentences = topics.cell_sentences(tables, axis, detail["label"], cell)
    total, csv = len(sentences), partial(downloads.csv_bytes, sentences)
    st.caption(f"{total} sentence(s) on {detail['label']} in this {axis}.")
blocks.evidence_quotes(sentences, limit=MAX_LINKS)
if total > MAX_LINKS:
    st.caption(f"The first {MAX_LINKS} of {total} sentences; download them all below.")
st.download_button("Sentences CSV", csv, file_name=f"quad-topic-{topic_id}.csv", mime="text/csv", key=state.key(PAGE, "sentences_csv"), icon=":material/download:")
