"""Tenants and the school system through the API (ORG-2, ORG-6). Joined to the orgs router (orgs/api.py)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut

from renrentong.orgs.schemas import (
    ApprovalDecisionIn, DecisionStatus, SchoolIn, SchoolOut, SchoolPatch, SystemRequestIn, SystemRequestOut,
)
from renrentong.orgs import selectors
from renrentong.orgs.tenants import services as tenants

router = Router(tags=["orgs"])
CHANGE_ERRORS = {**ERRORS, 409: ErrorOut}
Id = Path(..., ge=1, le=MAX_ID)


@router.get("/schools", response={200: list[SchoolOut], **ERRORS}, summary="Schools within my scope")
def schools(request: HttpRequest, district_id: int | None = Query(None, ge=1, le=MAX_ID)):
    return [SchoolOut.of(s) for s in selectors.visible_schools(request.auth, district_id)]


@router.get("/schools/{school_id}", response={200: SchoolOut, **ERRORS}, summary="One school within my scope")
def school(request: HttpRequest, school_id: int):
    return SchoolOut.of(selectors.school_in_scope(request.auth, school_id))


@router.post("/schools", response={201: SchoolOut, **CHANGE_ERRORS},
             summary="Register a school as a tenant (region admins)")
def register_school(request: HttpRequest, body: SchoolIn):
    school = tenants.register_school(request.auth, body.district_id, body.name, body.code, body.system,
                                     list(body.levels), body.school_year)
    return Status(201, SchoolOut.of(school))


@router.patch("/schools/{school_id}", response={200: SchoolOut, **CHANGE_ERRORS},
              summary="Register or suspend a school, set its school system and stages (region admins)")
def patch_school(request: HttpRequest, body: SchoolPatch, school_id: int = Id):
    levels = list(body.levels) if body.levels is not None else None
    return SchoolOut.of(tenants.update_school(request.auth, school_id, registered=body.registered,
                                            system=body.system, levels=levels))


def system_request_out(r) -> SystemRequestOut:
    return SystemRequestOut(
        id=r.pk, school_id=r.school_id, school_name=r.school.name, system=r.system, levels=r.levels, reason=r.reason,
        status=r.status, requested_by=r.requested_by.person.name if r.requested_by.person_id else r.requested_by.number,
        requested_at=r.requested_at, decided_at=r.decided_at, decision_note=r.decision_note)


@router.post("/schools/{school_id}/system-requests", response={201: SystemRequestOut, **CHANGE_ERRORS},
             summary="Ask the district admin to change the school system or stages (school admins)")
def request_system_change(request: HttpRequest, body: SystemRequestIn, school_id: int = Id):
    found = tenants.request_system_change(request.auth, school_id, body.system, list(body.levels), body.reason)
    return Status(201, system_request_out(found))


@router.get("/system-requests", response={200: list[SystemRequestOut], **ERRORS},
            summary="School system change requests: the queue of schools below me, or my school's")
def system_requests(request: HttpRequest, status: DecisionStatus | None = Query("pending")):
    return [system_request_out(r) for r in tenants.system_requests(request.auth, status)]


@router.post("/system-requests/{request_id}/decision", response={200: SystemRequestOut, **CHANGE_ERRORS},
             summary="Approve (applies the change) or refuse (with a reason) a school system change request")
def decide_system_change(request: HttpRequest, body: ApprovalDecisionIn, request_id: int = Id):
    return system_request_out(tenants.decide_system_change(request.auth, request_id, body.approve, body.note))


@router.post("/system-requests/{request_id}/withdraw", response={200: SystemRequestOut, **CHANGE_ERRORS},
             summary="Withdraw my own pending school system change request")
def withdraw_system_change(request: HttpRequest, request_id: int = Id):
    return system_request_out(tenants.withdraw_system_change(request.auth, request_id))
