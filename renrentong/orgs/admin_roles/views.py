"""School admin role pages (ADM-6): a teacher applies to be school admin and sees how it went.
Appointing and removing admins is on the tenant page; deciding applications on the approvals page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs.admin_roles import services as admin_roles
from renrentong.orgs.admin_roles.forms import ApplicationForm


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
