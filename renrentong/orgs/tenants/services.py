"""Schools as tenants (ORG-2) and their school system (ORG-6).

A district admin registers a school (its users can log in only then), sets its school system (学制
六三制 / 五四制) and the stages it runs. A school admin cannot change these: they send a request and
a region admin above the school approves or refuses it. Approval applies the change in the same
transaction; a change that would leave students in a grade the new system does not have is refused,
so the request stays open until the school has moved them (or the rollover has graduated them).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.approvals import Approval
from renrentong.core.errors import UserFacingError
from renrentong.core.text import normalize_text

from renrentong.orgs.selectors import school_in_scope
from renrentong.orgs.tenants import access
from renrentong.orgs.models import Cohort, Decision, Region, School, Stage, SystemChangeRequest

SCHOOL_CODE = re.compile(r"^[A-Z0-9]{4,16}$")
MAX_SCHOOL_NAME = 64
MAX_NOTE = 200


def _region_admin(actor: Actor) -> None:
    actor.require_identity()
    if not access.can_manage_tenants(actor):
        raise UserFacingError("tenant.not_allowed")


def _school_for_region_admin(actor: Actor, school_id: int, *, lock: bool = False) -> School:
    school = school_in_scope(actor, school_id, lock=lock)
    _region_admin(actor)
    return school


def _clean_levels(levels: list[str]) -> list[str]:
    unknown = [level for level in levels if level not in Stage.Level.values]
    if unknown:
        raise UserFacingError("structure.unknown_level", level=", ".join(unknown))
    if not levels:
        raise UserFacingError("tenant.no_level")
    return [level for level in School.LEVEL_ORDER if level in levels]


def _clean_system(system: str) -> str:
    if system not in Stage.System.values:
        raise UserFacingError("tenant.unknown_system", system=system)
    return system


def default_school_year(district: Region) -> int:
    """The school year most schools of the district are in; the calendar's when there are none
    (a school year starts in September: in July 2026 the 2025-2026 year is still running)."""
    years = list(School.objects.filter(district=district).values_list("school_year", flat=True))
    if years:
        return max(set(years), key=years.count)
    today = timezone.localdate()
    return today.year if today.month >= 9 else today.year - 1


@transaction.atomic
def register_school(actor: Actor, district_id: int, name: str, code: str, system: str, levels: list[str],
                    school_year: int | None = None) -> School:
    """Adds a school to the platform as a tenant (添加租户), in a district within the actor's region."""
    _region_admin(actor)
    district = actor.scope.regions(Region.objects.all()).filter(pk=district_id).first()
    if district is None:
        raise UserFacingError("scope.not_found")
    if district.kind != Region.Kind.DISTRICT:
        raise UserFacingError("tenant.not_a_district", region=district.name)
    name = " ".join(normalize_text(part) for part in (name or "").split())
    if not name or len(name) > MAX_SCHOOL_NAME:
        raise UserFacingError("tenant.name", limit=MAX_SCHOOL_NAME)
    code = normalize_text(code).upper()
    if not SCHOOL_CODE.match(code):
        raise UserFacingError("tenant.code")
    taken = School.objects.filter(code=code).select_related("district").first()
    if taken is not None:
        raise UserFacingError("tenant.code_taken", school_code=code, school=taken.name, district=taken.district.name)
    if School.objects.filter(district=district, name=name).exists():
        raise UserFacingError("tenant.name_taken", name=name, district=district.name)
    year = school_year if school_year is not None else default_school_year(district)
    if not 2000 <= year <= 2100:
        raise UserFacingError("tenant.school_year")
    school = School.objects.create(district=district, name=name, code=code, registered=True, school_year=year,
                                   system=_clean_system(system), levels=_clean_levels(levels))
    audit.record(actor, "tenant.register", school, {
        "name": name, "code": code, "district_id": district.pk, "system": school.system, "levels": school.levels,
        "school_year": year}, school_id=school.pk)
    return school


@transaction.atomic
def update_school(actor: Actor, school_id: int, *, registered: bool | None = None, system: str | None = None,
                  levels: list[str] | None = None) -> School:
    """Registration and school system in one change; what is None stays as it is."""
    school = _school_for_region_admin(actor, school_id, lock=True)
    if system is not None or levels is not None:
        set_system(actor, school_id, system or school.system,
                   levels if levels is not None else school.registered_levels())
    if registered is not None:
        set_registered(actor, school_id, registered)
    return School.objects.select_related("district").get(pk=school.pk)


@transaction.atomic
def set_registered(actor: Actor, school_id: int, registered: bool) -> School:
    """Registers a school that exists but is not a tenant yet, or suspends one (its users cannot log in)."""
    school = _school_for_region_admin(actor, school_id, lock=True)
    if school.registered != registered:
        school.registered = registered
        school.save(update_fields=["registered"])
        audit.record(actor, "tenant.register" if registered else "tenant.unregister", school,
                     {"registered": registered}, school_id=school.pk)
    return school


def _stranded(school: School, system: str, levels: list[str]) -> list[str]:
    """Grades that have classes but would not exist under the new system and stages, named as now."""
    names = []
    cohorts = Cohort.objects.filter(stage__campus__school=school, classes__isnull=False).select_related(
        "stage").distinct().order_by("stage__level", "-enrollment_year")
    for cohort in cohorts:
        if cohort.stage.level not in levels:
            # Even graduated classes keep their alumni's history: a stage that has any stays.
            names.append(f"{cohort.stage.get_level_display()} {cohort.grade_name(school.school_year)}")
            continue
        if cohort.is_graduated(school.school_year):
            continue  # already graduated: a new system does not bring them back
        after = Stage(level=cohort.stage.level, system=system)
        if school.school_year - cohort.enrollment_year >= after.years:
            names.append(f"{cohort.stage.get_level_display()} {cohort.grade_name(school.school_year)}")
    return names


def _apply_system(actor: Actor, school: School, system: str, levels: list[str], how: str) -> None:
    stranded = _stranded(school, system, levels)
    if stranded:
        raise UserFacingError("tenant.system_strands_grades", grades="、".join(stranded))
    old = {"system": school.system, "levels": school.registered_levels()}
    school.system = system
    school.levels = levels
    school.save(update_fields=["system", "levels"])
    # Stages of levels the school no longer runs have no classes left (checked above) and go with them.
    Stage.objects.filter(campus__school=school).exclude(level__in=levels).delete()
    # Senior stages have three grades either way; they carry the school's system all the same.
    Stage.objects.filter(campus__school=school).update(system=system)
    audit.record(actor, "tenant.system_set", school, {"old": old, "new": {"system": system, "levels": levels},
                                                      "how": how}, school_id=school.pk)


@transaction.atomic
def set_system(actor: Actor, school_id: int, system: str, levels: list[str]) -> School:
    """The region admin sets the school system and stages directly (用户管理 → 学校维护)."""
    school = _school_for_region_admin(actor, school_id, lock=True)
    system, levels = _clean_system(system), _clean_levels(levels)
    _apply_system(actor, school, system, levels, "direct")
    # A request that asked for exactly this is answered by it.
    for request in SystemChangeRequest.objects.filter(school=school, status=Decision.PENDING):
        if request.system == system and sorted(request.levels) == sorted(levels):
            _close(actor, request, Decision.APPROVED, "")
    return school


# --- Requests from school admins ------------------------------------------------------------------

@transaction.atomic
def request_system_change(actor: Actor, school_id: int, system: str, levels: list[str],
                          reason: str = "") -> SystemChangeRequest:
    actor.require_identity()
    school = school_in_scope(actor, school_id, lock=True)
    if access.can_manage_tenants(actor):
        raise UserFacingError("tenant.set_directly")
    if not access.can_request_system_change(actor):
        raise UserFacingError("tenant.request_not_allowed")
    system, levels = _clean_system(system), _clean_levels(levels)
    if system == school.system and levels == school.registered_levels():
        raise UserFacingError("tenant.system_unchanged")
    if SystemChangeRequest.objects.filter(school=school, status=Decision.PENDING).exists():
        raise UserFacingError("tenant.request_pending")
    reason = normalize_text(reason)[:MAX_NOTE] if reason.strip() else ""
    request = SystemChangeRequest.objects.create(school=school, system=system, levels=levels, reason=reason,
                                                 requested_by=actor.account)
    audit.record(actor, "tenant.system_request", request, {
        "old": {"system": school.system, "levels": school.registered_levels()},
        "new": {"system": system, "levels": levels}, "reason": reason}, school_id=school.pk)
    return request


def _close(actor: Actor, request: SystemChangeRequest, status: str, note: str) -> None:
    request.status = status
    request.decided_by = actor.account
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit.record(actor, f"tenant.system_request_{status}", request, {"note": note}, school_id=request.school_id)


# The shared approval shape (core/approvals.py) with the codes system changes have always answered.
SYSTEM_CHANGES = Approval(
    pending=Decision.PENDING, closed_code="tenant.request_closed", reason_code="tenant.refusal_needs_reason",
    not_yours_code="tenant.not_your_request", reason_max=None,
    clean_reason=lambda note: normalize_text(note)[:MAX_NOTE] if note.strip() else "", repeat_is_noop=False)


@transaction.atomic
def decide_system_change(actor: Actor, request_id: int, approve: bool, note: str = "") -> SystemChangeRequest:
    request = (SystemChangeRequest.objects.select_for_update()
               .filter(pk=request_id, school__in=actor.scope.schools(School.objects.all())).first())
    if request is None:
        raise UserFacingError("scope.not_found")
    _region_admin(actor)
    SYSTEM_CHANGES.open(request)
    note = SYSTEM_CHANGES.reason(note, required=not approve)
    if approve:
        school = School.objects.select_for_update().get(pk=request.school_id)
        _apply_system(actor, school, request.system, request.levels, f"request {request.pk}")
        _close(actor, request, Decision.APPROVED, note)
    else:
        _close(actor, request, Decision.REFUSED, note)
    return request


@transaction.atomic
def withdraw_system_change(actor: Actor, request_id: int) -> SystemChangeRequest:
    request = SystemChangeRequest.objects.select_for_update().filter(
        pk=request_id, school__in=actor.scope.schools(School.objects.all())).first()
    if request is None:
        raise UserFacingError("scope.not_found")
    SYSTEM_CHANGES.own(request.requested_by_id == actor.account.pk)
    SYSTEM_CHANGES.open(request)
    _close(actor, request, Decision.WITHDRAWN, "")
    return request


# --- Reads ----------------------------------------------------------------------------------------

def system_requests(actor: Actor, status: str | None = Decision.PENDING) -> list[SystemChangeRequest]:
    """Region admins: the requests of schools below them; school admins: their school's."""
    actor.require_identity()
    if not access.can_read_system_requests(actor):
        raise UserFacingError("tenant.request_not_allowed")
    qs = SystemChangeRequest.objects.filter(school__in=actor.scope.schools(School.objects.all()))
    if status:
        qs = qs.filter(status=status)
    return list(qs.select_related("school__district", "requested_by__person", "decided_by__person")
                .order_by("-requested_at", "-pk")[:200])
