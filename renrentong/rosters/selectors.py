"""Reads of import jobs and rosters, within the Actor's scope."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import School

from .models import ImportJob, ImportRow

ROWS_PAGE = 100


def jobs_in_scope(actor: Actor) -> QuerySet[ImportJob]:
    identity = actor.require_identity()
    if identity.kind not in ("school_admin", "region_admin"):
        return ImportJob.objects.none()
    schools = actor.scope.schools(School.objects.all()).values("pk")
    return ImportJob.objects.filter(
        Q(school_id__in=schools) | Q(school__isnull=True, region_id__in=actor.scope.region_ids)
    ).order_by("-pk")


def job_in_scope(actor: Actor, job_id: int) -> ImportJob:
    job = jobs_in_scope(actor).filter(pk=job_id).first()
    if job is None:
        raise UserFacingError("scope.not_found")
    return job


def job_rows(job: ImportJob, outcome: str | None = None, page: int = 1) -> tuple[list[ImportRow], int]:
    rows = ImportRow.objects.filter(job=job).order_by("number")
    if outcome:
        rows = rows.filter(outcome=outcome)
    total = rows.count()
    start = (max(page, 1) - 1) * ROWS_PAGE
    return list(rows[start:start + ROWS_PAGE]), total


def row_message(row: ImportRow) -> str:
    """The row's reason in the user's language, from the one catalogue (HELP-1)."""
    if not row.reason or f"row.{row.reason}" not in _catalogue():
        return ""
    return UserFacingError(f"row.{row.reason}", **_params(row.detail)).message


def row_fixer(row: ImportRow) -> str:
    if not row.reason or f"row.{row.reason}" not in _catalogue():
        return ""
    return UserFacingError(f"row.{row.reason}", **_params(row.detail)).who_can_fix


def _params(detail: dict) -> dict:
    return {k: ("、".join(map(str, v)) if isinstance(v, list) else v) for k, v in detail.items()}


def _catalogue():
    from renrentong.core.errors import CATALOGUE

    return CATALOGUE


def slips_for_class(actor: Actor, class_id: int):
    """Account slips of a class (IMP-5): admins of the school or above, and the class's head teacher."""
    from renrentong.accounts.models import Account, HeadTeacher
    from renrentong.accounts.passwords import current_initial_password
    from renrentong.orgs.models import SchoolClass
    from renrentong.orgs.policy import policy_for_school

    from .slips import Slip

    identity = actor.require_identity()
    school_class = actor.scope.class_members(SchoolClass.objects.select_related("school", "cohort__stage")).filter(
        pk=class_id).first()
    if school_class is None:
        raise UserFacingError("scope.not_found")
    allowed = identity.kind in ("school_admin", "region_admin") or HeadTeacher.objects.filter(
        school_class=school_class, teacher=identity).exists()
    if not allowed:
        raise UserFacingError("slips.not_allowed")
    policy = policy_for_school(school_class.school)
    accounts = (Account.objects.filter(person__enrollments__school_class=school_class,
                                       person__enrollments__ended_on=None)
                .select_related("person").order_by("person__name", "number"))
    slips = []
    for account in accounts:
        password = current_initial_password(account, policy)
        slips.append(Slip(name=account.person.name, account=account.number,
                          password=password or "(已自行修改)", note="" if password else "密码已由本人修改"))
    return school_class, slips
