"""Reading a person's full ID number or national student number: admins only, every read audited (NFR-1)."""

from __future__ import annotations

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.accounts.models import Person
from renrentong.accounts.privacy.access import can_reveal
from renrentong.accounts.selectors import current_enrollment, person_in_scope


def _revealed_person(actor: Actor, person_id: int, verb: str) -> Person:
    """The person whose full number an admin asks for, the read audited in the caller's transaction."""
    identity = actor.require_identity()
    person = person_in_scope(actor, person_id)
    if not can_reveal(actor):
        raise UserFacingError("privacy.reveal_not_allowed")
    enrollment = current_enrollment(person.pk)
    audit.record(actor, verb, person, school_id=enrollment.school_id if enrollment else identity.school_id)
    return person


@transaction.atomic
def reveal_id_number(actor: Actor, person_id: int) -> str:
    """A full ID number, for admins only and always audited (NFR-1)."""
    return _revealed_person(actor, person_id, "person.reveal_id_number").reveal_id_number()


@transaction.atomic
def reveal_national_student_number(actor: Actor, person_id: int) -> str:
    """A full national student number ("G" + the ID number, mostly): as the ID number, admins only, audited."""
    return _revealed_person(actor, person_id, "person.reveal_national_student_number").reveal_national_student_number()
