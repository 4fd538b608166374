"""Class-change requests through the API (issue 10): /api/v1/school/class-change-requests...
A student asks and withdraws; the school admin approves or refuses; head teachers read."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from ninja import Field, Path, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID, Schema

from renrentong.schooladmin.class_changes import services as class_changes

if TYPE_CHECKING:  # annotations only: an endpoint reads rows through the services
    from renrentong.schooladmin.models import ClassChangeRequest

router = Router(tags=["class changes"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
StatusName = Literal["pending", "approved", "refused", "withdrawn"]


class ClassChangeRequestOut(Schema):
    id: int
    student_account_id: int
    student_name: str
    from_class_id: int | None
    from_class_name: str
    to_class_id: int
    to_class_name: str
    reason: str
    status: StatusName
    status_label: str
    decision_note: str
    created_at: datetime
    decided_at: datetime | None


class ClassChangeRequestIn(Schema):
    to_class_id: int = Field(..., ge=1, le=MAX_ID)
    reason: str = Field("", max_length=class_changes.REASON_LIMIT)


class ClassChangeRefuseIn(Schema):
    note: str = Field(..., min_length=1, max_length=class_changes.REASON_LIMIT,
                      description="Why it is refused; the student sees it")


class ClassChangeChoiceOut(Schema):
    id: int
    name: str
    code: str
    enrollment_year: int
    graduation_year: int


def change_out(request: ClassChangeRequest) -> ClassChangeRequestOut:
    year = request.school.school_year
    return ClassChangeRequestOut(
        id=request.pk, student_account_id=request.student_id,
        student_name=request.student.person.name if request.student.person_id else request.student.number,
        from_class_id=request.from_class_id,
        from_class_name=request.from_class.display_name(year) if request.from_class_id else "",
        to_class_id=request.to_class_id, to_class_name=request.to_class.display_name(year), reason=request.reason,
        status=request.status, status_label=str(request.get_status_display()), decision_note=request.decision_note,
        created_at=request.created_at, decided_at=request.decided_at)


@router.get("/class-change-requests", response={200: list[ClassChangeRequestOut], **ERRORS},
            summary="Class-change requests I may see: a student's own, the school's, a head teacher's classes'")
def list_requests(request: HttpRequest, status: StatusName | None = None):
    found = class_changes.requests_in_scope(request.auth).order_by("-created_at", "-pk")
    if status:
        found = found.filter(status=status)
    return [change_out(r) for r in found[:200]]


@router.get("/class-change-requests/classes", response={200: list[ClassChangeChoiceOut], **ERRORS},
            summary="The classes of my grade a student may ask to move to")
def choices(request: HttpRequest):
    return [ClassChangeChoiceOut(id=c.pk, name=c.display_name(), code=c.code, enrollment_year=c.enrollment_year,
                      graduation_year=c.graduation_year) for c in class_changes.class_choices(request.auth)]


@router.post("/class-change-requests", response={201: ClassChangeRequestOut, **WRITE_ERRORS},
             summary="A student asks to move to another class of their grade; it waits for the school admin")
def ask(request: HttpRequest, body: ClassChangeRequestIn):
    found = class_changes.request_change(request.auth, body.to_class_id, body.reason)
    return Status(201, change_out(class_changes.request_in_scope(request.auth, found.pk)))


@router.get("/class-change-requests/{request_id}", response={200: ClassChangeRequestOut, **ERRORS},
            summary="One class-change request")
def get_request(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return change_out(class_changes.request_in_scope(request.auth, request_id))


@router.post("/class-change-requests/{request_id}/approve", response={200: ClassChangeRequestOut, **WRITE_ERRORS},
             summary="The school admin approves: the student moves now, as by the batch class change")
def approve(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    class_changes.approve(request.auth, request_id)
    return change_out(class_changes.request_in_scope(request.auth, request_id))


@router.post("/class-change-requests/{request_id}/refuse", response={200: ClassChangeRequestOut, **WRITE_ERRORS},
             summary="The school admin refuses, with the reason the student sees")
def refuse(request: HttpRequest, body: ClassChangeRefuseIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    class_changes.refuse(request.auth, request_id, body.note)
    return change_out(class_changes.request_in_scope(request.auth, request_id))


@router.post("/class-change-requests/{request_id}/withdraw", response={200: ClassChangeRequestOut, **WRITE_ERRORS},
             summary="The student withdraws their own pending request")
def withdraw(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    class_changes.withdraw(request.auth, request_id)
    return change_out(class_changes.request_in_scope(request.auth, request_id))
