from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from renrentong.accounts.selectors import students_of_class
from renrentong.core.errors import UserFacingError

from . import selectors, services
from .policy import PASSWORD_RULE_LABELS, RULE_LABELS, weak_rules_of


@login_required
def school_page(request: HttpRequest, school_id: int) -> HttpResponse:
    try:
        school, campuses = selectors.school_tree(request.actor, school_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    return render(request, "orgs/school.html", {"school": school, "campuses": campuses})


@login_required
def class_students_fragment(request: HttpRequest, class_id: int) -> HttpResponse:
    """The members of one class, loaded into the tree by htmx when the class is opened."""
    try:
        students = students_of_class(request.actor, class_id)
    except UserFacingError as exc:
        return render(request, "error_fragment.html", {"error": exc}, status=exc.status)
    return render(request, "orgs/class_students.html", {"students": students})


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Account settings of a region (region admins) or a school's overrides (school admins)."""
    actor = request.actor
    error = None
    try:
        region, school = services.policy_owner(actor)
        if request.method == "POST":
            services.update_policy(actor, _policy_changes(request.POST, school is not None))
            return redirect("orgs:settings")
        policy = services.effective_policy(actor)
    except UserFacingError as exc:
        if request.method != "POST" or exc.code == "policy.not_allowed":
            return render(request, "error.html", {"error": exc}, status=exc.status)
        error, policy = exc, services.effective_policy(actor)
    return render(request, "orgs/settings.html", {
        "policy": policy, "error": error, "owner": school or region, "is_school": school is not None,
        "weak_rules": weak_rules_of(policy), "rule_labels": RULE_LABELS, "password_rule_labels": PASSWORD_RULE_LABELS,
        "student_rules": services.STUDENT_RULES, "parent_rules": services.PARENT_RULES,
        "teacher_rules": services.TEACHER_RULES,
    }, status=error.status if error else 200)


def _policy_changes(form, is_school: bool) -> dict:
    fields = services.SCHOOL_FIELDS if is_school else set(services.CHOICES) | set(services.RANGES) | {
        "school_default_password"}
    changes: dict = {}
    for field in fields:
        if field not in form:
            continue
        value = form[field].strip()
        if field in services.RANGES:
            if not value.isdigit():
                raise UserFacingError("policy.invalid_value", field=field, allowed="-".join(
                    str(n) for n in services.RANGES[field]))
            changes[field] = int(value)
        else:
            changes[field] = value
    return changes
