"""The audit log page (AUTH-5, NFR-1): school admins read the records concerning their school, region
admins those of the schools and regions below them; filter by kind and date, 50 to a page, and export
the filtered log as a workbook (itself an audited event)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.core.web.tables import Column, PageOf, Table, TableRequest, page_of

from renrentong.auditlog import selectors
from renrentong.auditlog.describe import EVENT_KINDS, describe
from renrentong.auditlog.forms import AuditFilterForm


def _columns() -> list[Column]:
    return [Column("at", _("When"), sort="at", css="text-nowrap"), Column("kind", _("What")),
            Column("who", _("Done by")), Column("whose", _("Whose")), Column("how", _("How"))]


def _table(request: HttpRequest, filters: dict, found: PageOf, asked: TableRequest) -> Table:
    table = Table.build(_columns(), asked, found, filters, name="audit", unit=_("records"),
                        empty=_("No records yet. Changes made by admins, teachers and parents appear here."),
                        empty_id="audit-empty")
    table.export_url = f"{reverse('audit_export')}?{table.query(page='')}"
    return table


def _log_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    """The page with its filters and no rows: where a day that is not one is refused."""
    if error is not None and error.code != "audit.invalid_date":
        raise error  # not a filter the user can correct here: the error page (RefusalMiddleware)
    filters = AuditFilterForm(request.GET).filters()
    asked = TableRequest.read(request.GET, _columns(), "-at", SIZES)
    return render_page(request, "auditlog/audit_log.html", {
        "filters": filters, "rows": [], "kinds": EVENT_KINDS,
        "table": _table(request, filters, PageOf([], 0, 1, 1), asked)}, error)


# The log pages 50 to a page unless the reader asks for 20 or 100.
SIZES = (selectors.PAGE_SIZE, 20, 100)


@login_required
@on_refusal(_log_page)
def audit_log_page(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    filters = form.filters()
    since, until = form.days()
    asked = TableRequest.read(request.GET, _columns(), "-at", SIZES)
    events = selectors.visible_events(request.actor, verb=filters["kind"], since=since, until=until,
                                      sort=asked.sort)
    found = page_of(events, asked.page, asked.size)
    table = _table(request, filters, found, asked)
    found.rows = describe(found.rows)
    table.rows = found.rows
    return render_page(request, "auditlog/audit_log.html", {
        "rows": table.rows, "table": table, "filters": filters, "kinds": EVENT_KINDS,
        "query": table.query(page=""),
    })

@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as .xlsx, with the same words as the page: names masked, no ID numbers, every
    cell a neutralised string (core.spreadsheets.writer), and the export recorded in the log. A big log
    is written by the worker while a progress page waits for it (renrentong.exports, issue 12 item 5)."""
    from renrentong.auditlog import exporting
    from renrentong.exports.responses import export_response

    form = AuditFilterForm(request.GET)
    params = exporting.export_params(form.filters(), *form.days())
    params["sort"] = TableRequest.read(request.GET, _columns(), "-at", SIZES).sort
    return export_response(request, exporting.audit_log_export, params,
                           estimate=exporting.export_size(request.actor, params), title=_("Audit log"))
