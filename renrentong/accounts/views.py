"""Pages: login, forced password change, identity switch and the home page of each identity."""

from __future__ import annotations

import json

from django.contrib.auth import logout as end_session
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number
from renrentong.orgs.policy import policy_for_school, weak_rules_of
from renrentong.orgs.selectors import school_tree, visible_schools

from renrentong.accounts import selectors, services

from renrentong.accounts.login import networks
from renrentong.core.web.client import client_address
from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE
from renrentong.accounts.models import Identity
from renrentong.accounts.login.second_factor import SecondFactorRequired
from renrentong.accounts.login.sessions import await_second_factor, start_login_session


CHALLENGE_CODES = ("login.challenge_required", "login.wrong_password_challenge_next")


def login_page(request: HttpRequest) -> HttpResponse:
    error = None
    identifier = ""
    source = client_address(request)
    if request.method == "POST":
        identifier = request.POST.get("identifier", "")
        try:
            outcome = services.log_in(identifier, request.POST.get("password", ""), source=source,
                                      challenge=request.POST.get("altcha", ""))
        except SecondFactorRequired as pending:
            return await_second_factor(request, pending, request.POST.get("next", ""))
        except UserFacingError as exc:
            error = exc
        else:
            return start_login_session(request, outcome, request.POST.get("next", ""))
    # The next try needs a solved challenge: the page's script (static, no inline code) solves it while
    # the user types the password again.
    needs_challenge = (error.code in CHALLENGE_CODES) if error else (
        request.method == "GET" and services.login_needs_challenge(source))
    status = error.status if error else 200
    return render(request, "accounts/login.html", {
        "error": error, "identifier": identifier, "next": request.POST.get("next", request.GET.get("next", "")),
        "challenge": json.dumps(services.login_challenge(identifier)) if needs_challenge else "",
    }, status=status)


@require_POST
def logout_page(request: HttpRequest) -> HttpResponse:
    end_session(request)
    return redirect("accounts:login")


@login_required
def password_change_page(request: HttpRequest) -> HttpResponse:
    error = None
    forced = bool(request.session.get(SESSION_MUST_CHANGE))
    if request.method == "POST":
        try:
            account = services.change_password(
                request.actor, request.POST.get("current_password", ""),
                request.POST.get("new_password", ""), request.POST.get("repeat_password", ""),
            )
        except UserFacingError as exc:
            error = exc
        else:
            update_session_auth_hash(request, account)
            request.session[SESSION_MUST_CHANGE] = False
            return redirect("home")
    policy = services.policy_for_account(request.user)
    return render(request, "accounts/password_change.html",
                  {"error": error, "forced": forced, "policy": policy}, status=error.status if error else 200)


@login_required
def identities_page(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            identity_id = parse_number(request.POST.get("identity_id"))
            if identity_id is None:
                raise UserFacingError("identity.not_yours")
            identity = services.switch_identity(request.actor, identity_id)
        except UserFacingError as exc:
            error = exc
        else:
            request.session[SESSION_IDENTITY] = identity.pk
            return redirect("home")
    return render(request, "accounts/identities.html", {"error": error}, status=error.status if error else 200)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    identity = actor.identity
    person = actor.account.person
    context = {"identity": identity, "person": person, "scope": actor.scope}
    if identity.kind == Identity.Kind.STUDENT:
        context["enrollment"] = selectors.current_enrollment(actor.account.person_id)
        template = "accounts/home_student.html"
    elif identity.kind == Identity.Kind.GUARDIAN:
        context["children"] = selectors.children_of(actor)
        template = "accounts/home_guardian.html"
    elif identity.kind == Identity.Kind.TEACHER:
        context["classes"] = selectors.classes_of_teacher(actor)
        template = "accounts/home_teacher.html"
    elif identity.kind == Identity.Kind.SCHOOL_ADMIN:
        context["school"], context["campuses"] = school_tree(actor, identity.school_id)
        context["can_print_slips"] = True
        policy = policy_for_school(identity.school)
        context["policy"] = policy
        context["weak_rules"] = weak_rules_of(policy)
        template = "accounts/home_school_admin.html"
    else:
        context["schools"] = visible_schools(actor)
        template = "accounts/home_region_admin.html"
    return render(request, template, context)


@login_required
def networks_page(request: HttpRequest) -> HttpResponse:
    """A school's NAT addresses with their login threshold (school admins; region admins by school code)."""
    actor = request.actor
    identity = actor.identity
    code = (request.GET.get("school") or request.POST.get("school") or "").strip()
    error = None
    school_id = None
    rows = []
    try:
        if identity is None or identity.kind not in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN):
            raise UserFacingError("networks.not_allowed")
        school_id = identity.school_id if identity.kind == Identity.Kind.SCHOOL_ADMIN else None
        if school_id is None and code:
            school_id = networks.school_id_by_code(actor, code)
        if request.method == "POST" and school_id is not None:
            try:
                remove = request.POST.get("remove", "")
                if remove:
                    networks.remove_network(actor, parse_number(remove) or 0)
                else:
                    threshold = request.POST.get("threshold", "").strip()
                    networks.add_network(actor, school_id, request.POST.get("network", ""),
                                         parse_number(threshold) or 0, request.POST.get("note", ""))
            except UserFacingError as exc:
                error = exc
            else:
                return redirect(f"{request.path}?{urlencode({'school': code})}" if code else request.path)
        if school_id is not None:
            rows = networks.networks_of(actor, school_id)
    except UserFacingError as exc:
        error, school_id = exc, None
    return render(request, "accounts/networks.html", {
        "error": error, "rows": rows, "school_code": code,
        "pick_school": identity is not None and identity.kind == Identity.Kind.REGION_ADMIN,
        "school_id": school_id, "min_threshold": networks.MIN_THRESHOLD, "max_threshold": networks.max_threshold_for(identity),
    }, status=error.status if error else 200)
