"""Who may roll schools over (ORG-7): a school admin their school, a region admin the schools below."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def can_roll_over(actor: Actor) -> bool:
    """Preview, run and undo the rollover, and read the alumni list, of the schools in the actor's scope."""
    return orgs_access.acts_as_admin(actor)
