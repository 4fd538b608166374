"""Class-change request pages (issue 10): a student asks and follows their request; the school admin
approves or refuses; a head teacher follows their classes' requests. Thin: parse with a form, call
class_changes, render; a refusal is rendered by RefusalMiddleware or beside the page by @on_refusal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page, unless_unseen

from renrentong.schooladmin.class_changes import access
from renrentong.schooladmin.class_changes import services as class_changes
from renrentong.schooladmin.class_changes.forms import ClassChangeDecisionForm, ClassChangeRequestForm


def _render(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    if access.can_ask(actor):
        choices, obstacle = class_changes.choices_and_obstacle(actor)
        context = {"choices": choices,
                   "requests": list(class_changes.requests_in_scope(actor).order_by("-created_at", "-pk")[:20])}
        if error is None:  # the page itself is fine: the obstacle only explains an empty list of classes
            return render(request, "schooladmin/class_change_mine.html", {**context, "error": obstacle})
        return render_page(request, "schooladmin/class_change_mine.html", context, error)
    found = class_changes.queue(actor)
    return render_page(request, "schooladmin/class_change_queue.html", {
        "pending": found["pending"], "decided": found["decided"], "can_decide": access.can_decide(actor),
    }, error)


@login_required
@on_refusal(_render)
def class_changes_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = valid(ClassChangeRequestForm(request.POST))
        class_changes.request_change(request.actor, form["to_class_id"] or 0, form["reason"])
        return redirect("schooladmin:class_changes")
    return _render(request)


@login_required
@require_POST
@on_refusal(unless_unseen(_render))
def class_change_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    actor = request.actor
    if action == "approve":
        class_changes.approve(actor, request_id)
    elif action == "refuse":
        class_changes.refuse(actor, request_id, valid(ClassChangeDecisionForm(request.POST))["note"])
    elif action == "withdraw":
        class_changes.withdraw(actor, request_id)
    else:
        raise UserFacingError("request.not_found")
    return redirect("schooladmin:class_changes")
