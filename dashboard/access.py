"""Who may add articles: everyone locally; on a hosted dashboard, only signed-in editors.

Pure, so every combination is tested without a browser or an identity provider.
A hosted deployment without sign-in is read-only rather than open, because the
one who forgets to configure sign-in should not thereby publish a write form.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


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
