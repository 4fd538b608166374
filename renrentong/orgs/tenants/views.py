"""Tenant pages (ORG-2, ORG-6): a school admin's school system page and the region admin's schools.
One school's page (registration, system and admins) and the approvals queue name school admins, which
are accounts' identities: they are in accounts/admin_roles/views.py, under the same orgs URLs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs import selectors
from renrentong.orgs.forms import levels_from
from renrentong.orgs.tenants import access, services as tenants
from renrentong.orgs.tenants.forms import SchoolRegistrationForm, SystemRequestForm


def _require_tenant_manager(request: HttpRequest) -> None:
    if not access.can_manage_tenants(request.actor):
        raise UserFacingError("tenant.not_allowed")


def _levels_context() -> dict:
    return {"systems": selectors.school_systems(), "all_levels": selectors.level_labels()}


def _system_page(request: HttpRequest, school_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    school = selectors.school_in_scope(actor, school_id)
    requests = tenants.system_requests(actor, status=None)
    return render_page(request, "orgs/system.html", {
        "school": school, "requests": [r for r in requests if r.school_id == school.pk],
        "current_levels": school.registered_levels(), **_levels_context(),
    }, error)


@login_required
@on_refusal(_system_page)
def system_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """School admins: the school system and stages, a change request and its outcome."""
    actor = request.actor
    school = selectors.school_in_scope(actor, school_id)
    if access.can_manage_tenants(actor):
        return redirect("orgs:tenant", school.pk)
    if request.method != "POST":
        return _system_page(request, school_id)
    form = SystemRequestForm(request.POST)
    data = form.valid_data()
    if data["withdraw"] is not None:
        tenants.withdraw_system_change(actor, data["withdraw"])
    else:
        tenants.request_system_change(actor, school.pk, data["system"], form.levels(), data["reason"])
    messages.success(request, _("Sent to the district admin."))
    return redirect("orgs:system", school.pk)


def _tenants_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    _require_tenant_manager(request)
    return render_page(request, "orgs/tenants.html", {
        "schools": selectors.visible_schools(actor), "districts": selectors.visible_districts(actor),
        "form": request.POST, "current_levels": levels_from(request.POST), **_levels_context(),
    }, error)


@login_required
@on_refusal(_tenants_page)
def tenants_page(request: HttpRequest) -> HttpResponse:
    """Region admins: the schools below them, registering a new one (添加租户)."""
    _require_tenant_manager(request)
    if request.method != "POST":
        return _tenants_page(request)
    form = SchoolRegistrationForm(request.POST)
    data = form.valid_data()
    school = tenants.register_school(request.actor, data["district_id"], data["name"], data["code"], data["system"],
                                     form.levels(), data["school_year"] or None)
    messages.success(request, _("%(school)s is registered.") % {"school": school.name})
    return redirect("orgs:tenant", school.pk)
