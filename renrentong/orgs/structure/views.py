"""Structure pages (ORG-3..5): a school's tree, quick creation of campuses, stages, grades and classes,
naming, deleting an empty class. Refusals are raised: RefusalMiddleware shows the error page, and a
form page re-renders with the error beside what was typed (@on_refusal)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.orgs import selectors
from renrentong.orgs.structure import access, services as structure
from renrentong.orgs.structure.forms import ClassesForm, GradeForm, NamingForm, StageCountsForm
from renrentong.orgs.tenants import access as tenant_access
from renrentong.orgs.selectors import level_labels


@login_required
def school_page(request: HttpRequest, school_id: int) -> HttpResponse:
    school, campuses = selectors.school_tree(request.actor, school_id)
    can_edit = access.can_manage_structure(request.actor, school)
    return render(request, "orgs/school.html", {
        "school": school, "campuses": campuses, "can_print_slips": can_edit, "can_edit": can_edit,
        "can_manage_tenant": tenant_access.can_manage_tenants(request.actor),
        "levels": level_labels(school.registered_levels()),
    })


def _stage_forms(school, typed, exclude: set[str] = frozenset()) -> list[dict]:
    """For each stage the school may add: its grades with the name each would have this school year, and
    what the admin typed, so a refused form comes back as it was sent."""
    forms = []
    for level, label in level_labels(school.registered_levels()):
        if level in exclude:
            continue
        stage = structure.stage_preview(school, level)
        grades = [(i, stage.grade_label(stage.first_grade + i), school.school_year - i,
                   typed.get(f"{level}-g{i}", "")) for i in range(stage.years)]
        forms.append({"level": level, "label": label, "grades": grades, "on": bool(typed.get(f"{level}-on")),
                      "n": typed.get(f"{level}-n", "")})
    return forms


def _done(request: HttpRequest, school_id: int, created: structure.Created) -> HttpResponse:
    text = _("Created %(classes)s classes.") % {"classes": len(created.class_ids)}
    if created.skipped_numbers:
        text += " " + _("Already there, left as they were: class %(numbers)s.") % {
            "numbers": ", ".join(str(n) for n in created.skipped_numbers)}
    messages.success(request, text)
    return redirect("orgs:school", school_id)


def _campus_page(request: HttpRequest, school_id: int, error: UserFacingError | None = None) -> HttpResponse:
    school = structure.editable_school(request.actor, school_id)
    return render_page(request, "orgs/campus_new.html", {
        "school": school, "forms": _stage_forms(school, request.POST), "form": request.POST}, error)


@login_required
@on_refusal(_campus_page)
def campus_new_page(request: HttpRequest, school_id: int) -> HttpResponse:
    """Quick creation of a campus with stages, grades and N classes per grade (快速创建校区、年级、班级)."""
    if request.method != "POST":
        return _campus_page(request, school_id)
    school = structure.editable_school(request.actor, school_id)
    form = StageCountsForm(request.POST, _stage_forms(school, request.POST), with_name=True)
    counts = form.counts()
    created = structure.create_campus(request.actor, school.pk, form.cleaned_data["name"], counts)
    return _done(request, school.pk, created)


def _stage_page(request: HttpRequest, campus_id: int, error: UserFacingError | None = None) -> HttpResponse:
    campus = structure.editable_campus(request.actor, campus_id)
    forms = _stage_forms(campus.school, request.POST, exclude=structure.campus_levels(campus))
    return render_page(request, "orgs/stage_new.html", {
        "campus": campus, "school": campus.school, "forms": forms, "form": request.POST}, error)


@login_required
@on_refusal(_stage_page)
def stage_new_page(request: HttpRequest, campus_id: int) -> HttpResponse:
    if request.method != "POST":
        return _stage_page(request, campus_id)
    campus = structure.editable_campus(request.actor, campus_id)
    level = request.POST.get("level", "")
    offered = _stage_forms(campus.school, request.POST, exclude=structure.campus_levels(campus))
    stage = next((f for f in offered if f["level"] == level), None)
    if stage is None:
        raise UserFacingError("structure.unknown_level", level=level)
    counts = StageCountsForm(request.POST, [stage]).counts(ticked_only=False)[level]
    created = structure.add_stage(request.actor, campus.pk, level, counts)
    return _done(request, campus.school_id, created)


def _grade_page(request: HttpRequest, stage_id: int, error: UserFacingError | None = None) -> HttpResponse:
    stage = structure.editable_stage(request.actor, stage_id)
    grades = [(g, _("%(grade)s (enrolled %(year)s)") % {"grade": label, "year": year})
              for g, label, year in structure.missing_grades(stage)]
    return render_page(request, "orgs/grade_new.html", {
        "stage": stage, "school": stage.campus.school, "grades": grades, "form": request.POST}, error)


@login_required
@on_refusal(_grade_page)
def grade_new_page(request: HttpRequest, stage_id: int) -> HttpResponse:
    if request.method != "POST":
        return _grade_page(request, stage_id)
    stage = structure.editable_stage(request.actor, stage_id)
    data = GradeForm(request.POST, stage).valid_data()
    created = structure.add_grade(request.actor, stage.pk, data["grade"], data["first"], data["last"])
    return _done(request, stage.campus.school_id, created)


def _classes_page(request: HttpRequest, cohort_id: int, error: UserFacingError | None = None) -> HttpResponse:
    cohort = structure.editable_cohort(request.actor, cohort_id)
    school = cohort.stage.campus.school
    numbers = structure.class_numbers(cohort)
    return render_page(request, "orgs/classes_new.html", {
        "cohort": cohort, "school": school, "grade": cohort.grade_name(school.school_year), "numbers": numbers,
        "next": (numbers[-1] + 1) if numbers else 1, "form": request.POST,
    }, error)


@login_required
@on_refusal(_classes_page)
def classes_new_page(request: HttpRequest, cohort_id: int) -> HttpResponse:
    if request.method != "POST":
        return _classes_page(request, cohort_id)
    cohort = structure.editable_cohort(request.actor, cohort_id)
    data = ClassesForm(request.POST).valid_data()
    created = structure.add_classes(request.actor, cohort.pk, data["first"], data["last"], data["kind"])
    return _done(request, cohort.stage.campus.school_id, created)


def _naming_page(request: HttpRequest, stage_id: int, error: UserFacingError | None = None) -> HttpResponse:
    stage = structure.editable_stage(request.actor, stage_id)
    return render_page(request, "orgs/naming.html", {
        "stage": stage, "school": stage.campus.school, "grades": structure.grade_names(stage)}, error)


@login_required
@on_refusal(_naming_page)
def naming_page(request: HttpRequest, stage_id: int) -> HttpResponse:
    if request.method != "POST":
        return _naming_page(request, stage_id)
    stage = structure.editable_stage(request.actor, stage_id)
    form = NamingForm(request.POST, stage)
    names = form.names()
    structure.set_naming(request.actor, stage.pk, names, form.cleaned_data["class_pattern"])
    messages.success(request, _("Names saved."))
    return redirect("orgs:school", stage.campus.school_id)


def _class_not_deleted(request: HttpRequest, class_id: int, error: UserFacingError) -> HttpResponse:
    """A class that may not be deleted (it has students) goes back to the tree with the reason; one the
    actor may not see or change is refused by the lookup itself, which raises to the error page."""
    school_class = structure.editable_class(request.actor, class_id)
    messages.error(request, error.message)
    return redirect("orgs:school", school_class.school_id)


@require_POST
@login_required
@on_refusal(_class_not_deleted)
def class_delete(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class = structure.editable_class(request.actor, class_id)
    structure.delete_class(request.actor, class_id)
    messages.success(request, _("Class deleted."))
    return redirect("orgs:school", school_class.school_id)
