"""Who may decide teacher registrations (ACC-4)."""

from __future__ import annotations

from renrentong.accounts.models import Identity

APPROVING_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def can_decide_registrations(actor) -> bool:
    identity = actor.identity
    return identity is not None and identity.kind in APPROVING_KINDS
