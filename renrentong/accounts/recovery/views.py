"""Pages of password recovery (AUTH-4), login by SMS code (AUTH-6) and the second factor at login.

Between steps only handles live in the session (the code's token, the grant, the login challenge);
every decision is in recovery.py and second_factor.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number

from renrentong.accounts.recovery import services as recovery

from renrentong.accounts.login import second_factor
from renrentong.core.web.client import client_address
from renrentong.accounts.login.second_factor import SecondFactorRequired
from renrentong.accounts.login.sessions import SESSION_SECOND_FACTOR, await_second_factor, start_login_session

SESSION_RECOVERY = "recovery"
SESSION_CODE_LOGIN = "code_login"


def _render(request: HttpRequest, template: str, context: dict, error: UserFacingError | None = None) -> HttpResponse:
    return render(request, template, {**context, "error": error}, status=error.status if error else 200)


def _choice(request: HttpRequest) -> int | None:
    return parse_number(request.POST.get("destination", "").strip())


def _accounts(ids: list[int]) -> list[recovery.AccountChoice]:
    return recovery.account_choices(ids)


def _code_sent(request: HttpRequest, key: str, sent: recovery.CodeSent, **extra) -> None:
    request.session[key] = {"token": sent.token, "masked_target": sent.masked_target, **extra}


def recover_page(request: HttpRequest) -> HttpResponse:
    """Forgot password, step 1: account number, phone or email."""
    identifier, destinations, error = "", [], None
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")
        try:
            result = recovery.start_recovery(identifier, source=client_address(request), choice=_choice(request),
                                             phone=request.POST.get("phone", "")[:32])
        except UserFacingError as exc:
            error = exc
        else:
            if isinstance(result, recovery.CodeSent):
                _code_sent(request, SESSION_RECOVERY, result)
                return redirect("accounts:recover_code")
            destinations = result.destinations
    return _render(request, "accounts/recovery.html", {"identifier": identifier, "destinations": destinations,
                                                       "phone": request.POST.get("phone", "")[:32]}, error)


def recover_student_page(request: HttpRequest) -> HttpResponse:
    """Forgot password for a student without a phone: name, ID number and school; code to a parent."""
    fields = {k: request.POST.get(k, "") for k in ("name", "id_number", "school")}
    destinations, error = [], None
    if request.method == "POST":
        try:
            result = recovery.start_student_recovery(**fields, source=client_address(request),
                                                     choice=_choice(request))
        except UserFacingError as exc:
            error = exc
        else:
            if isinstance(result, recovery.CodeSent):
                _code_sent(request, SESSION_RECOVERY, result)
                return redirect("accounts:recover_code")
            destinations = result.destinations
    return _render(request, "accounts/recovery_student.html", {**fields, "destinations": destinations}, error)


def recover_code_page(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the text message or email."""
    state = request.session.get(SESSION_RECOVERY)
    if not state or "token" not in state:
        return redirect("accounts:recover")
    error = None
    if request.method == "POST":
        try:
            grant = recovery.verify_recovery(state["token"], request.POST.get("code", ""))
        except UserFacingError as exc:
            error = exc
        else:
            request.session[SESSION_RECOVERY] = {"grant": grant.grant, "account_ids": [a.pk for a in grant.accounts]}
            return redirect("accounts:recover_reset")
    return _render(request, "accounts/recovery_code.html", {"masked_target": state["masked_target"]}, error)


def recover_reset_page(request: HttpRequest) -> HttpResponse:
    """Step 3: pick the account (when the phone serves several) and set a new password."""
    state = request.session.get(SESSION_RECOVERY)
    if not state or "grant" not in state:
        return redirect("accounts:recover")
    accounts = _accounts(state["account_ids"])
    error, chosen = None, None
    if request.method == "POST":
        # Nothing is pre-selected when the phone serves several accounts: a parent must say whose password
        # this is, or they may reset their child's believing it their own.
        chosen = (parse_number(request.POST.get("account_id", "").strip())
                  or (accounts[0].id if len(accounts) == 1 else None))
        try:
            if chosen is None:
                raise UserFacingError("recovery.account_not_chosen")
            account = recovery.reset_password(state["grant"], chosen, request.POST.get("new_password", ""),
                                              request.POST.get("repeat_password", ""),
                                              totp_code=request.POST.get("totp_code", ""))
        except UserFacingError as exc:
            error = exc
        else:
            del request.session[SESSION_RECOVERY]
            return render(request, "accounts/recovery_done.html", {"account": account, "who": account.who})
    policy, needs_totp = recovery.reset_requirements(state["account_ids"])
    return _render(request, "accounts/recovery_reset.html", {
        "accounts": accounts, "chosen": chosen, "needs_totp": needs_totp, "policy": policy}, error)


def code_login_page(request: HttpRequest) -> HttpResponse:
    """Login by phone and SMS code (AUTH-6): phone, then code, then (if several) the account."""
    source = client_address(request)
    state = request.session.get(SESSION_CODE_LOGIN) or {}
    action = request.POST.get("action", "")
    error, phone, accounts = None, "", []
    if request.method == "GET" and "restart" in request.GET:
        request.session.pop(SESSION_CODE_LOGIN, None)
        state = {}
    try:
        if request.method == "POST" and action == "send":
            phone = request.POST.get("phone", "")
            sent = recovery.start_code_login(phone, source=source)
            _code_sent(request, SESSION_CODE_LOGIN, sent, next=request.POST.get("next", ""))
            state = request.session[SESSION_CODE_LOGIN]
        elif request.method == "POST" and action == "verify" and "token" in state:
            grant = recovery.verify_code_login(state["token"], request.POST.get("code", ""), source=source)
            state = {"grant": grant.grant, "account_ids": [a.pk for a in grant.accounts], "next": state.get("next")}
            request.session[SESSION_CODE_LOGIN] = state
            if len(grant.accounts) == 1:
                return _finish_code_login(request, state, grant.accounts[0].pk)
        elif request.method == "POST" and action == "choose" and "grant" in state:
            return _finish_code_login(request, state, parse_number(request.POST.get("account_id", "").strip()) or 0)
    except SecondFactorRequired as pending:
        request.session.pop(SESSION_CODE_LOGIN, None)
        return await_second_factor(request, pending, state.get("next") or "")
    except UserFacingError as exc:
        error = exc
    if "grant" in state:
        accounts = _accounts(state["account_ids"])
    return _render(request, "accounts/code_login.html", {
        "state": state, "phone": phone, "accounts": accounts, "next": request.GET.get("next", "")}, error)


def _finish_code_login(request: HttpRequest, state: dict, account_id: int) -> HttpResponse:
    outcome = recovery.complete_code_login(state["grant"], account_id, source=client_address(request))
    request.session.pop(SESSION_CODE_LOGIN, None)
    return start_login_session(request, outcome, state.get("next") or "")


def second_factor_page(request: HttpRequest) -> HttpResponse:
    """The second step of an admin's login: the authenticator code, or a code sent to the phone."""
    state = request.session.get(SESSION_SECOND_FACTOR)
    if not state:
        return redirect("accounts:login")
    challenge, error, sent_now = state["challenge"], None, False
    try:
        if request.method == "POST" and request.POST.get("action") == "sms":
            second_factor.send_sms(challenge, source=client_address(request))
            sent_now = True
        elif request.method == "POST":
            outcome = second_factor.complete(challenge, method=request.POST.get("method", ""),
                                             code=request.POST.get("code", ""), source=client_address(request))
            del request.session[SESSION_SECOND_FACTOR]
            return start_login_session(request, outcome, state.get("next") or "")
        pending = second_factor.describe(challenge)
    except UserFacingError as exc:
        error = exc
        try:
            pending = second_factor.describe(challenge)
        except UserFacingError:
            request.session.pop(SESSION_SECOND_FACTOR, None)
            pending = None
    return _render(request, "accounts/second_factor.html", {"pending": pending, "sent_now": sent_now}, error)


@login_required
def second_factor_setup_page(request: HttpRequest) -> HttpResponse:
    """Add (or replace) an authenticator app: show the secret and otpauth URI, then confirm a code."""
    error, secret, uri, done = None, "", "", False
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "start":
        secret, uri = second_factor.start_totp(request.actor)
    elif request.method == "POST" and action == "confirm":
        try:
            second_factor.confirm_totp(request.actor, request.POST.get("code", ""))
            done = True
        except UserFacingError as exc:
            error = exc
            secret, uri = request.POST.get("secret", ""), request.POST.get("uri", "")
    account = request.actor.account
    return _render(request, "accounts/second_factor_setup.html", {
        "secret": secret, "uri": uri, "qr": second_factor.qr_data_uri(uri) if uri else "", "done": done, "required": second_factor.required(account),
        "enrolled": recovery.has_totp(account)}, error)
