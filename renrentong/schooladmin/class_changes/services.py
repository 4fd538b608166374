"""Class-change requests (调班申请, issue 10): services and selectors.

A student asks to move to another class of their own grade and school; the request waits for the
school admin. Approval moves the enrollment exactly as the admin's batch class change does
(users.change_class: the open enrollment ends, one starts in the new class, audited), in the same
transaction as the decision; a refusal carries a reason the student sees. The head teachers of the
class the student leaves and of the one they ask for can follow the request but not decide it.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet

from renrentong.accounts.models import Account, HeadTeacher, Identity
from renrentong.accounts.selectors import current_enrollment
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.approvals import Approval
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import SchoolClass

from renrentong.schooladmin.users import services as users
from renrentong.schooladmin.class_changes import access
from renrentong.schooladmin.models import ClassChangeRequest

Status = ClassChangeRequest.Status
REASON_LIMIT = 200


def _clean_text(value: str | None) -> str:
    return " ".join((value or "").split())


def _student(actor: Actor) -> tuple[Identity, SchoolClass]:
    """The asking student and their current class at their school."""
    identity = actor.require_identity()
    if not access.can_ask(actor):
        raise UserFacingError("class_change.students_only")
    enrollment = current_enrollment(actor.account.person_id)
    if enrollment is None or enrollment.school_id != identity.school_id or enrollment.school_class_id is None:
        raise UserFacingError("class_change.not_in_a_class")
    return identity, enrollment.school_class


def class_choices(actor: Actor) -> list[SchoolClass]:
    """The classes a student may ask for: the other current administrative classes of their grade."""
    identity, current = _student(actor)
    return [c for c in users.school_classes(identity.school)
            if c.cohort_id == current.cohort_id and c.pk != current.pk]


def choices_and_obstacle(actor: Actor) -> tuple[list[SchoolClass], UserFacingError | None]:
    """The classes to offer, or none and why (not in a class): the page still lists past requests."""
    try:
        return class_choices(actor), None
    except UserFacingError as obstacle:
        return [], obstacle


def requests_in_scope(actor: Actor) -> QuerySet[ClassChangeRequest]:
    """A student's own; a school admin's school's; a head teacher's classes' (from or to); nothing else."""
    identity = actor.require_identity()
    qs = ClassChangeRequest.objects.select_related(
        "student__person", "school", "from_class__cohort__stage", "from_class__school", "to_class__cohort__stage",
        "to_class__school")
    if access.can_ask(actor):
        return qs.filter(student=actor.account, school_id=identity.school_id)
    if access.can_decide(actor):
        return qs.filter(school_id=identity.school_id)
    if access.is_teacher(actor):
        headed = HeadTeacher.objects.filter(teacher=identity).values("school_class_id")
        return qs.filter(school_id=identity.school_id).filter(Q(from_class_id__in=headed) | Q(to_class_id__in=headed))
    return qs.none()


def request_in_scope(actor: Actor, request_id: int) -> ClassChangeRequest:
    found = requests_in_scope(actor).filter(pk=request_id).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def queue(actor: Actor) -> dict[str, list[ClassChangeRequest]]:
    """What the school admin decides (pending) and what was decided lately; a head teacher sees the same
    for their classes, read only."""
    actor.require_identity()
    if not access.sees_queue(actor):
        raise UserFacingError("class_change.not_allowed")
    found = requests_in_scope(actor).order_by("-created_at", "-pk")
    return {"pending": list(found.filter(status=Status.PENDING)),
            "decided": list(found.exclude(status=Status.PENDING)[:50])}


def pending_count(actor: Actor) -> int:
    if not access.sees_queue(actor):
        return 0
    return requests_in_scope(actor).filter(status=Status.PENDING).count()


@transaction.atomic
def request_change(actor: Actor, to_class_id: int, reason: str = "") -> ClassChangeRequest:
    """The student asks; one pending request at a time."""
    identity, current = _student(actor)
    if actor.account.status != Account.Status.ACTIVE:
        raise UserFacingError("class_change.account_not_active", state=str(actor.account.get_status_display()))
    reason = _clean_text(reason)
    if len(reason) > REASON_LIMIT:
        raise UserFacingError("class_change.reason_too_long", limit=REASON_LIMIT)
    school = identity.school
    target = SchoolClass.objects.filter(pk=to_class_id, school=school).select_related("cohort__stage",
                                                                                     "school").first()
    if target is None:
        raise UserFacingError("class_change.class_not_found")
    if target.pk == current.pk:
        raise UserFacingError("class_change.same_class", school_class=current.display_name(school.school_year))
    if target not in class_choices(actor):
        raise UserFacingError("class_change.other_grade", school_class=target.display_name(school.school_year),
                              current=current.display_name(school.school_year))
    # Locking the student's account row serialises two requests sent at once.
    Account.objects.select_for_update().filter(pk=actor.account.pk).first()
    if ClassChangeRequest.objects.filter(student=actor.account, status=Status.PENDING).exists():
        raise UserFacingError("class_change.already_pending")
    request = ClassChangeRequest.objects.create(school=school, student=actor.account, from_class=current,
                                                to_class=target, reason=reason)
    audit.record(actor, "class_change.request", actor.account,
                 {"request_id": request.pk, "from_class_id": current.pk, "to_class_id": target.pk},
                 school_id=school.pk)
    return request


def _locked(actor: Actor, request_id: int) -> ClassChangeRequest:
    request_in_scope(actor, request_id)  # out of scope is not found, before anything is locked
    return ClassChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "student__person", "to_class__cohort__stage", "to_class__school").get(pk=request_id)


def _decider(actor: Actor) -> Identity:
    identity = actor.require_identity()
    if not access.can_decide(actor):
        raise UserFacingError("class_change.decide_not_allowed")
    return identity


# The shared approval shape (core/approvals.py) with the codes class changes have always answered; a
# student sees only their own requests, so scope alone keeps others' out of withdraw.
FLOW = Approval(pending=Status.PENDING, closed_code="class_change.closed", reason_code="class_change.note_required",
                reason_max=REASON_LIMIT, clean_reason=_clean_text, reason_params=(("limit", REASON_LIMIT),))


@transaction.atomic
def approve(actor: Actor, request_id: int) -> ClassChangeRequest:
    """The school admin approves: the student moves now, as by 批量调班. Approving twice changes nothing."""
    identity = _decider(actor)
    request = _locked(actor, request_id)
    if FLOW.open(request, to=Status.APPROVED):
        return request
    users.change_class(actor, [request.student_id], request.to_class_id)
    FLOW.close(request, Status.APPROVED, actor)
    audit.record(actor, "class_change.approve", request.student,
                 {"request_id": request.pk, "from_class_id": request.from_class_id,
                  "to_class_id": request.to_class_id}, school_id=identity.school_id)
    return request


@transaction.atomic
def refuse(actor: Actor, request_id: int, note: str) -> ClassChangeRequest:
    """The school admin says no, with a reason the student sees."""
    identity = _decider(actor)
    request = _locked(actor, request_id)
    if FLOW.open(request, to=Status.REFUSED):
        return request
    note = FLOW.reason(note)
    FLOW.close(request, Status.REFUSED, actor, decision_note=note)
    audit.record(actor, "class_change.refuse", request.student, {"request_id": request.pk, "note": note},
                 school_id=identity.school_id)
    return request


@transaction.atomic
def withdraw(actor: Actor, request_id: int) -> ClassChangeRequest:
    """The student takes back their own pending request."""
    actor.require_identity()
    if not access.can_ask(actor):
        raise UserFacingError("class_change.students_only")
    request = _locked(actor, request_id)
    if FLOW.open(request, to=Status.WITHDRAWN):
        return request
    FLOW.close(request, Status.WITHDRAWN, actor)
    audit.record(actor, "class_change.withdraw", actor.account, {"request_id": request.pk},
                 school_id=request.school_id)
    return request
