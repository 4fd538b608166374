"""Who may read a person's full ID number or national student number (NFR-1)."""

from __future__ import annotations

from renrentong.accounts.models import Identity

REVEALING_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def can_reveal(actor) -> bool:
    """Only admins read a full number, and only of a person in their scope (the caller checks the scope)."""
    identity = actor.identity
    return identity is not None and identity.kind in REVEALING_KINDS
