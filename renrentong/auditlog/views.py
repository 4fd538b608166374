"""The audit log page (AUTH-5, NFR-1): school admins read the records concerning their school, region
admins those of the schools and regions below them; filter by kind and date, 50 to a page, and export
the filtered log as a workbook (itself an audited event)."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.db import transaction
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from renrentong.core import audit
from renrentong.core.errors import UserFacingError


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
        return render(request, "auditlog/audit_log.html", {"error": exc, "filters": filters, "rows": [],
                                                        "kinds": audit.EVENT_KINDS}, status=exc.status)
    page = Paginator(events, audit.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render(request, "auditlog/audit_log.html", {
        "rows": audit.describe(list(page.object_list)), "page": page, "filters": filters,
        "kinds": audit.EVENT_KINDS, "query": query,
    })


# An export is for reading and filing, not a dump of the database: the newest rows up to this many.
EXPORT_LIMIT = 50_000


def _filters(request: HttpRequest) -> dict[str, str]:
    return {"kind": request.GET.get("kind", "")[:64], "date_from": request.GET.get("date_from", "")[:20],
            "date_to": request.GET.get("date_to", "")[:20]}


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as .xlsx, with the same words as the page: names masked, no ID numbers, every
    cell a neutralised string (rosters/spreadsheets.py), and the export recorded in the log."""
    from renrentong.rosters import exports

    from renrentong.core.spreadsheets import writer as spreadsheets
    filters = _filters(request)
    try:
        events = audit.visible_events(request.actor, verb=filters["kind"], since=_date(filters["date_from"]),
                                      until=_date(filters["date_to"]))
        with transaction.atomic():
            chosen = list(events[:EXPORT_LIMIT])
            rows = audit.describe(chosen)
            identity = request.actor.identity
            audit.record(request.actor, "audit.export", None,
                         {**{k: v for k, v in filters.items() if v}, "rows": len(rows),
                          **({"region_id": identity.region_id} if identity.region_id else {})},
                         school_id=identity.school_id)
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    headers = [_("When"), _("What"), _("Done by"), _("Account"), _("Identity"), _("Whose"), _("How")]
    zone = timezone.get_current_timezone()
    data = [[timezone.localtime(r["at"], zone).strftime("%Y-%m-%d %H:%M:%S"), r["kind"], r["who_name"],
             r["who_account"], r["who_identity"],
             " ".join(v for v in (r["whose_name"], r["whose_account"], r["target"]) if v), r["how"]]
            for r in rows]
    notes = [_("Audit log exported %(at)s by %(who)s; %(n)s records, newest first.") % {
        "at": timezone.localtime(timezone.now(), zone).strftime("%Y-%m-%d %H:%M"),
        "who": request.actor.account.number, "n": len(data)}]
    title = _("Audit log")
    sheet = spreadsheets.Sheet(name=title, headers=headers, rows=data, text_columns=set(headers), notes=notes)
    stamp = timezone.localtime(timezone.now(), zone).strftime("%Y%m%d-%H%M")
    return exports.download(spreadsheets.write_xlsx([sheet]), f"{title}-{stamp}.xlsx")
