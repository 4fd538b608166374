"""Pages: resetting other people's passwords (AUTH-5) and a parent's children (ACC-6, ACC-7)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.web.client import client_address
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.accounts.family import access as family_access
from renrentong.accounts.family import services as children
from renrentong.accounts.family.forms import (
    ChildPasswordForm, ChildrenForm, GuardianRemovalForm, LinkDecisionForm, LinkRequestForm, PersonChoiceForm,
    ResetFilterForm, ResetForm,
)
from renrentong.core.web.forms import valid

from renrentong.accounts.resets import services as resets
from renrentong.accounts.login.middleware import SESSION_IDENTITY
from renrentong.accounts.resets import access as reset_access
from renrentong.accounts.selectors import policy_for_account



def _resets_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    role = reset_access.resetter_role(actor)  # refused: the error page
    # The filter form posts (action "filter"): a phone searched for stays out of the URL (NFR-1).
    filtering = request.method == "POST" and request.POST.get("action") == "filter"
    params = valid(ResetFilterForm(request.POST if filtering else request.GET))
    kind, class_id, query = params["kind"], params["class_id"], params["q"]
    candidates, refusal = resets.reset_candidates_shown(actor, kind=kind, class_id=class_id, query=query)
    error = error or refusal  # the page still shows its filters, with the refusal
    return render_page(request, "accounts/resets.html", {
        "role": role, "as_head_teacher": reset_access.is_head_teacher_role(role),
        "as_region_admin": reset_access.is_region_admin_role(role), "kind": kind,
        "reset_lists": reset_access.reset_lists(role), "class_id": class_id, "query": query,
        "query_shown": kept_out_of_urls(query),  # the search box echoes no phone (NFR-1)
        "waits_for_pick": not query and not class_id and reset_access.lists_only_a_pick(role, kind),
        "candidates": candidates,
        "classes": resets.reset_classes(actor, role), "max_batch": resets.MAX_BATCH,
    }, error)


@login_required
@on_refusal(_resets_form_page)
def resets_page(request: HttpRequest) -> HttpResponse:
    """Pick accounts (a class, the teachers, the parents, or a search) and reset them; the new passwords
    are shown once, to copy or print."""
    actor = request.actor
    reset_access.resetter_role(actor)  # refused: the error page
    if reset_access.resets_through_children_page(actor):
        return redirect("children")
    if request.method != "POST" or request.POST.get("action") == "filter":
        return _resets_form_page(request)
    data = valid(ResetForm(request.POST))
    results = resets.reset_passwords(actor, data["account_id"],
                                     mode=data["mode"] if "mode" in request.POST else "default",
                                     password=data["password"])
    return render(request, "accounts/reset_done.html", {"results": results})


def _children_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    form = {}
    if request.method == "POST":
        form = {k: request.POST.get(k, "") for k in ("name", "id_number", "sex", "relation", "account")}
        form["method"] = request.POST.get("action", "")
    guardian = children.acting_as_guardian(actor)
    return render_page(request, "accounts/children.html", {
        "children": children.children_of(actor),
        "current": children.chosen_child(actor, request.session.get(children.SESSION_CHILD)), "form": form,
        "relations": children.RELATION_CHOICES, "sexes": children.SEX_CHOICES,
        "can_link": family_access.can_link_children(actor),
        "requests": children.link_requests(actor) if guardian else [],
        "parent_identity": None if guardian else children.guardian_identity_of(actor),
        "decided": _decided(request),
    }, error)


@login_required
@on_refusal(_children_form_page)
def children_page(request: HttpRequest) -> HttpResponse:
    """My children: the chosen one in full, switch, link by name + ID number or by account, unlink."""
    actor = request.actor
    if request.method != "POST":
        return _children_form_page(request)
    data = valid(ChildrenForm(request.POST))
    action = data["action"]
    # On the page the parent says who they are; nothing is pre-chosen, or a mother who does not
    # notice the first option asks as the father. (The API keeps "guardian" for an empty value.)
    if action in ("link_id", "link_account") and not data["relation"]:
        raise UserFacingError("children.relation_required")
    if action == "link_id":
        children.link_by_id_number(actor, data["name"], data["id_number"], sex=data["sex"],
                                   relation=data["relation"], source=client_address(request))
        _act_as_guardian(request, actor)
        return redirect("children")
    if action == "cancel_request":
        children.cancel_link_request(actor, valid(LinkRequestForm(request.POST))["request_id"])
        return redirect("children")
    if action == "link_account":
        child = children.link_by_account(actor, data["account"], data["password"],
                                         relation=data["relation"], source=client_address(request))
    elif action == "unlink":
        children.unlink(actor, valid(PersonChoiceForm(request.POST))["person_id"])
        request.session.pop(children.SESSION_CHILD, None)
        return redirect("children")
    else:
        child = children.child_of(actor, valid(PersonChoiceForm(request.POST))["person_id"])
    request.session[children.SESSION_CHILD] = child.person.pk
    _act_as_guardian(request, actor)
    return redirect("children")


def _act_as_guardian(request: HttpRequest, actor) -> None:
    if not family_access.acting_as_guardian(actor):
        # A teacher who linked their own child now also holds the parent identity: act as it.
        request.session[SESSION_IDENTITY] = children.guardian_identity_of(actor).pk


def _link_requests_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    found = [r for r in children.link_requests(request.actor) if r.direction == "incoming"]
    return render_page(request, "accounts/link_requests.html", {"requests": found, "decided": _decided(request)},
                       error)


@login_required
@on_refusal(_link_requests_form_page)
def link_requests_page(request: HttpRequest) -> HttpResponse:
    """Links waiting for the current identity's decision: a parent's for their children, a head
    teacher's and school admin's for children without a parent."""
    if request.method != "POST":
        return _link_requests_form_page(request)
    data = valid(LinkDecisionForm(request.POST))
    decision = data["decision"]
    if decision not in ("confirm", "refuse"):
        raise UserFacingError("scope.not_found")
    children.decide_link(request.actor, data["request_id"] or 0, confirm=decision == "confirm")
    target = reverse("children" if data["back"] == "children" else "link_requests")
    return redirect(f"{target}?decided={'confirmed' if decision == 'confirm' else 'refused'}")


def _decided(request: HttpRequest) -> str:
    """Which decision the page just took (shown once as a notice): confirmed, refused or nothing."""
    decided = request.GET.get("decided", "")
    return decided if decided in ("confirmed", "refused") else ""


def _child_password_form_page(request: HttpRequest, person_id: int, error: UserFacingError | None = None,
                              ) -> HttpResponse:
    child = children.child_of(request.actor, person_id)  # refused: the error page
    policy = policy_for_account(child.account) if child.account else None
    return render_page(request, "accounts/children_password.html", {"child": child, "policy": policy}, error)


@login_required
@on_refusal(_child_password_form_page)
def child_password_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """A parent sets a new password for their child; it takes effect at once and ends the child's sessions."""
    actor = request.actor
    child = children.child_of(actor, person_id)
    if request.method != "POST":
        return _child_password_form_page(request, person_id)
    data = valid(ChildPasswordForm(request.POST))
    result = resets.set_child_password(actor, person_id, data["new_password"], data["repeat_password"])
    return render(request, "accounts/children_password.html",
                  {"child": child, "done": True, "forced": result.must_change_password})


def _student_guardians_form_page(request: HttpRequest, person_id: int, error: UserFacingError | None = None,
                                 ) -> HttpResponse:
    student, found = children.guardians_of(request.actor, person_id)  # refused: the error page
    return render_page(request, "accounts/children_guardians.html", {"student": student, "guardians": found},
                       error)


@login_required
@on_refusal(_student_guardians_form_page)
def student_guardians_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The school's view of a student's linked parents, with a button to remove a wrong link."""
    if request.method != "POST":
        return _student_guardians_form_page(request, person_id)
    children.remove_guardian(request.actor, person_id, valid(GuardianRemovalForm(request.POST))["guardian_id"])
    return redirect("student_guardians", person_id=person_id)
