"""Who may do what with transfers between schools (ADM-5). Services, pages and templates ask these;
nobody else in transfers compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.schooladmin.models import TransferRequest

MOVERS = (Identity.Kind.STUDENT, Identity.Kind.TEACHER)


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def can_decide(actor: Actor, transfer: TransferRequest | None = None) -> bool:
    """A school admin decides for their school's side of a transfer (either side: from or to)."""
    if _kind(actor) != Identity.Kind.SCHOOL_ADMIN:
        return False
    return transfer is None or actor.identity.school_id in (transfer.from_school_id, transfer.to_school_id)


def can_request(actor: Actor) -> bool:
    """Only the student or teacher who moves may start a transfer (ADM-5)."""
    return _kind(actor) in MOVERS


def moves_as_student(actor: Actor) -> bool:
    """Whether the actor's own transfer would move a student's enrollment (else a teacher's post)."""
    return _kind(actor) == Identity.Kind.STUDENT


def can_withdraw(actor: Actor, transfer: TransferRequest) -> bool:
    """The person who moves takes back their own request (a parent follows it but cannot withdraw)."""
    return can_request(actor) and transfer.person_id == actor.account.person_id


def follows_own(actor: Actor) -> bool:
    """Students and teachers follow their own requests; parents their children's."""
    return can_request(actor) or _kind(actor) == Identity.Kind.GUARDIAN


def follows_children(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.GUARDIAN


def follows_schools_below(actor: Actor) -> bool:
    """Region admins follow the transfers of the schools below them; the schools decide."""
    return _kind(actor) == Identity.Kind.REGION_ADMIN
