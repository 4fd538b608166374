"""The verbs of the school's review (issue 14 item 4): decisions on submitted material (pass, pass in bulk,
fail with a reason the student and parents see), reviewers the school admin appoints, the school's setting
for class head teachers, audited file downloads, public display (公示) and objections. Each takes the Actor
first, checks, changes in one transaction and records the audit event; a refusal is a UserFacingError."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.accounts.models import Identity
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Cohort, SchoolClass
from renrentong.uploads import selectors as uploads

from renrentong.evaluation import selectors as material_selectors
from renrentong.evaluation import services as material
from renrentong.evaluation.models import (DisplayedRecord, DisplayObjection, PublicDisplay, ReviewerAppointment,
                                          ReviewSetting, WrittenRecord)
from renrentong.evaluation.review import access, selectors

State = WrittenRecord.State
REASON_LIMIT = 200
TITLE_LIMIT = 60
LONGEST_DISPLAY_DAYS = 60


def _reason(text: str, code: str) -> str:
    text = " ".join((text or "").split())
    if not text or len(text) > REASON_LIMIT:
        raise UserFacingError(code)
    return text


# Decisions ---------------------------------------------------------------------------------------------

def decide(actor: Actor, record_id: int, approve: bool, reason: str = "") -> WrittenRecord:
    """Pass a pending record, or fail it with a reason the student and parents see (with the way forward:
    file better material under the item, or nothing). One decision per row: a second reviewer is told who
    decided first, and nothing is overwritten."""
    if access.remit_of(actor).empty:
        # Another school's id is "not found" for anyone; one's own material is simply not one's to review.
        material_selectors.record_for(actor, record_id)
        raise UserFacingError("evaluation.review_not_allowed")
    record = selectors.record_for_review(actor, record_id)
    if not approve:
        reason = _reason(reason, "evaluation.reason_required")
    if record.state != State.PENDING:
        material._conflict(record.pk)
    now = timezone.now()
    with transaction.atomic():
        changed = material._transition(record, {State.PENDING}, state=State.APPROVED if approve else State.FAILED,
                                       decided_by=actor.account, decided_at=now, reason="" if approve else reason,
                                       updated_at=now)
        audit.record(actor, "evaluation.approve" if approve else "evaluation.fail", changed,
                     {"reason": changed.reason, "class_id": changed.class_id}, school_id=changed.school_id)
    return changed


@dataclass(frozen=True)
class DecisionOutcome:
    record_id: int
    decided: bool
    message: str = ""  # why not: who decided it first, or that it is not this reviewer's


def decide_many(actor: Actor, record_ids: list[int], approve: bool, reason: str = "") -> list[DecisionOutcome]:
    """Pass (or fail with one reason) several records at once: each is its own conditional update, so a
    record someone else decided meanwhile is reported with who did, and the others are still decided."""
    if access.remit_of(actor).empty:
        raise UserFacingError("evaluation.review_not_allowed")
    if not record_ids:
        raise UserFacingError("evaluation.nothing_chosen")
    if not approve:
        reason = _reason(reason, "evaluation.reason_required")
    outcomes = []
    for record_id in dict.fromkeys(record_ids):
        try:
            decide(actor, record_id, approve, reason)
        except UserFacingError as refusal:
            outcomes.append(DecisionOutcome(record_id, False, refusal.message))
        else:
            outcomes.append(DecisionOutcome(record_id, True))
    return outcomes


def open_file(actor: Actor, record_id: int, file_id: int) -> str:
    """A reviewer opens a file of a record in their remit: audited (who, which record, which file), then
    the signed link to the file."""
    record, stored = selectors.file_of(actor, record_id, file_id)
    with transaction.atomic():
        audit.record(actor, "evaluation.review_file", record, {"file_id": stored.pk, "file": stored.name},
                     school_id=record.school_id)
    return uploads.signed_url(actor, stored)


# Reviewers and the setting ----------------------------------------------------------------------------

def _school_admin_school(actor: Actor) -> int:
    school_id = access.managed_school(actor)
    if school_id is None:
        raise UserFacingError("evaluation.not_school_admin")
    return school_id


def set_head_teachers_review(actor: Actor, enabled: bool) -> ReviewSetting:
    """The school's setting: class head teachers review their own class's material (on or off)."""
    school_id = _school_admin_school(actor)
    with transaction.atomic():
        setting, _ = ReviewSetting.objects.update_or_create(
            school_id=school_id, defaults={"head_teachers_review": enabled, "set_by": actor.account,
                                           "updated_at": timezone.now()})
        audit.record(actor, "evaluation.review_setting", None, {"head_teachers_review": enabled},
                     school_id=school_id)
    return setting


@dataclass
class Remit:
    whole_school: bool = False
    class_ids: list[int] | None = None
    cohort_ids: list[int] | None = None


def _remit(school_id: int, remit: Remit) -> tuple[list[int], list[int]]:
    classes = sorted(set(remit.class_ids or []))
    cohorts = sorted(set(remit.cohort_ids or []))
    if remit.whole_school:
        return [], []
    if not classes and not cohorts:
        raise UserFacingError("evaluation.remit_empty")
    if SchoolClass.objects.filter(school_id=school_id, pk__in=classes).count() != len(classes):
        raise UserFacingError("evaluation.remit_not_in_school")
    found = Cohort.objects.filter(classes__school_id=school_id, pk__in=cohorts).distinct().count()
    if found != len(cohorts):
        raise UserFacingError("evaluation.remit_not_in_school")
    return classes, cohorts


def appoint(actor: Actor, teacher_id: int, remit: Remit) -> ReviewerAppointment:
    """The school admin appoints a teacher of the school (an identity id) to review the whole school or
    given classes and grades; appointing again replaces the remit."""
    school_id = _school_admin_school(actor)
    teacher = Identity.objects.filter(pk=teacher_id, school_id=school_id, kind=Identity.Kind.TEACHER).first()
    if teacher is None:
        raise UserFacingError("evaluation.reviewer_not_teacher")
    classes, cohorts = _remit(school_id, remit)
    fields = {"whole_school": remit.whole_school, "class_ids": classes, "cohort_ids": cohorts}
    try:
        with transaction.atomic():
            appointment, created = ReviewerAppointment.objects.select_for_update().get_or_create(
                school_id=school_id, teacher=teacher, ended_at__isnull=True,
                defaults={**fields, "appointed_by": actor.account})
            if not created:
                for name, value in fields.items():
                    setattr(appointment, name, value)
                appointment.appointed_by, appointment.appointed_at = actor.account, timezone.now()
                appointment.save()
            audit.record(actor, "evaluation.reviewer_appoint", appointment,
                         {"teacher": selectors.teacher_name(teacher), **fields}, school_id=school_id)
    except IntegrityError:
        # Two admins appointed the same teacher at once: the other's row stands; change it again.
        raise UserFacingError("evaluation.changed_meanwhile", who=selectors.teacher_name(teacher), state="") from None
    return appointment


def end_appointment(actor: Actor, appointment_id: int) -> ReviewerAppointment:
    school_id = _school_admin_school(actor)
    appointment = ReviewerAppointment.objects.filter(pk=appointment_id, school_id=school_id,
                                                     ended_at__isnull=True).select_related("teacher__account__person").first()
    if appointment is None:
        raise UserFacingError("evaluation.appointment_not_found")
    with transaction.atomic():
        ReviewerAppointment.objects.filter(pk=appointment.pk, ended_at__isnull=True).update(ended_at=timezone.now())
        audit.record(actor, "evaluation.reviewer_end", appointment,
                     {"teacher": selectors.teacher_name(appointment.teacher)}, school_id=school_id)
    appointment.refresh_from_db()
    return appointment


# Public display (公示) and objections -------------------------------------------------------------------

def open_display(actor: Actor, title: str, starts_on: date, ends_on: date, cohort_id: int | None = None,
                 today: date | None = None) -> PublicDisplay:
    """Show the school's approved material (the whole school or one grade; never health items) to its
    students, parents and teachers from starts_on to ends_on (inclusive)."""
    school_id = _school_admin_school(actor)
    today = today or timezone.localdate()
    title = material.one_line(title)
    if not title or len(title) > TITLE_LIMIT:
        raise UserFacingError("evaluation.display_title")
    if ends_on < starts_on or ends_on < today or (ends_on - starts_on) > timedelta(days=LONGEST_DISPLAY_DAYS):
        raise UserFacingError("evaluation.display_dates", days=LONGEST_DISPLAY_DAYS)
    if cohort_id is not None and not SchoolClass.objects.filter(school_id=school_id, cohort_id=cohort_id).exists():
        raise UserFacingError("evaluation.remit_not_in_school")
    shown = list(selectors.displayable(school_id, cohort_id).values_list("pk", flat=True))
    if not shown:
        raise UserFacingError("evaluation.display_nothing")
    with transaction.atomic():
        display = PublicDisplay.objects.create(school_id=school_id, cohort_id=cohort_id, title=title,
                                               starts_on=starts_on, ends_on=ends_on, opened_by=actor.account)
        DisplayedRecord.objects.bulk_create([DisplayedRecord(display=display, school_id=school_id, record_id=pk)
                                             for pk in shown], batch_size=1000)
        audit.record(actor, "evaluation.display_open", display, {
            "title": title, "starts_on": str(starts_on), "ends_on": str(ends_on), "grade": cohort_id,
            "records": len(shown)}, school_id=school_id)
    return display


def close_display(actor: Actor, display_id: int) -> PublicDisplay:
    """End a display early: nobody sees it any more; its objections stay to be resolved."""
    _school_admin_school(actor)
    display = selectors.display_for(actor, display_id)
    with transaction.atomic():
        if PublicDisplay.objects.filter(pk=display.pk, closed_at__isnull=True).update(closed_at=timezone.now()):
            audit.record(actor, "evaluation.display_close", display, {"title": display.title},
                         school_id=display.school_id)
    display.refresh_from_db()
    return display


def lodge_objection(actor: Actor, display_id: int, record_id: int, reason: str) -> tuple[DisplayObjection, bool]:
    """Anyone of the school objects to a displayed record during the display, with a reason. Returns
    (objection, created): the same person objecting again to the same record gets their open one back."""
    if not access.sees_displays(actor):
        raise UserFacingError("evaluation.display_not_found")
    display = selectors.display_for(actor, display_id)
    if not selectors.is_running(display):
        raise UserFacingError("evaluation.display_not_running", starts=display.starts_on, ends=display.ends_on)
    record = next((r for r in selectors.displayed_records(display) if r.pk == record_id), None)
    if record is None:
        raise UserFacingError("evaluation.record_not_found")
    reason = _reason(reason, "evaluation.objection_reason_required")
    with transaction.atomic():
        existing = DisplayObjection.objects.select_for_update().filter(
            display=display, record=record, lodged_by=actor.account, state=DisplayObjection.State.OPEN).first()
        if existing is not None:
            return existing, False
        objection = DisplayObjection.objects.create(school_id=display.school_id, display=display, record=record,
                                                    lodged_by=actor.account, lodged_as=actor.identity.kind,
                                                    reason=reason)
        audit.record(actor, "evaluation.objection", objection, {"record_id": record.pk, "display_id": display.pk,
                                                                "reason": reason}, school_id=display.school_id)
    return objection, True


def resolve_objection(actor: Actor, objection_id: int, uphold: bool, note: str) -> DisplayObjection:
    """The school admin upholds an objection (the record, if still approved, fails with the note as its
    reason, which the student and parents see) or dismisses it with a note. A second admin resolving the
    same objection is told who did first."""
    _school_admin_school(actor)
    objection = selectors.objection_for(actor, objection_id)
    note = _reason(note, "evaluation.objection_note_required")
    now = timezone.now()
    with transaction.atomic():
        state = DisplayObjection.State.UPHELD if uphold else DisplayObjection.State.DISMISSED
        if not DisplayObjection.objects.filter(pk=objection.pk, state=DisplayObjection.State.OPEN).update(
                state=state, resolved_by=actor.account, resolved_at=now, note=note):
            objection.refresh_from_db()
            raise UserFacingError("evaluation.objection_resolved", who=selectors.person_name(objection.resolved_by),
                                  state=objection.get_state_display())
        record = objection.record
        failed = False
        if uphold and record.state == State.APPROVED:
            material._transition(record, {State.APPROVED}, state=State.FAILED, decided_by=actor.account,
                                 decided_at=now, reason=note, reopened_by=None, reopened_at=None, updated_at=now)
            failed = True
        audit.record(actor, "evaluation.objection_uphold" if uphold else "evaluation.objection_dismiss", objection,
                     {"record_id": record.pk, "note": note, "record_failed": failed}, school_id=objection.school_id)
    objection.refresh_from_db()
    return objection
