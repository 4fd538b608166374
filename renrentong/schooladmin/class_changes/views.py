"""Class-change request pages (issue 10): a student asks and follows their request; the school admin
approves or refuses; a head teacher follows their classes' requests. Thin: parse, call class_changes,
render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.accounts.models import Identity
from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number

from renrentong.schooladmin.class_changes import services as class_changes
@login_required
def class_changes_page(request: HttpRequest) -> HttpResponse:
    error = None
    if request.method == "POST":
        try:
            class_changes.request_change(request.actor, parse_number(request.POST.get("to_class_id")) or 0,
                                         request.POST.get("reason", ""))
        except UserFacingError as exc:
            error = exc
        else:
            return redirect("schooladmin:class_changes")
    return _render(request, error)


def _render(request: HttpRequest, error: UserFacingError | None) -> HttpResponse:
    actor = request.actor
    kind = actor.require_identity().kind if actor.identity else None
    status = error.status if error else 200
    try:
        if kind == Identity.Kind.STUDENT:
            try:
                choices = class_changes.class_choices(actor)
            except UserFacingError as exc:  # not in a class: the page still lists past requests
                choices, error, status = [], error or exc, status if error else 200
            return render(request, "schooladmin/class_change_mine.html", {
                "error": error, "choices": choices,
                "requests": list(class_changes.requests_in_scope(actor).order_by("-created_at", "-pk")[:20]),
            }, status=status)
        found = class_changes.queue(actor)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    return render(request, "schooladmin/class_change_queue.html", {
        "error": error, "pending": found["pending"], "decided": found["decided"],
        "can_decide": kind == Identity.Kind.SCHOOL_ADMIN,
    }, status=status)


@login_required
@require_POST
def class_change_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    actor = request.actor
    try:
        if action == "approve":
            class_changes.approve(actor, request_id)
        elif action == "refuse":
            class_changes.refuse(actor, request_id, request.POST.get("note", ""))
        elif action == "withdraw":
            class_changes.withdraw(actor, request_id)
        else:
            raise UserFacingError("request.not_found")
    except UserFacingError as exc:
        if exc.code == "scope.not_found":
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return _render(request, exc)
    return redirect("schooladmin:class_changes")
