"""Reading a person's full ID number, national student number or phone: admins only, every read audited
(NFR-1; issue 12: an admin reveals one number in a table cell with a click)."""

from __future__ import annotations

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.accounts.models import Account, Person
from renrentong.accounts.privacy.access import can_reveal
from renrentong.accounts.selectors import current_enrollment, people_in_scope, person_in_scope


def _person_in_reach(actor: Actor, person_id: int) -> Person:
    """A person the actor may see, or a guardian of one (the parents' table lists them): else not found."""
    if not 0 < person_id < 2**63:  # no such row; a bigger number would not even fit the database's integer
        raise UserFacingError("scope.not_found")
    if people_in_scope(actor.scope, Person.objects.filter(guardianships__guardian_id=person_id)).exists():
        person = Person.objects.filter(pk=person_id).first()
        if person is not None:
            return person
    return person_in_scope(actor, person_id)


def _revealed_person(actor: Actor, person_id: int, verb: str, *, not_allowed: str = "privacy.reveal_not_allowed",
                     guardians: bool = False) -> Person:
    """The person whose full number an admin asks for, the read audited in the caller's transaction."""
    identity = actor.require_identity()
    person = _person_in_reach(actor, person_id) if guardians else person_in_scope(actor, person_id)
    if not can_reveal(actor):
        raise UserFacingError(not_allowed)
    enrollment = current_enrollment(person.pk)
    audit.record(actor, verb, person, school_id=enrollment.school_id if enrollment else identity.school_id)
    return person


@transaction.atomic
def reveal_id_number(actor: Actor, person_id: int) -> str:
    """A full ID number, for admins only and always audited (NFR-1)."""
    return _revealed_person(actor, person_id, "person.reveal_id_number", guardians=True).reveal_id_number()


@transaction.atomic
def reveal_national_student_number(actor: Actor, person_id: int) -> str:
    """A full national student number ("G" + the ID number, mostly): as the ID number, admins only, audited."""
    return _revealed_person(actor, person_id, "person.reveal_national_student_number").reveal_national_student_number()


@transaction.atomic
def reveal_phone(actor: Actor, person_id: int) -> str:
    """The full phone of a person's account, for admins only and always audited ("" when there is none).
    Parents are in reach through a child in scope: their phones are the ones a school calls."""
    person = _revealed_person(actor, person_id, "person.reveal_phone",
                              not_allowed="privacy.reveal_phone_not_allowed", guardians=True)
    return Account.objects.filter(person=person).values_list("phone", flat=True).first() or ""
