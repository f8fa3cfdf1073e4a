"""Streamlit dashboard over the pipeline's tables: `app.py` routes, `state.py` holds session and URL state, pure modules build frames and figures, `views/` holds the pages."""
