"""Reading the review (issue 14 item 4), always from what the actor may see: the records in the reviewer's
remit, the school's appointments, displays and objections; any other id is "not found" (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Cohort, School, SchoolClass

from renrentong.evaluation.models import (DisplayedRecord, DisplayObjection, PublicDisplay, RecordFile,
                                          ReviewerAppointment, ReviewSetting, WrittenRecord)
from renrentong.evaluation.review import access

REVIEW_PAGE = 50
State = WrittenRecord.State


def reviewable(actor: Actor) -> QuerySet[WrittenRecord]:
    """Submitted records in the actor's remit (never a draft: that is the student's own)."""
    remit = access.remit_of(actor)
    base = WrittenRecord.objects.select_related("item__dimension", "student", "decided_by__person")
    if remit.empty:
        return base.none()
    found = base.filter(school_id=remit.school_id).exclude(state=State.DRAFT)
    return found if remit.whole_school else found.filter(class_id__in=remit.class_ids)


def _reviewer_school(actor: Actor) -> int:
    remit = access.remit_of(actor)
    if remit.empty:
        raise UserFacingError("evaluation.review_not_allowed")
    return remit.school_id


@dataclass(frozen=True)
class QueueFilter:
    state: str | None = State.PENDING
    cohort_id: int | None = None
    class_id: int | None = None
    item_id: int | None = None

    def as_params(self) -> dict:
        return {"state": self.state or "", "grade": self.cohort_id, "class_id": self.class_id, "item_id": self.item_id}


def filtered(actor: Actor, wanted: QueueFilter) -> QuerySet[WrittenRecord]:
    _reviewer_school(actor)
    found = reviewable(actor)
    if wanted.state:
        found = found.filter(state=wanted.state)
    if wanted.cohort_id is not None:
        found = found.filter(class_id__in=SchoolClass.objects.filter(cohort_id=wanted.cohort_id).values("pk"))
    if wanted.class_id is not None:
        found = found.filter(class_id=wanted.class_id)
    if wanted.item_id is not None:
        found = found.filter(item_id=wanted.item_id)
    return found


def queue(actor: Actor, wanted: QueueFilter, before: int | None = None,
          limit: int | None = None) -> list[WrittenRecord]:
    """A keyset page of the queue, newest first (`before` an id): filtered by grade, class, item and state."""
    found = filtered(actor, wanted)
    if before is not None:
        found = found.filter(pk__lt=before)
    return list(found.order_by("-pk")[:limit or REVIEW_PAGE])


def record_for_review(actor: Actor, record_id: int) -> WrittenRecord:
    found = reviewable(actor).filter(pk=record_id).first()
    if found is None:
        raise UserFacingError("evaluation.record_not_found")
    return found


def file_of(actor: Actor, record_id: int, file_id: int):
    """A file of a record in the reviewer's remit; anything else is not found."""
    record = record_for_review(actor, record_id)
    attached = RecordFile.objects.filter(record=record, school_id=record.school_id, file_id=file_id).select_related(
        "file").first()
    if attached is None:
        raise UserFacingError("evaluation.record_not_found")
    return record, attached.file


def who_decided(record: WrittenRecord) -> str:
    account = record.decided_by
    if account is None:
        return ""
    return account.person.name if account.person else account.number


# Names of places --------------------------------------------------------------------------------------

def school_of(school_id: int) -> School:
    return School.objects.get(pk=school_id)


def classes_of_school(school_id: int, class_ids=None) -> list[SchoolClass]:
    found = SchoolClass.objects.filter(school_id=school_id).select_related("cohort__stage", "school")
    if class_ids is not None:
        found = found.filter(pk__in=class_ids)
    return list(found.order_by("cohort__enrollment_year", "number", "pk"))


def class_names(class_ids) -> dict[int, str]:
    found = SchoolClass.objects.filter(pk__in={c for c in class_ids if c}).select_related("cohort__stage", "school")
    return {c.pk: c.display_name() for c in found}


@dataclass(frozen=True)
class Choice:
    id: int
    label: str


def grade_choices(school_id: int, cohort_ids=None) -> list[Choice]:
    school = school_of(school_id)
    found = Cohort.objects.filter(classes__school_id=school_id).select_related("stage").distinct()
    if cohort_ids is not None:
        found = found.filter(pk__in=cohort_ids)
    return [Choice(c.pk, c.grade_name(school.school_year)) for c in found.order_by("-enrollment_year", "pk")]


def filter_choices(actor: Actor) -> tuple[list[Choice], list[Choice]]:
    """The grades and classes a reviewer filters by: those of their remit."""
    remit = access.remit_of(actor)
    if remit.empty:
        return [], []
    classes = classes_of_school(remit.school_id, None if remit.whole_school else remit.class_ids)
    grades = grade_choices(remit.school_id, {c.cohort_id for c in classes})
    return grades, [Choice(c.pk, c.display_name()) for c in classes]


# Appointments and the setting ------------------------------------------------------------------------

def setting_of(school_id: int) -> ReviewSetting:
    return ReviewSetting.objects.filter(school_id=school_id).first() or ReviewSetting(school_id=school_id)


def appointments(actor: Actor) -> list[ReviewerAppointment]:
    school_id = access.managed_school(actor)
    if school_id is None:
        raise UserFacingError("evaluation.not_school_admin")
    return list(ReviewerAppointment.objects.filter(school_id=school_id, ended_at__isnull=True)
                .select_related("teacher__account__person").order_by("pk"))


def teachers_of_school(actor: Actor) -> list[Identity]:
    school_id = access.managed_school(actor)
    if school_id is None:
        raise UserFacingError("evaluation.not_school_admin")
    return list(Identity.objects.filter(school_id=school_id, kind=Identity.Kind.TEACHER)
                .select_related("account__person").order_by("account__person__name", "pk"))


def teacher_name(identity: Identity) -> str:
    person = identity.account.person
    return person.name if person else identity.account.number


# Public display (公示) and objections -------------------------------------------------------------------

def displays_of_school(actor: Actor) -> QuerySet[PublicDisplay]:
    school_id = access.managed_school(actor)
    if school_id is None:
        raise UserFacingError("evaluation.not_school_admin")
    return PublicDisplay.objects.filter(school_id=school_id).order_by("-starts_on", "-pk")


def is_running(display: PublicDisplay, today=None) -> bool:
    today = today or timezone.localdate()
    return display.closed_at is None and display.starts_on <= today <= display.ends_on


def current_displays(actor: Actor, today=None) -> list[PublicDisplay]:
    """The displays running today at the actor's schools (students, parents, teachers, the admin)."""
    today = today or timezone.localdate()
    schools = access.display_schools(actor)
    return list(PublicDisplay.objects.filter(school_id__in=schools, closed_at__isnull=True, starts_on__lte=today,
                                             ends_on__gte=today).order_by("-starts_on", "-pk"))


def display_for(actor: Actor, display_id: int) -> PublicDisplay:
    """A display the actor may see: a running one of their school, or any of the school for its admin."""
    school_id = access.managed_school(actor)
    if school_id is not None:
        found = PublicDisplay.objects.filter(pk=display_id, school_id=school_id).first()
    else:
        found = next((d for d in current_displays(actor) if d.pk == display_id), None)
    if found is None:
        raise UserFacingError("evaluation.display_not_found")
    return found


def displayed_records(display: PublicDisplay) -> list[WrittenRecord]:
    """What a display shows: its records that are still approved (an upheld objection takes one off)."""
    ids = DisplayedRecord.objects.filter(display=display, school_id=display.school_id).values("record_id")
    return list(WrittenRecord.objects.filter(pk__in=ids, school_id=display.school_id, state=State.APPROVED)
                .select_related("item__dimension", "student").order_by("class_id", "student__name", "pk"))


def displayable(school_id: int, cohort_id: int | None) -> QuerySet[WrittenRecord]:
    """The approved material a new display takes: never health data."""
    found = WrittenRecord.objects.filter(school_id=school_id, state=State.APPROVED).exclude(
        item__dimension__code__in=access.HEALTH_DIMENSIONS)
    if cohort_id is not None:
        found = found.filter(class_id__in=SchoolClass.objects.filter(cohort_id=cohort_id).values("pk"))
    return found


def objections_of_school(actor: Actor, state: str | None = None) -> QuerySet[DisplayObjection]:
    school_id = access.managed_school(actor)
    if school_id is None:
        raise UserFacingError("evaluation.not_school_admin")
    # An objection stays with the school it was lodged at, but once its record has followed the student to a new
    # school (a transfer) the old school neither sees the record nor may fail it: only its own records count.
    found = DisplayObjection.objects.filter(school_id=school_id, record__school_id=school_id).select_related(
        "record__student", "record__item", "lodged_by__person", "resolved_by__person", "display")
    if state:
        found = found.filter(state=state)
    return found.order_by("-lodged_at", "-pk")


def objection_for(actor: Actor, objection_id: int) -> DisplayObjection:
    found = objections_of_school(actor).filter(pk=objection_id).first()
    if found is None:
        raise UserFacingError("evaluation.objection_not_found")
    return found


def my_objections(actor: Actor, display: PublicDisplay) -> dict[int, DisplayObjection]:
    """The actor's own objections to a display's records, so the page shows what they lodged."""
    return {o.record_id: o for o in DisplayObjection.objects.filter(
        display=display, school_id=display.school_id, lodged_by=actor.account)}


def person_name(account) -> str:
    if account is None:
        return ""
    return account.person.name if account.person else account.number


def open_objection_count(actor: Actor) -> int:
    school_id = access.managed_school(actor)
    if school_id is None:
        return 0
    return DisplayObjection.objects.filter(school_id=school_id, state=DisplayObjection.State.OPEN).count()


def pending_count(actor: Actor) -> int:
    """The menu's badge: records waiting in the actor's remit."""
    return reviewable(actor).filter(state=State.PENDING).count()

