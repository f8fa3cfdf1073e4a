"""UI blocks that several pages draw the same way (they call streamlit; the HTML comes from pure modules)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import sources, state


def evidence_quotes(frame: pd.DataFrame, *, sentence_column: str = "sentence", limit: int | None = None) -> None:
    """Each sentence as an escaped quote with its article, and a link to it in the Sources reader.

    Rendered with `st.html`, never markdown: a sentence holding `[x](javascript:...)`
    or `<script>` stays text.
    """
    for row in (frame if limit is None else frame.head(limit)).itertuples(index=False):
        published = getattr(row, "published")
        st.html(sources.quote_html(getattr(row, sentence_column), row.title, None if pd.isna(published) else published))
        state.sentence_link(row.article_id, int(row.sentence_id))
