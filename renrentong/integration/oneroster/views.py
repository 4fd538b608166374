"""Pages of the OneRoster 1.2 CSV import (INT-2), for school and region admins: the import page (what a package
is, the bulk export to start from, the upload, the recent imports) and a job's page (progress while the roster
import machinery works, every object's outcome, commit with the confirmation a commit removing many people
asks for, cancel, undo with its report). Parse, call imports.py or a selector, render; the same verbs as the
API (oneroster/api.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response
from renrentong.rosters import jobs as import_jobs

from renrentong.integration import access
from renrentong.integration.oneroster import imports, package
from renrentong.integration.oneroster.forms import CommitForm, UploadForm

# The undo report's counts (oneroster.importer.undo), in the page's words; a count not named here shows its key.
UNDO_LABELS = {
    "renamed_back": _("names put back"), "moves_restored": _("class moves put back"),
    "removals_restored": _("removals put back"), "structure_removed": _("schools and classes removed"),
    "structure_kept_in_use": _("schools and classes kept because they are in use"),
    "enrollments_ended": _("enrolments ended"), "links_removed": _("parent links removed"),
    "accounts_removed": _("new accounts removed"),
    "accounts_used_since": _("new accounts used since"),
    "accounts_to_recycle_bin": _("accounts moved to the recycle bin"),
}


def _allowed(request: HttpRequest) -> None:
    request.console_page = True
    if not access.can_import_rosters(request.actor):
        raise UserFacingError("import.not_allowed")  # the error page: no upload form to show


def _imports(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "integration/oneroster/imports.html", {
        "jobs": list(imports.jobs(request.actor).select_related("school")[:50])}, error)


@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    """OneRoster 导入: a school admin's package for the school, a region admin's for the region."""
    _allowed(request)
    return _upload(request) if request.method == "POST" else _imports(request)


@on_refusal(_imports)
def _upload(request: HttpRequest) -> HttpResponse:
    upload = valid(UploadForm(request.POST, request.FILES))["file"]
    if upload is None:
        raise UserFacingError("import.file_missing")
    job = imports.accept_upload(request.actor, upload.chunks(), upload.name)
    return redirect("oneroster_imports:job", job_id=job.pk)


@login_required
def export_download(request: HttpRequest) -> HttpResponse:
    """The bulk package of the rosters the admin keeps: at once when small, else a task with its page."""
    _allowed(request)
    return export_response(request, package.oneroster_csv, {"since": "", "student_numbers": False},
                           estimate=package.size(request.actor), title=str(package.TITLE))


def _job_context(request: HttpRequest, job) -> dict:
    undo = (job.result or {}).get("undo") or {}
    return {**import_jobs.rows_context(request.GET, job),
            "status_url": reverse("oneroster_imports:job_status", args=[job.pk]),
            "undo_report": [(UNDO_LABELS.get(key, key), count) for key, count in undo.items() if count]}


def _job(request: HttpRequest, job_id: int, error: UserFacingError | None = None) -> HttpResponse:
    """The job's page; after a commit refused for its removals, with the refusal and the confirmation box."""
    _allowed(request)
    job = imports.job(request.actor, job_id)
    confirming = error is not None and error.code == "oneroster.confirm_removals"
    return render_page(request, "integration/oneroster/job.html",
                       {**_job_context(request, job), "confirming": confirming}, error)


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    return _job(request, job_id)


@login_required
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx while the job works (the roster machinery's fragment); a full reload once it is done."""
    job = imports.job(request.actor, job_id)
    return import_jobs.status_response(request, job, _job_context(request, job))


def _refused_commit(request: HttpRequest, job_id: int, error: UserFacingError) -> HttpResponse:
    if error.code == "scope.not_found":
        raise error
    return _job(request, job_id, error)


@login_required
@require_POST
@on_refusal(_refused_commit)
def job_commit(request: HttpRequest, job_id: int) -> HttpResponse:
    imports.commit(request.actor, job_id, valid(CommitForm(request.POST))["confirm_removals"])
    return redirect("oneroster_imports:job", job_id=job_id)


@login_required
@require_POST
def job_cancel(request: HttpRequest, job_id: int) -> HttpResponse:
    imports.cancel(request.actor, job_id)
    return redirect("oneroster_imports:job", job_id=job_id)


@login_required
@require_POST
def job_undo(request: HttpRequest, job_id: int) -> HttpResponse:
    imports.undo(request.actor, job_id)
    return redirect("oneroster_imports:job", job_id=job_id)
