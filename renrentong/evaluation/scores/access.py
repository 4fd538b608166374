"""Who may import, undo and read academic scores (EVA-6). The city admin imports the city's items for every
school below the city; a school admin their school's items; each acts only on their own imports. A school
admin reads the school's scores; a student their own, a parent each linked child's."""

from __future__ import annotations

from renrentong.core.actor import Actor

from renrentong.evaluation import access as evaluation_access


def imports_scores(actor: Actor) -> bool:
    return evaluation_access.is_city_admin(actor) or evaluation_access.is_school_admin(actor)


def source_of(actor: Actor) -> str:
    """Whose items the actor's imports carry: the city's or the school's."""
    return "city" if evaluation_access.is_city_admin(actor) else "school"


def acts_on_job(actor: Actor, school_id: int | None, region_id: int | None) -> bool:
    """A score import is its importer's level's business: the city admin's city-wide jobs, a school admin's
    own school's jobs. A district admin, who could see both through the roster machinery, acts on neither."""
    identity = actor.identity
    if evaluation_access.is_city_admin(actor):
        return school_id is None and region_id == identity.region_id
    if evaluation_access.is_school_admin(actor):
        return school_id is not None and school_id == identity.school_id
    return False


def reads_school_scores(actor: Actor) -> bool:
    return evaluation_access.is_school_admin(actor)


def reads_own_scores(actor: Actor) -> bool:
    return evaluation_access.keeps_material(actor)
