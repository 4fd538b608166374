"""Who may do what in lesson preparation (RES-4). The one place in lessonprep that compares identity kinds;
services, selectors, pages, endpoints and templates ask these.

- The catalogue is kept by province and city admins, each their own region's books; a district admin keeps none.
- A teacher prepares lessons and reports missing textbooks.
- The school admin names prep checkers (备课检查员); checkers and school admins see the school's preparation.
- A missing-textbook report goes to the catalogue admins above the reporter's school."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.orgs.models import Region

CATALOGUE_REGION_KINDS = (Region.Kind.PROVINCE, Region.Kind.CITY)


def _kind(actor: Actor | None) -> str | None:
    return actor.identity.kind if actor is not None and actor.identity is not None else None


def keeps_catalogue(actor: Actor) -> bool:
    """A province or city admin keeps their region's textbooks."""
    return (_kind(actor) == Identity.Kind.REGION_ADMIN and actor.identity.region is not None
            and actor.identity.region.kind in CATALOGUE_REGION_KINDS)


def edits_textbook(actor: Actor, region_id: int) -> bool:
    """Only the region that keeps a book edits it: a city admin never edits the province's or another city's."""
    return keeps_catalogue(actor) and actor.identity.region_id == region_id


def reads_catalogue(actor: Actor) -> bool:
    return _kind(actor) in (Identity.Kind.REGION_ADMIN, Identity.Kind.SCHOOL_ADMIN, Identity.Kind.TEACHER)


def prepares_lessons(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.TEACHER


def reports_missing(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.TEACHER


def names_checkers(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def checks_school(actor: Actor, is_checker: bool) -> bool:
    """The school admin, and a teacher the school admin named prep checker (`is_checker`)."""
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN or (_kind(actor) == Identity.Kind.TEACHER and is_checker)


def teacher_identity_kind() -> str:
    """The identity kind whose people prepare lessons (the checkers' overview lists them)."""
    return Identity.Kind.TEACHER
