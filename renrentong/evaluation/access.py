"""Who may do what with evaluation material and its catalogue (EVA-1..EVA-3). The one place in evaluation
that compares identity kinds; services, selectors, pages, endpoints and templates ask these."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.orgs.models import Region

KEEPER_KINDS = (Identity.Kind.STUDENT, Identity.Kind.GUARDIAN)


def _kind(actor: Actor | None) -> str | None:
    return actor.identity.kind if actor is not None and actor.identity is not None else None


def keeps_material(actor: Actor) -> bool:
    """Students file their own material; parents file it for each linked child (EVA-3)."""
    return _kind(actor) in KEEPER_KINDS


def is_parent(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.GUARDIAN


def is_city_admin(actor: Actor) -> bool:
    return (_kind(actor) == Identity.Kind.REGION_ADMIN and actor.identity.region is not None
            and actor.identity.region.kind == Region.Kind.CITY)


def is_school_admin(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def edits_catalogue(actor: Actor) -> bool:
    """The city admin edits the city's dimensions and items; everyone below reads them."""
    return is_city_admin(actor)


def reads_catalogue_page(actor: Actor) -> bool:
    """The catalogue's console page: region and school admins (students see it where they classify)."""
    return _kind(actor) in (Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN)


def sets_window(actor: Actor) -> bool:
    """The city admin sets the city's submission window, a school admin the school's."""
    return is_city_admin(actor) or is_school_admin(actor)


def may_reopen(actor: Actor, school_id: int) -> bool:
    """Only the record's school's admin reopens an approved record so that it can be withdrawn."""
    return is_school_admin(actor) and actor.identity.school_id == school_id


def sees_school_material(actor: Actor) -> bool:
    return is_school_admin(actor)
