"""What every importer on the roster machinery (rosters, academic scores, the textbook catalogue) shows of a
job: a page of its rows, each with its outcome, reason and who can fix it, for the job pages and the API."""

from __future__ import annotations

from django.http import QueryDict

from renrentong.core.errors import CATALOGUE, UserFacingError
from renrentong.rosters import selectors
from renrentong.rosters.forms import JobRowsForm
from renrentong.rosters.models import ImportJob
from renrentong.rosters.schemas import ImportRowOut, ImportRowsOut


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
        "job_error": UserFacingError(job.error_code) if job.error_code in CATALOGUE else None,
    }


def rows_out(job: ImportJob, outcome: str | None, page: int) -> ImportRowsOut:
    """The API's page of a job's rows (originals masked)."""
    rows, total = selectors.job_rows(job, outcome, page)
    return ImportRowsOut(total=total, page=page, rows=[
        ImportRowOut(number=r.number, outcome=r.outcome, reason=r.reason, message=selectors.row_message(r),
                     who_can_fix=selectors.row_fixer(r), original=[str(c) for c in r.original_masked])
        for r in rows])
