"""People pages: the members of one class, loaded into the school tree and the teacher's home page by
htmx when the class is opened (orgs:class_students, joined into the orgs namespace in renrentong/urls.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renrentong.accounts.selectors import students_of_class


@login_required
def class_students_fragment(request: HttpRequest, class_id: int) -> HttpResponse:
    """The members of one class, loaded into the tree by htmx when the class is opened."""
    students = students_of_class(request.actor, class_id)
    return render(request, "accounts/class_students.html", {"students": students})
