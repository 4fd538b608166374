"""Who registers apps, and which identities an app may sign in (INT-1): the only place in integration that
compares identity kinds."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.orgs.models import Region

from renrentong.accounts.models import Identity
from renrentong.rosters import access as rosters_access

# The role claim: the identity's kind in the words apps expect.
ROLES = {Identity.Kind.STUDENT: "student", Identity.Kind.GUARDIAN: "parent", Identity.Kind.TEACHER: "teacher",
         Identity.Kind.SCHOOL_ADMIN: "school_admin", Identity.Kind.REGION_ADMIN: "region_admin"}


def can_register_apps(actor: Actor | None) -> bool:
    """Province and city admins: an app serves many districts' schools, and its agreement is signed above them."""
    identity = actor.identity if actor is not None else None
    return (identity is not None and identity.kind == Identity.Kind.REGION_ADMIN
            and identity.region.kind in (Region.Kind.PROVINCE, Region.Kind.CITY))


def role_of(identity: Identity) -> str:
    return ROLES[identity.kind]


def is_student(identity: Identity) -> bool:
    return identity.kind == Identity.Kind.STUDENT


def is_guardian(identity: Identity) -> bool:
    return identity.kind == Identity.Kind.GUARDIAN


def is_teacher(identity: Identity) -> bool:
    return identity.kind == Identity.Kind.TEACHER


def is_region_admin(identity: Identity) -> bool:
    return identity.kind == Identity.Kind.REGION_ADMIN


def can_export_rosters(actor: Actor | None) -> bool:
    """OneRoster packages (INT-2) go to the admins who keep the rosters: a region's or a school's. They carry
    national student numbers when asked, which these admins may read (accounts.privacy.access.can_reveal)."""
    identity = actor.identity if actor is not None else None
    return identity is not None and identity.kind in (Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN)


def can_import_rosters(actor: Actor | None) -> bool:
    """OneRoster packages are imported (INT-2) by the admins the roster import machinery lets import: a school
    admin for the school, a region admin for the region's schools."""
    return actor is not None and rosters_access.can_import(actor)
