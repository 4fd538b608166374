"""Roster import jobs and exports through the API (IMP-1..IMP-6)."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.core.schemas import ERRORS, MAX_ID

from renrentong.rosters import jobs as import_jobs
from renrentong.rosters import exports, selectors, services
from renrentong.rosters.schemas import CommitIn, ImportJobOut, ImportRowsOut

router = Router(tags=["rosters"])
JOB_ERRORS = {**ERRORS, 409: ERRORS[400], 413: ERRORS[400]}


@router.get("/templates/{kind}", response={200: None, **ERRORS}, summary="Download an import template (.xlsx)")
def template(request: HttpRequest, kind: Literal["students", "teachers"]):
    return exports.template_response(kind)


@router.post("/imports", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Upload a roster file; its preview is computed in the background")
def upload(request: HttpRequest, file: UploadedFile = File(...),
           kind: Literal["students", "teachers"] = Form("students"),
           school_id: int | None = Form(None, ge=1, le=MAX_ID)):
    job = services.accept_upload(request.auth, file.chunks(), file.name or "upload", kind, school_id)
    return Status(202, import_jobs.job_out(job))


@router.get("/imports", response={200: list[ImportJobOut], **ERRORS}, summary="Import jobs I may see")
def jobs(request: HttpRequest):
    return [import_jobs.job_out(j) for j in selectors.jobs_in_scope(request.auth)[:50]]


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="One import job and its progress")
def job(request: HttpRequest, job_id: int):
    return import_jobs.job_out(selectors.job_in_scope(request.auth, job_id))


@router.get("/imports/{job_id}/rows", response={200: ImportRowsOut, **ERRORS},
            summary="Each row's outcome, filterable by outcome")
def rows(request: HttpRequest, job_id: int, outcome: Literal["create", "update", "unchanged", "move", "transfer_in",
         "conflict", "error", "remove"] | None = None, page: int = Query(1, ge=1, le=100_000)):
    found = selectors.job_in_scope(request.auth, job_id)
    return import_jobs.rows_out(found, outcome, page)


@router.post("/imports/{job_id}/commit", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Import the previewed rows in the background")
def commit(request: HttpRequest, job_id: int, body: CommitIn):
    found = selectors.job_in_scope(request.auth, job_id)
    return Status(202, import_jobs.job_out(services.request_commit(request.auth, found, body.create_missing_classes)))


@router.post("/imports/{job_id}/cancel", response={200: ImportJobOut, **JOB_ERRORS}, summary="Cancel an import")
def cancel(request: HttpRequest, job_id: int):
    return import_jobs.job_out(services.cancel(request.auth, selectors.job_in_scope(request.auth, job_id)))


@router.post("/imports/{job_id}/undo", response={200: ImportJobOut, **JOB_ERRORS},
             summary="Undo a committed import")
def undo(request: HttpRequest, job_id: int):
    return import_jobs.job_out(services.undo_import(request.auth, selectors.job_in_scope(request.auth, job_id)))


@router.get("/imports/{job_id}/rejected", response={200: None, **ERRORS},
            summary="The rows that did not go in, with the reason (.xlsx)")
def rejected(request: HttpRequest, job_id: int) -> HttpResponse:
    return exports.rejected_rows_response(request.auth, selectors.job_in_scope(request.auth, job_id))


@router.get("/classes/{class_id}/slips", response={200: None, **ERRORS},
            summary="Account slips of a class as a printable PDF: its students', or its parents' (one per account)")
def slips(request: HttpRequest, class_id: int, who: Literal["students", "parents"] = "students") -> HttpResponse:
    return exports.slips_response(request.auth, class_id, request.build_absolute_uri("/"), who)


@router.get("/exports/{kind}", response={200: None, **ERRORS},
            summary="Roster export (.xlsx): students, teachers or parents of a school or class")
def export(request: HttpRequest, kind: Literal["students", "teachers", "parents"], school_id: int | None = Query(None, ge=1, le=MAX_ID),
           class_id: int | None = Query(None, ge=1, le=MAX_ID)) -> HttpResponse:
    return exports.roster_response(request.auth, kind, school_id, class_id)
