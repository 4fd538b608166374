"""Who may send, read and follow up which notices (MSG-1, MSG-3). Services, pages and templates ask these;
nobody else in notices compares identity kinds."""

from __future__ import annotations

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.notices.models import Notice

SENDS = {
    Identity.Kind.SCHOOL_ADMIN: Notice.Kind.SCHOOL,
    Identity.Kind.TEACHER: Notice.Kind.HOMEWORK,
    Identity.Kind.REGION_ADMIN: Notice.Kind.REGION,
}
READERS = (Identity.Kind.STUDENT, Identity.Kind.GUARDIAN, Identity.Kind.TEACHER)


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def kind_sent_by(actor: Actor) -> str | None:
    """The kind of notice this identity sends: school admins school notices, teachers homework notices,
    region admins notices to the schools below them; students and parents send none."""
    return SENDS.get(_kind(actor))


def may_send(actor: Actor) -> bool:
    return kind_sent_by(actor) is not None


def addresses_classes(actor: Actor) -> bool:
    """School and homework notices address classes; a region's notice addresses schools."""
    return kind_sent_by(actor) in (Notice.Kind.SCHOOL, Notice.Kind.HOMEWORK)


def classes_limited_to_teaching(actor: Actor) -> bool:
    """A teacher addresses only the classes they teach or head (the school admin sets teaching)."""
    return _kind(actor) == Identity.Kind.TEACHER


def may_send_urgent(actor: Actor) -> bool:
    """Urgent notices are pushed inside quiet hours: admins only (MSG-4)."""
    return _kind(actor) in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def reads_inbox(actor: Actor) -> bool:
    return _kind(actor) in READERS


def acting_as_guardian(actor: Actor) -> bool:
    return _kind(actor) == Identity.Kind.GUARDIAN


def is_sender(actor: Actor, notice: Notice) -> bool:
    return notice.sender_id == actor.account.pk and notice.sender_identity_id == getattr(actor.identity, "pk", None)


# sending: who sees and changes a sent notice from the sender's side (MSG-1).

def sees_sender_view(actor: Actor, notice: Notice) -> bool:
    """The sender, and the admin of the notice's school (who answers for what the school sends)."""
    if is_sender(actor, notice):
        return True
    return (_kind(actor) == Identity.Kind.SCHOOL_ADMIN and notice.school_id is not None
            and notice.school_id == actor.identity.school_id)


def roles_addressed_by(actor: Actor) -> list[str]:
    """Whom a sender may address: a homework notice goes to the class's parents and students; school and
    region notices also to teachers."""
    if kind_sent_by(actor) is None:
        return []
    if kind_sent_by(actor) == Notice.Kind.HOMEWORK:
        return [Notice.Role.PARENT, Notice.Role.STUDENT]
    return [Notice.Role.PARENT, Notice.Role.STUDENT, Notice.Role.TEACHER]


def may_recall(actor: Actor, notice: Notice) -> bool:
    """The sender recalls (or cancels a scheduled) notice; the school admin may too, for their school's."""
    return sees_sender_view(actor, notice)


def may_correct(actor: Actor, notice: Notice) -> bool:
    """Only the sender corrects the text: readers see it under the sender's name."""
    return is_sender(actor, notice)
