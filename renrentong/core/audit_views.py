"""The audit log page (AUTH-5, NFR-1): school admins read the records concerning their school, region
admins those of the schools and regions below them; filter by kind and date, 50 to a page."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from . import audit
from .errors import UserFacingError


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserFacingError("audit.invalid_date", value=value[:20]) from None


@login_required
def audit_log_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")[:64]
    filters = {"kind": kind, "date_from": request.GET.get("date_from", "")[:20],
               "date_to": request.GET.get("date_to", "")[:20]}
    try:
        events = audit.visible_events(request.actor, verb=kind, since=_date(filters["date_from"]),
                                      until=_date(filters["date_to"]))
    except UserFacingError as exc:
        if exc.code != "audit.invalid_date":
            return render(request, "error.html", {"error": exc}, status=exc.status)
        return render(request, "core/audit_log.html", {"error": exc, "filters": filters, "rows": [],
                                                        "kinds": audit.EVENT_KINDS}, status=exc.status)
    page = Paginator(events, audit.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "core/audit_log.html", {
        "rows": audit.describe(list(page.object_list)), "page": page, "filters": filters,
        "kinds": audit.EVENT_KINDS, "query": query,
    })
