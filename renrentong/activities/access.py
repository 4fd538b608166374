"""Who may do what with activities (ACT-1). The one place in activities that compares identity kinds;
services, selectors, pages and templates ask these."""

from __future__ import annotations

from renrentong.accounts.family.access import acting_as_guardian
from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def may_publish(actor: Actor | None) -> bool:
    """School admins publish campus activities; district and city admins social practice."""
    return orgs_access.acts_as_admin(actor)


def publishes_for_region(actor: Actor) -> bool:
    return orgs_access.acts_as_region_admin(actor)


def signs_up_children(actor: Actor | None) -> bool:
    return actor is not None and acting_as_guardian(actor)


def organises(actor: Actor, activity) -> bool:
    """The organiser: the school admin of the publishing school, or a region admin at or above the region."""
    identity = actor.identity
    if identity is None:
        return False
    if orgs_access.acts_as_school_admin(actor):
        return activity.school_id is not None and activity.school_id == identity.school_id
    if orgs_access.acts_as_region_admin(actor):
        return activity.region_id is not None and activity.region_id in actor.scope.region_ids
    return False


def deciding_school(actor: Actor) -> int | None:
    """The school whose children's sign-ups this actor approves or refuses: a school admin's own."""
    if orgs_access.acts_as_school_admin(actor):
        return actor.identity.school_id
    return None


def may_decide(actor: Actor, sign_up) -> bool:
    """Each school approves its own children, for its own activities and for social practice alike."""
    return deciding_school(actor) == sign_up.school_id
