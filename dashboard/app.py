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

import streamlit as st  # noqa: E402

from dashboard import data, state  # noqa: E402

st.set_page_config(page_title="Quad cyber diplomacy", page_icon=":material/shield:", layout="wide")

pages = [
    st.Page(page.path, title=page.title, icon=page.icon, url_path=name, default=name == "overview")
    for name, page in state.PAGES.items()
]
navigation = st.navigation(pages)

try:
    state.dataset()
except data.DataUnavailable as problem:
    st.title("Quad cyber diplomacy")
    st.error(str(problem), icon=":material/folder_off:")
else:
    state.adopt_url()
    state.sidebar()
    navigation.run()
