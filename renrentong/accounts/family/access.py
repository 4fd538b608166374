"""Who may link, decide and manage a child's parents (ACC-6, ACC-7)."""

from __future__ import annotations

from enum import StrEnum

from renrentong.accounts.models import Identity

STAFF_KINDS = (Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def acting_as_guardian(actor) -> bool:
    return actor.identity is not None and actor.identity.kind == Identity.Kind.GUARDIAN


def can_link_children(actor) -> bool:
    """Anyone but a student may link their children (a teacher linking their own gets the parent identity)."""
    return actor.identity is not None and actor.identity.kind != Identity.Kind.STUDENT


def can_manage_students_parents(actor) -> bool:
    """Head teachers, school admins and region admins see and correct a student's linked parents."""
    return actor.identity is not None and actor.identity.kind in STAFF_KINDS


def can_manage_parents_of(actor, enrollment, headed_class_ids) -> bool:
    """Whether the actor manages the parents of the student of this open enrollment: a school admin of its
    school, its class's head teacher, a region admin above."""
    identity = actor.identity
    if identity is None:
        return False
    if identity.kind == Identity.Kind.SCHOOL_ADMIN:
        return enrollment.school_id == identity.school_id
    if identity.kind == Identity.Kind.TEACHER:
        return enrollment.school_class_id in headed_class_ids
    if identity.kind == Identity.Kind.REGION_ADMIN:
        return enrollment.school.district_id in actor.scope.district_ids
    return False


class Decider(StrEnum):
    """As whom an actor decides a link request (ACC-6)."""

    GUARDIAN = "guardian"
    HEAD_TEACHER = "teacher"
    SCHOOL_ADMIN = "school_admin"


def decider_role(actor) -> str | None:
    """As whom the actor decides link requests: a parent, a head teacher, a school admin, or nobody."""
    identity = actor.identity
    if identity is None:
        return None
    return {Identity.Kind.GUARDIAN: Decider.GUARDIAN, Identity.Kind.TEACHER: Decider.HEAD_TEACHER,
            Identity.Kind.SCHOOL_ADMIN: Decider.SCHOOL_ADMIN}.get(identity.kind)
