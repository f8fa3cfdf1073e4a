"""Data: every table with the filters applied, to inspect and to download as spreadsheet-safe CSV or one ZIP."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pandas as pd
import streamlit as st

from dashboard import data, downloads, state
from data_pipeline import schema

TABLE_KEY = state.key("data", "table")
SHOWN = 1000  # rows drawn in the browser; a table of 100,000 articles is read in full only for its CSV
CELL = 300  # characters of a text cell drawn: a thousand whole articles were 2.5 MB sent per run; the CSV has them whole


def _zip(tables: data.Tables, manifest: dict, params: dict) -> bytes:
    """Built only when the button is clicked, stamped with the moment of export."""
    return downloads.zip_bytes(tables, manifest, params, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))


def _csv(tables: data.Tables, name: str) -> bytes:
    """Read when the button is clicked: every row of the table, as the filters leave it."""
    return downloads.csv_bytes(tables[name])


def _plain(doc: str) -> str:
    """A table's description without the contract's formulas (`articles.text[start:end] == surface`), which help
    a programmer, not a reader; the full text stays in `python -m data_pipeline schema` and the README."""
    clauses = [c for c in doc.rstrip(".").split("; ") if "==" not in c and "[" not in c]
    return ("; ".join(clauses) + ".").replace("`", "") if clauses else ""


def main() -> None:
    st.title("Data")
    state.linked_notice()
    st.caption("The tables as the pipeline writes them, ids included, to join in a spreadsheet or a database. "
               "The other pages show the same facts in words; their “download this view” buttons give tables to read.")
    ds = state.dataset()
    tables = state.filtered_tables()
    applied = state.applied_params()
    counts = pd.DataFrame(
        {
            "table": list(schema.TABLES),
            "rows": [tables.count(name) for name in schema.TABLES],
            "of": [ds.tables.count(name) for name in schema.TABLES],
            "about": [_plain(t.doc) for t in schema.TABLES.values()],
        }
    )
    if counts.loc[counts["table"].isin(["articles", "meetings"]), "rows"].sum() == 0:
        st.info(state.NOTHING_MATCHES)
        return
    st.caption(
        f"Data version `{ds.build_id}` built {ds.manifest.get('built_at', 'at an unknown time')}. "
        + ("Filters applied: see the sidebar." if applied else "No filters applied: these are all the rows.")
        + " CSVs are UTF-8 for Excel; text cells that start with = + - or @ get a leading ' so they are not run as formulas."
    )
    st.download_button(
        "Download all tables (ZIP with a manifest of filters and data version)",
        data=partial(_zip, tables.unread(), ds.manifest, applied),
        file_name=f"quad-tables-{ds.build_id}.zip",
        mime="application/zip",
        key=state.key("data", "zip"),
        on_click="ignore",
        icon=":material/folder_zip:",
        type="primary",
    )
    st.dataframe(counts, hide_index=True, column_config={"of": "of (unfiltered)"}, key=state.key("data", "counts"))
    name = st.selectbox("Table", list(schema.TABLES), key=TABLE_KEY)
    table = schema.TABLES[name]
    st.markdown(f"**{name}** — {_plain(table.doc)} Key: {', '.join(f'`{k}`' for k in table.key)}.")
    rows = int(counts.set_index("table").loc[name, "rows"])
    if not rows:
        st.info(f"No {name} row matches the current filters.")
    else:
        preview = tables.head(name, SHOWN)
        long = [c for c in preview.columns if pd.api.types.is_string_dtype(preview[c]) and preview[c].str.len().gt(CELL).any()]
        preview = preview.assign(**{c: preview[c].where(preview[c].str.len().le(CELL), preview[c].str.slice(0, CELL) + "…") for c in long})
        if rows > SHOWN or long:
            st.caption(" ".join(part for part in (
                f"The first {SHOWN:,} of {rows:,} rows." if rows > SHOWN else "",
                f"Text longer than {CELL} characters is cut here ({', '.join(long)})." if long else "",
                "The CSV below has everything.") if part))
        st.dataframe(
            preview,
            hide_index=True,
            column_config={c.name: st.column_config.Column(c.name, help=c.doc) for c in table.columns},
            key=state.key("data", f"table_{name}"),
        )
    st.download_button(
        f"Download {name}.csv ({rows} rows)",
        data=partial(_csv, tables.unread(), name),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=state.key("data", f"csv_{name}"),
        on_click="ignore",
        icon=":material/download:",
    )


main()
