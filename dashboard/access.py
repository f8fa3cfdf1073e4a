"""Who may add articles: everyone locally; on a hosted dashboard, only signed-in editors.

Pure, so every combination is tested without a browser or an identity provider.
A hosted deployment without sign-in is read-only rather than open, because the
one who forgets to configure sign-in should not thereby publish a write form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

HOSTED_WORDS = ("1", "true", "yes", "on")
LOCAL_WORDS = ("0", "false", "no", "off")


@dataclass(frozen=True)
class Hosting:
    hosted: bool
    problem: str | None = None  # a setting that could not be understood (then `hosted` is True)


def hosting(environment: str | None, secret: object = None) -> Hosting:
    """Whether this is a shared deployment, from `QUAD_HOSTED` and the secrets' `hosted`; it fails closed.

    Hosted wins when either says so: a laptop setting in the environment cannot
    open a server whose secrets say hosted. A value that is neither a yes nor a
    no word ("", "y", "enabled") counts as hosted, and the problem says why, so a
    typo makes the dashboard read-only rather than open to anonymous uploads.
    """
    hosted, unclear = False, []
    for name, value in (("QUAD_HOSTED", environment), ("hosted in secrets.toml", secret)):
        if value is None or value is False:
            continue
        word = "1" if value is True else str(value).strip().lower()
        if word in HOSTED_WORDS:
            hosted = True
        elif word not in LOCAL_WORDS:
            hosted = True
            unclear.append(f"{name} is {str(value)[:40]!r}")
    if not unclear:
        return Hosting(hosted)
    return Hosting(True, f"{' and '.join(unclear)}, which is neither {'/'.join(HOSTED_WORDS)} nor {'/'.join(LOCAL_WORDS)}. "
                         "This dashboard therefore runs as hosted (adding articles needs sign-in) until the setting is fixed.")


@dataclass(frozen=True)
class Access:
    allowed: bool
    reason: str
    offer_sign_in: bool = False  # show the sign-in button


def decide(*, hosted: bool, auth_configured: bool, logged_in: bool, email: str | None, editors: Sequence[str]) -> Access:
    if not hosted:
        return Access(True, "Running locally: no sign-in is needed to add articles.")
    if not auth_configured:
        return Access(False, "This shared dashboard is read-only: adding articles needs sign-in, and no sign-in is configured.")
    if not logged_in:
        return Access(False, "Sign in to add articles.", offer_sign_in=True)
    allowed = {e.strip().lower() for e in editors if e.strip()}
    if not email or email.strip().lower() not in allowed:
        return Access(False, f"You are signed in as {email or 'a user without an e-mail address'}, who is not on this "
                             "dashboard's list of editors. Ask its administrators to add you.")
    return Access(True, f"Signed in as {email}.")
