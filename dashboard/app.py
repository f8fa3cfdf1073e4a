"""Entry point (`streamlit run dashboard/app.py`): load the data version, draw the shared filters, route.

Everything else lives in the pages (`dashboard/views/`) and in pure modules;
`dashboard/state.py` documents how pages read the filtered tables, share a
selection and link to the sentence a fact came from.
"""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts only this folder on sys.path; the package lives one level up.
_REPO = str(Path(__file__).resolve().parent.parent)
if _REPO not in sys.path:
    sys.path.insert(0, _REPO)

import duckdb  # noqa: E402
import streamlit as st  # noqa: E402

from dashboard import data, settings, sources, state  # noqa: E402

# An emoji favicon is drawn by the browser; a ":material/…:" one is fetched from a font CDN (an outside request).
st.set_page_config(page_title="Quad cyber diplomacy", page_icon="🛡️", layout="wide")

hosting = settings.hosting()
if hosting.problem:  # every page says so: the deployment is locked down until its setting is fixed
    st.error(sources.literal(hosting.problem), icon=":material/lock:")

try:
    state.dataset()
    problem = None
except data.DataUnavailable as unavailable:
    problem = unavailable

# Without data only the pages that need none are offered, so a new deployment can add its first article.
names = [name for name in state.PAGES if problem is None or name in state.NEEDS_NO_DATA]
navigation = st.navigation([
    st.Page(state.PAGES[name].path, title=state.PAGES[name].title, icon=state.PAGES[name].icon, url_path=name,
            default=name == names[0])
    for name in names
])
if problem is None:
    state.adopt_url()
    if navigation.url_path in state.NEEDS_NO_DATA:  # the Add page: filters would do nothing there
        state.keep_filters()
    else:
        state.sidebar()
else:
    st.error(str(problem), icon=":material/folder_off:")
try:
    navigation.run()
except duckdb.OutOfMemoryException as error:  # a page reading more of a very large version than a query may hold
    st.error(sources.literal(data.short_of_memory(error)), icon=":material/memory:")
