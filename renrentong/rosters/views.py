"""Pages for school, district and city admins: upload, preview, progress, result with downloads.

Refusals are rendered by the page refusal middleware (core.web.refusals); the upload page re-renders
itself with the refusal (on_refusal). Input goes through rosters/forms.py; who may do what, rosters/access.py.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import CATALOGUE, UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response

from renrentong.rosters import access, exports, selectors, services
from renrentong.core.web.forms import valid
from renrentong.rosters.forms import CommitForm, JobRowsForm, RosterExportForm, SlipsForm, UploadForm

JOB_ACTIONS = ("commit", "cancel", "undo")


def _imports(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    return render_page(request, "rosters/imports.html", {
        "jobs": selectors.jobs_in_scope(actor)[:30], "schools": selectors.upload_schools(actor),
    }, error)


@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    if not access.can_import(request.actor):
        raise UserFacingError("import.not_allowed")  # the error page: no upload form to show
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
    # Paging and the filter are links the page itself makes: an edited one falls back to the first page
    # of every row (as before forms), it is no refusal.
    query = JobRowsForm(request.GET)
    query.is_valid()
    outcome = query.cleaned_data.get("outcome") or None
    page = query.cleaned_data.get("page") or 1
    rows, total = selectors.job_rows(job, outcome, page)
    return {
        "job": job, "rows": [(r, selectors.row_message(r), selectors.row_fixer(r)) for r in rows],
        "total": total, "outcome": outcome, "page": page, "pages": (total + selectors.ROWS_PAGE - 1)
        // selectors.ROWS_PAGE, "outcomes": selectors.outcome_counts(job),
        "progress": int(job.rows_done * 100 / job.total_rows) if job.total_rows else 0,
        "job_progress": selectors.job_progress(job),
        "rejected": job.counts.get("error", 0) + job.counts.get("conflict", 0),
        "job_error": UserFacingError(job.error_code) if job.error_code in CATALOGUE else None,
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
    if selectors.is_committing(job) and services.is_stalled(job):
        services.resume_stalled()
    response = render(request, "rosters/_status.html", _job_context(request, job))
    if not selectors.is_working(job):
        response["HX-Refresh"] = "true"
    return response


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


ROSTER_TITLES = {"students": _("Student roster"), "teachers": _("Teacher roster"), "parents": _("Parent roster")}


@login_required
def roster_download(request: HttpRequest, kind: str) -> HttpResponse:
    """A roster export: at once when small, else a task with a progress page (exports.responses)."""
    if kind not in ROSTER_TITLES:
        raise UserFacingError("request.not_found")
    query = valid(RosterExportForm(request.GET))
    params = {"kind": kind, "school_id": query["school_id"], "class_id": query["class_id"]}
    estimate = selectors.roster_size(request.actor, kind, query["school_id"], query["class_id"])
    return export_response(request, exports.roster_export, params, estimate=estimate, title=str(ROSTER_TITLES[kind]))
