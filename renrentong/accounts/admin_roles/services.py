"""School admin roles (ADM-6): who holds them, appointing and removing, and teachers' applications.

A school admin is an Identity(kind=school_admin, school) beside the person's teacher identity at that
school; this module is the one place that creates or removes such identities. A region admin above the
school appoints or removes directly (区县管理员在“用户管理”中设置); a teacher applies (申请学校管理员) and
a region admin above the school (district or city) approves or refuses. The applicant sees the outcome
on their home page; an approved one switches to the new identity at the top right.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.approvals import Approval
from renrentong.core.errors import UserFacingError
from renrentong.core.text import normalize_text
from renrentong.orgs.access import has_school_in_scope
from renrentong.accounts.admin_roles import access
from renrentong.orgs.models import AdminApplication, Decision, School
from renrentong.orgs.selectors import school_in_scope

from renrentong.accounts.models import Account, Identity

MAX_NOTE = 200
PENDING = Decision.PENDING


@dataclass(frozen=True)
class SchoolStaff:
    identity_id: int  # the teacher identity, or the school admin identity in `admins`
    account_id: int
    name: str
    account_number: str
    is_admin: bool


def _school_for_region_admin(actor: Actor, school_id: int) -> School:
    school = school_in_scope(actor, school_id)
    actor.require_identity()
    if not access.can_appoint_school_admins(actor):
        raise UserFacingError("admin_roles.not_allowed")
    return school


def _staff(identities) -> list[SchoolStaff]:
    return [SchoolStaff(i.pk, i.account_id, i.account.person.name if i.account.person_id else "", i.account.number,
                        access.is_school_admin_role(i))
            for i in identities.select_related("account__person").order_by("account__person__name", "pk")]


def school_admins(actor: Actor, school_id: int) -> list[SchoolStaff]:
    """The school's admins, for region admins above it and for the school's own admins."""
    school = school_in_scope(actor, school_id)
    actor.require_identity()
    if not access.can_see_school_admins(actor):
        raise UserFacingError("admin_roles.not_allowed")
    return _staff(Identity.objects.filter(kind=Identity.Kind.SCHOOL_ADMIN, school=school))


def admin_candidates(actor: Actor, school_id: int) -> list[SchoolStaff]:
    """The school's teachers who are not its admins yet: whom a region admin may appoint."""
    school = _school_for_region_admin(actor, school_id)
    admins = Identity.objects.filter(kind=Identity.Kind.SCHOOL_ADMIN, school=school).values("account_id")
    return _staff(Identity.objects.filter(kind=Identity.Kind.TEACHER, school=school).exclude(account_id__in=admins))


def _grant(actor: Actor, school: School, account: Account, how: str) -> Identity:
    if not Identity.objects.filter(account=account, kind=Identity.Kind.TEACHER, school=school).exists():
        raise UserFacingError("admin_roles.not_a_teacher", school=school.name)
    if Identity.objects.filter(account=account, kind=Identity.Kind.SCHOOL_ADMIN, school=school).exists():
        raise UserFacingError("admin_roles.already_admin", school=school.name)
    identity = Identity.objects.create(account=account, kind=Identity.Kind.SCHOOL_ADMIN, school=school)
    audit.record(actor, "admin_roles.appoint", account, {"school": school.name, "how": how,
                                                         "identity_id": identity.pk}, school_id=school.pk)
    return identity


@transaction.atomic
def appoint_school_admin(actor: Actor, school_id: int, account_id: int) -> Identity:
    school = _school_for_region_admin(actor, school_id)
    account = Account.objects.select_for_update().filter(pk=account_id).first()
    if account is None:
        raise UserFacingError("admin_roles.not_a_teacher", school=school.name)
    identity = _grant(actor, school, account, "appointed")
    # An application the person had open is answered by the appointment.
    for application in AdminApplication.objects.select_for_update().filter(account=account, school=school,
                                                                           status=Decision.PENDING):
        _close(actor, application, Decision.APPROVED, "")
    return identity


@transaction.atomic
def remove_school_admin(actor: Actor, school_id: int, identity_id: int) -> None:
    """Takes the school admin role away (取消校管权限); the person's teacher identity stays."""
    school = _school_for_region_admin(actor, school_id)
    identity = Identity.objects.select_for_update().select_related("account").filter(
        pk=identity_id, kind=Identity.Kind.SCHOOL_ADMIN, school=school).first()
    if identity is None:
        raise UserFacingError("scope.not_found")
    account = identity.account
    audit.record(actor, "admin_roles.remove", account, {"school": school.name, "identity_id": identity.pk},
                 school_id=school.pk)
    # Tokens acting as this identity lose it (SET_NULL) and must pick another; sessions are sent back
    # to the identity choice by the middleware, which no longer finds it.
    identity.delete()


# --- Applications ---------------------------------------------------------------------------------

@transaction.atomic
def apply_for_school_admin(actor: Actor, reason: str = "") -> AdminApplication:
    identity = actor.require_identity()
    if not access.can_apply_for_school_admin(actor):
        raise UserFacingError("admin_roles.apply_as_teacher")
    school = School.objects.select_for_update().get(pk=identity.school_id)
    if Identity.objects.filter(account=actor.account, kind=Identity.Kind.SCHOOL_ADMIN, school=school).exists():
        raise UserFacingError("admin_roles.already_admin", school=school.name)
    if AdminApplication.objects.filter(account=actor.account, school=school, status=Decision.PENDING).exists():
        raise UserFacingError("admin_roles.application_pending", school=school.name)
    reason = normalize_text(reason)[:MAX_NOTE] if reason.strip() else ""
    application = AdminApplication.objects.create(account=actor.account, school=school, reason=reason)
    audit.record(actor, "admin_roles.apply", application, {"reason": reason}, school_id=school.pk)
    return application


def _close(actor: Actor, application: AdminApplication, status: str, note: str) -> None:
    application.status = status
    application.decided_by = actor.account
    application.decided_at = timezone.now()
    application.decision_note = note
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, f"admin_roles.application_{status}", application, {"note": note},
                 school_id=application.school_id)


def _open_application(actor: Actor, application_id: int) -> AdminApplication:
    application = AdminApplication.objects.select_for_update().select_related("school", "account").filter(
        pk=application_id).first()
    visible = application is not None and (
        application.account_id == actor.account.pk
        or actor.scope.schools(School.objects.filter(pk=application.school_id)).exists())
    if not visible:
        raise UserFacingError("scope.not_found")
    return application


# The shared approval shape (core/approvals.py) with the codes admin applications have always answered.
APPLICATIONS = Approval(
    pending=Decision.PENDING, closed_code="admin_roles.application_closed",
    reason_code="admin_roles.refusal_needs_reason", not_yours_code="admin_roles.not_your_application",
    reason_max=None, clean_reason=lambda note: normalize_text(note)[:MAX_NOTE] if note.strip() else "",
    repeat_is_noop=False)


@transaction.atomic
def decide_application(actor: Actor, application_id: int, approve: bool, note: str = "") -> AdminApplication:
    application = _open_application(actor, application_id)
    if not has_school_in_scope(actor, application.school):
        raise UserFacingError("scope.not_found")
    actor.require_identity()
    if not access.can_decide_application(actor, application):
        raise UserFacingError("admin_roles.not_allowed")
    APPLICATIONS.open(application)
    note = APPLICATIONS.reason(note, required=not approve)
    if approve:
        account = Account.objects.select_for_update().get(pk=application.account_id)
        _grant(actor, application.school, account, f"application {application.pk}")
        _close(actor, application, Decision.APPROVED, note)
    else:
        _close(actor, application, Decision.REFUSED, note)
    return application


@transaction.atomic
def withdraw_application(actor: Actor, application_id: int) -> AdminApplication:
    application = _open_application(actor, application_id)
    APPLICATIONS.own(application.account_id == actor.account.pk)
    APPLICATIONS.open(application)
    _close(actor, application, Decision.WITHDRAWN, "")
    return application


def applications_queue(actor: Actor, status: str | None = Decision.PENDING) -> list[AdminApplication]:
    """Region admins: applications to schools below them."""
    actor.require_identity()
    if not access.can_appoint_school_admins(actor):
        raise UserFacingError("admin_roles.not_allowed")
    qs = AdminApplication.objects.filter(school__in=actor.scope.schools(School.objects.all()))
    if status:
        qs = qs.filter(status=status)
    return list(qs.select_related("school__district", "account__person", "decided_by__person")
                .order_by("-requested_at", "-pk")[:200])


def my_applications(account: Account) -> list[AdminApplication]:
    """The account's own applications, newest first: what the home page shows."""
    return list(AdminApplication.objects.filter(account=account).select_related("school")
                .order_by("-requested_at", "-pk")[:10])
