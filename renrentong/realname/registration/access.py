"""Who may decide teacher registrations (ACC-4)."""

from __future__ import annotations

from renrentong.accounts.models import Identity

APPROVING_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def can_decide_registrations(actor) -> bool:
    identity = actor.identity
    return identity is not None and identity.kind in APPROVING_KINDS


def holds_only_parent(kinds: set[str]) -> bool:
    """An account that is a parent's only: a teacher registering may add the teacher identity to it (ACC-1)."""
    return kinds == {Identity.Kind.GUARDIAN}


def holds_student(kinds: set[str]) -> bool:
    return Identity.Kind.STUDENT in kinds
