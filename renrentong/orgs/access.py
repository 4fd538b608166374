"""Who acts as what at the level of schools and regions: the predicates every room asks.

These are the only place in orgs (and in the apps that ask "which school may this actor act on",
orgs.selectors.school_for) where an identity's kind is compared. The rooms' own access modules
(structure/, tenants/, accounts/admin_roles/) and rollover build their decisions on these.
"""

from __future__ import annotations

from renrentong.core.actor import Actor

SCHOOL_ADMIN = "school_admin"
REGION_ADMIN = "region_admin"
TEACHER = "teacher"


def _kind(actor: Actor | None) -> str | None:
    identity = actor.identity if actor is not None else None
    return identity.kind if identity is not None else None


def acts_as_school_admin(actor: Actor | None) -> bool:
    return _kind(actor) == SCHOOL_ADMIN


def acts_as_region_admin(actor: Actor | None) -> bool:
    return _kind(actor) == REGION_ADMIN


def acts_as_admin(actor: Actor | None) -> bool:
    """A school admin or a region admin: the people who run schools."""
    return _kind(actor) in (SCHOOL_ADMIN, REGION_ADMIN)


def acts_as_teacher(actor: Actor | None) -> bool:
    return _kind(actor) == TEACHER


def sees_own_branch_only(actor: Actor) -> bool:
    """Students and parents see the branch of their own classes, not a school's whole structure."""
    return actor.scope.kind in ("student", "guardian")


def can_edit_policy(actor: Actor | None) -> bool:
    """Region admins edit their region's settings, school admins their school's overrides."""
    return acts_as_admin(actor)


def has_school_in_scope(actor: Actor, school) -> bool:
    """Whether the school lies within the actor's scope, without a query (the scope holds the ids)."""
    scope = actor.scope
    if scope.kind == "region":
        return school.district_id in scope.district_ids
    return school.pk in scope.school_ids
