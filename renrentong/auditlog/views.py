"""The audit log page (AUTH-5, NFR-1): school admins read the records concerning their school, region
admins those of the schools and regions below them; filter by kind and date, 50 to a page, and export
the filtered log as a workbook (itself an audited event)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.auditlog import selectors
from renrentong.auditlog.describe import EVENT_KINDS, describe
from renrentong.auditlog.forms import AuditFilterForm


def _log_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    """The page with its filters and no rows: where a day that is not one is refused."""
    if error is not None and error.code != "audit.invalid_date":
        raise error  # not a filter the user can correct here: the error page (RefusalMiddleware)
    filters = AuditFilterForm(request.GET).filters()
    return render_page(request, "auditlog/audit_log.html", {"filters": filters, "rows": [], "kinds": EVENT_KINDS},
                       error)


@login_required
@on_refusal(_log_page)
def audit_log_page(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    filters = form.filters()
    since, until = form.days()
    events = selectors.visible_events(request.actor, verb=filters["kind"], since=since, until=until)
    page = Paginator(events, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in filters.items() if v})
    return render_page(request, "auditlog/audit_log.html", {
        "rows": describe(list(page.object_list)), "page": page, "filters": filters,
        "kinds": EVENT_KINDS, "query": query,
    })


# An export is for reading and filing, not a dump of the database: the newest rows up to this many.
EXPORT_LIMIT = 50_000


@login_required
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as .xlsx, with the same words as the page: names masked, no ID numbers, every
    cell a neutralised string (core.spreadsheets.writer), and the export recorded in the log. A big log
    is written by the worker while a progress page waits for it (renrentong.exports, issue 12 item 5)."""
    from renrentong.auditlog import exporting
    from renrentong.exports.responses import export_response

    form = AuditFilterForm(request.GET)
    params = exporting.export_params(form.filters(), *form.days())
    return export_response(request, exporting.audit_log_export, params,
                           estimate=exporting.export_size(request.actor, params), title=_("Audit log"))
