"""The page of changing one's own password (AUTH-2: also the forced change after an initial password)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import render_page

from renrentong.accounts.login.middleware import SESSION_MUST_CHANGE, same_site
from renrentong.accounts.login.sessions import forget_password_proof, password_recently_proved
from renrentong.accounts.passwords import services
from renrentong.accounts.passwords.forms import PasswordChangeForm
from renrentong.accounts.passwords.rules import password_rules
from renrentong.accounts.selectors import policy_for_account


def _form(request: HttpRequest) -> PasswordChangeForm:
    rules = password_rules(policy_for_account(request.user), request.user.number, repeat_id="repeat_password")
    return PasswordChangeForm(request.POST if request.method == "POST" else None,
                              current_proved=password_recently_proved(request), rules=rules)


def _next(request: HttpRequest) -> str:
    """Where the change leads on to: the page that sent the user here (an app's sign-in), on this site only."""
    return same_site(request, request.POST.get("next", request.GET.get("next", "")))


def _page(request: HttpRequest, form: PasswordChangeForm, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "accounts/password_change.html", {
        "forced": bool(request.session.get(SESSION_MUST_CHANGE)), "form": form, "next": _next(request)}, error)


@login_required
def password_change_page(request: HttpRequest) -> HttpResponse:
    """The form, re-shown with the error beside its field (and what was typed, never a password) on a
    refusal; a change ends on the home page with "Password changed", or on the `next` page that sent the user
    here (an app's sign-in through the platform)."""
    form = _form(request)
    if request.method != "POST":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, form.first_refusal())
    data = form.cleaned_data
    proved = "current_password" not in form.fields
    try:
        account = services.change_password(request.actor, data.get("current_password", ""), data["new_password"],
                                           data["repeat_password"], current_proved=proved)
    except UserFacingError as error:
        form.show_refusal(error)
        return _page(request, form, error)
    update_session_auth_hash(request, account)
    request.session[SESSION_MUST_CHANGE] = False
    forget_password_proof(request)
    messages.success(request, _("Password changed"))
    return redirect(_next(request) or "home")
