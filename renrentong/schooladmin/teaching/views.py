"""Pages: the teaching grid (classes x subjects -> teacher, with the course arrangement and head
teachers) and a teacher's own classes and subjects (ADM-2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.schooladmin.teaching import services as teaching
from renrentong.schooladmin.teaching.forms import CohortForm, OwnCourseForm, TeachingGridForm


def _grid_context(grid: teaching.Grid) -> dict:
    rows = []
    for school_class in grid.classes:
        cells = []
        for index, subject in enumerate(grid.subjects):
            teachers = grid.teachers.get((school_class.pk, subject), [])
            cells.append({"index": index, "subject": subject, "arranged": (school_class.pk, subject) in grid.arranged,
                          "teacher_id": teachers[0] if teachers else None, "more": len(teachers) > 1})
        rows.append({"school_class": school_class, "name": school_class.display_name(grid.school.school_year),
                     "cells": cells, "head_id": grid.heads.get(school_class.pk)})
    return {"grid": grid, "rows": rows}


def _grid_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    grid = teaching.grid(request.actor, _cohort_id(request))
    context = _grid_context(grid)
    context.update(done=request.GET.get("done"))
    return render_page(request, "schooladmin/teaching_grid.html", context, error)


def _cohort_id(request: HttpRequest) -> int | None:
    return valid(CohortForm({"cohort_id": request.POST.get("cohort_id") or request.GET.get("cohort_id")}))[
        "cohort_id"]


@login_required
@on_refusal(_grid_page)
def grid_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _grid_page(request)
    grid = teaching.grid(request.actor, _cohort_id(request))
    subjects = list(grid.subjects)
    form = TeachingGridForm(request.POST, class_ids=[c.pk for c in grid.classes], subject_count=len(subjects))
    cleaned = valid(form)
    extra = cleaned["new_subject"].strip()
    courses: dict[int, list[str]] = {}
    cells, heads = [], []
    for school_class in grid.classes:
        chosen = [s for i, s in enumerate(subjects) if cleaned[f"course-{school_class.pk}-{i}"]]
        if extra:
            chosen.append(extra)
        courses[school_class.pk] = chosen
        for i, subject in enumerate(subjects):
            if form.sent(f"teacher-{school_class.pk}-{i}"):
                cells.append((school_class.pk, subject, cleaned[f"teacher-{school_class.pk}-{i}"]))
        heads.append((school_class.pk, cleaned[f"head-{school_class.pk}"]))
    teaching.save_grid(request.actor, courses, cells, heads)
    return redirect(f"{reverse('schooladmin:teaching')}?cohort_id={grid.cohort_id}&done=1")


def _own_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    mine, offered = teaching.own_teaching(request.actor)
    return render_page(request, "schooladmin/teaching_mine.html", {
        "mine": mine, "offered": [o for o in offered if not o.mine],
        "headed": teaching.headed_classes(request.actor),
    }, error)


@login_required
@on_refusal(_own_page)
def own_teaching_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _own_page(request)
    form = valid(OwnCourseForm(request.POST))
    class_id, subject = form["class_id"] or 0, form["subject"]
    if form["action"] == "drop":
        teaching.drop_course(request.actor, class_id, subject)
    else:
        teaching.take_course(request.actor, class_id, subject)
    return redirect("schooladmin:my_teaching")
