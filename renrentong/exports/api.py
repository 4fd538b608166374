"""Export jobs through the API under /api/v1/exports: an endpoint whose spreadsheet is too big to write while
the client waits answers 202 with the job (exports.selectors.started); the client polls the job and then fetches the file.
The same selectors and services as the job's page: only the actor who asked sees the job."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Router

from renrentong.core.errors import CATALOGUE, UserFacingError
from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.core.web.downloads import content_type_of, download

from renrentong.exports import selectors, services
from renrentong.exports.schemas import ExportJobOut

router = Router(tags=["exports"])
JobId = Path(..., ge=1, le=MAX_ID)


def _out(job) -> ExportJobOut:
    done = selectors.is_done(job)
    error = UserFacingError(job.error_code).message if job.error_code in CATALOGUE else ""
    return ExportJobOut(id=job.pk, title=job.title, status=job.status, rows_written=job.rows_written,
                        total_rows=job.total_rows, percent=selectors.percent(job),
                        file_name=job.file_name if done else "",
                        file_url=reverse("api:export_file", args=[job.pk]) if done else "", error=error,
                        expires_at=job.expires_at)


@router.get("/{job_id}", response={200: ExportJobOut, **ERRORS}, url_name="export_job",
            summary="An export's progress (only the actor who asked sees it)")
def export_job(request: HttpRequest, job_id: int = JobId):
    return _out(services.watched(request.auth, job_id))


@router.get("/{job_id}/file", response={200: None, **ERRORS, 409: ERRORS[400], 410: ERRORS[400]},
            url_name="export_file", summary="The written file (409 while it is written, 410 once expired)")
def export_file(request: HttpRequest, job_id: int = JobId) -> HttpResponse:
    name, content = services.stored_file(request.auth, selectors.own_job(request.auth, job_id))
    return download(content, name, content_type_of(name))


@router.post("/{job_id}/retry", response={200: ExportJobOut, **ERRORS, 409: ERRORS[400]}, url_name="export_retry",
             summary="Write a failed or expired export again")
def export_retry(request: HttpRequest, job_id: int = JobId):
    return _out(services.retry(request.auth, selectors.own_job(request.auth, job_id)))
