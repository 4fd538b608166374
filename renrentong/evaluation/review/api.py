"""The school's review through the API under /api/v1/evaluation/review (issue 14 item 4): the queue and
decisions, audited file downloads, reviewers and the head teachers' setting, public display (公示) and
objections, and the exports. The same services and selectors as the pages."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.core.web.downloads import download
from renrentong.evaluation import selectors as material
from renrentong.exports.services import write_now

from renrentong.evaluation.review import access, exporting, selectors, services
from renrentong.evaluation.review.schemas import (
    EvaluationDecisionOut, EvaluationDecisionsIn, EvaluationDisplayedRecordOut, EvaluationDisplayIn,
    EvaluationDisplayOut, EvaluationFileLinkOut, EvaluationObjectionIn, EvaluationObjectionOut,
    EvaluationResolveIn, EvaluationReviewDecisionIn, EvaluationReviewerIn, EvaluationReviewerOut,
    EvaluationReviewersOut, EvaluationReviewPageOut, EvaluationReviewRecordOut, EvaluationReviewSettingIn,
    EvaluationReviewSettingOut, EvaluationTeacherOut, ObjectionState,
)
from renrentong.evaluation.schemas import RecordFileOut

router = Router(tags=["evaluation review"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
ObjectId = Path(..., ge=1, le=MAX_ID)
OptionalId = Query(None, ge=1, le=MAX_ID)
QueueState = Literal["pending", "approved", "failed", "any"]


def review_out(actor, record, files: list[dict], classes: dict[int, str]) -> EvaluationReviewRecordOut:
    item = record.item
    return EvaluationReviewRecordOut(
        id=record.pk, student_id=record.student_id, student_name=record.student.name, class_id=record.class_id,
        class_name=classes.get(record.class_id, ""), school_year=record.school_year, kind=record.kind,
        title=record.title, text=record.text, happened_on=record.happened_on, item_id=record.item_id,
        item_label=item.label if item else "", dimension_label=item.dimension.label if item else "",
        state=record.state, reason=record.reason, decided_by=selectors.who_decided(record),
        decided_at=record.decided_at, submitted_at=record.submitted_at, version=record.version,
        files=[RecordFileOut(**f) for f in files])


def _one(actor, record_id: int) -> EvaluationReviewRecordOut:
    record = selectors.record_for_review(actor, record_id)
    return review_out(actor, record, material.file_links(actor, [record]).get(record.pk, []),
                      selectors.class_names([record.class_id]))


def _filter(state: str | None, grade: int | None, class_id: int | None, item_id: int | None) -> selectors.QueueFilter:
    return selectors.QueueFilter(state=None if state in (None, "any") else state, cohort_id=grade,
                                 class_id=class_id, item_id=item_id)


@router.get("", response={200: EvaluationReviewPageOut, **ERRORS},
            summary="The review queue: submitted records in the reviewer's remit, filtered by grade (cohort id), "
                    "class, item and state, newest first, keyset pages of 50")
def review_queue(request: HttpRequest, state: QueueState = "pending", grade: int | None = OptionalId,
                 class_id: int | None = OptionalId, item_id: int | None = OptionalId,
                 before: int | None = OptionalId):
    actor = request.auth
    found = selectors.queue(actor, _filter(state, grade, class_id, item_id), before)
    links = material.file_links(actor, found)
    classes = selectors.class_names(r.class_id for r in found)
    more = found[-1].pk if len(found) == selectors.REVIEW_PAGE else None
    return EvaluationReviewPageOut(items=[review_out(actor, r, links.get(r.pk, []), classes) for r in found],
                                   next_before=more)


@router.get("/export", response={200: None, **ERRORS},
            summary="The queue (state=approved: the school's approved list) as .xlsx with the same filters")
def review_export(request: HttpRequest, state: QueueState = "pending", grade: int | None = OptionalId,
                  class_id: int | None = OptionalId, item_id: int | None = OptionalId):
    name, content = write_now(request.auth, exporting.review_export,
                              _filter(state, grade, class_id, item_id).as_params())
    return download(content, name)


@router.post("/decisions", response={200: list[EvaluationDecisionOut], **WRITE_ERRORS},
             summary="Pass several records at once, or fail them with one reason; each one decided on its own")
def decide_many(request: HttpRequest, body: EvaluationDecisionsIn):
    return [EvaluationDecisionOut(record_id=o.record_id, decided=o.decided, message=o.message)
            for o in services.decide_many(request.auth, body.record_ids, body.approve, body.reason)]


@router.get("/records/{record_id}", response={200: EvaluationReviewRecordOut, **ERRORS},
            summary="A record in the reviewer's remit, with who decided it")
def review_record(request: HttpRequest, record_id: int = ObjectId):
    return _one(request.auth, record_id)


@router.post("/records/{record_id}/decision", response={200: EvaluationReviewRecordOut, **WRITE_ERRORS},
             summary="Pass a pending record, or fail it with a reason; a second reviewer is told who decided first")
def decide(request: HttpRequest, body: EvaluationReviewDecisionIn, record_id: int = ObjectId):
    services.decide(request.auth, record_id, body.approve, body.reason)
    return _one(request.auth, record_id)


@router.get("/records/{record_id}/files/{file_id}", response={200: EvaluationFileLinkOut, **ERRORS},
            summary="Open a file of a record (audited: who, which record, which file): its signed link")
def review_file(request: HttpRequest, record_id: int = ObjectId, file_id: int = ObjectId):
    return EvaluationFileLinkOut(url=services.open_file(request.auth, record_id, file_id))


# Reviewers and the setting ----------------------------------------------------------------------------

def _reviewers(actor) -> EvaluationReviewersOut:
    found = selectors.appointments(actor)
    setting = selectors.setting_of(actor.identity.school_id)
    return EvaluationReviewersOut(
        reviewers=[EvaluationReviewerOut(id=a.pk, teacher_id=a.teacher_id, teacher_name=selectors.teacher_name(a.teacher),
                                         whole_school=a.whole_school, class_ids=a.class_ids, grade_ids=a.cohort_ids,
                                         appointed_at=a.appointed_at) for a in found],
        teachers=[EvaluationTeacherOut(teacher_id=t.pk, name=selectors.teacher_name(t))
                  for t in selectors.teachers_of_school(actor)],
        head_teachers_review=setting.head_teachers_review)


@router.get("/reviewers", response={200: EvaluationReviewersOut, **ERRORS},
            summary="The school's reviewers, its teachers to appoint from, and the head teachers' setting")
def reviewers(request: HttpRequest):
    return _reviewers(request.auth)


@router.post("/reviewers", response={201: EvaluationReviewerOut, **WRITE_ERRORS},
             summary="Appoint a teacher of the school reviewer (whole school, or classes and grades); again: "
                     "the remit is replaced")
def appoint(request: HttpRequest, body: EvaluationReviewerIn):
    a = services.appoint(request.auth, body.teacher_id, services.Remit(body.whole_school, body.class_ids,
                                                                       body.grade_ids))
    return Status(201, EvaluationReviewerOut(id=a.pk, teacher_id=a.teacher_id,
                                             teacher_name=selectors.teacher_name(a.teacher),
                                             whole_school=a.whole_school, class_ids=a.class_ids,
                                             grade_ids=a.cohort_ids, appointed_at=a.appointed_at))


@router.delete("/reviewers/{appointment_id}", response={204: None, **WRITE_ERRORS},
               summary="End a reviewer's appointment")
def end_appointment(request: HttpRequest, appointment_id: int = ObjectId):
    services.end_appointment(request.auth, appointment_id)
    return Status(204, None)


@router.put("/settings", response={200: EvaluationReviewSettingOut, **WRITE_ERRORS},
            summary="Whether class head teachers review their own class's material (school admin)")
def put_setting(request: HttpRequest, body: EvaluationReviewSettingIn):
    setting = services.set_head_teachers_review(request.auth, body.head_teachers_review)
    return EvaluationReviewSettingOut(head_teachers_review=setting.head_teachers_review)


# Public display (公示) and objections -------------------------------------------------------------------

def display_out(d) -> EvaluationDisplayOut:
    return EvaluationDisplayOut(id=d.pk, title=d.title, starts_on=d.starts_on, ends_on=d.ends_on, grade_id=d.cohort_id,
                                running=selectors.is_running(d), closed=d.closed_at is not None)


@router.get("/displays", response={200: list[EvaluationDisplayOut], **ERRORS},
            summary="Displays: every one of the school for its admin, the running ones for its members")
def displays(request: HttpRequest):
    actor = request.auth
    found = (selectors.displays_of_school(actor)[:200] if access.manages_review(actor)
             else selectors.current_displays(actor))
    return [display_out(d) for d in found]


@router.post("/displays", response={201: EvaluationDisplayOut, **WRITE_ERRORS},
             summary="Open a display of the school's approved material (whole school or a grade; never health items)")
def open_display(request: HttpRequest, body: EvaluationDisplayIn):
    return Status(201, display_out(services.open_display(request.auth, body.title, body.starts_on, body.ends_on,
                                                         body.grade_id)))


@router.post("/displays/{display_id}/close", response={200: EvaluationDisplayOut, **WRITE_ERRORS},
             summary="End a display early")
def close_display(request: HttpRequest, display_id: int = ObjectId):
    return display_out(services.close_display(request.auth, display_id))


@router.get("/displays/{display_id}/records", response={200: list[EvaluationDisplayedRecordOut], **ERRORS},
            summary="What a display shows: title, text, item, the student's name and class; nothing else")
def displayed(request: HttpRequest, display_id: int = ObjectId):
    actor = request.auth
    display = selectors.display_for(actor, display_id)
    found = selectors.displayed_records(display)
    classes = selectors.class_names(r.class_id for r in found)
    mine = selectors.my_objections(actor, display)
    return [EvaluationDisplayedRecordOut(
        record_id=r.pk, title=r.title, text=r.text, item_label=r.item.label if r.item else "",
        dimension_label=r.item.dimension.label if r.item else "", student_name=r.student.name,
        class_name=classes.get(r.class_id, ""), my_objection=mine[r.pk].state if r.pk in mine else None)
        for r in found]


def objection_out(o) -> EvaluationObjectionOut:
    return EvaluationObjectionOut(
        id=o.pk, display_id=o.display_id, record_id=o.record_id, student_name=o.record.student.name,
        record_title=o.record.title or o.record.text[:30], lodged_by=selectors.person_name(o.lodged_by),
        reason=o.reason, lodged_at=o.lodged_at, state=o.state, resolved_by=selectors.person_name(o.resolved_by),
        note=o.note)


@router.post("/displays/{display_id}/objections", response={200: EvaluationObjectionOut, 201: EvaluationObjectionOut,
                                                            **WRITE_ERRORS},
             summary="Object to displayed material during the display (a reason is required); again: 200, the same")
def lodge(request: HttpRequest, body: EvaluationObjectionIn, display_id: int = ObjectId):
    objection, created = services.lodge_objection(request.auth, display_id, body.record_id, body.reason)
    return Status(201 if created else 200, objection_out(objection))


@router.get("/objections", response={200: list[EvaluationObjectionOut], **ERRORS},
            summary="The school's objections, newest first (school admin)")
def objections(request: HttpRequest, state: ObjectionState | None = None):
    return [objection_out(o) for o in selectors.objections_of_school(request.auth, state)[:500]]


@router.get("/objections/export", response={200: None, **ERRORS}, summary="The objections as .xlsx")
def objections_export(request: HttpRequest, state: ObjectionState | None = None):
    name, content = write_now(request.auth, exporting.objections_export, {"state": state or ""})
    return download(content, name)


@router.post("/objections/{objection_id}/resolve", response={200: EvaluationObjectionOut, **WRITE_ERRORS},
             summary="Uphold an objection (the record fails with the note as its reason) or dismiss it with a note")
def resolve(request: HttpRequest, body: EvaluationResolveIn, objection_id: int = ObjectId):
    return objection_out(services.resolve_objection(request.auth, objection_id, body.uphold, body.note))
