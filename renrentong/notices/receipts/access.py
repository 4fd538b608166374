"""Who sees which read receipts (MSG-3) and who reminds. The one place in receipts that compares identity
kinds: the sender sees their notice whole; a class head teacher sees the classes they head; a school admin
every notice reaching their school, per class; a region admin the schools below them, summed per school."""

from __future__ import annotations

from renrentong.accounts.models import HeadTeacher, Identity
from renrentong.core.actor import Actor
from renrentong.notices.access import is_sender  # noqa: F401  (re-exported: one import for receipts)


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def headed_class_ids(actor: Actor) -> set[int]:
    """The classes this teacher heads (班主任); none for any other identity."""
    if _kind(actor) != Identity.Kind.TEACHER:
        return set()
    return set(HeadTeacher.objects.filter(teacher_id=actor.identity.pk).values_list("school_class_id", flat=True))


def follows_school(actor: Actor) -> bool:
    """A school admin: every notice that reached their school, per class."""
    return _kind(actor) == Identity.Kind.SCHOOL_ADMIN


def follows_region(actor: Actor) -> bool:
    """A district, city or province admin: the schools below them, summed per school."""
    return _kind(actor) == Identity.Kind.REGION_ADMIN


def may_open_receipts(actor: Actor) -> bool:
    """Whether the receipts list is offered: senders, head teachers, school and region admins."""
    return _kind(actor) in (Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)
