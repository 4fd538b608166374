"""Who may change teaching (ADM-2): the school admin fills the grid; a teacher takes or drops their own
courses. Services and pages ask these; nobody else in teaching compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def can_arrange_teaching(actor: Actor) -> bool:
    """The school admin arranges courses, teachers and head teachers of their school."""
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def can_take_courses(actor: Actor) -> bool:
    """A teacher takes or drops courses for themself."""
    return _kind(actor) == Identity.Kind.TEACHER
