"""Transfers through the API (ADM-5): /api/v1/school/transfers..."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID, Schema

from renrentong.schooladmin.transfers import services as transfers

if TYPE_CHECKING:  # annotations only: an endpoint reads rows through the services
    from renrentong.schooladmin.models import TransferRequest

router = Router(tags=["transfers"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}


class TransferOut(Schema):
    id: int
    kind: Literal["student", "teacher"]
    person_id: int
    person_name: str
    from_school_id: int
    from_school_name: str
    to_school_id: int
    to_school_name: str
    to_class_id: int | None
    to_class_name: str
    status: Literal["pending", "approved", "refused", "withdrawn"]
    status_label: str
    source: str
    needs_source_approval: bool
    source_approved: bool
    target_approved: bool
    waiting_for: list[Literal["source", "target"]]
    reason: str
    created_at: datetime
    decided_at: datetime | None


class QueueOut(Schema):
    incoming: list[TransferOut]
    outgoing: list[TransferOut]
    elsewhere: list[TransferOut]
    decided: list[TransferOut]


class TransferIn(Schema):
    to_school_id: int = Field(..., ge=1, le=MAX_ID)
    to_class_id: int | None = Field(None, ge=1, le=MAX_ID)


class ApproveIn(Schema):
    class_id: int | None = Field(None, ge=1, le=MAX_ID, description="The class a student joins (new school)")


class TransferRefuseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)


class TargetSchoolOut(Schema):
    id: int
    name: str
    code: str
    district_name: str


class TargetClassOut(Schema):
    id: int
    name: str
    code: str


def transfer_out(request: TransferRequest) -> TransferOut:
    return TransferOut(
        id=request.pk, kind=request.kind, person_id=request.person_id, person_name=request.person.name,
        from_school_id=request.from_school_id, from_school_name=request.from_school.name,
        to_school_id=request.to_school_id, to_school_name=request.to_school.name, to_class_id=request.to_class_id,
        to_class_name=request.to_class.display_name() if request.to_class_id else "", status=request.status,
        status_label=str(request.get_status_display()), source=request.source,
        needs_source_approval=request.needs_source_approval, source_approved=request.source_approved,
        target_approved=request.target_approved, waiting_for=transfers.waiting_for(request), reason=request.reason,
        created_at=request.created_at, decided_at=request.decided_at,
    )


@router.get("/transfers", response={200: list[TransferOut], **ERRORS},
            summary="Transfer requests I may see (admins: my school's in and out; a person: their own)")
def list_transfers(request: HttpRequest, status: Literal["pending", "approved", "refused", "withdrawn"] | None = None):
    qs = transfers.transfers_in_scope(request.auth).order_by("-created_at", "-pk")
    if status:
        qs = qs.filter(status=status)
    return [transfer_out(r) for r in qs[:200]]


@router.get("/transfers/queue", response={200: QueueOut, **ERRORS},
            summary="A school admin's approval queues: waiting for my school in and out, others, decided")
def transfer_queue(request: HttpRequest):
    found = transfers.queue(request.auth)
    return QueueOut(**{key: [transfer_out(r) for r in items] for key, items in found.items()})


@router.get("/transfer-targets", response={200: list[TargetSchoolOut], **ERRORS},
            summary="Registered schools to transfer to, by name or code")
def transfer_targets(request: HttpRequest, q: str = Query(..., min_length=1, max_length=64)):
    return [TargetSchoolOut(id=s.pk, name=s.name, code=s.code, district_name=s.district.name)
            for s in transfers.target_schools(q)]


@router.post("/transfers", response={201: TransferOut, **WRITE_ERRORS},
             summary="Start my own transfer to another school (students and teachers)")
def start_transfer(request: HttpRequest, body: TransferIn):
    found = transfers.request_transfer(request.auth, body.to_school_id, body.to_class_id)
    return Status(201, transfer_out(transfers.transfer_in_scope(request.auth, found.pk)))


@router.get("/transfers/{request_id}", response={200: TransferOut, **ERRORS}, summary="One transfer request")
def get_transfer(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return transfer_out(transfers.transfer_in_scope(request.auth, request_id))


@router.get("/transfers/{request_id}/classes", response={200: list[TargetClassOut], **ERRORS},
            summary="Classes of the new school a student may join (for the approving admin)")
def transfer_classes(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    found = transfers.transfer_in_scope(request.auth, request_id)
    return [TargetClassOut(id=c.pk, name=c.display_name(), code=c.code)
            for c in transfers.target_classes(found.to_school)]


@router.post("/transfers/{request_id}/approve", response={200: TransferOut, **WRITE_ERRORS},
             summary="My school's approval; the last one needed moves the person (approving twice changes nothing)")
def approve_transfer(request: HttpRequest, body: ApproveIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    transfers.approve(request.auth, request_id, body.class_id)
    return transfer_out(transfers.transfer_in_scope(request.auth, request_id))


@router.post("/transfers/{request_id}/refuse", response={200: TransferOut, **WRITE_ERRORS},
             summary="Refuse a transfer request, with the reason the person sees")
def refuse_transfer(request: HttpRequest, body: TransferRefuseIn, request_id: int = Path(..., ge=1, le=MAX_ID)):
    transfers.refuse(request.auth, request_id, body.reason)
    return transfer_out(transfers.transfer_in_scope(request.auth, request_id))


@router.post("/transfers/{request_id}/withdraw", response={200: TransferOut, **WRITE_ERRORS},
             summary="Withdraw my own pending transfer request")
def withdraw_transfer(request: HttpRequest, request_id: int = Path(..., ge=1, le=MAX_ID)):
    transfers.withdraw(request.auth, request_id)
    return transfer_out(transfers.transfer_in_scope(request.auth, request_id))
