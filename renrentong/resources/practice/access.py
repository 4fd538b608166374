"""Who may do what with online practice (RES-2): the one place in practice that compares identity kinds.
Services, selectors, pages and templates ask these."""

from __future__ import annotations

from renrentong.accounts.family.access import acting_as_guardian
from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.orgs import access as orgs_access


def keeps_questions(actor: Actor | None) -> bool:
    """Teachers keep their school's questions; region admins their region's."""
    return orgs_access.acts_as_teacher(actor) or orgs_access.acts_as_region_admin(actor)


def keeps_for_region(actor: Actor | None) -> bool:
    return orgs_access.acts_as_region_admin(actor)


def builds_papers(actor: Actor | None) -> bool:
    return orgs_access.acts_as_teacher(actor)


def takes_practice(actor: Actor | None) -> bool:
    """Students take practice themselves (a parent switches to the child's student identity)."""
    return actor is not None and actor.identity is not None and actor.identity.kind == Identity.Kind.STUDENT


def practising_person(actor: Actor) -> int | None:
    """The person a student identity practises as: their own, read from the account (no scope query), so a
    student reaches their own attempts and nobody else's."""
    return actor.account.person_id if takes_practice(actor) else None


def is_parent(actor: Actor | None) -> bool:
    return actor is not None and acting_as_guardian(actor)


def may_edit_question(actor: Actor, question) -> bool:
    """A school's question by its school's teachers; a region's by admins of that region or above."""
    if question.school_id is not None:
        return orgs_access.acts_as_teacher(actor) and question.school_id == actor.identity.school_id
    return keeps_for_region(actor) and question.region_id in actor.scope.region_ids


def may_publish_to(actor: Actor, class_id: int) -> bool:
    return orgs_access.acts_as_teacher(actor) and class_id in actor.scope.class_ids


def sees_class_results(actor: Actor, paper, class_id: int) -> bool:
    """The class's teachers (taught or headed) and the school admin of the paper's school."""
    if orgs_access.acts_as_school_admin(actor):
        return paper.school_id == actor.identity.school_id
    return orgs_access.acts_as_teacher(actor) and paper.school_id == actor.identity.school_id and (
        class_id in actor.scope.class_ids)


def sees_results_at_all(actor: Actor | None) -> bool:
    return orgs_access.acts_as_teacher(actor) or orgs_access.acts_as_school_admin(actor)
