"""Who may register schools and change their school system (ORG-2, ORG-6)."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def can_manage_tenants(actor: Actor) -> bool:
    """Register schools, suspend them, set their system and stages, decide change requests: region admins."""
    return orgs_access.acts_as_region_admin(actor)


def can_request_system_change(actor: Actor) -> bool:
    """Ask the district to change the school system: the school's admins (region admins set it directly)."""
    return orgs_access.acts_as_school_admin(actor)


def can_read_system_requests(actor: Actor) -> bool:
    """The queue below a region admin, or a school admin's own school's requests."""
    return orgs_access.acts_as_admin(actor)
