"""Who may do what with key information (KEY-1..KEY-3). Services, pages and endpoints ask these; nobody
else in keyinfo compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def applies_at_once(actor: Actor) -> bool:
    """A school admin's change applies now; anyone else's (a student's, a parent's) waits for the school."""
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def can_decide(actor: Actor) -> bool:
    """The school's admins decide waiting changes, edit numbers, export and compare with the registry."""
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def follows_schools_below(actor: Actor) -> bool:
    """A region admin follows the completion of the schools below them (KEY-2), read only."""
    return _kind(actor) == Identity.Kind.REGION_ADMIN


def is_student(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.STUDENT


def is_parent(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.GUARDIAN


def may_propose(actor: Actor) -> bool:
    """Students and parents propose changes that wait for the school."""
    return is_student(actor) or is_parent(actor)


def can_propose_for(actor: Actor, person_id: int) -> bool:
    """The student themself, or a parent for a child (ACC-3)."""
    if is_student(actor):
        return person_id == actor.account.person_id
    if is_parent(actor):
        return person_id in actor.scope.person_ids
    return False
