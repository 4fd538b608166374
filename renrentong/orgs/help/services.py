"""Keeping the FAQ and the support contacts (HELP-2).

A region admin edits the entries and the contact of their own region and of every region below it; the
users of a school read their district's entries first, then the city's and the province's, and see the
nearest contact with every error (accounts.selectors.contact_for). Each change is audited."""

from __future__ import annotations

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.text import clean_text

from renrentong.orgs.help import access
from renrentong.orgs.models import FaqEntry, Region
from renrentong.orgs.selectors import region_in_scope

CATEGORY_MAX = 32
QUESTION_MAX = 200
ANSWER_MAX = 4000
CONTACT_MAX = 128


def require_editor(actor: Actor) -> None:
    actor.require_identity()
    if not access.can_edit_help(actor):
        raise UserFacingError("help.not_allowed")


def _line(text: str | None) -> str:
    return " ".join(clean_text(text).split())


def _clean_entry(category: str, question: str, answer: str) -> tuple[str, str, str]:
    category, question, answer = _line(category), _line(question), clean_text(answer)
    if not question or not answer:
        raise UserFacingError("help.entry_blank")
    if len(category) > CATEGORY_MAX or len(question) > QUESTION_MAX or len(answer) > ANSWER_MAX:
        raise UserFacingError("help.entry_too_long", category=CATEGORY_MAX, question=QUESTION_MAX,
                              answer=ANSWER_MAX)
    return category, question, answer


def _entry(actor: Actor, entry_id: int) -> FaqEntry:
    require_editor(actor)
    entry = FaqEntry.objects.select_for_update().filter(
        pk=entry_id, region__in=actor.scope.regions(Region.objects.all())).first()
    if entry is None:
        raise UserFacingError("scope.not_found")
    return entry


def _details(entry: FaqEntry) -> dict:
    return {"region": entry.region_id, "category": entry.category, "question": entry.question}


@transaction.atomic
def add_entry(actor: Actor, region_id: int, category: str, question: str, answer: str,
              position: int | None = None) -> FaqEntry:
    """A new entry at the end of the region's list, or at `position`."""
    require_editor(actor)
    region = region_in_scope(actor, region_id)
    category, question, answer = _clean_entry(category, question, answer)
    if position is None:
        last = FaqEntry.objects.filter(region=region).order_by("-position").values_list("position", flat=True).first()
        position = 0 if last is None else last + 1
    entry = FaqEntry.objects.create(region=region, category=category, question=question, answer=answer,
                                    position=position, updated_by=actor.account)
    audit.record(actor, "help.faq_add", entry, _details(entry))
    return entry


@transaction.atomic
def update_entry(actor: Actor, entry_id: int, category: str, question: str, answer: str,
                 position: int | None = None) -> FaqEntry:
    entry = _entry(actor, entry_id)
    entry.category, entry.question, entry.answer = _clean_entry(category, question, answer)
    if position is not None:
        entry.position = position
    entry.updated_by = actor.account
    entry.save()
    audit.record(actor, "help.faq_update", entry, _details(entry))
    return entry


@transaction.atomic
def delete_entry(actor: Actor, entry_id: int) -> None:
    entry = _entry(actor, entry_id)
    audit.record(actor, "help.faq_delete", entry, _details(entry))
    entry.delete()


@transaction.atomic
def set_contact(actor: Actor, region_id: int, contact: str) -> Region:
    """The region's support contact, shown with every error its users meet; blank hands them to the region above."""
    require_editor(actor)
    region = region_in_scope(actor, region_id)
    contact = _line(contact)
    if len(contact) > CONTACT_MAX:
        raise UserFacingError("help.contact_too_long", limit=CONTACT_MAX)
    old = region.support_contact
    if contact != old:
        region.support_contact = contact
        region.save(update_fields=["support_contact"])
        audit.record(actor, "help.contact", region, {"old": old, "new": contact})
    return region
