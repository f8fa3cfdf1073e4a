"""Page settings (the Timeline's grouping, the Network's steps, …) kept in the URL, so a copied link opens the same view.

The sidebar filters and the selections are `state.py`'s; this module owns the
settings a page draws above its chart. The rule is the same as the filters':

- a URL whose value for the setting differs from what this session last wrote
  there (a pasted link, a first visit) is adopted, after checking it is one of
  the setting's options (a stale or hand-edited value falls back to the default);
- otherwise the session's value stands and is written to the URL (a click in the
  page menu clears the URL; the view is written back); a default value leaves
  the URL clean;
- a copy of the value outlives the widget, so leaving the page and coming back
  keeps the view.

`Setting.parse` and `Setting.encode` are pure and tested without Streamlit;
`bind` must run before the widget is drawn, and the widget must not be given a
default of its own (the session state holds it).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Sequence

import streamlit as st

__all__ = ["Setting", "bind", "flag", "requested"]

_WRITTEN = "_url_settings_written"
_KEPT = "_url_settings_kept"


@dataclass(frozen=True)
class Setting:
    """One page setting: its URL parameter, default, the values allowed, and how one value reads from text."""

    param: str
    default: Any
    options: Sequence | None = None  # None: any value `cast` accepts
    many: bool = False  # a list of options (a multiselect), repeated in the URL
    cast: Callable[[str], Any] = str
    write: Callable[[Any], str] = str  # the inverse of cast

    def _one(self, text: str):
        value = self.cast(text)
        if self.options is not None and value not in self.options:
            raise ValueError(f"{text!r} is not an option")
        return value

    def parse(self, values: list[str]):
        """The setting's value from the URL's values for its parameter; the default for anything not allowed."""
        if self.many:  # the values allowed, each once; an empty list is a choice ("show none")
            return list(dict.fromkeys(v for v in map(self._checked, values) if v is not None))
        value = self._checked(values[-1]) if values else None
        return self.default if value is None else value

    def _checked(self, text: str):
        try:
            return None if text == "" else self._one(text)
        except (TypeError, ValueError):
            return None

    def encode(self, value) -> list[str]:
        """The URL's values for this setting; empty (no parameter) for the default."""
        if value is None or value == self.default or (self.many and list(value) == list(self.default)):
            return []
        if self.many:
            return [self.write(v) for v in value] or [""]  # an empty choice differs from the default: keep it in the URL
        if isinstance(value, bool):
            return ["1" if value else "0"]
        return [self.write(value)]


def flag(text: str) -> bool:
    """A checkbox's value in the URL: 1 or 0."""
    if text not in ("0", "1"):
        raise ValueError(text)
    return text == "1"


def _linked(setting: Setting) -> list[str] | None:
    """The URL's values for the setting when this session did not write them (a pasted link, a first visit), else None."""
    in_url = st.query_params.get_all(setting.param)
    return in_url if in_url and in_url != st.session_state.get(_WRITTEN, {}).get(setting.param) else None


def _start(key: str, setting: Setting) -> tuple[Any, bool]:
    """The value a setting starts from on this run, and whether a link gave it: a link's, else the session's, else
    the one kept from the page's last visit, else the default."""
    linked = _linked(setting)
    if linked is not None:
        return setting.parse(linked), True
    if key in st.session_state:
        return st.session_state[key], False
    return st.session_state.get(_KEPT, {}).get(key, setting.default), False


def requested(key: str, setting: Setting):
    """The value `bind` starts from on this run (`_start`) before it is checked against the setting's options; writes
    nothing. For options that depend on it: a bounded list that must still hold the value a link names."""
    return _start(key, replace(setting, options=None))[0]


def bind(key: str, setting: Setting) -> None:
    """Put the setting's value in `st.session_state[key]` (from the URL, the session or the default) and the URL."""
    written = st.session_state.setdefault(_WRITTEN, {})
    kept = st.session_state.setdefault(_KEPT, {})
    in_url = st.query_params.get_all(setting.param)
    value, linked = _start(key, setting)
    if linked or key not in st.session_state:  # a widget's own value is left as it is
        st.session_state[key] = value
    if not linked and setting.options is not None:  # drop what the data (or the filters since a visit) no longer offers
        value = st.session_state[key]
        if setting.many:
            st.session_state[key] = [v for v in value if v in setting.options]
        elif value not in setting.options:
            st.session_state[key] = setting.default
    value = st.session_state[key]
    kept[key] = value
    encoded = setting.encode(value)
    if encoded:
        if in_url != encoded:
            st.query_params[setting.param] = encoded
    elif setting.param in st.query_params:
        del st.query_params[setting.param]
    written[setting.param] = encoded
