"""Deployment settings, read from the environment or from `.streamlit/secrets.toml`.

The environment wins for the data folder, so a container can be configured
without a file; for `hosted`, either source saying hosted wins (fail closed). A
deployment without a secrets file is normal, not an error. Keys (README, "Host it"):

- `QUAD_DATA_DIR` / `data_dir`: the data folder;
- `QUAD_HOSTED` / `hosted`: this is a shared deployment, read-only unless sign-in is set up;
- `editors`: e-mail addresses allowed to add articles when signed in;
- `[auth]`: Streamlit's OpenID Connect sign-in (`st.login`).
"""

from __future__ import annotations

import os

import streamlit as st

from dashboard import access


def secret(name: str, default=None):
    try:
        return st.secrets.get(name, default)
    except FileNotFoundError:  # also Streamlit's "no secrets file" error
        return default


def hosting() -> access.Hosting:
    """Hosted or not (`access.hosting`: either source saying hosted wins, an unclear value counts as hosted)."""
    return access.hosting(os.environ.get("QUAD_HOSTED"), secret("hosted"))


def hosted() -> bool:
    return hosting().hosted


def editors() -> tuple[str, ...]:
    value = secret("editors", ())
    return tuple(str(v) for v in value) if isinstance(value, (list, tuple)) else ()


def auth_configured() -> bool:
    return bool(secret("auth"))


def upload_limit_bytes() -> int:
    """The same limit the browser widget enforces (`server.maxUploadSize`, in MB), applied again on the server."""
    return int(float(st.get_option("server.maxUploadSize")) * 1024 * 1024)
