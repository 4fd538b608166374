"""Who may do what in peer evaluation (学生互评, EVA-5). Students rate (grade 9 is checked where the class is
known, in selectors.standing); the city admin and school admins turn their switch; the school admin reads
the school's aggregates. Nobody reads who rated whom: there is no predicate for it because no page asks."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor

from renrentong.evaluation import access as evaluation_access


def rates_classmates(actor: Actor) -> bool:
    """Only a student, as themselves (a parent does not rate for a child)."""
    return actor is not None and actor.identity is not None and actor.identity.kind == Identity.Kind.STUDENT


def sets_city_switch(actor: Actor) -> bool:
    return evaluation_access.is_city_admin(actor)


def sets_criteria(actor: Actor) -> bool:
    """The city admin sets the city's criteria, as it turns the city's switch."""
    return evaluation_access.is_city_admin(actor)


def sets_school_switch(actor: Actor) -> bool:
    return evaluation_access.is_school_admin(actor)


def sets_switch(actor: Actor) -> bool:
    return sets_city_switch(actor) or sets_school_switch(actor)


def reads_results(actor: Actor) -> bool:
    """The school admin reads the school's aggregates (never single ratings)."""
    return evaluation_access.is_school_admin(actor)
