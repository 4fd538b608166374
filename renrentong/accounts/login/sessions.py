"""The session of a login in progress or finished, shared by the login, code-login, recovery and
second-factor pages (AUTH-1, 6, 7): one place starts a session, one place parks a pending second factor."""

from __future__ import annotations

import time

from django.contrib.auth import login as start_session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE, forced_change, same_site
from renrentong.accounts.login.second_factor import SecondFactorRequired

SESSION_SECOND_FACTOR = "second_factor"
# A login with the password marks its (new) session as having just proved it, so the forced change that
# follows asks only for the new password (issue 12). The proof names the account and lasts this long.
SESSION_PASSWORD_PROVED = "password_proved"
# When this browser's login happened: what OpenID Connect's max_age and auth_time measure (integration/oidc).
SESSION_AUTH_TIME = "auth_time"
PASSWORD_PROOF_SECONDS = 10 * 60


def start_login_session(request: HttpRequest, outcome, target: str = "", *, proved_password: bool = False,
                        ) -> HttpResponse:
    """The session of a finished login (password, SMS code or second factor), and where to go next.
    `proved_password`: the login checked the account's current password (not a code login)."""
    start_session(request, outcome.account, backend="renrentong.accounts.login.backends.AccountBackend")
    request.session[SESSION_MUST_CHANGE] = outcome.must_change_password
    request.session[SESSION_AUTH_TIME] = time.time()
    if proved_password:
        request.session[SESSION_PASSWORD_PROVED] = {"account": outcome.account.pk, "at": time.time()}
    else:
        request.session.pop(SESSION_PASSWORD_PROVED, None)
    if outcome.identity:
        request.session[SESSION_IDENTITY] = outcome.identity.pk
    target = same_site(request, target)
    if outcome.must_change_password:
        return forced_change(request, target)
    return redirect(target or "home")


def await_second_factor(request: HttpRequest, pending: SecondFactorRequired, target: str, *,
                        proved_password: bool = False) -> HttpResponse:
    # No session yet: only the challenge waits in the (anonymous) session for the second factor.
    request.session[SESSION_SECOND_FACTOR] = {"challenge": pending.pending.challenge, "next": target,
                                              "password": proved_password}
    return redirect("accounts:second_factor")


def session_auth_time(request: HttpRequest) -> float | None:
    """The Unix time this session's login happened, or None for a session from before it was recorded."""
    value = request.session.get(SESSION_AUTH_TIME)
    return float(value) if isinstance(value, (int, float)) else None


def password_recently_proved(request: HttpRequest) -> bool:
    """This session's login proved the signed-in account's current password less than 10 minutes ago."""
    proof = request.session.get(SESSION_PASSWORD_PROVED)
    if not isinstance(proof, dict) or not request.user.is_authenticated:
        return False
    age = time.time() - float(proof.get("at") or 0)
    return proof.get("account") == request.user.pk and 0 <= age <= PASSWORD_PROOF_SECONDS


def forget_password_proof(request: HttpRequest) -> None:
    """The proof is spent once the password it proved is changed."""
    request.session.pop(SESSION_PASSWORD_PROVED, None)
