"""OneRoster 1.2 CSV packages through the API (INT-2), for region and school admins: GET /api/v1/oneroster/csv
exports one (a small package is the download itself; a big one is a task, 202, whose page offers the file when
written); /imports takes one through the roster import machinery (preview, commit, cancel, undo)."""

from __future__ import annotations

from datetime import datetime

from typing import Literal

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS, MAX_ID, Schema
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job
from renrentong.rosters import jobs as import_jobs
from renrentong.rosters.schemas import ImportJobOut, ImportRowsOut

from renrentong.integration.oneroster import imports, package

router = Router(tags=["oneroster"])
# Text with a pattern, not `datetime`: pydantic would take "0" as a Unix timestamp; the offset is required, so
# that a delta's start is one moment wherever the client is.
MOMENT = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
          r"(Z|[+-][0-9]{2}:[0-9]{2})$")


def _moment(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise UserFacingError("request.invalid", detail="since: not a moment of the calendar") from None


@router.get("/csv", response=EXPORT_RESPONSES,
            summary="A OneRoster 1.2 CSV package (.zip) of the rosters I keep: bulk, or a delta of what changed "
                    "after `since`; national student numbers in userIds only when asked for (audited)")
def csv_package(request: HttpRequest, since: str | None = Query(None, pattern=MOMENT, description=(
                    "a moment in ISO 8601 with its offset, e.g. 2026-12-01T08:00:00Z; empty: bulk")),
                student_numbers: bool = False):
    actor = request.auth
    params = {"since": _moment(since).isoformat() if since else "", "student_numbers": student_numbers}
    return file_or_job(actor, package.oneroster_csv, params, estimate=package.size(actor), title=str(package.TITLE))


JOB_ERRORS = {**ERRORS, 409: ERRORS[400], 413: ERRORS[400]}


class OneRosterCommitIn(Schema):
    confirm_removals: bool = False


@router.post("/imports", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Upload a OneRoster 1.2 CSV package (.zip); it is checked and previewed in the background")
def upload(request: HttpRequest, file: UploadedFile = File(...),
           school_id: int | None = Form(None, ge=1, le=MAX_ID)):
    job = imports.accept_upload(request.auth, file.chunks(), file.name or "oneroster.zip", school_id)
    return Status(202, import_jobs.job_out(job))


@router.get("/imports", response={200: list[ImportJobOut], **ERRORS}, summary="OneRoster imports I may see")
def import_list(request: HttpRequest):
    return [import_jobs.job_out(j) for j in imports.jobs(request.auth)[:50]]


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="One OneRoster import")
def import_job(request: HttpRequest, job_id: int):
    return import_jobs.job_out(imports.job(request.auth, job_id))


@router.get("/imports/{job_id}/rows", response={200: ImportRowsOut, **ERRORS},
            summary="Each object's outcome (its file and line in the reason), filterable by outcome")
def import_rows(request: HttpRequest, job_id: int, outcome: Literal[
        "create", "update", "unchanged", "move", "conflict", "error", "remove"] | None = None,
        page: int = Query(1, ge=1, le=100_000)):
    return import_jobs.rows_out(imports.job(request.auth, job_id), outcome, page)


@router.post("/imports/{job_id}/commit", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Import the previewed package in the background (removing many people needs confirming)")
def import_commit(request: HttpRequest, job_id: int, body: OneRosterCommitIn):
    return Status(202, import_jobs.job_out(imports.commit(request.auth, job_id, body.confirm_removals)))


@router.post("/imports/{job_id}/cancel", response={200: ImportJobOut, **JOB_ERRORS}, summary="Cancel an import")
def import_cancel(request: HttpRequest, job_id: int):
    return import_jobs.job_out(imports.cancel(request.auth, job_id))


@router.post("/imports/{job_id}/undo", response={200: ImportJobOut, **JOB_ERRORS},
             summary="Undo a committed import")
def import_undo(request: HttpRequest, job_id: int):
    return import_jobs.job_out(imports.undo(request.auth, job_id))
