"""Who may post, read, moderate and manage which spaces (SPC-1, SPC-2). Services, pages, endpoints and
templates ask these; nobody else in spaces compares identity kinds."""

from __future__ import annotations

from datetime import date

from renrentong.accounts.models import HeadTeacher, Identity
from renrentong.core.actor import Actor
from renrentong.orgs.models import Region

from renrentong.spaces.models import ClassSpaceAdmin, Post

AUTHORS = (Identity.Kind.STUDENT, Identity.Kind.GUARDIAN, Identity.Kind.TEACHER)
WORD_LIST_REGIONS = (Region.Kind.DISTRICT, Region.Kind.CITY)
ADULT_AGE = 14


def _kind(actor: Actor) -> str | None:
    return actor.identity.kind if actor.identity is not None else None


def may_post(actor: Actor) -> bool:
    """Students, parents (to their child's class and school) and teachers write posts."""
    return _kind(actor) in AUTHORS


def reads_feeds(actor: Actor) -> bool:
    """Everyone with an identity reads feeds; what each sees is the selectors' business."""
    return actor.identity is not None


def is_child(actor: Actor, today: date) -> bool:
    """A student under 14, or whose birth date is unknown (then the stricter rule holds)."""
    if _kind(actor) != Identity.Kind.STUDENT:
        return False
    person = actor.account.person
    birth = person.birth_date if person is not None else None
    if birth is None:
        return True
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return age < ADULT_AGE


def acting_school_id(actor: Actor) -> int | None:
    """The school an identity tied to one school (teacher, school admin) acts for."""
    if _kind(actor) in (Identity.Kind.TEACHER, Identity.Kind.SCHOOL_ADMIN):
        return actor.identity.school_id
    return None


def moderated_school_ids(actor: Actor) -> set[int]:
    """School admins remove and review their school's content."""
    if _kind(actor) == Identity.Kind.SCHOOL_ADMIN and actor.identity.school_id:
        return {actor.identity.school_id}
    return set()


def headed_class_ids(actor: Actor) -> set[int]:
    if _kind(actor) != Identity.Kind.TEACHER:
        return set()
    return set(HeadTeacher.objects.filter(teacher=actor.identity).values_list("school_class_id", flat=True))


def may_moderate(actor: Actor, post: Post) -> bool:
    """The school admin for the school's posts, the class head teacher for the posts of their class."""
    if post.school_id in moderated_school_ids(actor):
        return True
    return post.class_id is not None and post.class_id in headed_class_ids(actor)


def is_author(actor: Actor, post: Post) -> bool:
    return post.author_id == actor.account.pk


def follows_review_queue(actor: Actor) -> bool:
    return bool(moderated_school_ids(actor))


def may_appoint_class_admins(actor: Actor, class_id: int) -> bool:
    return class_id in headed_class_ids(actor)


def may_manage_class_space(actor: Actor, class_id: int) -> bool:
    """The head teacher, or a member of the class the head teacher appointed class admin."""
    if may_appoint_class_admins(actor, class_id):
        return True
    return (class_id in actor.scope.class_ids and _kind(actor) in AUTHORS
            and ClassSpaceAdmin.objects.filter(class_id=class_id, account=actor.account).exists())


def may_manage_school_space(actor: Actor, school_id: int) -> bool:
    return school_id in moderated_school_ids(actor)


def edits_word_list(actor: Actor) -> bool:
    """District and city admins keep their region's word list and its under-14 rule."""
    return (_kind(actor) == Identity.Kind.REGION_ADMIN and actor.identity.region_id is not None
            and actor.identity.region.kind in WORD_LIST_REGIONS)


def sees_stats(actor: Actor) -> bool:
    return _kind(actor) in (Identity.Kind.SCHOOL_ADMIN, Identity.Kind.REGION_ADMIN)


def sees_region_stats(actor: Actor) -> bool:
    """A region admin's statistics list schools; a school admin's list classes."""
    return _kind(actor) == Identity.Kind.REGION_ADMIN


def removal_reason_for(actor: Actor, post: Post) -> str:
    """The moderator's reason is the author's to read (“已被移除：原因”), nobody else's."""
    return post.moderation_reason if is_author(actor, post) and post.status == Post.Status.REMOVED else ""
