from __future__ import annotations

from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.orgs.admin_roles import services as admin_roles
from renrentong.accounts.selectors import students_of_class
from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number

from renrentong.orgs import selectors, services

from renrentong.orgs.structure import services as structure

from renrentong.orgs.tenants import services as tenants
from renrentong.orgs.models import Decision, School, Stage
from renrentong.orgs.policy import PASSWORD_RULE_LABELS, RULE_LABELS, weak_rules_of


@login_required
def school_page(request: HttpRequest, school_id: int) -> HttpResponse:
    try:
        school, campuses = selectors.school_tree(request.actor, school_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    kind = request.actor.identity.kind
    can_edit = kind in ("school_admin", "region_admin")
    return render(request, "orgs/school.html", {
        "school": school, "campuses": campuses, "can_print_slips": can_edit, "can_edit": can_edit,
        "is_region_admin": kind == "region_admin", "levels": _level_labels(school.registered_levels()),
    })


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
        "teacher_rules": services.TEACHER_RULES, "provinces": services.CHOICES["sms_province"][1:],
        "yes_no": [(field, label, getattr(policy, field)) for field, label in (
            ("phone_binding_required", _("Users without a phone must bind one after login")),
            ("second_factor_region_admins", _("District and higher admins need a second factor")),
            ("second_factor_school_admins", _("School admins need a second factor")))],
    }, status=error.status if error else 200)


def _policy_changes(form, is_school: bool) -> tuple[dict, UserFacingError | None]:
    fields = services.SCHOOL_FIELDS if is_school else set(services.CHOICES) | set(services.RANGES) | set(
        services.MONTH_DAYS) | {"school_default_password"}
    changes: dict = {}
    error = None
    for field in sorted(fields & set(form)):
        value = form[field].strip()
        if services.CHOICES.get(field) == (True, False):  # a yes/no select sends 1 or 0
            changes[field] = value == "1"
        elif field not in services.RANGES:
            changes[field] = value
        elif (number := parse_number(value)) is not None:
            changes[field] = number
        else:
            low, high = services.RANGES[field]
            error = error or UserFacingError("policy.invalid_value", field=field, allowed=f"{low}-{high}")
    return changes, error


# --- Structure pages (ORG-4, ORG-5) -------------------------------------------------------------------

def _level_labels(levels: list[str]) -> list[tuple[str, str]]:
    return [(level, str(Stage.Level(level).label)) for level in levels]


def _int(form, name: str, default: int = 0) -> int:
    """A number field; what is not a number counts as out of range, which the service refuses clearly."""
    value = (form.get(name) or "").strip()
    if not value:
        return default
    number = parse_number(value)
    return -1 if number is None else number


def _stage_forms(school: School, typed, exclude: set[str] = frozenset()) -> list[dict]:
    """For each stage the school may add: its grades with the name each would have this school year, and
    what the admin typed, so a refused form comes back as it was sent."""
    forms = []
    for level, label in _level_labels(school.registered_levels()):
        if level in exclude:
            continue
        stage = Stage(level=level, system=school.system)
        grades = [(i, stage.grade_label(stage.first_grade + i), school.school_year - i,
                   typed.get(f"{level}-g{i}", "")) for i in range(stage.years)]
        forms.append({"level": level, "label": label, "grades": grades, "on": bool(typed.get(f"{level}-on")),
                      "n": typed.get(f"{level}-n", "")})
    return forms


def _counts_from(form, forms: list[dict]) -> dict[str, list[int]]:
    """N classes per grade, or the number typed for one grade where the admin changed it."""
    chosen: dict[str, list[int]] = {}
    for stage in forms:
        if not form.get(f"{stage['level']}-on"):
            continue
        default = _int(form, f"{stage['level']}-n", 0)
        chosen[stage["level"]] = [_int(form, f"{stage['level']}-g{i}", default) for i, *_rest in stage["grades"]]
    return chosen


def _done(request: HttpRequest, school_id: int, created: structure.Created) -> HttpResponse:
    text = _("Created %(classes)s classes.") % {"classes": len(created.class_ids)}
    if created.skipped_numbers:
        text += " " + _("Already there, left as they were: class %(numbers)s.") % {
            "numbers": ", ".join(str(n) for n in created.skipped_numbers)}
    messages.success(request, text)
    return redirect("orgs:school", school_id)


@login_required
def campus_new_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """Quick creation of a campus with stages, grades and N classes per grade (快速创建校区、年级、班级)."""
    try:
        school = structure.editable_school(request.actor, school_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    forms = _stage_forms(school, request.POST)
    error = None
    if request.method == "POST":
        try:
            created = structure.create_campus(request.actor, school.pk, request.POST.get("name", ""),
                                              _counts_from(request.POST, forms))
        except UserFacingError as exc:
            error = exc
        else:
            return _done(request, school.pk, created)
    return render(request, "orgs/campus_new.html", {"school": school, "forms": forms, "error": error,
                                                    "form": request.POST}, status=error.status if error else 200)


@login_required
def stage_new_page(request: HttpRequest, campus_id: int) -> HttpResponse:
    try:
        campus = structure.editable_campus(request.actor, campus_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    school = campus.school
    forms = _stage_forms(school, request.POST, exclude=set(campus.stages.values_list("level", flat=True)))
    error = None
    if request.method == "POST":
        level = request.POST.get("level", "")
        form = next((f for f in forms if f["level"] == level), None)
        try:
            if form is None:
                raise UserFacingError("structure.unknown_level", level=level)
            counts = _counts_from({**request.POST.dict(), f"{level}-on": "1"}, [form])[level]
            created = structure.add_stage(request.actor, campus.pk, level, counts)
        except UserFacingError as exc:
            error = exc
        else:
            return _done(request, school.pk, created)
    return render(request, "orgs/stage_new.html", {"campus": campus, "school": school, "forms": forms,
                                                   "error": error, "form": request.POST},
                  status=error.status if error else 200)


@login_required
def grade_new_page(request: HttpRequest, stage_id: int) -> HttpResponse:
    try:
        stage = structure.editable_stage(request.actor, stage_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    school = stage.campus.school
    existing = set(stage.cohorts.values_list("enrollment_year", flat=True))
    grades = [(g, _("%(grade)s (enrolled %(year)s)") % {"grade": stage.grade_label(g), "year": year})
              for g in range(stage.first_grade, stage.first_grade + stage.years)
              if (year := school.school_year - (g - stage.first_grade)) not in existing]
    error = None
    if request.method == "POST":
        try:
            created = structure.add_grade(request.actor, stage.pk, _int(request.POST, "grade"),
                                          _int(request.POST, "first", 1), _int(request.POST, "last"))
        except UserFacingError as exc:
            error = exc
        else:
            return _done(request, school.pk, created)
    return render(request, "orgs/grade_new.html", {"stage": stage, "school": school, "grades": grades,
                                                   "error": error, "form": request.POST},
                  status=error.status if error else 200)


@login_required
def classes_new_page(request: HttpRequest, cohort_id: int) -> HttpResponse:
    try:
        cohort = structure.editable_cohort(request.actor, cohort_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    school = cohort.stage.campus.school
    error = None
    if request.method == "POST":
        try:
            created = structure.add_classes(request.actor, cohort.pk, _int(request.POST, "first"),
                                            _int(request.POST, "last"), request.POST.get("kind", "administrative"))
        except UserFacingError as exc:
            error = exc
        else:
            return _done(request, school.pk, created)
    numbers = sorted(cohort.classes.filter(kind="administrative").values_list("number", flat=True))
    return render(request, "orgs/classes_new.html", {
        "cohort": cohort, "school": school, "grade": cohort.grade_name(school.school_year), "numbers": numbers,
        "next": (numbers[-1] + 1) if numbers else 1, "error": error, "form": request.POST,
    }, status=error.status if error else 200)


@login_required
def naming_page(request: HttpRequest, stage_id: int) -> HttpResponse:
    try:
        stage = structure.editable_stage(request.actor, stage_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    school = stage.campus.school
    error = None
    if request.method == "POST":
        names = {g: request.POST.get(f"grade-{g}", "") for g in range(stage.first_grade,
                                                                      stage.first_grade + stage.years)}
        try:
            structure.set_naming(request.actor, stage.pk, names, request.POST.get("class_pattern", ""))
        except UserFacingError as exc:
            error = exc
        else:
            messages.success(request, _("Names saved."))
            return redirect("orgs:school", school.pk)
    grades = [(g, stage.grade_names.get(str(g), ""), str(Stage(level=stage.level).grade_label(g)))
              for g in range(stage.first_grade, stage.first_grade + stage.years)]
    return render(request, "orgs/naming.html", {"stage": stage, "school": school, "grades": grades,
                                                "error": error}, status=error.status if error else 200)


@require_POST
@login_required
def class_delete(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        school_class = structure.editable_class(request.actor, class_id)
        structure.delete_class(request.actor, class_id)
    except UserFacingError as exc:
        if exc.code in ("scope.not_found", "structure.not_allowed"):
            return render(request, "error.html", {"error": exc}, status=exc.status)
        messages.error(request, exc.message)
        return redirect("orgs:school", school_class.school_id)
    messages.success(request, _("Class deleted."))
    return redirect("orgs:school", school_class.school_id)


# --- School system and tenants (ORG-2, ORG-6) ---------------------------------------------------------

def _levels_from(form) -> list[str]:
    return [level for level in School.LEVEL_ORDER if form.get(f"level-{level}")]


@login_required
def system_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """School admins: the school system and stages, a change request and its outcome."""
    actor = request.actor
    try:
        school = selectors.school_in_scope(actor, school_id)
        requests = tenants.system_requests(actor, status=None)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    if actor.identity.kind == "region_admin":
        return redirect("orgs:tenant", school.pk)
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("withdraw"):
                tenants.withdraw_system_change(actor, _int(request.POST, "withdraw"))
            else:
                tenants.request_system_change(actor, school.pk, request.POST.get("system", ""),
                                              _levels_from(request.POST), request.POST.get("reason", ""))
        except UserFacingError as exc:
            error = exc
        else:
            messages.success(request, _("Sent to the district admin."))
            return redirect("orgs:system", school.pk)
    return render(request, "orgs/system.html", {
        "school": school, "requests": [r for r in requests if r.school_id == school.pk], "error": error,
        "systems": Stage.System.choices, "all_levels": _level_labels(list(School.LEVEL_ORDER)),
        "current_levels": school.registered_levels(),
    }, status=error.status if error else 200)


def _region_admin_only(actor) -> UserFacingError | None:
    if actor.identity.kind != "region_admin":
        return UserFacingError("tenant.not_allowed")
    return None


@login_required
def tenants_page(request: HttpRequest) -> HttpResponse:
    """Region admins: the schools below them, registering a new one (添加租户)."""
    actor = request.actor
    refused = _region_admin_only(actor)
    if refused:
        return render(request, "error.html", {"error": refused}, status=refused.status)
    error = None
    if request.method == "POST":
        try:
            year = _int(request.POST, "school_year", 0) or None
            school = tenants.register_school(actor, _int(request.POST, "district_id"), request.POST.get("name", ""),
                                             request.POST.get("code", ""), request.POST.get("system", ""),
                                             _levels_from(request.POST), year)
        except UserFacingError as exc:
            error = exc
        else:
            messages.success(request, _("%(school)s is registered.") % {"school": school.name})
            return redirect("orgs:tenant", school.pk)
    districts = [r for r in selectors.visible_regions(actor) if r.kind == "district"]
    return render(request, "orgs/tenants.html", {
        "schools": selectors.visible_schools(actor), "districts": districts, "error": error, "form": request.POST,
        "systems": Stage.System.choices, "all_levels": _level_labels(list(School.LEVEL_ORDER)),
        "current_levels": _levels_from(request.POST),
    }, status=error.status if error else 200)


@login_required
def tenant_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """Region admins: one school's registration, school system and stages, and its school admins."""
    actor = request.actor
    try:
        refused = _region_admin_only(actor)
        if refused:
            raise refused
        school = selectors.school_in_scope(actor, school_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    error = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "registration":
                tenants.set_registered(actor, school.pk, request.POST.get("registered") == "1")
            elif action == "system":
                tenants.set_system(actor, school.pk, request.POST.get("system", ""), _levels_from(request.POST))
            elif action == "appoint":
                admin_roles.appoint_school_admin(actor, school.pk, _int(request.POST, "account_id"))
            elif action == "remove":
                admin_roles.remove_school_admin(actor, school.pk, _int(request.POST, "identity_id"))
        except UserFacingError as exc:
            error = exc
        else:
            messages.success(request, _("Saved."))
            return redirect("orgs:tenant", school.pk)
        school = selectors.school_in_scope(actor, school_id)
    return render(request, "orgs/tenant.html", {
        "school": school, "admins": admin_roles.school_admins(actor, school.pk),
        "candidates": admin_roles.admin_candidates(actor, school.pk), "error": error,
        "systems": Stage.System.choices, "all_levels": _level_labels(list(School.LEVEL_ORDER)),
        "current_levels": school.registered_levels(),
        "pending": [r for r in tenants.system_requests(actor) if r.school_id == school.pk],
    }, status=error.status if error else 200)


@login_required
def approvals_page(request: HttpRequest) -> HttpResponse:
    """Region admins: the queues of school system change requests and school admin applications."""
    actor = request.actor
    refused = _region_admin_only(actor)
    if refused:
        return render(request, "error.html", {"error": refused}, status=refused.status)
    error = None
    if request.method == "POST":
        approve = request.POST.get("decision") == "approve"
        note = request.POST.get("note", "")
        try:
            if request.POST.get("kind") == "system":
                tenants.decide_system_change(actor, _int(request.POST, "id"), approve, note)
            else:
                admin_roles.decide_application(actor, _int(request.POST, "id"), approve, note)
        except UserFacingError as exc:
            error = exc
        else:
            messages.success(request, _("Approved.") if approve else _("Refused."))
            return redirect("orgs:approvals")
    return render(request, "orgs/approvals.html", {
        "system_requests": tenants.system_requests(actor), "applications": admin_roles.applications_queue(actor),
        "error": error, "level_labels": dict(_level_labels(list(School.LEVEL_ORDER))),
    }, status=error.status if error else 200)


@login_required
def apply_admin_page(request: HttpRequest) -> HttpResponse:
    """Teachers: apply to be school admin (申请学校管理员) and see how it went."""
    actor = request.actor
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("withdraw"):
                admin_roles.withdraw_application(actor, _int(request.POST, "withdraw"))
            else:
                admin_roles.apply_for_school_admin(actor, request.POST.get("reason", ""))
        except UserFacingError as exc:
            error = exc
        else:
            messages.success(request, _("Sent. The district or city admin decides; the outcome shows on your "
                                        "home page."))
            return redirect("home")
    return render(request, "orgs/apply_admin.html", {
        "applications": admin_roles.my_applications(actor.account), "error": error,
        "pending": Decision.PENDING}, status=error.status if error else 200)
