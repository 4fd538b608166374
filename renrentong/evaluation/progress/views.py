"""The progress page (EVA-4) in the console: a region's schools, a school's classes, a class's students, one
student's counts per item; filters (district, grade, class, only students with nothing submitted), the
export of what is shown, and the reminder to the students with nothing submitted. Parse, call, render."""

from __future__ import annotations

import functools

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response

from renrentong.evaluation.progress import access, exporting, selectors, services
from renrentong.evaluation.progress.forms import ProgressFilters


def on_console(view):
    """A desk page: the console shell, whoever opens it (a head teacher is on the phone shell elsewhere)."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.console_page = True
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            raise UserFacingError("evaluation.progress_not_found")
        return view(request, *args, **kwargs)

    return wrapped


def _filters(request: HttpRequest) -> ProgressFilters:
    actor = request.actor
    if not access.sees_progress_page(actor):
        raise UserFacingError("evaluation.progress_not_allowed")
    chosen = ProgressFilters.from_query(request.GET, default_level="schools" if access.is_region_admin(actor)
                                        else "classes")
    if chosen.level != "schools" and chosen.school_id is None:
        home = selectors.home_school(actor)
        if home is None:
            raise UserFacingError("evaluation.progress_not_found")
        chosen.school_id = home.pk
    return chosen


def _query(chosen: ProgressFilters, **changes) -> str:
    values = {"school": chosen.school_id, "district": chosen.district_id, "grade": chosen.grade_id,
              "class_id": chosen.class_id, "nothing": "1" if chosen.only_nothing else None, **changes}
    return urlencode({k: v for k, v in values.items() if v not in (None, "")})


def _page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    request.console_page = True
    actor = request.actor
    chosen = _filters(request)
    context: dict = {"chosen": chosen, "error": error, "region_admin": access.is_region_admin(actor)}
    if chosen.level == "schools":
        context.update(rows=selectors.school_rows(actor, chosen.district_id), districts=selectors.districts_of(actor))
    else:
        school = selectors.school_for(actor, chosen.school_id or 0)
        context.update(school=school, grades=selectors.grades_of(actor, school),
                       classes=[(c.pk, c.display_name(school.school_year))
                                for c in selectors.classes_in_scope(actor, school)],
                       reminds=access.is_school_admin(actor) or bool(access.headed_class_ids(actor)))
        if chosen.level == "classes":
            context["rows"] = selectors.class_rows(actor, school, grade_id=chosen.grade_id, class_id=chosen.class_id,
                                                   only_nothing=chosen.only_nothing)
        else:
            rows = selectors.student_rows(actor, school, grade_id=chosen.grade_id, class_id=chosen.class_id,
                                          only_nothing=chosen.only_nothing)
            context["rows"] = rows
            shown = {r.class_id for r in rows}
            context["reminded"] = selectors.reminded_today(school, list(shown), timezone.localdate()).values()
    context["export_url"] = f"{request.path}?{_query(chosen, level=chosen.level, export='xlsx')}"
    context["query"] = _query(chosen)
    context["nothing_url"] = f"{request.path}?{_query(chosen, level='students', nothing='1')}"
    return render_page(request, "evaluation/progress/progress.html", context, error)


@login_required
@on_console
@on_refusal(_page)
def progress_page(request: HttpRequest) -> HttpResponse:
    """上报进度: the counts of what the actor sees, drilled down school → class → student; export; and (POST)
    the reminder to the students with nothing submitted of the filtered classes, in their inbox."""
    if request.method == "POST":
        return _remind(request)
    if request.GET.get("export") == "xlsx":
        chosen = _filters(request)
        return export_response(request, exporting.progress_export, chosen.as_params(),
                               estimate=exporting.progress_size(request.actor, chosen), title=str(exporting.TITLE))
    return _page(request)


def _remind(request: HttpRequest) -> HttpResponse:
    chosen = _filters(request)
    batch = services.remind_nothing_submitted(request.actor, chosen.school_id, grade_id=chosen.grade_id,
                                              class_id=chosen.class_id)
    flash.success(request, _("Reminded %(n)s students with nothing submitted and their parents (%(classes)s).")
                  % {"n": batch.students, "classes": "、".join(batch.classes)})
    if batch.skipped:
        flash.info(request, _("Already reminded today, so not again: %(classes)s.") % {"classes": "、".join(batch.skipped)})
    return redirect(f"{request.path}?{_query(chosen, level=chosen.level)}")


def _student(request: HttpRequest, student_id: int, error: UserFacingError | None = None) -> HttpResponse:
    request.console_page = True
    progress = selectors.student_progress(request.actor, student_id)
    return render_page(request, "evaluation/progress/student.html", {"progress": progress}, error)


@login_required
@on_console
def student_page(request: HttpRequest, student_id: int) -> HttpResponse:
    """One student's counts and per item, with the reason line (school admin, head teacher)."""
    if access.sees_own_progress(request.actor):
        raise UserFacingError("evaluation.progress_not_allowed")
    return _student(request, student_id)
