"""School admin role pages (ADM-6): a teacher applies to be school admin and sees how it went; the region
admin's page of one school (registration, system and its admins: appointing and removing them) and the
approvals queue (school system requests and school admin applications). Routed in the orgs namespace
(accounts/admin_roles/urls.py, joined in renrentong/urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.accounts.admin_roles import services as admin_roles
from renrentong.accounts.admin_roles.forms import ApplicationForm
from renrentong.orgs import selectors
from renrentong.orgs.tenants import access, services as tenants
from renrentong.orgs.tenants.forms import DecisionForm, TenantForm


def _apply_admin_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "orgs/apply_admin.html", {
        "applications": admin_roles.my_applications(request.actor.account), "pending": admin_roles.PENDING}, error)


@login_required
@on_refusal(_apply_admin_page)
def apply_admin_page(request: HttpRequest) -> HttpResponse:
    """Teachers: apply to be school admin (申请学校管理员) and see how it went."""
    if request.method != "POST":
        return _apply_admin_page(request)
    data = ApplicationForm(request.POST).valid_data()
    if data["withdraw"] is not None:
        admin_roles.withdraw_application(request.actor, data["withdraw"])
    else:
        admin_roles.apply_for_school_admin(request.actor, data["reason"])
    messages.success(request, _("Sent. The district or city admin decides; the outcome shows on your home page."))
    return redirect("home")


def _require_tenant_manager(request: HttpRequest) -> None:
    if not access.can_manage_tenants(request.actor):
        raise UserFacingError("tenant.not_allowed")


def _levels_context() -> dict:
    return {"systems": selectors.school_systems(), "all_levels": selectors.level_labels()}


def _tenant_page(request: HttpRequest, school_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    _require_tenant_manager(request)
    school = selectors.school_in_scope(actor, school_id)
    return render_page(request, "orgs/tenant.html", {
        "school": school, "admins": admin_roles.school_admins(actor, school.pk),
        "candidates": admin_roles.admin_candidates(actor, school.pk),
        "current_levels": school.registered_levels(), **_levels_context(),
        "pending": [r for r in tenants.system_requests(actor) if r.school_id == school.pk],
    }, error)


@login_required
@on_refusal(_tenant_page)
def tenant_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """Region admins: one school's registration, school system and stages, and its school admins."""
    actor = request.actor
    _require_tenant_manager(request)
    school = selectors.school_in_scope(actor, school_id)
    if request.method != "POST":
        return _tenant_page(request, school_id)
    form = TenantForm(request.POST, school.name)
    data = form.valid_data()
    action = data["action"]
    if action == "registration":
        tenants.set_registered(actor, school.pk, data["registered"] == "1")
    elif action == "system":
        tenants.set_system(actor, school.pk, data["system"], form.levels())
    elif action == "appoint":
        admin_roles.appoint_school_admin(actor, school.pk, data["account_id"])
    elif action == "remove":
        admin_roles.remove_school_admin(actor, school.pk, data["identity_id"])
    messages.success(request, _("Saved."))
    return redirect("orgs:tenant", school.pk)


def _approvals_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    _require_tenant_manager(request)
    return render_page(request, "orgs/approvals.html", {
        "system_requests": tenants.system_requests(actor), "applications": admin_roles.applications_queue(actor),
        "level_labels": dict(selectors.level_labels()),
    }, error)


@login_required
@on_refusal(_approvals_page)
def approvals_page(request: HttpRequest) -> HttpResponse:
    """Region admins: the queues of school system change requests and school admin applications."""
    actor = request.actor
    _require_tenant_manager(request)
    if request.method != "POST":
        return _approvals_page(request)
    data = DecisionForm(request.POST).valid_data()
    approve = data["decision"] == "approve"
    if data["kind"] == "system":
        tenants.decide_system_change(actor, data["id"], approve, data["note"])
    else:
        admin_roles.decide_application(actor, data["id"], approve, data["note"])
    messages.success(request, _("Approved.") if approve else _("Refused."))
    return redirect("orgs:approvals")
