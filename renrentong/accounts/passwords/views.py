"""The page of changing one's own password (AUTH-2: also the forced change after an initial password)."""

from __future__ import annotations

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.core.web.forms import valid
from renrentong.accounts.login.middleware import SESSION_MUST_CHANGE
from renrentong.accounts.passwords import services
from renrentong.accounts.passwords.forms import PasswordChangeForm
from renrentong.accounts.selectors import policy_for_account


def _password_change_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "accounts/password_change.html", {
        "forced": bool(request.session.get(SESSION_MUST_CHANGE)), "policy": policy_for_account(request.user)}, error)


@login_required
@on_refusal(_password_change_form_page)
def password_change_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _password_change_form_page(request)
    data = valid(PasswordChangeForm(request.POST))
    account = services.change_password(request.actor, data["current_password"], data["new_password"],
                                       data["repeat_password"])
    update_session_auth_hash(request, account)
    request.session[SESSION_MUST_CHANGE] = False
    return redirect("home")
