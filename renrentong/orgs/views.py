from __future__ import annotations

from dataclasses import replace

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
    can_print_slips = request.actor.identity.kind in ("school_admin", "region_admin")
    return render(request, "orgs/school.html", {"school": school, "campuses": campuses,
                                                "can_print_slips": can_print_slips})


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
    try:
        region, school = services.policy_owner(actor)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    error = None
    policy = services.effective_policy(actor)
    if request.method == "POST":
        changes, error = _policy_changes(request.POST, school is not None)
        if error is None:
            try:
                services.update_policy(actor, changes)
            except UserFacingError as exc:
                error = exc
            else:
                return redirect("orgs:settings")
        # Show what the admin typed, so fixing one field does not mean typing the others again.
        policy = replace(policy, **changes)
    return render(request, "orgs/settings.html", {
        "policy": policy, "error": error, "owner": school or region, "is_school": school is not None,
        "weak_rules": weak_rules_of(policy), "rule_labels": RULE_LABELS, "password_rule_labels": PASSWORD_RULE_LABELS,
        "student_rules": services.STUDENT_RULES, "parent_rules": services.PARENT_RULES,
        "teacher_rules": services.TEACHER_RULES,
    }, status=error.status if error else 200)


def _policy_changes(form, is_school: bool) -> tuple[dict, UserFacingError | None]:
    fields = services.SCHOOL_FIELDS if is_school else set(services.CHOICES) | set(services.RANGES) | {
        "school_default_password"}
    changes: dict = {}
    error = None
    for field in sorted(fields & set(form)):
        value = form[field].strip()
        if field not in services.RANGES:
            changes[field] = value
        elif value.isdigit():
            changes[field] = int(value)
        else:
            low, high = services.RANGES[field]
            error = error or UserFacingError("policy.invalid_value", field=field, allowed=f"{low}-{high}")
    return changes, error
