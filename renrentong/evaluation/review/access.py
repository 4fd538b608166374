"""Who reviews which material, and who sees and objects to a public display (issue 14 item 4). The school
admin reviews the whole school; a teacher the admin appointed reviews their remit (the whole school, or
given classes and grades); a class head teacher reviews their own class when the school turned that on.
Services, selectors, pages, endpoints and templates ask these; nobody else compares identity kinds here."""

from __future__ import annotations

from dataclasses import dataclass

from renrentong.accounts.models import HeadTeacher, Identity
from renrentong.core.actor import Actor
from renrentong.orgs.models import SchoolClass

from renrentong.evaluation.access import is_school_admin
from renrentong.evaluation.models import ReviewerAppointment, ReviewSetting

DISPLAY_KINDS = (Identity.Kind.STUDENT, Identity.Kind.GUARDIAN, Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN)
# Health data (身心健康: fitness and PE scores, sports, mental health activities) is never displayed publicly.
HEALTH_DIMENSIONS = ("health",)


def _kind(actor: Actor | None) -> str | None:
    return actor.identity.kind if actor is not None and actor.identity is not None else None


def is_teacher(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.TEACHER


def manages_review(actor: Actor) -> bool:
    """The school admin appoints reviewers, sets the school's review setting, opens displays and resolves
    objections, for their own school."""
    return is_school_admin(actor)


def managed_school(actor: Actor) -> int | None:
    return actor.identity.school_id if manages_review(actor) else None


@dataclass(frozen=True)
class Remit:
    """The material an actor reviews: a whole school, or classes of it."""

    school_id: int | None
    whole_school: bool = False
    class_ids: frozenset[int] = frozenset()

    @property
    def empty(self) -> bool:
        return self.school_id is None or (not self.whole_school and not self.class_ids)

    def covers(self, school_id: int, class_id: int | None) -> bool:
        if self.empty or school_id != self.school_id:
            return False
        return self.whole_school or class_id in self.class_ids


NO_REMIT = Remit(None)


def head_teachers_review(school_id: int) -> bool:
    return ReviewSetting.objects.filter(school_id=school_id, head_teachers_review=True).exists()


def remit_of(actor: Actor) -> Remit:
    """What the actor reviews: the school admin their school; an appointed teacher the appointment's
    classes and grades (or the whole school); a head teacher their own classes if the school allows it."""
    if is_school_admin(actor):
        return Remit(actor.identity.school_id, whole_school=True)
    if not is_teacher(actor) or actor.identity.school_id is None:
        return NO_REMIT
    school_id = actor.identity.school_id
    classes: set[int] = set()
    appointment = ReviewerAppointment.objects.filter(school_id=school_id, teacher=actor.identity,
                                                     ended_at__isnull=True).first()
    if appointment is not None:
        if appointment.whole_school:
            return Remit(school_id, whole_school=True)
        classes.update(appointment.class_ids)
        if appointment.cohort_ids:
            classes.update(SchoolClass.objects.filter(school_id=school_id, cohort_id__in=appointment.cohort_ids)
                           .values_list("pk", flat=True))
    if head_teachers_review(school_id):
        classes.update(HeadTeacher.objects.filter(teacher=actor.identity, school_class__school_id=school_id)
                       .values_list("school_class_id", flat=True))
    return Remit(school_id, class_ids=frozenset(classes))


def reviews_anything(actor: Actor) -> bool:
    """Whether the review page is for the actor at all (the menu asks this)."""
    return not remit_of(actor).empty


def may_review(actor: Actor, record) -> bool:
    """The actor may decide this record and open its files: it is in their remit."""
    return remit_of(actor).covers(record.school_id, record.class_id)


def sees_displays(actor: Actor) -> bool:
    """Students, parents, teachers and the admin of a school see its displays and may object."""
    return _kind(actor) in DISPLAY_KINDS and bool(display_schools(actor))


def display_schools(actor: Actor) -> frozenset[int]:
    if _kind(actor) not in DISPLAY_KINDS:
        return frozenset()
    return actor.scope.school_ids


def is_health_item(item) -> bool:
    return item is not None and item.dimension.code in HEALTH_DIMENSIONS
