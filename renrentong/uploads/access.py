"""Where an actor's uploads belong (SPC-4). Whether an actor may attach a file to a notice, a post or a
class group is that app's question; uploads only needs the school (or region) a new file is kept under."""

from __future__ import annotations

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError


def home_of(actor: Actor) -> tuple[int | None, int | None]:
    """(school_id, region_id) for the actor's new files: the identity's school, or the region of a region
    admin, or for a student or parent the school they (or their first child) are enrolled at, else the
    account's home school. An account with no place at all cannot upload."""
    identity = actor.require_identity()
    if identity.school_id:
        return identity.school_id, None
    if identity.region_id:
        return None, identity.region_id
    schools = sorted(actor.scope.school_ids)
    if schools:
        return schools[0], None
    if getattr(actor.account, "home_school_id", None):
        return actor.account.home_school_id, None
    raise UserFacingError("uploads.no_place")
