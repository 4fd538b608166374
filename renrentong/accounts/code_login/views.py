"""The page of logging in by phone and SMS code (AUTH-6): phone, then code, then (if several) the account.

Between steps only handles live in the session (the code's token, the grant); every decision is in
code_login/services.py."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from renrentong.core.errors import UserFacingError
from renrentong.core.web.client import client_address
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.accounts.code_login import services as code_login
from renrentong.accounts.code_login.forms import AccountChoiceForm, CodeLoginForm
from renrentong.core.web.forms import valid
from renrentong.accounts.login.second_factor import SecondFactorRequired
from renrentong.accounts.login.sessions import await_second_factor, start_login_session
from renrentong.accounts.recovery.services import account_choices

SESSION_CODE_LOGIN = "code_login"


def _code_login_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    state = request.session.get(SESSION_CODE_LOGIN) or {}
    sending = request.method == "POST" and request.POST.get("action", "") == "send"
    return render_page(request, "accounts/code_login.html", {
        "state": state, "phone": request.POST.get("phone", "") if sending else "",
        "accounts": account_choices(state["account_ids"]) if "grant" in state else [],
        "next": request.GET.get("next", "")}, error)


@on_refusal(_code_login_form_page)
def code_login_page(request: HttpRequest) -> HttpResponse:
    source = client_address(request)
    if request.method == "GET" and "restart" in request.GET:
        request.session.pop(SESSION_CODE_LOGIN, None)
    if request.method != "POST":
        return _code_login_form_page(request)
    state = request.session.get(SESSION_CODE_LOGIN) or {}
    data = valid(CodeLoginForm(request.POST))
    try:
        if data["action"] == "send":
            sent = code_login.start_code_login(data["phone"], source=source)
            request.session[SESSION_CODE_LOGIN] = {"token": sent.token, "masked_target": sent.masked_target,
                                                   "next": data["next"]}
        elif data["action"] == "verify" and "token" in state:
            grant = code_login.verify_code_login(state["token"], data["code"], source=source)
            state = {"grant": grant.grant, "account_ids": [a.pk for a in grant.accounts], "next": state.get("next")}
            request.session[SESSION_CODE_LOGIN] = state
            if len(grant.accounts) == 1:
                return _finish_code_login(request, state, grant.accounts[0].pk)
        elif data["action"] == "choose" and "grant" in state:
            form = AccountChoiceForm(request.POST)
            return _finish_code_login(request, state, form.cleaned_data["account_id"] if form.is_valid() else 0)
    except SecondFactorRequired as pending:
        request.session.pop(SESSION_CODE_LOGIN, None)
        return await_second_factor(request, pending, state.get("next") or "")
    return _code_login_form_page(request)


def _finish_code_login(request: HttpRequest, state: dict, account_id: int) -> HttpResponse:
    outcome = code_login.complete_code_login(state["grant"], account_id, source=client_address(request))
    request.session.pop(SESSION_CODE_LOGIN, None)
    return start_login_session(request, outcome, state.get("next") or "")
