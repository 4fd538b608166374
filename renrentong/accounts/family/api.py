"""API of password resets by others (AUTH-5) and of a parent's children (ACC-6, ACC-7)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Status

from renrentong.core.masking import refuse_number_in_url
from renrentong.core.schemas import ERRORS, MAX_ID, Schema

from renrentong.accounts.family import services as children

from renrentong.accounts.resets import services as resets
from renrentong.core.web.client import client_address

router = Router(tags=["resets and children"])


class ResetIn(Schema):
    account_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(..., min_length=1, max_length=resets.MAX_BATCH)
    mode: Literal["default", "custom"] = Field("default", description="default: the school's initial-password "
                                               "rule; custom: the password given (admins only)")
    password: str = Field("", max_length=128, description="Only with mode custom")


class ResetOut(Schema):
    account_id: int
    account_number: str
    name: str
    password: str = Field(description="The new password to pass on; empty when a parent chose it")
    must_change_password: bool


class CandidateOut(Schema):
    account_id: int
    person_id: int | None
    account_number: str
    name: str
    kind: str
    class_name: str
    initial_outstanding: bool


class CandidateQuery(Schema):
    kind: Literal["student", "teacher", "parent", "admin"] = Field(
        "student", description="admin: school admins and admins of regions below (region admins only)")
    class_id: int | None = Field(None, ge=1, le=MAX_ID)
    q: str = Field("", max_length=64, description="Name, account number or phone")


class ChildOut(Schema):
    person_id: int
    name: str
    sex: str
    id_number: str = Field(description="Masked")
    account_number: str
    account_status: str
    relation: str
    enrolled: bool
    school_id: int | None
    school_name: str
    class_id: int | None
    class_name: str
    head_teacher: str


class LinkByIdNumberIn(Schema):
    name: str = Field(..., max_length=64)
    id_number: str = Field(..., max_length=32)
    sex: Literal["", "M", "F"] = Field("", description="Optional; checked against the school's data")
    relation: Literal["father", "mother", "guardian", "other"] = "guardian"


class LinkByAccountIn(Schema):
    account: str = Field(..., max_length=64, description="The student account (or student number) the school issued")
    password: str = Field(..., max_length=128)
    relation: Literal["father", "mother", "guardian", "other"] = "guardian"


class ChildPasswordIn(Schema):
    new_password: str = Field(..., max_length=128)
    repeat_password: str = Field(..., max_length=128)


def child_out(child: children.Child) -> ChildOut:
    person = child.person
    return ChildOut(
        person_id=person.pk, name=person.name, sex=person.sex, id_number=person.id_number_masked,
        account_number=child.account_number, account_status=child.account_status, relation=child.relation,
        enrolled=child.enrolled, school_id=child.school.pk if child.school else None,
        school_name=child.school.name if child.school else "",
        class_id=child.school_class.pk if child.school_class else None, class_name=child.class_name,
        head_teacher=child.head_teacher,
    )


def result_out(result: resets.ResetResult) -> ResetOut:
    return ResetOut(account_id=result.account_id, account_number=result.account_number, name=result.name,
                    password=result.password, must_change_password=result.must_change_password)


@router.get("/resets/candidates", response={200: list[CandidateOut], **ERRORS},
            summary="Accounts I may reset: a class, the teachers, the parents, or a search")
def reset_candidates(request: HttpRequest, query: Query[CandidateQuery]):
    refuse_number_in_url(query.q, "/api/v1/resets/candidates/search")
    return _candidates(request, query)


# POST, though it reads: a phone searched for travels in the body, never in a URL (NFR-1).
@router.post("/resets/candidates/search", response={200: list[CandidateOut], **ERRORS},
             summary="The same as GET /resets/candidates, the search in the body (for phones)")
def search_reset_candidates(request: HttpRequest, query: CandidateQuery):
    return _candidates(request, query)


def _candidates(request: HttpRequest, query: CandidateQuery) -> list[CandidateOut]:
    found = resets.reset_candidates(request.auth, kind=query.kind, class_id=query.class_id, query=query.q)
    return [CandidateOut(**c.__dict__) for c in found]


@router.post("/resets", response={200: list[ResetOut], **ERRORS},
             summary="Reset one or many passwords to the default or a custom password (audited)")
def reset_passwords(request: HttpRequest, body: ResetIn):
    results = resets.reset_passwords(request.auth, body.account_ids, mode=body.mode, password=body.password)
    return [result_out(r) for r in results]


@router.get("/family/children", response={200: list[ChildOut], **ERRORS},
            summary="My children, each at their current school and class")
def my_children(request: HttpRequest):
    return [child_out(c) for c in children.children_of(request.auth)]


class LinkRequestOut(Schema):
    id: int
    direction: Literal["incoming", "outgoing"] = Field(
        description="incoming: yours to confirm or refuse; outgoing: a link you asked for")
    status: Literal["pending", "confirmed", "refused", "cancelled"]
    status_label: str
    relation: str
    requester_name: str
    requester_phone: str = Field(description="Masked")
    child_person_id: int | None = Field(description="Only on incoming requests")
    child_name: str
    class_name: str = Field(description="Only on incoming requests")
    created_at: datetime
    decided_at: datetime | None


def link_request_out(pending: children.PendingLink) -> LinkRequestOut:
    return LinkRequestOut(id=pending.pk, **{k: v for k, v in pending.__dict__.items() if k != "pk"})


@router.post("/family/children/by-id-number", response={202: LinkRequestOut, **ERRORS},
             summary="Ask to link a child by real name and ID number (throttled); the link waits until the "
                     "child's existing parent, else the class head teacher or school admin, confirms it")
def link_by_id_number(request: HttpRequest, body: LinkByIdNumberIn):
    made = children.link_by_id_number(request.auth, body.name, body.id_number, sex=body.sex,
                                      relation=body.relation, source=client_address(request))
    return Status(202, link_request_out(children.outgoing_view(made)))


@router.get("/family/link-requests", response={200: list[LinkRequestOut], **ERRORS},
            summary="Links waiting for my confirmation (parent of the child; else its head teacher or school "
                    "admin), and a parent's own requests")
def link_requests(request: HttpRequest):
    return [link_request_out(p) for p in children.link_requests(request.auth)]


@router.post("/family/link-requests/{request_id}/confirm", response={204: None, **ERRORS},
             summary="Confirm a link request (audited)")
def confirm_link_request(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    children.decide_link(request.auth, request_id, confirm=True)
    return Status(204, None)


@router.post("/family/link-requests/{request_id}/refuse", response={204: None, **ERRORS},
             summary="Refuse a link request (audited)")
def refuse_link_request(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    children.decide_link(request.auth, request_id, confirm=False)
    return Status(204, None)


@router.delete("/family/link-requests/{request_id}", response={204: None, **ERRORS},
               summary="Withdraw my own pending link request")
def cancel_link_request(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    children.cancel_link_request(request.auth, request_id)
    return Status(204, None)


@router.post("/family/children/by-account", response={201: ChildOut, **ERRORS},
             summary="Link a child with the student account and password the school issued (throttled)")
def link_by_account(request: HttpRequest, body: LinkByAccountIn):
    child = children.link_by_account(request.auth, body.account, body.password, relation=body.relation,
                                     source=client_address(request))
    return Status(201, child_out(child))


@router.get("/family/children/{person_id}", response={200: ChildOut, **ERRORS}, summary="One of my children")
def one_child(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)):
    return child_out(children.child_of(request.auth, person_id))


@router.delete("/family/children/{person_id}", response={204: None, **ERRORS}, summary="Unlink a child")
def unlink_child(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)):
    children.unlink(request.auth, person_id)
    return Status(204, None)


@router.post("/family/children/{person_id}/password", response={204: None, **ERRORS},
             summary="Set a new password for my child (audited; ends the child's sessions)")
def child_password(request: HttpRequest, body: ChildPasswordIn, person_id: int = Path(..., ge=1, le=MAX_ID)):
    resets.set_child_password(request.auth, person_id, body.new_password, body.repeat_password)
    return Status(204, None)


class GuardianOut(Schema):
    person_id: int
    name: str
    account_number: str
    phone: str = Field(description="Masked")
    relation: str
    linked_by_school: bool


@router.get("/family/students/{person_id}/guardians", response={200: list[GuardianOut], **ERRORS},
            summary="A student's linked parents (head teacher, school admin, admins above)")
def student_guardians(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID)):
    _student, found = children.guardians_of(request.auth, person_id)
    return [GuardianOut(**g.__dict__) for g in found]


@router.delete("/family/students/{person_id}/guardians/{guardian_id}", response={204: None, **ERRORS},
               summary="Remove a parent's link to a student (audited)")
def remove_guardian(request: HttpRequest, person_id: int = Path(..., ge=1, le=MAX_ID),
                    guardian_id: int = Path(..., ge=1, le=MAX_ID)):
    children.remove_guardian(request.auth, person_id, guardian_id)
    return Status(204, None)
