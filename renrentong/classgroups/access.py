"""Who may do what in a class group (SPC-3). The one place in classgroups that compares identity kinds;
services, selectors, pages and templates ask these."""

from __future__ import annotations

from renrentong.accounts.models import Enrollment, Guardianship, HeadTeacher, Identity, TeachingAssignment
from renrentong.core.actor import Actor
from renrentong.classgroups.models import Role

ROLE_OF_KIND = {
    Identity.Kind.TEACHER: Role.TEACHER,
    Identity.Kind.STUDENT: Role.STUDENT,
    Identity.Kind.GUARDIAN: Role.PARENT,
}
# Why someone who asked to join is not let in, and who fixes it.
NOT_ELIGIBLE = {
    Role.TEACHER: "classgroups.not_teaching_class",
    Role.STUDENT: "classgroups.not_enrolled",
    Role.PARENT: "classgroups.not_guardian_of_class",
}


def role_of(actor: Actor) -> str | None:
    """The role the actor's identity holds in a class group: teacher, student or parent (others: none)."""
    if actor.identity is None:
        return None
    return ROLE_OF_KIND.get(actor.identity.kind)


def uses_class_groups(actor: Actor) -> bool:
    return role_of(actor) is not None


def is_teacher(actor: Actor) -> bool:
    return role_of(actor) == Role.TEACHER


def is_parent(actor: Actor) -> bool:
    return role_of(actor) == Role.PARENT


def is_head_teacher(actor: Actor, class_id: int) -> bool:
    return is_teacher(actor) and HeadTeacher.objects.filter(teacher_id=actor.identity.pk, school_class_id=class_id).exists()


def eligible(actor: Actor, class_id: int) -> bool:
    """What makes someone a member, checked on the platform's own records (never on the class code):
    a teacher teaching or heading the class, a student enrolled in it, a guardian of a child enrolled in it."""
    role = role_of(actor)
    if role == Role.TEACHER:
        return (TeachingAssignment.objects.filter(teacher_id=actor.identity.pk, school_class_id=class_id).exists()
                or HeadTeacher.objects.filter(teacher_id=actor.identity.pk, school_class_id=class_id).exists())
    person_id = actor.account.person_id
    if person_id is None:
        return False
    if role == Role.STUDENT:
        return Enrollment.objects.filter(person_id=person_id, school_class_id=class_id, ended_on__isnull=True).exists()
    if role == Role.PARENT:
        children = Guardianship.objects.filter(guardian_id=person_id).values("student_id")
        return Enrollment.objects.filter(person_id__in=children, school_class_id=class_id,
                                         ended_on__isnull=True).exists()
    return False


def not_eligible_error(actor: Actor) -> str:
    return NOT_ELIGIBLE.get(role_of(actor), "classgroups.join_not_for_you")


def parents_reply_publicly(setting_value: str) -> bool:
    return setting_value == "reply"


def parents_write_privately(setting_value: str) -> bool:
    return setting_value == "to_teacher"
