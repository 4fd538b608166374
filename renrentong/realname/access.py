"""Who may verify, keep the registry and decide teacher registrations (RN-1..4, ACC-4)."""

from __future__ import annotations

from renrentong.accounts.models import Identity

ADMIN_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def can_keep_registry(actor) -> bool:
    """School admins keep their school's registry; region admins the registries of schools below."""
    identity = actor.identity
    return identity is not None and identity.kind in ADMIN_KINDS


def picks_school(actor) -> bool:
    """A region admin names the school they work on; a school admin works on their own."""
    identity = actor.identity
    return identity is not None and identity.kind == Identity.Kind.REGION_ADMIN


def works_on_own_school(actor) -> bool:
    identity = actor.identity
    return identity is not None and identity.kind == Identity.Kind.SCHOOL_ADMIN
