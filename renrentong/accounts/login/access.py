"""Who may manage a school's login networks, and how far."""

from __future__ import annotations

from renrentong.accounts.models import Identity

NETWORK_KINDS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def can_manage_networks(actor) -> bool:
    identity = actor.identity
    return identity is not None and identity.kind in NETWORK_KINDS


def picks_school_by_code(actor) -> bool:
    """A region admin names the school; a school admin manages their own."""
    identity = actor.identity
    return identity is not None and identity.kind == Identity.Kind.REGION_ADMIN


def own_network_school_id(actor) -> int | None:
    identity = actor.identity
    return identity.school_id if identity is not None and identity.kind == Identity.Kind.SCHOOL_ADMIN else None


def sets_region_thresholds(identity) -> bool:
    """A region admin may lift a school address to the platform's highest threshold; a school admin less."""
    return identity is not None and identity.kind == Identity.Kind.REGION_ADMIN


SECOND_FACTOR_KINDS = (Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN)


def may_need_second_factor(identity) -> bool:
    """An admin identity: its region's or school's policy may ask every login for a second factor."""
    return identity.kind in SECOND_FACTOR_KINDS
