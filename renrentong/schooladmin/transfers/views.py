"""Transfer pages (ADM-5): a student or teacher applies and follows their request; a school admin works
through the approval queues. Thin: parse, call schooladmin.transfers, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.accounts.models import Identity
from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number

from renrentong.schooladmin.transfers import services as transfers
PEOPLE = (Identity.Kind.STUDENT, Identity.Kind.TEACHER)


@login_required
def transfers_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    error = None
    if request.method == "POST":
        try:
            to_school = parse_number(request.POST.get("to_school_id"))
            if to_school is None:
                raise UserFacingError("transfer.unknown_school")
            transfers.request_transfer(actor, to_school)
        except UserFacingError as exc:
            error = exc
        else:
            return redirect("schooladmin:transfers")
    return _render(request, error)


def _render(request: HttpRequest, error: UserFacingError | None) -> HttpResponse:
    """The queues of a school admin, or a person's own requests with the form to apply; with `error` shown."""
    actor = request.actor
    kind = actor.identity.kind
    if kind == Identity.Kind.SCHOOL_ADMIN:
        queues = transfers.queue(actor)
        incoming = [(r, transfers.target_classes(r.to_school) if r.kind == "student" else [])
                    for r in queues["incoming"]]
        return render(request, "schooladmin/transfer_queue.html", {
            "error": error, "incoming": incoming, "outgoing": queues["outgoing"], "elsewhere": queues["elsewhere"],
            "decided": queues["decided"], "school": actor.identity.school,
        }, status=error.status if error else 200)
    if kind == Identity.Kind.REGION_ADMIN:
        # Region admins follow the transfers of the schools below them; the schools decide.
        found = list(transfers.transfers_in_scope(actor).order_by("-created_at", "-pk")[:100])
    elif kind in PEOPLE or kind == Identity.Kind.GUARDIAN:
        found = transfers.own_transfers(actor, limit=50)
    else:
        error = UserFacingError("transfer.not_allowed")
        return render(request, "error.html", {"error": error}, status=error.status)
    query = request.GET.get("q", "").strip()[:64] if kind in PEOPLE else ""
    return render(request, "schooladmin/transfer_mine.html", {
        "error": error, "requests": found, "query": query,
        "schools": transfers.target_schools(query) if query else [], "can_apply": kind in PEOPLE,
    }, status=error.status if error else 200)


@login_required
@require_POST
def transfer_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    actor = request.actor
    try:
        if action == "approve":
            transfers.approve(actor, request_id, parse_number(request.POST.get("class_id")))
        elif action == "refuse":
            transfers.refuse(actor, request_id, request.POST.get("reason", ""))
        elif action == "withdraw":
            transfers.withdraw(actor, request_id)
        else:
            raise UserFacingError("request.not_found")
    except UserFacingError as exc:
        if exc.code == "scope.not_found":
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return _render(request, exc)
    return redirect("schooladmin:transfers")
