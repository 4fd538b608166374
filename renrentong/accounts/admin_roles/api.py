"""School admin roles through the API (ADM-6). Mounted under /orgs in renrentong/api.py."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut

from renrentong.accounts.admin_roles import access, services as admin_roles
from renrentong.orgs.schemas import (
    AdminApplicationIn, AdminApplicationOut, AdminOut, AppointIn, ApprovalDecisionIn, DecisionStatus,
)

router = Router(tags=["orgs"])
CHANGE_ERRORS = {**ERRORS, 409: ErrorOut}
Id = Path(..., ge=1, le=MAX_ID)


def admin_out(staff: admin_roles.SchoolStaff) -> AdminOut:
    return AdminOut(identity_id=staff.identity_id, account_id=staff.account_id, name=staff.name,
                    account_number=staff.account_number)


@router.get("/schools/{school_id}/admins", response={200: list[AdminOut], **ERRORS},
            summary="The school admins of a school")
def school_admins(request: HttpRequest, school_id: int = Id):
    return [admin_out(s) for s in admin_roles.school_admins(request.auth, school_id)]


@router.get("/schools/{school_id}/admin-candidates", response={200: list[AdminOut], **ERRORS},
            summary="Teachers of the school who could be appointed school admin (region admins)")
def admin_candidates(request: HttpRequest, school_id: int = Id):
    return [admin_out(s) for s in admin_roles.admin_candidates(request.auth, school_id)]


@router.post("/schools/{school_id}/admins", response={201: AdminOut, **CHANGE_ERRORS},
             summary="Appoint one of the school's teachers as school admin (region admins)")
def appoint_admin(request: HttpRequest, body: AppointIn, school_id: int = Id):
    identity = admin_roles.appoint_school_admin(request.auth, school_id, body.account_id)
    person = identity.account.person
    return Status(201, AdminOut(identity_id=identity.pk, account_id=identity.account_id,
                         name=person.name if person else "", account_number=identity.account.number))


@router.delete("/schools/{school_id}/admins/{identity_id}", response={204: None, **CHANGE_ERRORS},
               summary="Remove a school admin role; the teacher identity stays (region admins)")
def remove_admin(request: HttpRequest, school_id: int = Id, identity_id: int = Id):
    admin_roles.remove_school_admin(request.auth, school_id, identity_id)
    return Status(204, None)


def application_out(a) -> AdminApplicationOut:
    return AdminApplicationOut(
        id=a.pk, school_id=a.school_id, school_name=a.school.name,
        applicant=a.account.person.name if a.account.person_id else "", account_number=a.account.number,
        reason=a.reason, status=a.status, requested_at=a.requested_at, decided_at=a.decided_at,
        decision_note=a.decision_note)


@router.post("/admin-applications", response={201: AdminApplicationOut, **CHANGE_ERRORS},
             summary="Apply to be school admin of my school (teachers)")
def apply_for_admin(request: HttpRequest, body: AdminApplicationIn):
    return Status(201, application_out(admin_roles.apply_for_school_admin(request.auth, body.reason)))


@router.get("/admin-applications", response={200: list[AdminApplicationOut], **ERRORS},
            summary="Applications: the queue of schools below me (region admins), otherwise my own")
def admin_applications(request: HttpRequest, status: DecisionStatus | None = Query(None)):
    actor = request.auth
    if access.can_appoint_school_admins(actor):
        found = admin_roles.applications_queue(actor, status or "pending")
    else:
        found = [a for a in admin_roles.my_applications(actor.account) if status is None or a.status == status]
    return [application_out(a) for a in found]


@router.post("/admin-applications/{application_id}/decision", response={200: AdminApplicationOut, **CHANGE_ERRORS},
             summary="Approve (grants the school admin identity) or refuse (with a reason) an application")
def decide_application(request: HttpRequest, body: ApprovalDecisionIn, application_id: int = Id):
    return application_out(admin_roles.decide_application(request.auth, application_id, body.approve, body.note))


@router.post("/admin-applications/{application_id}/withdraw", response={200: AdminApplicationOut, **CHANGE_ERRORS},
             summary="Withdraw my own pending application")
def withdraw_application(request: HttpRequest, application_id: int = Id):
    return application_out(admin_roles.withdraw_application(request.auth, application_id))
