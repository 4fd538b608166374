"""Pages of logging in (AUTH-1), the identity switch, the second factor and a school's login networks."""

from __future__ import annotations

import json

from django.contrib.auth import logout as end_session
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.client import client_address
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs.help import selectors as help_selectors

from renrentong.core.web.forms import valid
from renrentong.accounts.login import access, networks, second_factor, services
from renrentong.accounts.login.forms import (
    IdentitySwitchForm, LoginForm, NetworkAddForm, NetworkRemoveForm, SchoolPickForm, SecondFactorForm,
    TotpSetupForm,
)
from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.accounts.login.second_factor import SecondFactorRequired
from renrentong.accounts.login.sessions import SESSION_SECOND_FACTOR, await_second_factor, start_login_session
from renrentong.accounts.recovery.services import has_totp

CHALLENGE_CODES = ("login.challenge_required", "login.wrong_password_challenge_next")


def _login_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    identifier = request.POST.get("identifier", "") if request.method == "POST" else ""
    source = client_address(request)
    # The next try needs a solved challenge: the page's script (static, no inline code) solves it while
    # the user types the password again.
    needs_challenge = (error.code in CHALLENGE_CODES) if error else (
        request.method == "GET" and services.login_needs_challenge(source))
    form = LoginForm(request.POST if request.method == "POST" else None)
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "accounts/login.html", {
        "identifier": identifier, "form": form, "next": request.POST.get("next", request.GET.get("next", "")),
        "challenge": json.dumps(services.login_challenge(identifier)) if needs_challenge else "",
        "contact": help_selectors.visitor_contact(),  # a visitor's nearest: the platform's (HELP-2)
    }, error)


@on_refusal(_login_form_page)
def login_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _login_form_page(request)
    data = valid(LoginForm(request.POST))
    try:
        outcome = services.log_in(data["identifier"], data["password"], source=client_address(request),
                                  challenge=data["altcha"])
    except SecondFactorRequired as pending:
        return await_second_factor(request, pending, data["next"], proved_password=True)
    return start_login_session(request, outcome, data["next"], proved_password=True)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    end_session(request)
    return redirect("accounts:login")


def _identities_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "accounts/identities.html", {}, error)


@login_required
@on_refusal(_identities_form_page)
def identities_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _identities_form_page(request)
    form = IdentitySwitchForm(request.POST)
    if not form.is_valid():
        raise UserFacingError("identity.not_yours")
    identity = services.switch_identity(request.actor, form.cleaned_data["identity_id"])
    request.session[SESSION_IDENTITY] = identity.pk
    return redirect("home")


def _networks_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    code = valid(SchoolPickForm(request.POST if request.method == "POST" else request.GET))["school"].strip()
    school_id, rows, refusal = networks.networks_for_page(actor, code)
    error = error or refusal  # the page still shows, with the refusal, and no school
    return render_page(request, "accounts/networks.html", {
        "rows": rows, "school_code": code, "pick_school": access.picks_school_by_code(actor),
        "school_id": school_id, "min_threshold": networks.MIN_THRESHOLD,
        "max_threshold": networks.max_threshold_for(actor.identity),
    }, error)


def _network_school_id(request: HttpRequest, code: str) -> int | None:
    actor = request.actor
    if not access.can_manage_networks(actor):
        raise UserFacingError("networks.not_allowed")
    school_id = access.own_network_school_id(actor)
    if school_id is None and code:
        school_id = networks.school_id_by_code(actor, code)
    return school_id


@login_required
@on_refusal(_networks_form_page)
def networks_page(request: HttpRequest) -> HttpResponse:
    """A school's NAT addresses with their login threshold (school admins; region admins by school code)."""
    actor = request.actor
    if request.method != "POST":
        return _networks_form_page(request)
    code = valid(SchoolPickForm(request.POST))["school"].strip()
    school_id = _network_school_id(request, code)
    if school_id is None:
        return _networks_form_page(request)
    if request.POST.get("remove", ""):
        networks.remove_network(actor, valid(NetworkRemoveForm(request.POST))["remove"])
    else:
        data = valid(NetworkAddForm(request.POST))
        networks.add_network(actor, school_id, data["network"], data["threshold"] or 0, data["note"])
    return redirect(f"{request.path}?{urlencode({'school': code})}" if code else request.path)


def _second_factor_form_page(request: HttpRequest, error: UserFacingError | None = None,
                             sent_now: bool = False) -> HttpResponse:
    state = request.session.get(SESSION_SECOND_FACTOR)
    pending, refusal = services.pending_second_factor(state["challenge"]) if state else (None, None)
    if refusal is not None:  # the challenge expired: the page says so, the session forgets it
        request.session.pop(SESSION_SECOND_FACTOR, None)
        error = error or refusal
    return render_page(request, "accounts/second_factor.html", {"pending": pending, "sent_now": sent_now}, error)


@on_refusal(_second_factor_form_page)
def second_factor_page(request: HttpRequest) -> HttpResponse:
    """The second step of an admin's login: the authenticator code, or a code sent to the phone."""
    state = request.session.get(SESSION_SECOND_FACTOR)
    if not state:
        return redirect("accounts:login")
    if request.method != "POST":
        return _second_factor_form_page(request)
    data = valid(SecondFactorForm(request.POST))
    challenge = state["challenge"]
    if data["action"] == "sms":
        second_factor.send_sms(challenge, source=client_address(request))
        return _second_factor_form_page(request, sent_now=True)
    outcome = second_factor.complete(challenge, method=data["method"], code=data["code"],
                                     source=client_address(request))
    del request.session[SESSION_SECOND_FACTOR]
    return start_login_session(request, outcome, state.get("next") or "", proved_password=bool(state.get("password")))


def _second_factor_setup_form_page(request: HttpRequest, error: UserFacingError | None = None, *, secret: str = "",
                                   uri: str = "", done: bool = False) -> HttpResponse:
    if error is not None:  # a wrong code: the secret stays on the page for the next try
        data = valid(TotpSetupForm(request.POST))
        secret, uri = data["secret"], data["uri"]
    account = request.actor.account
    return render_page(request, "accounts/second_factor_setup.html", {
        "secret": secret, "uri": uri, "qr": second_factor.qr_data_uri(uri) if uri else "", "done": done,
        "required": second_factor.required(account), "enrolled": has_totp(account)}, error)


@login_required
@on_refusal(_second_factor_setup_form_page)
def second_factor_setup_page(request: HttpRequest) -> HttpResponse:
    """Add (or replace) an authenticator app: show the secret and otpauth URI, then confirm a code."""
    if request.method != "POST":
        return _second_factor_setup_form_page(request)
    data = valid(TotpSetupForm(request.POST))
    if data["action"] == "start":
        secret, uri = second_factor.start_totp(request.actor)
        return _second_factor_setup_form_page(request, secret=secret, uri=uri)
    if data["action"] == "confirm":
        second_factor.confirm_totp(request.actor, data["code"])
        return _second_factor_setup_form_page(request, done=True)
    return _second_factor_setup_form_page(request)
