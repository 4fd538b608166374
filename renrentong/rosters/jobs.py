"""What every importer on the roster machinery (rosters, academic scores, the textbook catalogue) shows of a
job: its state and progress, and a page of its rows, each with its outcome, reason and who can fix it, for the
job pages and the API."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render

from renrentong.core.errors import CATALOGUE, UserFacingError
from renrentong.rosters import selectors, services
from renrentong.rosters.forms import JobRowsForm
from renrentong.rosters.models import ImportJob
from renrentong.rosters.schemas import ImportJobOut, ImportRowOut, ImportRowsOut


def rows_context(query: QueryDict, job: ImportJob) -> dict:
    """A job page's rows, filter, paging and progress. Paging and the filter are links the page itself makes:
    an edited one falls back to the first page of every row, it is no refusal."""
    form = JobRowsForm(query)
    form.is_valid()
    outcome = form.cleaned_data.get("outcome") or None
    page = form.cleaned_data.get("page") or 1
    rows, total = selectors.job_rows(job, outcome, page)
    return {
        "job": job, "rows": [(r, selectors.row_message(r), selectors.row_fixer(r)) for r in rows],
        "total": total, "outcome": outcome, "page": page,
        "pages": (total + selectors.ROWS_PAGE - 1) // selectors.ROWS_PAGE,
        "outcomes": [o for o in selectors.outcome_counts(job) if o[2]],
        "job_progress": selectors.job_progress(job),
        "rejected": job.counts.get("error", 0) + job.counts.get("conflict", 0),
        "job_error": job_error(job),
    }


def status_response(request: HttpRequest, job: ImportJob, context: dict) -> HttpResponse:
    """The job's status fragment, polled by htmx while the job works; asks for a full reload once it stopped. A
    commit whose worker died is queued again here, so an admin watching the page never waits on a dead job."""
    if selectors.is_committing(job) and services.is_stalled(job):
        services.resume_stalled()
    response = render(request, "rosters/_status.html", context)
    if not selectors.is_working(job):
        response["HX-Refresh"] = "true"
    return response


def job_error(job: ImportJob) -> UserFacingError | None:
    """Why a failed job failed, with the particulars the worker kept (the file and line of a package)."""
    if job.error_code not in CATALOGUE:
        return None
    error = UserFacingError(job.error_code, **job.result.get("error", {}))
    try:
        error.message  # noqa: B018 - every placeholder has its value (a job failed before they were kept has none)
    except (KeyError, IndexError):
        return None
    return error


def job_out(job: ImportJob) -> ImportJobOut:
    """The API's view of a job: its state, progress and the phase it is in."""
    working = selectors.job_progress(job)
    return ImportJobOut(
        id=job.pk, kind=job.kind, status=job.status, status_label=str(job.get_status_display()),
        school_id=job.school_id, file_name=job.file_name, total_rows=job.total_rows, rows_done=job.rows_done,
        progress=selectors.progress(job), rows_checked=job.rows_checked, phase=working.phase,
        phase_done=working.done, phase_total=working.total, seconds_left=working.seconds_left, counts=job.counts,
        result=job.result, error_code=job.error_code, created_at=job.created_at)


def rows_out(job: ImportJob, outcome: str | None, page: int) -> ImportRowsOut:
    """The API's page of a job's rows (originals masked)."""
    rows, total = selectors.job_rows(job, outcome, page)
    return ImportRowsOut(total=total, page=page, rows=[
        ImportRowOut(number=r.number, outcome=r.outcome, reason=r.reason, message=selectors.row_message(r),
                     who_can_fix=selectors.row_fixer(r), original=[str(c) for c in r.original_masked])
        for r in rows])
