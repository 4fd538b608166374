"""The account settings page (AUTH-2, AUTH-3 per region, overridable per school).

The rooms' pages are in structure/views.py (ORG-3..5) and tenants/views.py (ORG-2, ORG-6); urls.py joins
them. School admin roles (ADM-6) and class members are accounts' (accounts/admin_roles/, accounts/people/),
joined into the orgs namespace in renrentong/urls.py."""

from __future__ import annotations

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs import services
from renrentong.orgs.forms import PolicyForm
from renrentong.orgs.policy import PASSWORD_RULE_LABELS, RULE_LABELS, weak_rules_of


def _settings_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    region, school = services.policy_owner(actor)
    policy = services.effective_policy(actor)
    if request.method == "POST":
        # Show what the admin typed, so fixing one field does not mean typing the others again.
        policy = replace(policy, **PolicyForm(request.POST, is_school=school is not None).typed())
    return render_page(request, "orgs/settings.html", {
        "policy": policy, "owner": school or region, "is_school": school is not None,
        "weak_rules": weak_rules_of(policy), "rule_labels": RULE_LABELS, "password_rule_labels": PASSWORD_RULE_LABELS,
        "student_rules": services.STUDENT_RULES, "parent_rules": services.PARENT_RULES,
        "teacher_rules": services.TEACHER_RULES, "provinces": services.CHOICES["sms_province"][1:],
        "yes_no": [(field, label, getattr(policy, field)) for field, label in (
            ("phone_binding_required", _("Users without a phone must bind one after login")),
            ("second_factor_region_admins", _("District and higher admins need a second factor")),
            ("second_factor_school_admins", _("School admins need a second factor")))],
    }, error)


@login_required
@on_refusal(_settings_page)
def settings_page(request: HttpRequest) -> HttpResponse:
    """Account settings of a region (region admins) or a school's overrides (school admins)."""
    if request.method != "POST":
        return _settings_page(request)
    _region, school = services.policy_owner(request.actor)
    services.update_policy(request.actor, PolicyForm(request.POST, is_school=school is not None).changes())
    return redirect("orgs:settings")
