"""Who may do what with students' class-change requests (issue 10). Services, pages and template tags
ask these; nobody else in class_changes compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import HeadTeacher, Identity
from renrentong.core.actor import Actor


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def can_ask(actor: Actor) -> bool:
    """Students ask for (and withdraw) their own class change."""
    return _kind(actor) == Identity.Kind.STUDENT


def can_decide(actor: Actor) -> bool:
    """The school admin approves or refuses."""
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def is_teacher(actor: Actor) -> bool:
    """A teacher follows the requests of the classes they head (scope narrows to those)."""
    return _kind(actor) == Identity.Kind.TEACHER


def sees_queue(actor: Actor) -> bool:
    """The queue page: the school admin's to decide, a teacher's to follow (read only)."""
    return can_decide(actor) or is_teacher(actor)


def heads_a_class(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.TEACHER and HeadTeacher.objects.filter(teacher=actor.identity).exists()


def follows_queue(actor: Actor) -> bool:
    """Who sees how many requests wait: the school admin and head teachers (of the classes concerned)."""
    return can_decide(actor) or heads_a_class(actor)
