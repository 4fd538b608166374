"""Rollover pages for school and region admins: the preview per school, run, the runs with undo, alumni.
Refusals are raised: the rollover page shows them beside the preview (@on_refusal), any other page
is the error page (RefusalMiddleware)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.rollover import services
from renrentong.rollover.forms import RunForm


def _page(request: HttpRequest, error: UserFacingError | None = None, done: list | None = None,
          **_url_kwargs) -> HttpResponse:
    actor = request.actor
    plans = services.preview(actor)
    runs = list(services.runs_in_scope(actor)[:50])
    ready = [p for p in plans if p.state == "ready"]
    return render_page(request, "rollover/rollover.html", {
        "plans": plans, "ready": ready, "runs": runs, "done": done,
        "window": ready[0].window if ready else (plans[0].window if plans else None),
    }, error)


@login_required
@on_refusal(_page)
def rollover_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request)
    ids = RunForm(request.POST).valid_data()["school_id"]
    return _page(request, done=services.run(request.actor, ids))


@login_required
@require_POST
@on_refusal(_page)
def undo_run(request: HttpRequest, run_id: int) -> HttpResponse:
    services.undo(request.actor, run_id)
    return redirect("rollover:page")


@login_required
def alumni_page(request: HttpRequest) -> HttpResponse:
    return render(request, "rollover/alumni.html", {"classes": services.alumni(request.actor)})
