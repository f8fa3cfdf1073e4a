"""A one-file HTML briefing of the meetings the filters keep: opens offline, prints, and every fact is quoted.

An analyst sends it to someone without the dashboard: a picture of the meetings
in time (an inline SVG, one row per host country, hatched where only the month
or year is known), then each meeting with its officials and their titles at the
time, and the sentence that reports it with its source. No script, no external
file, no live link (a source's address is printed as text): everything from
the articles is escaped, so the file cannot run or fetch anything when opened.
"""

from __future__ import annotations

import datetime as dt
import html

import pandas as pd

from dashboard import colors

__all__ = ["briefing_html"]

_WIDTH, _ROW, _LEFT, _TOP = 900, 26, 150, 30
_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:960px;margin:2rem auto;color:#1B1F24;line-height:1.45}
h1{font-size:1.6rem;margin-bottom:.2rem} .meta{color:#57606A;font-size:.9rem}
.meeting{border-top:1px solid #D0D7DE;padding:.6rem 0} .meeting h2{font-size:1.05rem;margin:.2rem 0}
blockquote{margin:.4rem 0;padding:.2rem .8rem;border-left:3px solid #B8860B;color:#24292F}
small{color:#57606A} .officials{margin:.2rem 0}
"""


def _e(value) -> str:
    return html.escape("" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))


def _timeline_svg(meetings: pd.DataFrame, palette: dict[str, str]) -> str:
    """Meetings as marks on a time axis, a row per host country; a month- or year-only meeting spans it, hatched."""
    dated = meetings.dropna(subset=["start"])
    if dated.empty:
        return "<p>No meeting has a known date.</p>"
    first, last = dated["start"].min(), dated["finish"].max()
    span = max((last - first).total_seconds(), 86_400.0)
    x = lambda t: _LEFT + (t - first).total_seconds() / span * (_WIDTH - _LEFT - 10)  # noqa: E731
    hosts = sorted(dated["country_name"].unique())
    height = _TOP + _ROW * len(hosts) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_WIDTH}" height="{height}" role="img" aria-label="Meetings over time">',
             '<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
             '<line x1="0" y1="0" x2="0" y2="4" stroke="#57606A" stroke-width="1.5"/></pattern></defs>']
    for year in range(first.year, last.year + 2):
        at = pd.Timestamp(year=year, month=1, day=1)
        if first <= at <= last and x(at) < _WIDTH - 30:  # a year's label needs room before the edge
            parts.append(f'<line x1="{x(at):.1f}" y1="{_TOP - 8}" x2="{x(at):.1f}" y2="{height}" stroke="#D0D7DE"/>'
                         f'<text x="{x(at) + 2:.1f}" y="{_TOP - 12}" font-size="11" fill="#57606A">{year}</text>')
    for row, host in enumerate(hosts):
        y = _TOP + row * _ROW
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{_e(host)}</text>')
        for meeting in dated[dated["country_name"] == host].itertuples(index=False):
            colour = palette.get(meeting.country, colors.UNKNOWN) if isinstance(meeting.country, str) else colors.UNKNOWN
            left, right = x(meeting.start), max(x(meeting.finish), x(meeting.start) + 3)
            fill = 'url(#hatch)" fill-opacity="0.6' if meeting.approximate else colour
            parts.append(f'<rect x="{left:.1f}" y="{y + 4}" width="{right - left:.1f}" height="{_ROW - 10}" fill="{fill}" '
                         f'stroke="{colour}"><title>{_e(meeting.name)} · {_e(meeting.place)} · {_e(meeting.dates)}</title></rect>')
    parts.append("</svg>")
    return "".join(parts)


def briefing_html(meetings: pd.DataFrame, rows: pd.DataFrame, *, title: str, scope: str, palette: dict[str, str],
                  made_at: dt.datetime) -> str:
    """The briefing as one HTML document.

    `meetings` is `timeline.meeting_frame` (for the picture), `rows` is
    `exports.meeting_rows` of the same meetings (for the list); `scope` says in
    words which filters made the selection.
    """
    items = []
    for row in rows.to_dict("records"):
        officials = "".join(f"<li>{_e(person)}</li>" for person in str(row["Officials"]).split("; ") if person)
        where = " · ".join(_e(row[c]) for c in ("Place", "Host country", "Countries taking part") if row[c])
        quote = (f"<blockquote>{_e(row['Source sentence'])}<br><small>{_e(row['Source'])} · {_e(row['Source published'])}"
                 f" · {_e(row['Source link'])}</small></blockquote>") if row["Source sentence"] else ""
        items.append(
            f'<div class="meeting"><h2>{_e(row["Date"])} · {_e(row["Meeting"])}</h2><div class="meta">{where}</div>'
            + (f'<ul class="officials">{officials}</ul>' if officials else '<p class="meta">No official named in the sources.</p>')
            + quote + "</div>"
        )
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{_e(title)}</h1><p class=\"meta\">{_e(scope)} · {len(rows)} meeting(s) · made {_e(made_at.strftime('%Y-%m-%d %H:%M UTC'))}. "
        "Every meeting is quoted from the article that reports it.</p>"
        f"{_timeline_svg(meetings, palette)}{''.join(items)}</body></html>"
    )
