"""The export job's page: rows written of the total while the worker writes, then the download (issue 12,
item 5). Only the actor who asked sees the job (exports.selectors.own_job)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.core.errors import CATALOGUE, UserFacingError
from renrentong.core.web.downloads import content_type_of, download

from renrentong.exports import selectors, services


def _context(job) -> dict:
    return {"job": job, "percent": selectors.percent(job), "working": selectors.is_working(job),
            "done_text": f"{job.rows_written:,}", "total_text": f"{job.total_rows:,}",
            "job_error": UserFacingError(job.error_code) if job.error_code in CATALOGUE else None}


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    return render(request, "exports/job.html", _context(selectors.own_job(request.actor, job_id)))


@login_required
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx while the worker writes; asks for a full reload once the job has ended."""
    job = services.watched(request.actor, job_id)
    response = render(request, "exports/_status.html", _context(job))
    if not selectors.is_working(job):
        response["HX-Refresh"] = "true"
    return response


@login_required
def job_file(request: HttpRequest, job_id: int) -> HttpResponse:
    name, content = services.stored_file(request.actor, selectors.own_job(request.actor, job_id))
    return download(content, name, content_type_of(name))


@login_required
@require_POST
def job_retry(request: HttpRequest, job_id: int) -> HttpResponse:
    services.retry(request.actor, selectors.own_job(request.actor, job_id))
    return redirect("exports:job", job_id=job_id)
