"""Who may reset whose password (AUTH-5): the resetter's role, and a verdict per target account.

Services, pages and endpoints ask these; nothing else compares identity kinds for resets."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError

from renrentong.accounts.models import HeadTeacher, Identity

if TYPE_CHECKING:
    from renrentong.accounts.resets.services import Target
    from renrentong.core.actor import Actor


class Resetter(StrEnum):
    """As whom an actor resets passwords (AUTH-5): decided here from the identity, branched on by services."""

    HEAD_TEACHER = "head_teacher"
    SCHOOL_ADMIN = "school_admin"
    REGION_ADMIN = "region_admin"
    GUARDIAN = "guardian"


class ResetList(StrEnum):
    """Whose accounts the resets page lists (a filter of the page, not an identity kind)."""

    STUDENT = "student"
    TEACHER = "teacher"
    PARENT = "parent"
    ADMIN = "admin"


ROLE_OF_KIND = {
    Identity.Kind.SCHOOL_ADMIN: Resetter.SCHOOL_ADMIN,
    Identity.Kind.REGION_ADMIN: Resetter.REGION_ADMIN,
    Identity.Kind.GUARDIAN: Resetter.GUARDIAN,
}


REASON_ADMIN = ("该账号是与你同级或更高级别的管理员", "it is an admin at your level or above")


REASON_ELSEWHERE = ("该账号在你的管理范围之外还有其他身份", "it also holds an identity outside your scope")


@dataclass(frozen=True)
class Verdict:
    visible: bool  # some identity of the target is within the actor's scope
    allowed: bool  # every identity is within the actor's authority
    reason: tuple[str, str] = REASON_ELSEWHERE
    school_id: int | None = None  # the school the audit record concerns
    region_id: int | None = None


def resetter_role(actor: Actor) -> str:
    identity = actor.require_identity()
    if identity.kind == Identity.Kind.TEACHER:
        if not HeadTeacher.objects.filter(teacher=identity).exists():
            raise UserFacingError("reset.not_head_teacher")
        return Resetter.HEAD_TEACHER
    if identity.kind in ROLE_OF_KIND:
        return ROLE_OF_KIND[identity.kind]
    raise UserFacingError("reset.not_allowed")


def lists_only_a_pick(role: str, kind: str) -> bool:
    """Whether the list waits for a class or a search: a region's accounts, and a school's students and
    parents, run to thousands, and a list of arbitrary names helps nobody (and costs the page)."""
    if role == Resetter.REGION_ADMIN:
        return kind != ResetList.ADMIN
    return role == Resetter.SCHOOL_ADMIN and kind in (ResetList.STUDENT, ResetList.PARENT)


def may_open_resets(actor: Actor) -> bool:
    """Whether the resets page serves this actor (the menus offer it only then): admins and head teachers."""
    if actor.identity is None or resets_through_children_page(actor):
        return False
    try:
        resetter_role(actor)
    except UserFacingError:
        return False
    return True


def headed_classes(actor: Actor) -> set[int]:
    return set(HeadTeacher.objects.filter(teacher=actor.identity).values_list("school_class_id", flat=True))


def judge(actor: Actor, role: str, target: Target, headed: set[int] | None = None) -> Verdict:
    """May this actor reset this account? `headed` spares a query per target in a batch."""
    identity = actor.identity
    if role == "head_teacher":
        headed = headed_classes(actor) if headed is None else headed
        visible = target.enrollment is not None and target.enrollment.school_class_id in headed
        only_student = target.kinds == {Identity.Kind.STUDENT}
        return Verdict(visible, visible and only_student, school_id=target.enrollment.school_id if visible else None)
    if role == "school_admin":
        return _judge_by_place(target, lambda school: school is not None and school.pk == identity.school_id,
                               lambda region: False, identity.school_id)
    scope = actor.scope

    def in_district(school) -> bool:
        return school is not None and school.district_id in scope.district_ids

    def region_below(region) -> bool:
        return region is not None and region.pk in scope.region_ids and region.pk != identity.region_id

    verdict = _judge_by_place(target, in_district, region_below, None)
    if not verdict.visible and any(i.kind == Identity.Kind.REGION_ADMIN and i.region_id in scope.region_ids
                                   for i in target.identities):
        # An admin of the actor's own region: a peer, seen but not theirs to reset.
        return Verdict(True, False, REASON_ADMIN)
    return verdict


def _judge_by_place(target: Target, school_ok, region_ok, own_school_id: int | None) -> Verdict:
    inside: list[bool] = []
    admin_refused = False
    school_id = None
    region_id = None
    for identity in target.identities:
        if identity.kind == Identity.Kind.STUDENT:
            school = target.student_school
            ok = school_ok(school)
            school_id = school_id or (school.pk if ok else None)
        elif identity.kind in (Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN):
            ok = school_ok(identity.school)
            if ok and identity.kind == Identity.Kind.SCHOOL_ADMIN and own_school_id is not None:
                # A school admin sees a fellow admin of the school but may not reset them.
                inside.append(True)
                admin_refused = True
                continue
            school_id = school_id or (identity.school_id if ok else None)
        elif identity.kind == Identity.Kind.GUARDIAN:
            schools = [e.school for e in target.ward_enrollments if school_ok(e.school)]
            ok = bool(schools)
            if ok and school_id is None:
                school_id = own_school_id or min(s.pk for s in schools)
        else:
            ok = region_ok(identity.region)
            if not ok and own_school_id is not None:
                admin_refused = True
            region_id = region_id or (identity.region_id if ok else None)
        inside.append(ok)
    visible = any(inside)
    if admin_refused and visible:
        return Verdict(True, False, REASON_ADMIN)
    return Verdict(visible, visible and all(inside), school_id=school_id, region_id=region_id)


def resets_through_children_page(actor) -> bool:
    """A parent resets a child's password by choosing it on the children page, not by the resets page."""
    return actor.identity is not None and actor.identity.kind == Identity.Kind.GUARDIAN


def can_reset(actor, target) -> bool:
    """May this actor reset the password of this target account (a Target of resets.services.load_targets)?"""
    try:
        role = resetter_role(actor)
    except UserFacingError:
        return False
    if role == "guardian":
        return False
    return judge(actor, role, target).allowed


def student_school(target):
    if target.enrollment is not None:
        return target.enrollment.school
    student = next((i for i in target.identities if i.kind == Identity.Kind.STUDENT), None)
    return student.school if student else None


def kind_label(target) -> str:
    """Which initial-password rule applies to the target: a student's, a teacher's (staff) or a parent's."""
    if Identity.Kind.STUDENT in target.kinds:
        return "student"
    if target.kinds & {Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN}:
        return "teacher"
    return "parent"


def lists_parents(kind_label_of_target: str) -> bool:
    """The resets list links a student's row to the student's linked parents."""
    return kind_label_of_target == "student"


def is_head_teacher_role(role: str) -> bool:
    """A head teacher resets their class's students to the default password only."""
    return role == "head_teacher"


def is_region_admin_role(role: str) -> bool:
    """A region admin also resets admins below and searches before anything is listed."""
    return role == "region_admin"


def reset_lists(role: str) -> list[tuple[str, str]]:
    """The lists the resets page offers this resetter: admins below them only for a region admin."""
    lists = [(ResetList.STUDENT, _("Students")), (ResetList.TEACHER, _("Teachers")), (ResetList.PARENT, _("Parents"))]
    if role == Resetter.REGION_ADMIN:
        lists.append((ResetList.ADMIN, _("Admins below you")))
    return lists
