"""Who may set up the official account and who sees who follows (MSG-2, MSG-4). Services, pages and
templates ask these; nobody else in wechat compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.orgs.models import Region

CONFIGURING_REGIONS = (Region.Kind.DISTRICT, Region.Kind.CITY)
SEES_FOLLOWS = (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN, Identity.Kind.TEACHER)


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def configures_region(actor: Actor) -> Region | None:
    """The region whose official account this actor keeps: a district or city admin's own region."""
    if _kind(actor) != Identity.Kind.REGION_ADMIN:
        return None
    region = actor.identity.region
    return region if region is not None and region.kind in CONFIGURING_REGIONS else None


def sees_follows(actor: Actor) -> bool:
    """School admins (their school), region admins (schools below) and teachers (their classes)."""
    return _kind(actor) in SEES_FOLLOWS


def sees_schools_of_region(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.REGION_ADMIN


def admin_region(actor: Actor) -> Region | None:
    """A region admin's own region: the official account that applies to their own account."""
    return actor.identity.region if _kind(actor) == Identity.Kind.REGION_ADMIN else None


def sees_own_classes_only(actor: Actor) -> bool:
    """A teacher sees the follows of the classes they teach or head, not a whole school."""
    return _kind(actor) == Identity.Kind.TEACHER
