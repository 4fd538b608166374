"""Who may appoint, remove and apply to be school admin (ADM-6)."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def can_appoint_school_admins(actor: Actor) -> bool:
    """Appoint and remove school admins, see the candidates, read the application queue: region admins."""
    return orgs_access.acts_as_region_admin(actor)


def can_see_school_admins(actor: Actor) -> bool:
    return orgs_access.acts_as_admin(actor)


def can_apply_for_school_admin(actor: Actor) -> bool:
    """A teacher applies to be school admin of the school they teach at."""
    return orgs_access.acts_as_teacher(actor)


def can_decide_application(actor: Actor, application) -> bool:
    """A region admin above the application's school decides it."""
    return orgs_access.acts_as_region_admin(actor) and orgs_access.has_school_in_scope(actor, application.school)


def is_school_admin_role(identity) -> bool:
    """Whether a staff identity is the school admin role (as opposed to the teacher identity beside it)."""
    return identity.kind == orgs_access.SCHOOL_ADMIN
