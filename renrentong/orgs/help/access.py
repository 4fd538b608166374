"""Who keeps the FAQ and the support contacts (HELP-2)."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def can_edit_help(actor: Actor | None) -> bool:
    """Region admins, for their region and every region below it: they answer for the schools there."""
    return orgs_access.acts_as_region_admin(actor)
