"""Who may read the push outbox and delivery summaries (MSG-4); nobody else in push compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor

ADMIN_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def can_read_outbox(actor: Actor) -> bool:
    """School and region admins read the pushes to people they answer for."""
    return actor.identity is not None and actor.identity.kind in ADMIN_KINDS


def sees_full_names(actor: Actor) -> bool:
    """The school's own admin reads names in full; admins above it read them masked."""
    return actor.identity is not None and actor.identity.kind == Identity.Kind.SCHOOL_ADMIN


def may_subscribe(actor: Actor) -> bool:
    """Anyone signed in with an identity may have their browser ring."""
    return actor.identity is not None
