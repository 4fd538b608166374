"""Who sees whose evaluation progress (EVA-4) and who reminds whom. The one place in progress that compares
identity kinds: region admins see the schools below them, a school admin the school, a class head teacher
the classes they head, a student their own progress and a parent each linked child's."""

from __future__ import annotations

from renrentong.accounts.models import HeadTeacher, Identity
from renrentong.core.actor import Actor


def _kind(actor: Actor | None) -> str | None:
    return actor.identity.kind if actor is not None and actor.identity is not None else None


def is_region_admin(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.REGION_ADMIN


def is_school_admin(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def headed_class_ids(actor: Actor) -> set[int]:
    """The classes a teacher heads (班主任); teaching a class alone shows no progress."""
    if _kind(actor) != Identity.Kind.TEACHER:
        return set()
    return set(HeadTeacher.objects.filter(teacher=actor.identity).values_list("school_class_id", flat=True))


def sees_own_progress(actor: Actor) -> bool:
    """Students their own, parents each linked child's: the block on the growth page."""
    return _kind(actor) in (Identity.Kind.STUDENT, Identity.Kind.GUARDIAN)


def sees_progress_page(actor: Actor) -> bool:
    """The console page: admins, and teachers who head a class."""
    return is_region_admin(actor) or is_school_admin(actor) or bool(headed_class_ids(actor))


def may_remind_class(actor: Actor, school_id: int, class_id: int) -> bool:
    """The school admin reminds any class of the school, a head teacher the classes they head."""
    if is_school_admin(actor):
        return actor.identity.school_id == school_id
    return class_id in headed_class_ids(actor)


def sees_student_names(actor: Actor) -> bool:
    """Region admins see per-school and per-class figures, the school and head teachers the students too."""
    return not is_region_admin(actor)
