"""Key information through the API (KEY-1..KEY-3): /api/v1/school/keyinfo/..."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from ninja import File, Field, Form, Path, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.accounts.privacy.schemas import NationalStudentNumberOut
from renrentong.core.schemas import ERRORS, MAX_ID, Schema
from renrentong.core.web.downloads import download

from renrentong.keyinfo import services as keyinfo

if TYPE_CHECKING:  # annotations only: an endpoint reads rows through the services
    from renrentong.keyinfo.models import KeyInfoChange, RegistryComparison

router = Router(tags=["key information"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
UPLOAD_ERRORS = {**ERRORS, 413: ERRORS[400]}
FieldName = Literal["local_student_number", "national_student_number", "id_number"]


class KeyValuesOut(Schema):
    local_student_number: str
    national_student_number: str
    id_number: str = Field(..., description="Masked; admins read the full number through /people/{id}/id-number")


class FieldChangeOut(Schema):
    field: FieldName
    old_value: str
    new_value: str
    current_value: str
    decision: Literal["pending", "accepted", "refused"]


class ChangeOut(Schema):
    id: int
    person_id: int
    person_name: str
    school_id: int
    status: Literal["pending", "decided", "withdrawn"]
    requested_as: str
    created_at: datetime
    decided_at: datetime | None
    fields: list[FieldChangeOut]


class PersonKeyInfoOut(Schema):
    person_id: int
    name: str
    school_name: str
    class_name: str
    values: KeyValuesOut
    missing: list[FieldName]
    pending: ChangeOut | None


class KeyInfoIn(Schema):
    local_student_number: str | None = Field(None, max_length=64)
    national_student_number: str | None = Field(None, max_length=64)
    id_number: str | None = Field(None, max_length=64)


class UpdateOut(Schema):
    applied: bool = Field(..., description="true: the school's change applied at once; false: waiting for approval")
    person: PersonKeyInfoOut


class DecideIn(Schema):
    decisions: dict[FieldName, Literal["accept", "refuse"]] = Field(..., min_length=1)


class ClassCompletionOut(Schema):
    class_id: int | None
    name: str
    total: int
    complete: int
    missing: int
    waiting: int


class CompletionOut(Schema):
    school_id: int
    school_name: str
    total: ClassCompletionOut
    classes: list[ClassCompletionOut]


class StudentKeyInfoOut(Schema):
    person_id: int
    name: str
    account: str
    class_name: str
    values: KeyValuesOut
    missing: list[FieldName]
    state: Literal["complete", "missing", "waiting"]


class MismatchOut(Schema):
    kind: str
    row: int | None
    name: str
    field: str
    platform: str
    registry: str
    detail: str
    person_id: int | None
    account: str
    class_name: str


class ComparisonOut(Schema):
    id: int
    school_id: int
    file_name: str
    created_at: datetime
    counts: dict[str, int]
    items: list[MismatchOut]


class KeyInfoIdNumberOut(Schema):
    id_number: str


def change_out(change: KeyInfoChange) -> ChangeOut:
    current = keyinfo.current_values(change.person)
    return ChangeOut(
        id=change.pk, person_id=change.person_id, person_name=change.person.name, school_id=change.school_id,
        status=change.status, requested_as=change.requested_as, created_at=change.created_at,
        decided_at=change.decided_at,
        fields=[FieldChangeOut(field=f.field, old_value=f.old_value, new_value=f.new_value,
                               current_value=current[f.field], decision=f.decision)
                for f in sorted(change.fields.all(), key=lambda f: keyinfo.FIELDS.index(f.field))],
    )


def person_out(request: HttpRequest, person_id: int) -> PersonKeyInfoOut:
    person, enrollment, pending = keyinfo.person_view(request.auth, person_id)
    values = keyinfo.current_values(person)
    return PersonKeyInfoOut(
        person_id=person.pk, name=person.name, school_name=enrollment.school.name if enrollment else "",
        class_name=enrollment.school_class.display_name() if enrollment else "", values=KeyValuesOut(**values),
        missing=[f for f in keyinfo.FIELDS if not values[f]], pending=change_out(pending) if pending else None,
    )


def completion_out(item: keyinfo.ClassCompletion) -> ClassCompletionOut:
    return ClassCompletionOut(class_id=item.school_class.pk if item.school_class else None, name=item.name,
                              total=item.total, complete=item.complete, missing=item.missing, waiting=item.waiting)


def comparison_out(comparison: RegistryComparison) -> ComparisonOut:
    return ComparisonOut(id=comparison.pk, school_id=comparison.school_id, file_name=comparison.file_name,
                         created_at=comparison.created_at, counts=comparison.counts,
                         items=keyinfo.comparison_items(comparison))


@router.get("/keyinfo/people/{person_id}", response={200: PersonKeyInfoOut, **ERRORS},
            summary="A student's key information (school admins; the student; a parent)")
def get_key_info(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)):
    return person_out(request, person_id)


@router.patch("/keyinfo/people/{person_id}", response={200: UpdateOut, 202: UpdateOut, **WRITE_ERRORS},
              summary="Change key information: a school admin's change applies at once (200), a student's or "
                      "parent's waits for the school (202)")
def patch_key_info(request: HttpRequest, body: KeyInfoIn, person_id: int = Path(..., ge=1, le=MAX_ID)):
    values = body.dict(exclude_none=True)
    applied = keyinfo.save_key_information(request.auth, person_id, values)
    return Status(200 if applied else 202, UpdateOut(applied=applied, person=person_out(request, person_id)))


@router.get("/keyinfo/requests", response={200: list[ChangeOut], **ERRORS},
            summary="Key-information changes waiting for my school's approval")
def pending_requests(request: HttpRequest):
    return [change_out(c) for c in keyinfo.pending_changes(request.auth)]


@router.get("/keyinfo/requests/{change_id}", response={200: ChangeOut, **ERRORS},
            summary="One change request: each field's value on the platform beside the proposed one")
def get_request(request: HttpRequest, change_id: int = Path(..., ge=1, le=MAX_ID)):
    return change_out(keyinfo.change_in_scope(request.auth, change_id))


@router.post("/keyinfo/requests/{change_id}/decide", response={200: ChangeOut, **WRITE_ERRORS},
             summary="Accept or refuse each field of a change request (deciding again changes nothing)")
def decide_request(request: HttpRequest, body: DecideIn, change_id: int = Path(..., ge=1, le=MAX_ID)):
    keyinfo.decide(request.auth, change_id, dict(body.decisions))
    return change_out(keyinfo.change_in_scope(request.auth, change_id))


@router.get("/keyinfo/requests/{change_id}/id-number", response={200: KeyInfoIdNumberOut, **ERRORS},
            summary="The full proposed ID number (school admins; every read is audited)")
def proposed_id_number(request: HttpRequest, change_id: int = Path(..., ge=1, le=MAX_ID)):
    return KeyInfoIdNumberOut(id_number=keyinfo.reveal_proposed_id_number(request.auth, change_id))


@router.get("/keyinfo/requests/{change_id}/national-student-number",
            response={200: NationalStudentNumberOut, **ERRORS},
            summary="The full proposed national student number (the school's admins; every read is audited)")
def proposed_national_student_number(request: HttpRequest, change_id: int = Path(..., ge=1, le=MAX_ID)):
    return NationalStudentNumberOut(
        national_student_number=keyinfo.reveal_proposed(request.auth, change_id, "national_student_number"))


@router.get("/keyinfo/completion", response={200: CompletionOut, **ERRORS},
            summary="Complete, missing and waiting counts per class and for the school")
def completion(request: HttpRequest, school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    school, classes, total = keyinfo.completion(request.auth, school_id)
    return CompletionOut(school_id=school.pk, school_name=school.name, total=completion_out(total),
                         classes=[completion_out(c) for c in classes])


@router.get("/keyinfo/classes/{class_id}", response={200: list[StudentKeyInfoOut], **ERRORS},
            summary="Each student of a class with their key information (masked) and state")
def class_students(request: HttpRequest, class_id: int = Path(..., ge=1, le=MAX_ID)):
    _, students = keyinfo.class_key_info(request.auth, class_id)
    return [StudentKeyInfoOut(person_id=s.person_id, name=s.name, account=s.account, class_name=s.class_name,
                              values=KeyValuesOut(**s.values), missing=s.missing, state=s.state) for s in students]


@router.get("/keyinfo/incomplete.xlsx", response={200: None, **ERRORS},
            summary="Download the students whose key information is missing or waiting (.xlsx, IDs masked)")
def incomplete(request: HttpRequest, school_id: int | None = Query(None, ge=1, le=MAX_ID)):
    school, content = keyinfo.incomplete_export(request.auth, school_id)
    return download(content, f"关键信息未完成名单-{school.name}.xlsx")


@router.post("/keyinfo/registry", response={201: ComparisonOut, **UPLOAD_ERRORS},
             summary="Compare an official student registry list (name, ID number, national student number)")
def compare_registry(request: HttpRequest, file: UploadedFile = File(...),
                     school_id: int | None = Form(None, ge=1, le=MAX_ID)):
    found = keyinfo.compare_registry(request.auth, file.chunks(), file.name or "registry", school_id)
    return Status(201, comparison_out(found))


@router.get("/keyinfo/registry/{comparison_id}", response={200: ComparisonOut, **ERRORS},
            summary="The result of a registry comparison")
def get_comparison(request: HttpRequest, comparison_id: int = Path(..., ge=1, le=MAX_ID)):
    return comparison_out(keyinfo.comparison_in_scope(request.auth, comparison_id))
