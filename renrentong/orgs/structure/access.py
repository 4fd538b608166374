"""Who may build a school's structure (ORG-4, ORG-5): its school admin and the region admins above it."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def may_build_structure(actor: Actor) -> bool:
    """The role that builds structure; which schools is the scope's to say (another school is not found)."""
    return orgs_access.acts_as_admin(actor)


def can_manage_structure(actor: Actor, school) -> bool:
    """Create campuses, stages, grades and classes, name them, delete an empty class, print slips."""
    return may_build_structure(actor) and orgs_access.has_school_in_scope(actor, school)


def can_manage_tenant_of(actor: Actor, school) -> bool:
    """The school page links to the tenant page (registration, system, admins) for region admins above it."""
    return orgs_access.acts_as_region_admin(actor) and orgs_access.has_school_in_scope(actor, school)
