from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renrentong.accounts.selectors import students_of_class
from renrentong.core.errors import UserFacingError

from . import selectors


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
