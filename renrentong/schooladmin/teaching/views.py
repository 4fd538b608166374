"""Pages: the teaching grid (classes x subjects -> teacher, with the course arrangement and head
teachers) and a teacher's own classes and subjects (ADM-2)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number

from renrentong.schooladmin.teaching import services as teaching
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


@login_required
def grid_page(request: HttpRequest) -> HttpResponse:
    cohort_id = parse_number(request.POST.get("cohort_id") or request.GET.get("cohort_id")) or None
    try:
        grid = teaching.grid(request.actor, cohort_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    error = None
    if request.method == "POST":
        subjects = list(grid.subjects)
        extra = request.POST.get("new_subject", "").strip()
        courses: dict[int, list[str]] = {}
        cells, heads = [], []
        for school_class in grid.classes:
            chosen = [s for i, s in enumerate(subjects) if request.POST.get(f"course-{school_class.pk}-{i}")]
            if extra:
                chosen.append(extra)
            courses[school_class.pk] = chosen
            for i, subject in enumerate(subjects):
                if f"teacher-{school_class.pk}-{i}" in request.POST:
                    teacher = parse_number(request.POST.get(f"teacher-{school_class.pk}-{i}")) or None
                    cells.append((school_class.pk, subject, teacher))
            heads.append((school_class.pk, parse_number(request.POST.get(f"head-{school_class.pk}")) or None))
        try:
            teaching.save_grid(request.actor, courses, cells, heads)
        except UserFacingError as exc:
            error = exc
        else:
            return redirect(f"{reverse('schooladmin:teaching')}?cohort_id={grid.cohort_id}&done=1")
    context = _grid_context(grid)
    context.update(error=error, done=request.GET.get("done"))
    return render(request, "schooladmin/teaching_grid.html", context, status=error.status if error else 200)


@login_required
def own_teaching_page(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        class_id, subject = parse_number(request.POST.get("class_id")) or 0, request.POST.get("subject", "")
        try:
            if action == "drop":
                teaching.drop_course(request.actor, class_id, subject)
            else:
                teaching.take_course(request.actor, class_id, subject)
        except UserFacingError as exc:
            error = exc
        else:
            return redirect("schooladmin:my_teaching")
    try:
        mine, offered = teaching.own_teaching(request.actor)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    return render(request, "schooladmin/teaching_mine.html", {
        "mine": mine, "offered": [o for o in offered if not o.mine], "error": error,
        "headed": teaching.headed_classes(request.actor),
    }, status=error.status if error else 200)
