"""Academic scores through the API under /api/v1/evaluation/scores (EVA-6): the import (template, upload,
the job, its rows, commit, cancel, undo, the refused rows) for the city admin and school admins, the school's
scores for its admin, a student's own for the student and their parents. The same services and selectors as
the pages; the job and its rows have the roster import's shapes."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.rosters import jobs as import_jobs
from renrentong.rosters.schemas import ImportJobOut, ImportRowsOut

from renrentong.evaluation.scores import exporting, selectors, services
from renrentong.evaluation.scores.schemas import ImportableItemOut, ScoreOut, ScorePageOut
from renrentong.evaluation.standard import scale_of

router = Router(tags=["evaluation"])
JOB_ERRORS = {**ERRORS, 409: ERRORS[400], 413: ERRORS[400]}
JobId = Path(..., ge=1, le=MAX_ID)
PAGE = 100


def score_out(score, class_names: dict[int, str]) -> ScoreOut:
    item, scale = score.item, scale_of(score.item.code)
    return ScoreOut(id=score.pk, student_id=score.student_id, student_name=score.student.name,
                    school_year=score.school_year, class_id=score.class_id,
                    class_name=class_names.get(score.class_id, ""), item_id=item.pk, item_code=item.code,
                    item_label=item.label, dimension_label=item.dimension.label, score=str(score.score.normalize()),
                    lowest=scale.lowest, highest=scale.highest, updated_at=score.updated_at)


@router.get("/items", response={200: list[ImportableItemOut], **ERRORS},
            summary="The items the actor imports (the city's, or the school's) this school year, with their scales")
def items(request: HttpRequest):
    return [ImportableItemOut(id=i.item.pk, code=i.item.code, label=i.item.label, school_year=i.item.school_year,
                              lowest=i.lowest, highest=i.highest, decimals=i.decimals)
            for i in selectors.importable_items(request.auth)]


@router.get("/template", response={200: None, **ERRORS}, summary="Download the score import template (.xlsx)")
def template(request: HttpRequest) -> HttpResponse:
    return exporting.template_response(request.auth)


@router.post("/imports", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Upload a score file; its per-row preview is computed in the background")
def upload(request: HttpRequest, file: UploadedFile = File(...)):
    return Status(202, import_jobs.job_out(services.accept_upload(request.auth, file.chunks(), file.name or "upload")))


@router.get("/imports", response={200: list[ImportJobOut], **ERRORS}, summary="My level's score imports")
def jobs(request: HttpRequest):
    return [import_jobs.job_out(j) for j in selectors.score_jobs(request.auth)[:50]]


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="One score import and its progress")
def job(request: HttpRequest, job_id: int = JobId):
    return import_jobs.job_out(selectors.score_job(request.auth, job_id))


@router.get("/imports/{job_id}/rows", response={200: ImportRowsOut, **ERRORS},
            summary="Each row's outcome with its reason and who can fix it (students masked)")
def rows(request: HttpRequest, job_id: int = JobId,
         outcome: Literal["create", "update", "unchanged", "error"] | None = None,
         page: int = Query(1, ge=1, le=100_000)):
    found = selectors.score_job(request.auth, job_id)
    return import_jobs.rows_out(found, outcome, page)


@router.post("/imports/{job_id}/commit", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Write the previewed rows in the background (progress on the job)")
def commit(request: HttpRequest, job_id: int = JobId):
    return Status(202, import_jobs.job_out(services.commit(request.auth, job_id)))


@router.post("/imports/{job_id}/cancel", response={200: ImportJobOut, **JOB_ERRORS}, summary="Cancel a score import")
def cancel(request: HttpRequest, job_id: int = JobId):
    return import_jobs.job_out(services.cancel(request.auth, job_id))


@router.post("/imports/{job_id}/undo", response={200: ImportJobOut, **JOB_ERRORS},
             summary="Undo a committed score import: its new scores go, overwritten ones come back")
def undo(request: HttpRequest, job_id: int = JobId):
    return import_jobs.job_out(services.undo(request.auth, job_id))


@router.get("/imports/{job_id}/rejected", response={200: None, **ERRORS},
            summary="The rows that did not go in, with the reason and who can fix it (.xlsx, audited)")
def rejected(request: HttpRequest, job_id: int = JobId) -> HttpResponse:
    return exporting.rejected_rows_response(request.auth, selectors.score_job(request.auth, job_id))


@router.get("/mine", response={200: list[ScoreOut], **ERRORS},
            summary="A student's academic scores: their own, or a parent's child's (student_id)")
def mine(request: HttpRequest, student_id: int | None = Query(None, ge=1, le=MAX_ID)):
    student, found = selectors.scores_of_student(request.auth, student_id)
    names = selectors.class_names(None, [s.class_id for s in found])
    return [score_out(s, names) for s in found]


@router.get("", response={200: ScorePageOut, **ERRORS},
            summary="The school's academic scores (school admin), filtered by school year, item, class and name")
def school_scores(request: HttpRequest, school_year: int | None = Query(None, ge=2000, le=2100),
                  item_id: int | None = Query(None, ge=1, le=MAX_ID), class_id: int | None = Query(None, ge=1, le=MAX_ID),
                  name: str = Query("", max_length=32), page: int = Query(1, ge=1, le=100_000)):
    actor = request.auth
    found = selectors.ordered(selectors.school_scores(actor, school_year=school_year, item_id=item_id,
                                                      class_id=class_id, name=name), "class")
    total = found.count()
    listed = list(found.select_related("item__dimension")[(page - 1) * PAGE:page * PAGE])
    names = selectors.class_names(actor.scope.school_ids, [s.class_id for s in listed])
    return ScorePageOut(total=total, page=page, items=[score_out(s, names) for s in listed])
