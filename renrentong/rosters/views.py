"""Pages for school, district and city admins: upload, preview, progress, result with downloads.

Refusals are rendered by the page refusal middleware (core.web.refusals); the upload page re-renders
itself with the refusal (on_refusal). Input goes through rosters/forms.py; who may do what, rosters/access.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from renrentong.core import audit
from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets import writer as spreadsheets
from renrentong.core.web.downloads import download
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response
from renrentong.core.web.tables import EXPORT_LIMIT, Column, Table, TableRequest, page_of

from renrentong.rosters import access, exports, selectors, services
from renrentong.rosters import jobs as import_jobs
from renrentong.core.web.forms import valid
from renrentong.rosters.forms import (
    ChosenAccountsForm, CommitForm, RosterExportForm, SlipsForm, UploadForm,
)

JOB_ACTIONS = ("commit", "cancel", "undo")


def _job_columns() -> list[Column]:
    return [Column("file", _("File")), Column("kind", _("Kind")), Column("school", _("School")),
            Column("status", _("Status")), Column("rows", _("Rows"), sort="rows"),
            Column("created", _("Uploaded"), sort="created", css="text-nowrap")]


def _job_filters(request: HttpRequest) -> dict[str, str]:
    """The imports table's filters as the page links keep them: an unknown value is no filter."""
    status, kind = str(request.GET.get("status", "")), str(request.GET.get("kind", ""))
    return {"status": status if status in dict(selectors.JOB_STATUSES) else "",
            "kind": kind if kind in dict(selectors.JOB_KINDS) else ""}


def _imports(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    filters = _job_filters(request)
    asked = TableRequest.read(request.GET, _job_columns(), "-created")
    found = page_of(selectors.jobs_listed(actor, sort=asked.sort, **filters), asked.page, asked.size)
    table = Table.build(_job_columns(), asked, found, filters, name="jobs", unit=_("imports"),
                        empty=_("No imports yet. The school admin uploads a roster above."))
    table.export_url = table.link(export="xlsx", page="")
    return render_page(request, "rosters/imports.html", {
        "jobs": table.rows, "table": table, "filters": filters, "statuses": selectors.JOB_STATUSES,
        "job_kinds": selectors.JOB_KINDS, "schools": selectors.upload_schools(actor),
    }, error)


def _jobs_export(request: HttpRequest) -> HttpResponse:
    """The filtered imports list as .xlsx (file names, states, counts: no personal data), audited."""
    filters = _job_filters(request)
    sort = TableRequest.read(request.GET, _job_columns(), "-created").sort
    jobs = selectors.jobs_listed(request.actor, sort=sort, **filters)[:EXPORT_LIMIT]
    headers = [str(c.label) for c in _job_columns()]
    data = [[j.file_name, j.get_kind_display(), j.school.name if j.school_id else "", j.get_status_display(),
             j.total_rows, timezone.localtime(j.created_at).strftime("%Y-%m-%d %H:%M")] for j in jobs]
    identity = request.actor.identity
    with transaction.atomic():
        audit.record(request.actor, "import.list_export", None,
                     {**{k: v for k, v in filters.items() if v}, "rows": len(data),
                      **({"region_id": identity.region_id} if identity.region_id else {})},
                     school_id=identity.school_id)
    title = _("Roster imports")
    sheet = spreadsheets.Sheet(name=title, headers=headers, rows=data, text_columns=set(headers))
    return download(spreadsheets.write_xlsx([sheet]), f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx")



@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    if not access.can_import(request.actor):
        raise UserFacingError("import.not_allowed")  # the error page: no upload form to show
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _jobs_export(request)
    return _upload(request) if request.method == "POST" else _imports(request)


@on_refusal(_imports)
def _upload(request: HttpRequest) -> HttpResponse:
    data = valid(UploadForm(request.POST, request.FILES))
    upload = data["file"]
    if upload is None:
        raise UserFacingError("import.file_missing")
    job = services.accept_upload(request.actor, upload.chunks(), upload.name, data["kind"] or "students",
                                 data["school_id"])
    return redirect("rosters:job", job_id=job.pk)


def _job_context(request: HttpRequest, job) -> dict:
    return {
        **import_jobs.rows_context(request.GET, job),
        "progress": int(job.rows_done * 100 / job.total_rows) if job.total_rows else 0,
        "slip_classes": selectors.slip_classes(job),
        "offers_new_accounts": job.status == "committed" and access.can_download_new_accounts(request.actor, job),
    }


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.job_in_scope(request.actor, job_id)
    return render(request, "rosters/job.html", _job_context(request, job))


@login_required
def job_status_fragment(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx while the job works; asks for a full reload once it has finished."""
    job = selectors.job_in_scope(request.actor, job_id)
    return import_jobs.status_response(request, job, _job_context(request, job))


@login_required
@require_POST
def job_action(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    actor = request.actor
    job = selectors.job_in_scope(actor, job_id)
    if action not in JOB_ACTIONS:
        raise UserFacingError("request.not_found")
    if action == "commit":
        services.request_commit(actor, job, valid(CommitForm(request.POST))["create_missing_classes"])
    elif action == "cancel":
        services.cancel(actor, job)
    else:
        services.undo_import(actor, job)
    return redirect("rosters:job", job_id=job_id)


@login_required
def rejected_download(request: HttpRequest, job_id: int) -> HttpResponse:
    return exports.rejected_rows_response(request.actor, selectors.job_in_scope(request.actor, job_id))


@login_required
def new_accounts_download(request: HttpRequest, job_id: int) -> HttpResponse:
    return exports.new_accounts_response(request.actor, selectors.job_in_scope(request.actor, job_id))


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    return exports.template_response(kind)


@login_required
def slips_download(request: HttpRequest, class_id: int) -> HttpResponse:
    who = valid(SlipsForm(request.GET))["who"] or "students"
    return exports.slips_response(request.actor, class_id, request.build_absolute_uri("/"), who)


ROSTER_TITLES = {"students": gettext_lazy("Student roster"), "teachers": gettext_lazy("Teacher roster"),
                 "parents": gettext_lazy("Parent roster")}


@login_required
@require_POST
def chosen_slips_download(request: HttpRequest) -> HttpResponse:
    """Slips of the accounts chosen in the school's user table (its batch form posts here)."""
    ids = valid(ChosenAccountsForm(request.POST))["account_ids"]
    return exports.chosen_slips_response(request.actor, ids, request.build_absolute_uri("/"))


@login_required
def roster_download(request: HttpRequest, kind: str) -> HttpResponse:
    """A roster export: at once when small, else a task with a progress page (exports.responses)."""
    if kind not in ROSTER_TITLES:
        raise UserFacingError("request.not_found")
    query = valid(RosterExportForm(request.GET))
    params = {"kind": kind, "school_id": query["school_id"], "class_id": query["class_id"]}
    estimate = selectors.roster_size(request.actor, kind, query["school_id"], query["class_id"])
    return export_response(request, exports.roster_export, params, estimate=estimate, title=str(ROSTER_TITLES[kind]))
