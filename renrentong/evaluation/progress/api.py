"""Evaluation progress through the API under /api/v1/evaluation/progress (EVA-4): the same selectors and
services as the page. Region admins read per-school rows, school admins and head teachers per-class and
per-student rows and remind; students and parents read their own (child's) progress."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job

from renrentong.evaluation.progress import exporting, selectors, services
from renrentong.evaluation.progress.forms import ProgressFilters
from renrentong.evaluation.progress.schemas import (
    ProgressClassOut, ProgressCountsOut, ProgressItemOut, ProgressReminderIn,
    ProgressReminderOut, ProgressSchoolOut, ProgressStudentOut, ProgressStudentRowOut,
)

router = Router(tags=["evaluation progress"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
OptionalId = Query(None, ge=1, le=MAX_ID)


def counts_out(counts: selectors.Counts) -> ProgressCountsOut:
    return ProgressCountsOut(uploaded=counts.uploaded, submitted=counts.submitted, draft=counts.draft,
                             pending=counts.pending, approved=counts.approved, failed=counts.failed)


def _school(request: HttpRequest, school_id: int | None):
    if school_id is None:
        school = selectors.home_school(request.auth)
        if school is None:
            raise UserFacingError("evaluation.progress_not_found")
        return school
    return selectors.school_for(request.auth, school_id)


@router.get("/schools", response={200: list[ProgressSchoolOut], **ERRORS},
            summary="Per school: students, uploaded, submitted, pending, approved, failed, nothing submitted")
def schools(request: HttpRequest, district_id: int | None = OptionalId):
    return [ProgressSchoolOut(school_id=r.school.pk, school_name=r.school.name, district_name=r.school.district.name,
                              students=r.students, counts=counts_out(r.counts), nothing_submitted=r.nothing_submitted)
            for r in selectors.school_rows(request.auth, district_id)]


@router.get("/classes", response={200: list[ProgressClassOut], **ERRORS},
            summary="Per class of a school (the head teacher's: their classes)")
def classes(request: HttpRequest, school_id: int | None = OptionalId, grade_id: int | None = OptionalId,
            class_id: int | None = OptionalId, only_nothing: bool = False):
    school = _school(request, school_id)
    return [ProgressClassOut(class_id=r.school_class.pk, class_name=r.name, grade_id=r.school_class.cohort_id,
                             students=r.students, counts=counts_out(r.counts), nothing_submitted=r.nothing_submitted)
            for r in selectors.class_rows(request.auth, school, grade_id=grade_id, class_id=class_id,
                                          only_nothing=only_nothing)]


@router.get("/students", response={200: list[ProgressStudentRowOut], **ERRORS},
            summary="Per student of a class, a grade or the school, with why a student shows 0 submitted")
def students(request: HttpRequest, school_id: int | None = OptionalId, grade_id: int | None = OptionalId,
             class_id: int | None = OptionalId, only_nothing: bool = False):
    school = _school(request, school_id)
    return [ProgressStudentRowOut(student_id=r.person_id, name=r.name, class_id=r.class_id, class_name=r.class_name,
                                  counts=counts_out(r.counts), reason=r.reason)
            for r in selectors.student_rows(request.auth, school, grade_id=grade_id, class_id=class_id,
                                            only_nothing=only_nothing)]


def _student_out(progress: selectors.StudentProgress) -> ProgressStudentOut:
    return ProgressStudentOut(
        student_id=progress.student.pk, name=progress.student.name, school_id=progress.school.pk,
        class_name=progress.class_name, school_year=progress.school_year, counts=counts_out(progress.counts),
        reasons=progress.reasons, items=[ProgressItemOut(item_id=i.item_id, label=i.label, dimension=i.dimension,
                                                         counts=counts_out(i.counts)) for i in progress.items])


@router.get("/mine", response={200: ProgressStudentOut, **ERRORS},
            summary="A student's own progress, or a parent's child's (student_id with several children)")
def mine(request: HttpRequest, student_id: int | None = OptionalId):
    return _student_out(selectors.own_progress(request.auth, student_id))


@router.get("/students/{student_id}", response={200: ProgressStudentOut, **ERRORS},
            summary="One student's progress per item (school admin, the class head teacher; a student or parent "
                    "their own)")
def student(request: HttpRequest, student_id: int = Path(..., ge=1, le=MAX_ID)):
    return _student_out(selectors.student_progress(request.auth, student_id))


@router.post("/reminders", response={201: ProgressReminderOut, **WRITE_ERRORS},
             summary="Remind the students with nothing submitted (and their parents) through the notice inbox; "
                     "one reminder a class a day")
def remind(request: HttpRequest, body: ProgressReminderIn):
    batch = services.remind_nothing_submitted(request.auth, body.school_id, grade_id=body.grade_id, class_id=body.class_id)
    return Status(201, ProgressReminderOut(notice_id=batch.notice.pk, students=batch.students, classes=batch.classes,
                                           skipped=batch.skipped))


@router.get("/export", response=EXPORT_RESPONSES,
            summary="The progress table as .xlsx with the page's filters: the file at once when small, else a "
                    "task (202) whose page shows its progress and then the file")
def export(request: HttpRequest, level: Literal["schools", "classes", "students"] = "classes",
           school_id: int | None = OptionalId, district_id: int | None = OptionalId,
           grade_id: int | None = OptionalId, class_id: int | None = OptionalId, only_nothing: bool = False):
    actor = request.auth
    if level != "schools" and school_id is None:
        school_id = _school(request, None).pk
    chosen = ProgressFilters(level, school_id, district_id, grade_id, class_id, only_nothing)
    return file_or_job(actor, exporting.progress_export, chosen.as_params(),
                       estimate=exporting.progress_size(actor, chosen), title=str(exporting.TITLE))
