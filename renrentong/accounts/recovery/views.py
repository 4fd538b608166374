"""Pages of password recovery (AUTH-4).

Between steps only handles live in the session (the code's token, the grant); every decision is in
recovery/services.py.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from renrentong.core.errors import UserFacingError
from renrentong.core.web.client import client_address
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.core.web.forms import valid
from renrentong.accounts.passwords.rules import password_rules
from renrentong.accounts.recovery import services as recovery
from renrentong.accounts.recovery.forms import (
    RecoveryCodeForm, RecoveryResetForm, RecoveryStartForm, StudentRecoveryForm,
)

SESSION_RECOVERY = "recovery"


def _code_sent(request: HttpRequest, sent: recovery.CodeSent) -> HttpResponse:
    request.session[SESSION_RECOVERY] = {"token": sent.token, "masked_target": sent.masked_target}
    return redirect("accounts:recover_code")


def _recover_form_page(request: HttpRequest, error: UserFacingError | None = None,
                       destinations: list[str] | None = None) -> HttpResponse:
    return render_page(request, "accounts/recovery.html", {
        "identifier": request.POST.get("identifier", ""), "destinations": destinations or [],
        "phone": request.POST.get("phone", "")[:32]}, error)


@on_refusal(_recover_form_page)
def recover_page(request: HttpRequest) -> HttpResponse:
    """Forgot password, step 1: account number, phone or email."""
    if request.method != "POST":
        return _recover_form_page(request)
    data = valid(RecoveryStartForm(request.POST))
    result = recovery.start_recovery(data["identifier"], source=client_address(request),
                                     choice=data["destination"], phone=data["phone"][:32])
    if isinstance(result, recovery.CodeSent):
        return _code_sent(request, result)
    return _recover_form_page(request, destinations=result.destinations)


def _recover_student_form_page(request: HttpRequest, error: UserFacingError | None = None,
                               destinations: list[str] | None = None) -> HttpResponse:
    fields = {k: request.POST.get(k, "") for k in ("name", "id_number", "school")}
    return render_page(request, "accounts/recovery_student.html", {**fields, "destinations": destinations or []},
                       error)


@on_refusal(_recover_student_form_page)
def recover_student_page(request: HttpRequest) -> HttpResponse:
    """Forgot password for a student without a phone: name, ID number and school; code to a parent."""
    if request.method != "POST":
        return _recover_student_form_page(request)
    data = valid(StudentRecoveryForm(request.POST))
    result = recovery.start_student_recovery(data["name"], data["id_number"], data["school"],
                                             source=client_address(request), choice=data["destination"])
    if isinstance(result, recovery.CodeSent):
        return _code_sent(request, result)
    return _recover_student_form_page(request, destinations=result.destinations)


def _recover_code_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    state = request.session.get(SESSION_RECOVERY) or {}
    return render_page(request, "accounts/recovery_code.html", {"masked_target": state.get("masked_target", "")},
                       error)


@on_refusal(_recover_code_form_page)
def recover_code_page(request: HttpRequest) -> HttpResponse:
    """Step 2: the code from the text message or email."""
    state = request.session.get(SESSION_RECOVERY)
    if not state or "token" not in state:
        return redirect("accounts:recover")
    if request.method != "POST":
        return _recover_code_form_page(request)
    grant = recovery.verify_recovery(state["token"], valid(RecoveryCodeForm(request.POST))["code"])
    request.session[SESSION_RECOVERY] = {"grant": grant.grant, "account_ids": [a.pk for a in grant.accounts]}
    return redirect("accounts:recover_reset")


def _recover_reset_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    state = request.session.get(SESSION_RECOVERY) or {}
    accounts = recovery.account_choices(state.get("account_ids", []))
    policy, needs_totp = recovery.reset_requirements(state.get("account_ids", []))
    # The checklist names the account number only when there is one account to reset.
    number = accounts[0].account_number if len(accounts) == 1 else ""
    form = RecoveryResetForm(request.POST if request.method == "POST" else None,
                             rules=password_rules(policy, number, repeat_id="repeat_password"))
    chosen = form.cleaned_data.get("account_id") if form.is_bound and form.is_valid() else None
    if form.is_bound and chosen is None and len(accounts) == 1:
        chosen = accounts[0].id
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "accounts/recovery_reset.html", {
        "accounts": accounts, "chosen": chosen, "form": form,
        "needs_totp": needs_totp, "policy": policy}, error)


@on_refusal(_recover_reset_form_page)
def recover_reset_page(request: HttpRequest) -> HttpResponse:
    """Step 3: pick the account (when the phone serves several) and set a new password."""
    state = request.session.get(SESSION_RECOVERY)
    if not state or "grant" not in state:
        return redirect("accounts:recover")
    if request.method != "POST":
        return _recover_reset_form_page(request)
    data = valid(RecoveryResetForm(request.POST))
    accounts = recovery.account_choices(state["account_ids"])
    # Nothing is pre-selected when the phone serves several accounts: a parent must say whose password
    # this is, or they may reset their child's believing it their own.
    chosen = data["account_id"] or (accounts[0].id if len(accounts) == 1 else None)
    if chosen is None:
        raise UserFacingError("recovery.account_not_chosen")
    account = recovery.reset_password(state["grant"], chosen, data["new_password"], data["repeat_password"],
                                      totp_code=data["totp_code"])
    del request.session[SESSION_RECOVERY]
    return render(request, "accounts/recovery_done.html", {"account": account, "who": account.who})
