"""Who sees which usage figures (STAT-1). The one place in stats that compares identity kinds: a region
admin sees their region and everything below it, a school admin their school and its classes; nobody
else sees statistics. Which region, school or class is in reach is the actor's Scope's answer."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor

# The identity kinds the figures count, as the role they count under (admins are not counted).
ROLE_OF_KIND = {Identity.Kind.STUDENT: "student", Identity.Kind.GUARDIAN: "parent", Identity.Kind.TEACHER: "teacher"}
# A person with several identities counts once: as a student before a teacher before a parent.
PRECEDENCE = ("student", "teacher", "parent")


def counted_roles(kinds: set[str]) -> list[str]:
    """The roles an account's identity kinds give, in the order the figures prefer them."""
    roles = {ROLE_OF_KIND[k] for k in kinds if k in ROLE_OF_KIND}
    return [r for r in PRECEDENCE if r in roles]


def role_of_author(kind: str) -> str | None:
    """The role a post's or a written record's author kind counts under."""
    return ROLE_OF_KIND.get(kind)


def _kind(actor: Actor | None) -> str | None:
    return actor.identity.kind if actor is not None and actor.identity is not None else None


def is_region_admin(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.REGION_ADMIN


def is_school_admin(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def sees_statistics(actor: Actor) -> bool:
    return is_region_admin(actor) or is_school_admin(actor)


def sees_region(actor: Actor, region_id: int) -> bool:
    """A region admin's own region and those below it (never a sibling, whatever id is asked for)."""
    return is_region_admin(actor) and region_id in actor.scope.region_ids
