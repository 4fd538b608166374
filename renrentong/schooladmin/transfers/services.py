"""Transfers between schools (ADM-5): services and selectors.

A student or teacher asks to move to another school. A student's request needs the new school's
approval and, unless the old school's policy says `student_transfer_approval = "target"`, the old
school's too (Sichuan needs both, Jiangxi the new one only); a teacher's needs the new school's. A
school admin must first lose that role (district admin). Roster imports raise requests too (IMP-3c):
there the new school has spoken by importing, so only the old one is asked.

The last approval moves the person in the same transaction: the open enrollment ends and one starts
in the target class (history stays rows), the student or teacher identity moves to the new school,
the account's home school follows, pending key-information requests go to the new school, and
the rows later features keep per school for a student move through `accounts.following` (evaluation
material, scores, reviews), and `person_transferred` lets others react. Records that hang on the Person
alone (guardianships, history) need no moving: they follow by construction.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q, QuerySet
from django.dispatch import Signal
from django.utils import timezone

from renrentong.accounts import following
from renrentong.accounts.models import Account, Enrollment, HeadTeacher, Identity, Person, TeachingAssignment
from renrentong.accounts.selectors import current_enrollment
from renrentong.accounts.selectors import contact_for
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.approvals import Approval
from renrentong.core.errors import UserFacingError
from renrentong.core.text import normalize_text
from renrentong.orgs.models import School, SchoolClass
from renrentong.orgs.policy import policy_for_school

from renrentong.keyinfo.services import move_pending_changes
from renrentong.schooladmin.models import TransferRequest
from renrentong.schooladmin.transfers import access

# Sent inside the approving transaction once a person has moved; receivers move what they keep per
# school. kwargs: request, person, from_school, to_school, on (the date). A receiver that raises
# rolls the whole transfer back, so nothing is ever half moved (NFR-3).
person_transferred = Signal()

Status = TransferRequest.Status
ADMIN = Identity.Kind.SCHOOL_ADMIN


def _person_of(actor: Actor) -> Person:
    person = actor.account.person
    if person is None:
        raise UserFacingError("transfer.not_allowed")
    return person


def _admin_school_of(account: Account, school_id: int) -> Identity | None:
    return account.identities.filter(kind=ADMIN, school_id=school_id).select_related("school").first()


# Reads ----------------------------------------------------------------------------------------------------

def target_schools(query: str, limit: int = 20) -> list[School]:
    """Registered schools whose name or code contains `query`: where a person may ask to go."""
    query = normalize_text(query)[:64]  # also drops control characters: PostgreSQL refuses a NUL
    if not query:
        return []
    return list(School.objects.filter(registered=True).filter(Q(name__icontains=query) | Q(code__iexact=query))
                .select_related("district").order_by("name")[:limit])


def target_classes(school: School) -> list[SchoolClass]:
    """The current administrative classes of a school, which a transferred student may join."""
    classes = SchoolClass.objects.filter(school=school, kind=SchoolClass.Kind.ADMINISTRATIVE).select_related(
        "cohort__stage", "school").order_by("cohort__stage__level", "-cohort__enrollment_year", "number")
    return [c for c in classes if not c.cohort.is_graduated(school.school_year)]


def transfers_in_scope(actor: Actor) -> QuerySet[TransferRequest]:
    """Requests the actor may see: an admin's schools' in and out; a person's own; a parent's children's."""
    actor.require_identity()
    scope = actor.scope
    qs = TransferRequest.objects.select_related("person", "from_school", "to_school", "to_class__cohort__stage",
                                                "to_class__school")
    if scope.kind == "school":
        return qs.filter(Q(from_school_id__in=scope.school_ids) | Q(to_school_id__in=scope.school_ids))
    if scope.kind == "region":
        return qs.filter(Q(from_school__district_id__in=scope.district_ids)
                         | Q(to_school__district_id__in=scope.district_ids))
    if access.follows_children(actor):
        return qs.filter(person_id__in=scope.person_ids)
    return qs.filter(person_id=actor.account.person_id) if actor.account.person_id else qs.none()


def transfer_in_scope(actor: Actor, request_id: int) -> TransferRequest:
    found = transfers_in_scope(actor).filter(pk=request_id).first()
    if found is None:
        raise UserFacingError("scope.not_found")
    return found


def waiting_for(request: TransferRequest) -> list[str]:
    """Which sides still have to approve a pending request: "source", "target"."""
    if request.status != Status.PENDING:
        return []
    return [side for side, done in (("source", request.source_approved), ("target", request.target_approved))
            if not done]


def waiting_count(actor: Actor) -> int:
    """How many pending requests wait for this school admin's side (the menu's badge): one query."""
    if not access.can_decide(actor):
        return 0
    school_id = actor.identity.school_id
    # Pending requests only (a handful), without the decided history the queue page also loads.
    pending = transfers_in_scope(actor).filter(status=Status.PENDING)
    return sum(1 for r in pending
               if (r.to_school_id == school_id and "target" in waiting_for(r))
               or (r.from_school_id == school_id and "source" in waiting_for(r)))


def queue(actor: Actor) -> dict[str, list[TransferRequest]]:
    """A school admin's queues: requests waiting for this school, and its other pending and recent ones."""
    identity = actor.require_identity()
    if not access.can_decide(actor):
        raise UserFacingError("transfer.approve_not_allowed")
    school_id = identity.school_id
    mine = transfers_in_scope(actor).order_by("-created_at", "-pk")
    pending = list(mine.filter(status=Status.PENDING))
    incoming = [r for r in pending if r.to_school_id == school_id and "target" in waiting_for(r)]
    outgoing = [r for r in pending if r.from_school_id == school_id and "source" in waiting_for(r)]
    waiting_ids = {r.pk for r in incoming + outgoing}
    return {
        "incoming": incoming,
        "outgoing": outgoing,
        "elsewhere": [r for r in pending if r.pk not in waiting_ids],
        "decided": list(mine.exclude(status=Status.PENDING)[:50]),
    }


# The decided table's filters and orders (?status=, ?sort=): by decision or by request, newest first.
DECIDED_STATUSES = [(v, label) for v, label in Status.choices if v != Status.PENDING]
DECIDED_SORTS = {"decided": ("decided_at", "pk"), "created": ("created_at", "pk")}


def decided_transfers(actor: Actor, *, status: str = "", sort: str = "-decided") -> QuerySet[TransferRequest]:
    """A school admin's decided requests (approved, refused, withdrawn), filtered and ordered, not yet paged."""
    actor.require_identity()
    if not access.can_decide(actor):
        raise UserFacingError("transfer.approve_not_allowed")
    found = transfers_in_scope(actor).exclude(status=Status.PENDING)
    if status in dict(DECIDED_STATUSES):
        found = found.filter(status=status)
    key = sort.removeprefix("-")
    order = DECIDED_SORTS.get(key, DECIDED_SORTS["decided"])
    if sort.startswith("-") or key not in DECIDED_SORTS:
        order = tuple("-" + f for f in order)
    return found.select_related("person", "from_school", "to_school").order_by(*order)


def record_export(actor: Actor, *, rows: int, filters: dict) -> None:
    """An export of the decided transfers is audited like every other export."""
    identity = actor.require_identity()
    with transaction.atomic():
        audit.record(actor, "transfer.export", None, {**{k: v for k, v in filters.items() if v}, "rows": rows},
                     school_id=identity.school_id)


def own_transfers(actor: Actor, limit: int = 10) -> list[TransferRequest]:
    """What the home page shows a student, teacher or parent: their (children's) recent requests."""
    if not access.follows_own(actor):
        return []
    return list(transfers_in_scope(actor).order_by("-created_at", "-pk")[:limit])


# Verbs ----------------------------------------------------------------------------------------------------

@transaction.atomic
def request_transfer(actor: Actor, to_school_id: int, to_class_id: int | None = None) -> TransferRequest:
    """A student or teacher asks to move to another school (ADM-5: only they may start it)."""
    identity = actor.require_identity()
    if not access.can_request(actor):
        raise UserFacingError("transfer.not_allowed")
    person = _person_of(actor)
    Person.objects.select_for_update().filter(pk=person.pk).first()  # one request at a time per person
    as_student = access.moves_as_student(actor)
    if as_student:
        enrollment = current_enrollment(person.pk)
        if enrollment is None:
            raise UserFacingError("transfer.not_enrolled", contact=contact_for(actor.account))
        from_school, kind = enrollment.school, TransferRequest.Kind.STUDENT
    else:
        from_school, kind = identity.school, TransferRequest.Kind.TEACHER
        admin = _admin_school_of(actor.account, from_school.pk)
        if admin is not None:
            raise UserFacingError("transfer.admin_must_resign", school=from_school.name,
                                  contact=contact_for(actor.account))
    to_school = School.objects.filter(pk=to_school_id, registered=True).first()
    if to_school is None:
        raise UserFacingError("transfer.unknown_school")
    if to_school.pk == from_school.pk:
        raise UserFacingError("transfer.same_school", school=to_school.name)
    pending = TransferRequest.objects.filter(person=person, status=Status.PENDING).select_related("to_school").first()
    if pending is not None:
        raise UserFacingError("transfer.already_pending", school=pending.to_school.name)
    to_class = _class_of(to_school, to_class_id) if to_class_id and as_student else None
    needs_source = (as_student
                    and policy_for_school(from_school).student_transfer_approval != "target")
    request = TransferRequest.objects.create(
        person=person, kind=kind, from_school=from_school, to_school=to_school, to_class=to_class, source="self",
        requested_by=actor.account, needs_source_approval=needs_source,
    )
    audit.record(actor, "transfer.request", request, {"from_school": from_school.pk, "to_school": to_school.pk,
                                                      "kind": kind, "needs_source_approval": needs_source},
                 school_id=from_school.pk)
    return request


def _class_of(school: School, class_id: int | None) -> SchoolClass:
    found = next((c for c in target_classes(school) if c.pk == class_id), None)
    if found is None:
        raise UserFacingError("transfer.unknown_class", school=school.name)
    return found


def _locked(actor: Actor, request_id: int) -> TransferRequest:
    """The request, locked for this transaction, if the actor may see it (else 404)."""
    transfer_in_scope(actor, request_id)
    return TransferRequest.objects.select_for_update(of=("self",)).select_related(
        "person", "from_school", "to_school", "to_class").get(pk=request_id)


# The shared approval shape (core/approvals.py) with the codes transfers have always answered.
FLOW = Approval(pending=Status.PENDING, closed_code="transfer.not_pending", reason_code="transfer.reason_required",
                not_yours_code="transfer.not_yours", describe_state=lambda r: str(r.get_status_display()).lower())


@transaction.atomic
def approve(actor: Actor, request_id: int, class_id: int | None = None) -> TransferRequest:
    """This school's approval; the last one needed moves the person. Approving again changes nothing."""
    identity = actor.require_identity()
    if not access.can_decide(actor):
        raise UserFacingError("transfer.approve_not_allowed")
    request = _locked(actor, request_id)
    if FLOW.open(request, to=Status.APPROVED):
        return request
    school_id, now, sides = identity.school_id, timezone.now(), []
    if request.to_school_id == school_id:
        if request.moves_student and class_id and class_id != request.to_class_id:
            request.to_class = _class_of(request.to_school, class_id)
            sides.append("class")
        if not request.target_approved:
            if request.moves_student and request.to_class_id is None:
                raise UserFacingError("transfer.class_required")
            request.target_approved_at, request.target_approved_by = now, actor.account
            sides.append("target")
    if request.from_school_id == school_id and not request.source_approved:
        request.source_approved_at, request.source_approved_by = now, actor.account
        sides.append("source")
    if not sides:
        return request  # this school has already said yes; the other one is still to decide
    request.save()
    audit.record(actor, "transfer.approve", request, {"sides": sides, "class": request.to_class_id},
                 school_id=school_id)
    if request.source_approved and request.target_approved:
        _complete(actor, request)
    return request


def _complete(actor: Actor, request: TransferRequest) -> None:
    person, from_school, to_school = request.person, request.from_school, request.to_school
    account = Account.objects.select_for_update().filter(person=person).first()
    if account is not None:
        admin = _admin_school_of(account, from_school.pk)
        if admin is not None:
            raise UserFacingError("transfer.admin_must_resign", school=from_school.name)
    today = timezone.localdate()
    details: dict = {"from_school": from_school.pk, "to_school": to_school.pk, "kind": request.kind}
    if request.moves_student:
        if request.to_class_id is None:
            raise UserFacingError("transfer.class_required")
        enrollment = Enrollment.objects.select_for_update().filter(person=person, ended_on__isnull=True).first()
        if enrollment is None or enrollment.school_id != from_school.pk:
            raise UserFacingError("transfer.stale", name=person.name, school=from_school.name)
        enrollment.ended_on, enrollment.reason = today, "transfer_out"
        enrollment.save(update_fields=["ended_on", "reason"])
        started = Enrollment.objects.create(person=person, school_class_id=request.to_class_id, school=to_school,
                                            started_on=today, reason="transfer_in")
        details.update(enrollment_ended=enrollment.pk, enrollment_started=started.pk, to_class=request.to_class_id)
        # Material, scores and reviews the student has at the old school follow them (accounts.following).
        moved = following.students_moved([following.StudentMove(person.pk, to_school.pk, request.to_class_id)])
        details.update({f"moved_{name}": n for name, n in moved.items() if n})
        identity_kind = Identity.Kind.STUDENT
    else:
        identity_kind = Identity.Kind.TEACHER
        if account is not None:
            old = account.identities.filter(kind=identity_kind, school=from_school).first()
            if old is not None:
                # Classes taught and headed belong to the old school; what they were stays in the audit log.
                details["teaching_removed"] = list(TeachingAssignment.objects.filter(teacher=old).values_list(
                    "school_class__code", "subject"))
                details["head_of_removed"] = list(HeadTeacher.objects.filter(teacher=old).values_list(
                    "school_class__code", flat=True))
                TeachingAssignment.objects.filter(teacher=old).delete()
                HeadTeacher.objects.filter(teacher=old).delete()
    if account is not None:
        moving = account.identities.filter(kind=identity_kind, school=from_school)
        if account.identities.filter(kind=identity_kind, school=to_school).exists():
            moving.delete()
        else:
            details["identities_moved"] = moving.update(school=to_school)
        if account.home_school_id in (from_school.pk, None):
            account.home_school = to_school
            account.save(update_fields=["home_school"])
    details["key_info_requests_moved"] = move_pending_changes(person, to_school)
    others = TransferRequest.objects.filter(person=person, status=Status.PENDING).exclude(pk=request.pk)
    details["other_requests_withdrawn"] = list(others.values_list("pk", flat=True))
    others.update(status=Status.WITHDRAWN, decided_at=timezone.now(), reason="superseded")
    FLOW.close(request, Status.APPROVED, actor)
    person_transferred.send(sender=TransferRequest, request=request, person=person, from_school=from_school,
                            to_school=to_school, on=today)
    audit.record(actor, "transfer.complete", request, details, school_id=to_school.pk)


@transaction.atomic
def refuse(actor: Actor, request_id: int, reason: str) -> TransferRequest:
    """Either school says no, with a reason the person sees. Refusing again changes nothing."""
    identity = actor.require_identity()
    if not access.can_decide(actor):
        raise UserFacingError("transfer.approve_not_allowed")
    request = _locked(actor, request_id)
    if FLOW.open(request, to=Status.REFUSED):
        return request
    reason = FLOW.reason(reason)
    FLOW.close(request, Status.REFUSED, actor, reason=reason)
    audit.record(actor, "transfer.refuse", request, {"reason": reason}, school_id=identity.school_id)
    return request


@transaction.atomic
def withdraw(actor: Actor, request_id: int) -> TransferRequest:
    """The person takes back their own pending request."""
    request = _locked(actor, request_id)
    FLOW.own(access.can_withdraw(actor, request))
    if FLOW.open(request, to=Status.WITHDRAWN):
        return request
    FLOW.close(request, Status.WITHDRAWN, actor)
    audit.record(actor, "transfer.withdraw", request, school_id=request.from_school_id)
    return request
