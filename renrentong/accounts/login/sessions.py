"""The session of a login in progress or finished, shared by the login, code-login, recovery and
second-factor pages (AUTH-1, 6, 7): one place starts a session, one place parks a pending second factor."""

from __future__ import annotations

from django.contrib.auth import login as start_session
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE
from renrentong.accounts.login.second_factor import SecondFactorRequired

SESSION_SECOND_FACTOR = "second_factor"


def start_login_session(request: HttpRequest, outcome, target: str = "") -> HttpResponse:
    """The session of a finished login (password, SMS code or second factor), and where to go next."""
    start_session(request, outcome.account, backend="renrentong.accounts.login.backends.AccountBackend")
    request.session[SESSION_MUST_CHANGE] = outcome.must_change_password
    if outcome.identity:
        request.session[SESSION_IDENTITY] = outcome.identity.pk
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    if outcome.must_change_password:
        return redirect("accounts:password_change")
    return redirect(target or "home")


def await_second_factor(request: HttpRequest, pending: SecondFactorRequired, target: str) -> HttpResponse:
    # No session yet: only the challenge waits in the (anonymous) session for the second factor.
    request.session[SESSION_SECOND_FACTOR] = {"challenge": pending.pending.challenge, "next": target}
    return redirect("accounts:second_factor")
