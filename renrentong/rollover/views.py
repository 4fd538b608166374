"""Rollover pages for school and region admins: the preview per school, run, the runs with undo, alumni."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number

from renrentong.rollover import services


def _page(request: HttpRequest, error: UserFacingError | None = None, done: list | None = None) -> HttpResponse:
    actor = request.actor
    try:
        plans = services.preview(actor)
        runs = list(services.runs_in_scope(actor)[:50])
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    ready = [p for p in plans if p.state == "ready"]
    return render(request, "rollover/rollover.html", {
        "plans": plans, "ready": ready, "runs": runs, "error": error, "done": done,
        "window": ready[0].window if ready else (plans[0].window if plans else None),
    }, status=error.status if error else 200)


@login_required
def rollover_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        # The ticked schools only: none ticked rolls none (the API's "all that are due" is its default).
        ids = [i for i in map(parse_number, request.POST.getlist("school_id")) if i is not None]
        try:
            done = services.run(request.actor, ids)
        except UserFacingError as exc:
            return _page(request, error=exc)
        return _page(request, done=done)
    return _page(request)


@login_required
@require_POST
def undo_run(request: HttpRequest, run_id: int) -> HttpResponse:
    try:
        services.undo(request.actor, run_id)
    except UserFacingError as exc:
        return _page(request, error=exc)
    return redirect("rollover:page")


@login_required
def alumni_page(request: HttpRequest) -> HttpResponse:
    try:
        classes = services.alumni(request.actor)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    return render(request, "rollover/alumni.html", {"classes": classes})
