"""Add articles: upload files or paste a text; the pipeline keeps the original and updates the tables.

The page only gathers input and shows outcomes; checking, keeping, building and
swapping the new version in are `data_pipeline.update`, the same code as the
command line, so what the dashboard accepts is exactly what a rebuild reads.
"""

from __future__ import annotations

import streamlit as st

from dashboard import access, data, settings, sources, state, uploads
from data_pipeline.readers import SUFFIXES
from data_pipeline.store import StoreError
from data_pipeline.update import Upload, update

RESULTS_KEY = state.key("add", "results")


def _access() -> access.Access:
    user = st.user if settings.auth_configured() else None
    return access.decide(
        hosted=settings.hosted(),
        auth_configured=settings.auth_configured(),
        logged_in=bool(user and user.get("is_logged_in")),
        email=user.get("email") if user else None,
        editors=settings.editors(),
    )


def _add(items: list[Upload]) -> None:
    with st.status(f"Adding {len(items)} file{'s' if len(items) != 1 else ''}…", expanded=True) as status:
        try:
            result = update(data.data_dir(), items, max_bytes=settings.upload_limit_bytes(), progress=status.write)
        except StoreError as error:  # disk full, no permission: the folder is as it was
            status.update(label="Not added", state="error", expanded=False)
            st.error(sources.literal(data.write_failure(error)))
            return
        status.update(label="Done", state="complete", expanded=False)
    st.session_state[RESULTS_KEY] = result.outcomes


def _results() -> None:
    outcomes = st.session_state.get(RESULTS_KEY)
    if not outcomes:
        return
    st.subheader("Last addition")
    line = uploads.summary(outcomes)
    (st.warning if any(o.status == "refused" for o in outcomes) else st.success)(line)
    st.dataframe(uploads.results_frame(outcomes), hide_index=True, key=state.key("add", "table"),
                 column_config={"Notes": st.column_config.TextColumn("Notes (why refused, warnings)", width="medium"),
                                "New meetings": st.column_config.TextColumn(width="large")})
    st.caption("The other pages show the new data on their next refresh.")


def main() -> None:
    st.title("Add articles")
    allowed = _access()
    if not allowed.allowed:
        st.info(sources.literal(allowed.reason), icon=":material/lock:")
        if allowed.offer_sign_in:
            st.button("Sign in", on_click=st.login, icon=":material/login:", type="primary")
        return
    if settings.hosted():
        st.caption(sources.literal(allowed.reason))
        st.button("Sign out", on_click=st.logout, icon=":material/logout:")
    limit_mb = settings.upload_limit_bytes() / 1048576
    st.caption(
        f"Files: {', '.join(SUFFIXES)}, up to {limit_mb:g} MB each. A UTF-8 text file may start with a line "
        "`date YYYY-MM-DD Title`; JSON holds records with `title`, `date` and `text`; saved web pages, PDFs with a "
        "text layer, RSS/Atom feeds and e-mails give their own title and date. Originals are kept in the data "
        "folder's inbox so the tables can always be rebuilt; an article already in the data is not added twice."
    )
    files_tab, paste_tab = st.tabs(["Upload files", "Paste a text"])
    with files_tab, st.form(state.key("add", "files_form"), clear_on_submit=True):
        files = st.file_uploader("Article files", type=[s.lstrip(".") for s in SUFFIXES], accept_multiple_files=True)
        if st.form_submit_button("Add to the data", type="primary", icon=":material/upload:"):
            if files:
                _add([Upload(f.name, f.getvalue()) for f in files])
            else:
                st.warning("Choose one or more files first.")
    with paste_tab, st.form(state.key("add", "paste_form")):
        title = st.text_input("Title")
        published = st.date_input("Publication date", value=None, format="YYYY-MM-DD")
        text = st.text_area("Article text", height=240)
        if st.form_submit_button("Add this text", type="primary", icon=":material/post_add:"):
            try:
                item = uploads.pasted(title, published, text)
            except ValueError as problem:
                st.warning(str(problem))
            else:
                _add([item])
    _results()


main()
