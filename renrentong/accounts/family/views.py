"""Pages: resetting other people's passwords (AUTH-5) and a parent's children (ACC-6, ACC-7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.text import parse_number

from renrentong.accounts.family import services as children

from renrentong.accounts.resets import services as resets
from renrentong.core.web.client import client_address
from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.accounts.models import Identity
from renrentong.accounts.services import policy_for_account

SESSION_CHILD = "child_id"
KINDS = ("student", "teacher", "parent", "admin")


@login_required
def resets_page(request: HttpRequest) -> HttpResponse:
    """Pick accounts (a class, the teachers, the parents, or a search) and reset them; the new passwords
    are shown once, to copy or print."""
    actor = request.actor
    error = None
    results = None
    # The filter form posts (action "filter"): a phone searched for stays out of the URL (NFR-1).
    filtering = request.method == "POST" and request.POST.get("action") == "filter"
    params = request.POST if filtering else request.GET
    kind = params.get("kind", "student") if params.get("kind") in KINDS else "student"
    class_id = parse_number(params.get("class_id"))
    query = params.get("q", "")[:64]
    try:
        role = resets.resetter_role(actor)
        if role == "guardian":
            return redirect("children")
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    if request.method == "POST" and not filtering:
        ids = [i for i in (parse_number(v) for v in request.POST.getlist("account_id")) if i is not None]
        try:
            results = resets.reset_passwords(actor, ids, mode=request.POST.get("mode", "default"),
                                             password=request.POST.get("password", ""))
        except UserFacingError as exc:
            error = exc
        else:
            return render(request, "accounts/reset_done.html", {"results": results})
    candidates = []
    try:
        candidates = resets.reset_candidates(actor, kind=kind, class_id=class_id, query=query)
    except UserFacingError as exc:
        error = error or exc
    return render(request, "accounts/resets.html", {
        "role": role, "kind": kind, "class_id": class_id, "query": query,
        "query_shown": kept_out_of_urls(query),  # the search box echoes no phone (NFR-1)
        "candidates": candidates,
        "classes": resets.reset_classes(actor, role), "error": error, "max_batch": resets.MAX_BATCH,
    }, status=error.status if error else 200)


@login_required
def children_page(request: HttpRequest) -> HttpResponse:
    """My children: the chosen one in full, switch, link by name + ID number or by account, unlink."""
    actor = request.actor
    error = None
    form = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        form = {k: request.POST.get(k, "") for k in ("name", "id_number", "sex", "relation", "account")}
        form["method"] = action
        try:
            # On the page the parent says who they are; nothing is pre-chosen, or a mother who does not
            # notice the first option asks as the father. (The API keeps "guardian" for an empty value.)
            if action in ("link_id", "link_account") and not form["relation"]:
                raise UserFacingError("children.relation_required")
            if action == "link_id":
                children.link_by_id_number(actor, form["name"], form["id_number"], sex=form["sex"],
                                           relation=form["relation"], source=client_address(request))
                _act_as_guardian(request, actor)
                return redirect("children")
            if action == "cancel_request":
                children.cancel_link_request(actor, parse_number(request.POST.get("request_id")) or 0)
                return redirect("children")
            if action == "link_account":
                child = children.link_by_account(actor, form["account"], request.POST.get("password", ""),
                                                 relation=form["relation"], source=client_address(request))
            elif action == "unlink":
                children.unlink(actor, parse_number(request.POST.get("person_id")) or 0)
                request.session.pop(SESSION_CHILD, None)
                return redirect("children")
            else:
                child = children.child_of(actor, parse_number(request.POST.get("person_id")) or 0)
        except UserFacingError as exc:
            error = exc
        else:
            request.session[SESSION_CHILD] = child.person.pk
            _act_as_guardian(request, actor)
            return redirect("children")
    listed = children.children_of(actor)
    current = children.chosen_child(actor, request.session.get(SESSION_CHILD))
    parent_identity = None
    if not children.acting_as_guardian(actor):
        parent_identity = actor.account.identities.filter(kind=Identity.Kind.GUARDIAN).first()
    return render(request, "accounts/children.html", {
        "children": listed, "current": current, "error": error, "form": form,
        "relations": children.RELATION_CHOICES, "sexes": children.SEX_CHOICES,
        "can_link": actor.identity.kind != Identity.Kind.STUDENT,
        "requests": children.link_requests(actor) if children.acting_as_guardian(actor) else [],
        "parent_identity": parent_identity, "decided": _decided(request),
    }, status=error.status if error else 200)


def _act_as_guardian(request: HttpRequest, actor) -> None:
    if actor.identity.kind != Identity.Kind.GUARDIAN:
        # A teacher who linked their own child now also holds the parent identity: act as it.
        guardian = actor.account.identities.filter(kind=Identity.Kind.GUARDIAN).first()
        request.session[SESSION_IDENTITY] = guardian.pk


@login_required
def link_requests_page(request: HttpRequest) -> HttpResponse:
    """Links waiting for the current identity's decision: a parent's for their children, a head
    teacher's and school admin's for children without a parent."""
    actor = request.actor
    error = None
    if request.method == "POST":
        decision = request.POST.get("decision", "")
        try:
            if decision not in ("confirm", "refuse"):
                raise UserFacingError("scope.not_found")
            children.decide_link(actor, parse_number(request.POST.get("request_id")) or 0,
                                 confirm=decision == "confirm")
        except UserFacingError as exc:
            error = exc
        else:
            target = reverse("children" if request.POST.get("back") == "children" else "link_requests")
            return redirect(f"{target}?decided={'confirmed' if decision == 'confirm' else 'refused'}")
    found = [r for r in children.link_requests(actor) if r.direction == "incoming"]
    return render(request, "accounts/link_requests.html", {"requests": found, "error": error,
                                                           "decided": _decided(request)},
                  status=error.status if error else 200)


def _decided(request: HttpRequest) -> str:
    """Which decision the page just took (shown once as a notice): confirmed, refused or nothing."""
    decided = request.GET.get("decided", "")
    return decided if decided in ("confirmed", "refused") else ""


@login_required
def child_password_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """A parent sets a new password for their child; it takes effect at once and ends the child's sessions."""
    actor = request.actor
    try:
        child = children.child_of(actor, person_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    error = None
    if request.method == "POST":
        try:
            result = resets.set_child_password(actor, person_id, request.POST.get("new_password", ""),
                                               request.POST.get("repeat_password", ""))
        except UserFacingError as exc:
            error = exc
        else:
            return render(request, "accounts/children_password.html",
                          {"child": child, "done": True, "forced": result.must_change_password})
    policy = policy_for_account(child.account) if child.account else None
    return render(request, "accounts/children_password.html", {"child": child, "error": error, "policy": policy},
                  status=error.status if error else 200)


@login_required
def student_guardians_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The school's view of a student's linked parents, with a button to remove a wrong link."""
    actor = request.actor
    error = None
    if request.method == "POST":
        try:
            children.remove_guardian(actor, person_id, parse_number(request.POST.get("guardian_id")) or 0)
        except UserFacingError as exc:
            error = exc
        else:
            return redirect("student_guardians", person_id=person_id)
    try:
        student, found = children.guardians_of(actor, person_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    return render(request, "accounts/children_guardians.html", {"student": student, "guardians": found,
                                                                 "error": error},
                  status=error.status if error else 200)
