"""A parent links, lists, switches between and unlinks their children (ACC-3, ACC-6, ACC-7).

Two ways to link: the child's real name and ID number [Z], or the student account and password the
school issued [C]. Either way the child is found by what the school imported, and a mismatch says
which field differs and who can correct the school's data (HELP-1). Names are compared after
core.text.normalize_text (NFKC: full-width letters and digits fold; every space goes) and with the
middle dots of minority names unified, so neither ever causes a silent mismatch.

Linking by name and ID number is an oracle: "no such ID number" and "the name differs" tell a
guesser something. Failed attempts are therefore counted per account and per source address, each in
a 24-hour window, and the link refuses once either is spent (docs/resets-and-children.md). Linking by
account and password also goes through the login throttle of that student account, so it is no side
door around the login lock (AUTH-7).

A link by name and ID number is only a request (LinkRequest): both can be known to a stranger, so it
shows nothing of the child and allows nothing until an existing guardian of the child confirms it,
or, when the child has none, the class head teacher or the school admin does. Existing guardians are
told at once by text message and see the request on their family page. A link by the account and
password the school issued stays immediate: only someone the slip was given to knows that password.

Every read and change here acts for the current identity (ACC-1): the same account switched to its
teacher identity has no children.

A link follows the person, not a school: the children list shows each child's current enrollment,
so a child who moves to a new school appears there as soon as the new school has enrolled them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.bulk import among, chunks
from renrentong.core.crypto import id_number_digest
from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.names import name_key
from renrentong.core.text import (
    is_valid_id_number, normalize_id_number, normalize_text, sex_of_id_number, swapped_name_and_id,
)
from renrentong.orgs.models import School, SchoolClass

from renrentong.accounts.access import actor_for
from renrentong.accounts.login import throttle
from renrentong.accounts.family import access
from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity, LinkRequest, Person
from renrentong.accounts.resets.services import local_time, window_add, window_count
from renrentong.accounts.selectors import find_accounts
from renrentong.accounts.passwords.services import initial_expired
from renrentong.accounts.passwords.services import password_matched
from renrentong.orgs.policy import PLATFORM_POLICY
from renrentong.accounts.selectors import policy_for_account

logger = logging.getLogger(__name__)

MAX_CHILDREN = 10
MAX_GUARDIANS = 6
FAILURE_WINDOW = 24 * 3600
FAILURES_PER_ACCOUNT = 10
FAILURES_PER_SOURCE = 30
SEX_LABELS = {"M": ("男", "male"), "F": ("女", "female")}
RELATIONS = tuple(Guardianship.Relation.values)

# The session key of the child a parent chose (the children page sets it, the home page orders by it).
SESSION_CHILD = "child_id"


def _sex_label(sex: str) -> str:
    return in_language(*SEX_LABELS.get(sex, ("未知", "unknown")))


# --- Reads ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Child:
    person: Person
    account: Account | None
    account_number: str
    account_status: str
    relation: str
    school: School | None
    school_class: SchoolClass | None
    class_name: str
    head_teacher: str

    @property
    def enrolled(self) -> bool:
        return self.school_class is not None


def acting_as_guardian(actor: Actor) -> bool:
    return access.acting_as_guardian(actor)


def children_of(actor: Actor) -> list[Child]:
    """The children linked to the actor's account, each at their current school and class (ACC-6).

    Only the parent identity has children: a teacher who is also a parent sees none while acting as
    the teacher (ACC-1)."""
    person_id = actor.account.person_id
    if person_id is None or not acting_as_guardian(actor):
        return []
    links = {
        g.student_id: g.get_relation_display()
        for g in Guardianship.objects.filter(guardian_id=person_id).order_by("pk")
    }
    enrollments = {
        e.person_id: e
        for e in Enrollment.objects.filter(person_id__in=links, ended_on__isnull=True).select_related(
            "school", "school_class__cohort__stage", "school_class__school")
    }
    heads = dict(HeadTeacher.objects.filter(
        school_class_id__in=[e.school_class_id for e in enrollments.values()]).values_list(
        "school_class_id", "teacher__account__person__name"))
    accounts = {a.person_id: a for a in Account.objects.filter(person_id__in=links).select_related("home_school")}
    people = Person.objects.in_bulk(list(links))
    result = []
    for pk in links:
        enrollment = enrollments.get(pk)
        account = accounts.get(pk)
        result.append(Child(
            person=people[pk],
            account=account,
            account_number=account.number if account else "",
            account_status=account.status if account else "",
            relation=str(links[pk]),
            school=enrollment.school if enrollment else None,
            school_class=enrollment.school_class if enrollment else None,
            class_name=enrollment.school_class.display_name() if enrollment else "",
            head_teacher=heads.get(enrollment.school_class_id, "") if enrollment else "",
        ))
    return result


def child_of(actor: Actor, person_id: int) -> Child:
    for child in children_of(actor):
        if child.person.pk == person_id:
            return child
    raise UserFacingError("scope.not_found")


def chosen_child(actor: Actor, person_id: int | None) -> Child | None:
    """The child a parent switched to (kept by the page's session), else the first one."""
    children = children_of(actor)
    return next((c for c in children if c.person.pk == person_id), children[0] if children else None)


# --- Throttle ---------------------------------------------------------------------------------------


def _keys(actor: Actor, source: str) -> list[tuple[str, int]]:
    return [(f"children:fail:acct:{actor.account.pk}", FAILURES_PER_ACCOUNT),
            (f"children:fail:src:{source}", FAILURES_PER_SOURCE)]


def _check_throttle(actor: Actor, source: str) -> None:
    now = time.time()
    for key, limit in _keys(actor, source):
        count, started = window_count(key)
        if count >= limit and started + FAILURE_WINDOW > now:
            raise UserFacingError("children.link_throttled", until=local_time(started + FAILURE_WINDOW))


def _failed(actor: Actor, source: str, error: UserFacingError) -> UserFacingError:
    for key, _limit in _keys(actor, source):
        window_add(key, 1, FAILURE_WINDOW)
    return error


# --- Verbs ------------------------------------------------------------------------------------------


def _guardian_person(actor: Actor) -> Person:
    actor.require_identity()
    if not access.can_link_children(actor):
        raise UserFacingError("children.cannot_link_as_student")
    person = actor.account.person
    if person is None:
        raise UserFacingError("children.no_person")
    return person


def _check_relation(relation: str) -> str:
    relation = relation or Guardianship.Relation.GUARDIAN
    if relation not in RELATIONS:
        raise UserFacingError("children.invalid_relation", allowed=", ".join(RELATIONS))
    return relation


def link_by_id_number(actor: Actor, name: str, id_number: str, *, sex: str = "", relation: str = "",
                      source: str) -> LinkRequest:
    """Ask to link a child by real name and ID number [Z]; name and sex are checked against the school's
    data, and the link waits for confirmation (see the module docstring)."""
    guardian = _guardian_person(actor)
    relation = _check_relation(relation)
    missing = [label for label, value in ((in_language("姓名", "name"), normalize_text(name)),
                                          (in_language("身份证号", "ID number"), normalize_text(id_number)))
               if not value]
    if missing:
        raise UserFacingError("children.missing_fields", fields=in_language("、", ", ").join(missing))
    if swapped_name_and_id(name, id_number):
        raise UserFacingError("children.name_id_swapped")
    id_number = normalize_id_number(id_number)
    if not is_valid_id_number(id_number):
        # A typo, not a guess: no lookup was made, so nothing is counted.
        raise UserFacingError("children.invalid_id_number", value=id_number[:24])
    if sex not in ("", "M", "F"):
        sex = ""
    _check_throttle(actor, source)
    person = Person.objects.filter(id_number_digest=id_number_digest(id_number)).first()
    if person is None:
        raise _failed(actor, source, UserFacingError("children.not_found"))
    if name_key(person.name) != name_key(name):
        raise _failed(actor, source, UserFacingError("children.name_mismatch"))
    # Name and ID number match: the parent has proved enough to be told what the school recorded.
    if sex and person.sex and sex != person.sex:
        raise _failed(actor, source, UserFacingError(
            "children.sex_mismatch", given=_sex_label(sex), recorded=_sex_label(person.sex)))
    if person.sex and person.sex != sex_of_id_number(id_number):
        raise UserFacingError("children.school_sex_inconsistent", recorded=_sex_label(person.sex),
                              from_id=_sex_label(sex_of_id_number(id_number)))
    return request_link(actor, guardian, person, relation, "id_number")


def link_by_account(actor: Actor, identifier: str, password: str, *, relation: str = "", source: str) -> Child:
    """Link a child with the student account and password the school issued [C]."""
    guardian = _guardian_person(actor)
    relation = _check_relation(relation)
    identifier = normalize_text(identifier)
    missing = [label for label, value in ((in_language("学生账号", "student account"), identifier),
                                          (in_language("密码", "password"), password)) if not value]
    if missing:
        raise UserFacingError("children.missing_fields", fields=in_language("、", ", ").join(missing))
    _check_throttle(actor, source)
    # A guess here is a guess at the child's password: the password login's counters apply (throttle.py).
    throttle.ensure_cache()
    if throttle.source_needs_challenge(source, PLATFORM_POLICY):
        raise UserFacingError("children.link_tries_exceeded")
    accounts = [a for a in find_accounts(identifier) if a.person_id]
    if len(accounts) != 1:
        throttle.note_source(source, PLATFORM_POLICY)
        raise _failed(actor, source, UserFacingError("children.wrong_account_or_password"))
    account = accounts[0]
    policy = policy_for_account(account)
    reservation = throttle.reserve(account, source, policy)
    if reservation.needs_challenge(policy):
        throttle.release(reservation, account, source)
        raise UserFacingError("children.link_tries_exceeded")
    matched = password_matched(account, password)
    used_initial = matched == "initial"
    if not matched:
        throttle.note_source(source, PLATFORM_POLICY)
        raise _failed(actor, source, UserFacingError("children.wrong_account_or_password"))
    # As at login: an initial password counts against the source (one address opening untouched
    # accounts is a spray with known numbers), and an expired one opens nothing.
    throttle.password_right(account, source, initial=used_initial, policy=PLATFORM_POLICY)
    if used_initial and initial_expired(account, policy):
        raise UserFacingError("children.initial_expired", days=policy.initial_password_days)
    if not account.identities.filter(kind=Identity.Kind.STUDENT).exists():
        raise UserFacingError("children.not_a_student")
    return _link(actor, guardian, account.person, relation, "account")


def _check_link(guardian: Person, child: Person, *, pending: int = 0) -> Enrollment:
    """The checks every new link passes, when asked for and again when confirmed."""
    if child.pk == guardian.pk:
        raise UserFacingError("children.self")
    enrollment = Enrollment.objects.filter(person=child, ended_on__isnull=True).first()
    if enrollment is None:
        raise UserFacingError("children.not_enrolled")
    if Guardianship.objects.filter(guardian=guardian, student=child).exists():
        raise UserFacingError("children.already_linked")
    if Guardianship.objects.filter(guardian=guardian).count() + pending >= MAX_CHILDREN:
        raise UserFacingError("children.too_many_children", limit=MAX_CHILDREN)
    if Guardianship.objects.filter(student=child).count() >= MAX_GUARDIANS:
        raise UserFacingError("children.too_many_guardians", limit=MAX_GUARDIANS)
    return enrollment


@transaction.atomic
def _link(actor: Actor, guardian: Person, child: Person, relation: str, method: str) -> Child:
    # Lock the guardian's row so that two quick submits cannot pass the limits together.
    Person.objects.select_for_update().filter(pk=guardian.pk).first()
    enrollment = _check_link(guardian, child)
    link = Guardianship.objects.create(guardian=guardian, student=child, relation=relation)
    # The school's slip proved more than a name and ID number could: a request still waiting is settled.
    LinkRequest.objects.filter(guardian=guardian, student=child, status=LinkRequest.Status.PENDING).update(
        status=LinkRequest.Status.CONFIRMED, guardianship=link, decided_at=timezone.now(), decided_by=actor.account,
        decided_as=method)
    # A teacher or admin who is also a parent gets the parent identity beside their own (ACC-1).
    identity, _created = Identity.objects.get_or_create(account=actor.account, kind=Identity.Kind.GUARDIAN,
                                                        school=None, region=None)
    audit.record(actor, "children.link", child, {"how": method, "relation": relation, "guardianship": link.pk},
                 school_id=enrollment.school_id)
    return child_of(actor_for(actor.account, identity, actor.via_token), child.pk)


@transaction.atomic
def unlink(actor: Actor, person_id: int, *, any_identity: bool = False) -> None:
    """Remove a child from the actor's account (解除关联); the child's own account is untouched.

    `any_identity` is for undoing a parent verification (realname.unbind), which a teacher who verified
    as a parent by mistake does from their teacher identity."""
    guardian = actor.account.person_id if any_identity or acting_as_guardian(actor) else None
    link = Guardianship.objects.select_for_update().filter(guardian_id=guardian, student_id=person_id).first() \
        if guardian else None
    if link is None:
        raise UserFacingError("scope.not_found")
    enrollment = Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True).first()
    audit.record(actor, "children.unlink", link.student, {"relation": link.relation},
                 school_id=enrollment.school_id if enrollment else None)
    link.delete()


# --- The school's side: who is linked to a student, and removing a wrong link ------------------------


@dataclass(frozen=True)
class Guardian:
    person_id: int
    name: str
    account_number: str
    phone: str  # masked
    relation: str
    linked_by_school: bool  # made by the school's import rather than by the parent


def _student_for_staff(actor: Actor, person_id: int) -> Enrollment:
    """The student's open enrollment, if the actor is their head teacher, school admin or a region admin
    above; a student outside that scope is "not found" whatever id is sent (NFR-2)."""
    from renrentong.accounts.resets.access import headed_classes

    actor.require_identity()
    if not access.can_manage_students_parents(actor):
        raise UserFacingError("children.manage_not_allowed")
    enrollment = Enrollment.objects.filter(person_id=person_id, ended_on__isnull=True).select_related(
        "school").first()
    if enrollment is not None and access.can_manage_parents_of(actor, enrollment, headed_classes(actor)):
        return enrollment
    raise UserFacingError("scope.not_found")


def guardians_of(actor: Actor, person_id: int) -> tuple[Person, list[Guardian]]:
    """A student's linked parents, for their head teacher and school admin (phones masked)."""
    from renrentong.core.masking import mask_phone

    _student_for_staff(actor, person_id)
    student = Person.objects.get(pk=person_id)
    links = Guardianship.objects.filter(student_id=person_id).select_related("guardian").order_by("pk")
    accounts = {a.person_id: a for a in Account.objects.filter(person_id__in=[g.guardian_id for g in links])}
    found = []
    for link in links:
        account = accounts.get(link.guardian_id)
        found.append(Guardian(link.guardian_id, link.guardian.name, account.number if account else "",
                              mask_phone(account.phone or "") if account else "", str(link.get_relation_display()),
                              link.made_by_school))
    return student, found


@transaction.atomic
def remove_guardian(actor: Actor, person_id: int, guardian_person_id: int) -> None:
    """The school removes a parent's link to a student (a wrong link, a parent who should not see the
    child, a teacher who linked as a parent by mistake); audited."""
    enrollment = _student_for_staff(actor, person_id)
    link = Guardianship.objects.select_for_update().filter(student_id=person_id,
                                                           guardian_id=guardian_person_id).first()
    if link is None:
        raise UserFacingError("scope.not_found")
    audit.record(actor, "children.unlink", link.student,
                 {"relation": link.relation, "by": "school", "guardian_person_id": guardian_person_id},
                 school_id=enrollment.school_id)
    link.delete()


# --- Links asked for by name and ID number wait for a confirmation --------------------------------


@transaction.atomic
def request_link(actor: Actor, guardian: Person, child: Person, relation: str, how: str) -> LinkRequest:
    """Record a pending link and tell the child's existing guardians at once."""
    Person.objects.select_for_update().filter(pk=guardian.pk).first()
    pending = LinkRequest.objects.filter(guardian=guardian, status=LinkRequest.Status.PENDING)
    if pending.filter(student=child).exists():
        raise UserFacingError("children.link_pending")
    enrollment = _check_link(guardian, child, pending=pending.count())
    request = LinkRequest.objects.create(guardian=guardian, account=actor.account, student=child,
                                         relation=relation, how=how)
    # The parent identity lets the requester follow the request; it shows no child until confirmed.
    Identity.objects.get_or_create(account=actor.account, kind=Identity.Kind.GUARDIAN, school=None, region=None)
    guardians = list(_answering_guardians().filter(person__wards__student=child).exclude(phone=None))
    audit.record(actor, "children.link_requested", child,
                 {"how": how, "relation": relation, "request": request.pk, "guardians_told": len(guardians)},
                 school_id=enrollment.school_id)
    transaction.on_commit(lambda: _tell_guardians(request, guardians, enrollment))
    return request


NOTICE = ("【人人通】{requester}(手机 {phone})申请关联您的孩子{child}为家长。如是您认识的家人,请登录人人通在"
          "“我的孩子”中确认;如不认识,请拒绝并联系班主任。")


def _tell_guardians(request: LinkRequest, guardians: list[Account], enrollment: Enrollment) -> None:
    """A text message to each existing guardian; the pending list on their family page is the record,
    so a gateway failure is logged and does not undo the request."""
    from renrentong.core.masking import mask_phone
    from renrentong.verification.providers import ProviderError, TextMessage, sms_provider

    text = NOTICE.format(requester=request.guardian.name, phone=mask_phone(request.account.phone or "") or "-",
                         child=request.student.name)
    provider = sms_provider()
    for account in guardians:
        try:
            provider.send(TextMessage(phone=account.phone, code="", minutes=0, purpose="link_notice",
                                      account_id=account.pk, school_id=enrollment.school_id,
                                      district_id=enrollment.school.district_id, text=text))
        except ProviderError as exc:
            logger.warning("link request %s: notice to account %s not sent: %s", request.pk, account.pk, exc)


@dataclass(frozen=True)
class PendingLink:
    pk: int
    direction: str  # incoming: mine to confirm | outgoing: I asked for it
    status: str
    status_label: str
    relation: str
    requester_name: str
    requester_phone: str  # masked
    child_person_id: int | None  # only for those who may see the child
    child_name: str
    class_name: str
    created_at: datetime
    decided_at: datetime | None


def _answering_guardians():
    """Parents' accounts that can answer for a child: a deleted account cannot log in to confirm."""
    return Account.objects.exclude(status=Account.Status.DELETED)


def _decider_role(actor: Actor) -> str | None:
    return access.decider_role(actor)


def _decidable(actor: Actor):
    """Pending requests the actor's current identity may confirm or refuse."""
    from renrentong.accounts.resets.access import headed_classes

    pending = LinkRequest.objects.filter(status=LinkRequest.Status.PENDING)
    role = _decider_role(actor)
    if role == access.Decider.GUARDIAN:
        mine = Guardianship.objects.filter(guardian_id=actor.account.person_id).values("student_id")
        return pending.filter(student_id__in=mine).exclude(guardian_id=actor.account.person_id)
    if role is None:
        return pending.none()
    # Staff confirm only for a child no guardian answers for (a deleted parent account answers for nobody).
    answering = Guardianship.objects.filter(guardian__account__in=_answering_guardians())
    orphans = pending.exclude(student_id__in=answering.values("student_id"))
    open_rows = Enrollment.objects.filter(ended_on__isnull=True)
    if role == access.Decider.HEAD_TEACHER:
        open_rows = open_rows.filter(school_class_id__in=headed_classes(actor))
    else:
        open_rows = open_rows.filter(school_id=actor.identity.school_id)
    return orphans.filter(student_id__in=open_rows.values("person_id"))


def _pending_view(request: LinkRequest, direction: str, enrollments: dict[int, Enrollment]) -> PendingLink:
    from renrentong.core.masking import mask_phone

    enrollment = enrollments.get(request.student_id)
    incoming = direction == "incoming"
    return PendingLink(
        pk=request.pk, direction=direction, status=request.status, status_label=str(request.get_status_display()),
        relation=str(request.get_relation_display()), requester_name=request.guardian.name,
        requester_phone=mask_phone(request.account.phone or ""),
        child_person_id=request.student_id if incoming else None, child_name=request.student.name,
        class_name=enrollment.school_class.display_name() if incoming and enrollment else "",
        created_at=request.created_at, decided_at=request.decided_at)


def outgoing_view(request: LinkRequest) -> PendingLink:
    return _pending_view(request, "outgoing", {})


def incoming_link_count(actor: Actor) -> int:
    """How many link requests wait for this identity to decide (the menu's badge): one query."""
    return _decidable(actor).count()


def link_requests(actor: Actor) -> list[PendingLink]:
    """What the current identity has to confirm, and, for a parent, what they asked for themselves
    (the requester sees only the name they typed matched and the state: nothing else of the child)."""
    related = ("guardian", "account", "student")
    incoming = list(_decidable(actor).select_related(*related).order_by("created_at"))
    outgoing = []
    if acting_as_guardian(actor):
        outgoing = list(LinkRequest.objects.filter(account=actor.account).exclude(
            status=LinkRequest.Status.CONFIRMED).select_related(*related).order_by("-created_at")[:20])
    enrollments = {e.person_id: e for e in Enrollment.objects.filter(
        person_id__in=[r.student_id for r in incoming], ended_on__isnull=True).select_related(
        "school_class__cohort__stage", "school_class__school")}
    return ([_pending_view(r, "incoming", enrollments) for r in incoming]
            + [_pending_view(r, "outgoing", enrollments) for r in outgoing])


@transaction.atomic
def decide_link(actor: Actor, request_id: int, *, confirm: bool) -> LinkRequest:
    """Confirm or refuse a pending link: an existing guardian of the child, else the class head
    teacher or the school admin. Anything else, including a request already decided, is "not found"."""
    request = (_decidable(actor).select_for_update(of=("self",)).filter(pk=request_id)
               .select_related("guardian", "student").first())
    if request is None:
        raise UserFacingError("scope.not_found")
    enrollment = Enrollment.objects.filter(person=request.student, ended_on__isnull=True).first()
    request.decided_at = timezone.now()
    request.decided_by = actor.account
    request.decided_as = _decider_role(actor) or ""
    if confirm:
        # The school may have linked the same parent meanwhile: then the request is simply settled.
        existing = Guardianship.objects.filter(guardian=request.guardian, student=request.student).first()
        if existing is None:
            _check_link(request.guardian, request.student)
            existing = Guardianship.objects.create(guardian=request.guardian, student=request.student,
                                                   relation=request.relation)
        request.guardianship = existing
        request.status = LinkRequest.Status.CONFIRMED
    else:
        request.status = LinkRequest.Status.REFUSED
    request.save(update_fields=["status", "decided_at", "decided_by", "decided_as", "guardianship"])
    verb = "children.link_confirmed" if confirm else "children.link_refused"
    audit.record(actor, verb, request.student,
                 {"request": request.pk, "requester_account_id": request.account_id, "by": request.decided_as,
                  "relation": request.relation},
                 school_id=enrollment.school_id if enrollment else None)
    return request


@transaction.atomic
def cancel_link_request(actor: Actor, request_id: int, *, any_identity: bool = False) -> None:
    """The requester withdraws a pending request."""
    if not (any_identity or acting_as_guardian(actor)):
        raise UserFacingError("scope.not_found")
    request = LinkRequest.objects.select_for_update().filter(
        pk=request_id, account=actor.account, status=LinkRequest.Status.PENDING).first()
    if request is None:
        raise UserFacingError("scope.not_found")
    request.status = LinkRequest.Status.CANCELLED
    request.decided_at = timezone.now()
    request.decided_by = actor.account
    request.decided_as = "self"
    request.save(update_fields=["status", "decided_at", "decided_by", "decided_as"])
    enrollment = Enrollment.objects.filter(person_id=request.student_id, ended_on__isnull=True).first()
    audit.record(actor, "children.link_cancelled", request.student, {"request": request.pk},
                 school_id=enrollment.school_id if enrollment else None)


RELATION_CHOICES = [(value, label) for value, label in Guardianship.Relation.choices]
SEX_CHOICES = [("", _("Not given")), ("M", _("Male")), ("F", _("Female"))]


def guardian_identity_of(actor: Actor) -> Identity | None:
    """The parent identity of the actor's account, if it holds one."""
    return actor.account.identities.filter(kind=Identity.Kind.GUARDIAN).first()


def move_links(moves) -> int:
    """A student's links and link requests follow them to a new school (accounts.following): they live with
    the student's school (the partition-ready schema, docs/scaling.md). Set-based, in the caller's transaction."""
    moved = 0
    by_school: dict[int, set[int]] = {}
    for move in moves:
        by_school.setdefault(move.to_school_id, set()).add(move.person_id)
    for school_id, people in by_school.items():
        for chunk in chunks(sorted(people)):  # an import's chunk moves thousands: as evaluation's move_rows
            for model in (Guardianship, LinkRequest):
                moved += model.objects.filter(among("student_id", chunk)).exclude(school_id=school_id).update(
                    school_id=school_id)
    return moved
