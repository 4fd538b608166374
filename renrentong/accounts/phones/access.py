"""Who must bind a phone, who may unbind others' phones and read the SMS outbox (ACC-8, SMS-1)."""

from __future__ import annotations

from renrentong.core.actor import Actor

from renrentong.accounts.models import Identity
from renrentong.accounts.selectors import policy_for_account

ADMIN_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def must_bind_phone(actor: Actor | None) -> bool:
    """Seed 003: where the region asks for it, an account without a phone (students excepted) binds one
    before it goes anywhere else."""
    if actor is None or actor.identity is None or actor.account.phone:
        return False
    if actor.identity.kind == Identity.Kind.STUDENT:
        return False
    return policy_for_account(actor.account).phone_binding_required


def can_unbind_phones(actor: Actor) -> bool:
    """School and region admins unbind the phones of accounts they answer for (seed 002)."""
    return actor.identity is not None and actor.identity.kind in ADMIN_KINDS


def can_read_outbox(actor: Actor) -> bool:
    return actor.identity is not None and actor.identity.kind in ADMIN_KINDS


def sees_full_names_in_outbox(actor: Actor) -> bool:
    """The school's own admin reads names in full; admins above it read them masked."""
    return actor.identity is not None and actor.identity.kind == Identity.Kind.SCHOOL_ADMIN
