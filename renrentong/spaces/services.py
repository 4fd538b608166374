"""Writing posts, moderating them and managing spaces (SPC-1, SPC-2): each verb takes the Actor first,
checks, changes in one transaction and records the audit event."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.text import normalize_text
from renrentong.orgs.models import School
from renrentong.orgs.policy import policy_for_school
from renrentong.uploads.models import StoredFile
from renrentong.uploads.services import store_upload

from renrentong.spaces import access, selectors
from renrentong.spaces.models import (
    BlockedWord, ClassSpace, ClassSpaceAdmin, PersonalSpace, Post, PostImage, PostReport, SchoolSpace, SpaceVisit,
)

TEXT_LIMIT = 2000
MAX_IMAGES = 9
REASON_LIMIT = 200
WORD_LIMIT = 50
UPLOAD_PURPOSE = "post"
PERSONAL_SPACE, CLASS_SPACE, SCHOOL_SPACE = SpaceVisit.Space.values


@dataclass
class PostDraft:
    text: str
    kind: str = Post.Kind.MOOD
    visibility: str = Post.Visibility.CLASS
    class_id: int | None = None
    file_ids: list[int] = field(default_factory=list)
    # Files sent with a page form (name, bytes): stored through uploads before the post is written.
    uploads: list[tuple[str, bytes]] = field(default_factory=list)


def _author_label(actor: Actor) -> str:
    person = actor.account.person
    return (person.name if person is not None else actor.account.number)[:100]


def _place(actor: Actor, draft: PostDraft) -> tuple[int, int | None]:
    """The post's school and class: the chosen class (one the author belongs to), else the only one."""
    class_id = draft.class_id
    if class_id is None and len(actor.scope.class_ids) == 1 and access.acting_school_id(actor) is None:
        class_id = next(iter(actor.scope.class_ids))
    if class_id is not None:
        school_class = selectors.member_class(actor, class_id)
        return school_class.school_id, class_id
    if draft.visibility == Post.Visibility.CLASS:
        raise UserFacingError("spaces.choose_class")
    school_id = selectors.default_school_id(actor)
    if school_id is None:
        raise UserFacingError("spaces.no_school")
    if len(actor.scope.school_ids) > 1 and access.acting_school_id(actor) is None:
        raise UserFacingError("spaces.choose_class")
    return school_id, None


def held_words(text: str, school_id: int) -> list[str]:
    """The region word-list entries found in the text, both compared after normalisation (full-width
    letters, spaces and case never hide a word)."""
    folded = normalize_text(text).casefold()
    return sorted({w for w in selectors.words_in_force(school_id) if w and w in folded})


def _open_personal_space(actor: Actor, school_id: int, class_id: int | None) -> None:
    PersonalSpace.objects.bulk_create(
        [PersonalSpace(school_id=school_id, class_id=class_id, account=actor.account)], ignore_conflicts=True)


def create_post(actor: Actor, draft: PostDraft) -> Post:
    if not access.may_post(actor):
        raise UserFacingError("spaces.not_allowed")
    text = (draft.text or "").strip()
    if not text or len(text) > TEXT_LIMIT:
        raise UserFacingError("spaces.text_required")
    if draft.kind not in Post.Kind.values or draft.visibility not in Post.Visibility.values:
        raise UserFacingError("request.invalid", detail="kind or visibility")
    if len(set(draft.file_ids)) + len(draft.uploads) > MAX_IMAGES:
        raise UserFacingError("spaces.too_many_images")
    school_id, class_id = _place(actor, draft)
    if draft.visibility == Post.Visibility.PUBLIC and access.is_child(actor, timezone.localdate()):
        if not policy_for_school(School.objects.select_related("district").get(pk=school_id)).public_posts_under_14:
            raise UserFacingError("spaces.public_not_allowed")
    files = list(StoredFile.objects.filter(pk__in=set(draft.file_ids), owner=actor.account))
    if len(files) != len(set(draft.file_ids)):
        raise UserFacingError("spaces.image_not_yours")
    for name, data in draft.uploads:
        files.append(store_upload(actor, data, name, purpose=UPLOAD_PURPOSE, school_id=school_id))
    if any(f.kind != StoredFile.Kind.IMAGE for f in files):
        raise UserFacingError("spaces.not_an_image")
    words = held_words(text, school_id)
    with transaction.atomic():
        post = Post.objects.create(
            school_id=school_id, class_id=class_id, author=actor.account, author_identity_id=actor.identity.pk,
            author_label=_author_label(actor), author_kind=actor.identity.kind, kind=draft.kind, text=text, visibility=draft.visibility,
            status=Post.Status.HELD if words else Post.Status.PUBLISHED, held_words=words)
        PostImage.objects.bulk_create([PostImage(post=post, school_id=school_id, file=f, position=i)
                                       for i, f in enumerate(files)])
        _open_personal_space(actor, school_id, class_id)
        audit.record(actor, "post.create", post, {"kind": post.kind, "visibility": post.visibility,
                                                  "images": len(files), "held": bool(words)}, school_id=school_id)
    return post


def delete_post(actor: Actor, post_id: int) -> Post:
    post = selectors.post_for_reader(actor, post_id)
    if not access.is_author(actor, post):
        raise UserFacingError("spaces.not_author")
    with transaction.atomic():
        post.status = Post.Status.DELETED
        post.save(update_fields=["status"])
        audit.record(actor, "post.delete", post, school_id=post.school_id)
    return post


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > REASON_LIMIT:
        raise UserFacingError("spaces.reason_required")
    return reason


def remove_post(actor: Actor, post_id: int, reason: str) -> Post:
    """School admins remove their school's posts, head teachers their class's; the author sees the reason."""
    post = selectors.post_for_reader(actor, post_id)
    if not access.may_moderate(actor, post):
        raise UserFacingError("spaces.not_moderator")
    reason = _reason(reason)
    now = timezone.now()
    with transaction.atomic():
        post.status, post.moderation_reason, post.moderated_by, post.moderated_at = (
            Post.Status.REMOVED, reason, actor.account, now)
        post.save(update_fields=["status", "moderation_reason", "moderated_by", "moderated_at"])
        PostReport.objects.filter(post=post, resolved_at__isnull=True).update(resolved_at=now)
        audit.record(actor, "post.remove", post, {"reason": reason}, school_id=post.school_id)
    return post


def approve_post(actor: Actor, post_id: int) -> Post:
    """A held post is published; a reported one is kept (its reports are closed)."""
    post = selectors.post_for_reader(actor, post_id)
    if not access.may_moderate(actor, post):
        raise UserFacingError("spaces.not_moderator")
    open_reports = PostReport.objects.filter(post=post, resolved_at__isnull=True)
    if post.status != Post.Status.HELD and not open_reports.exists():
        raise UserFacingError("spaces.not_held")
    now = timezone.now()
    with transaction.atomic():
        post.status, post.moderated_by, post.moderated_at = Post.Status.PUBLISHED, actor.account, now
        post.save(update_fields=["status", "moderated_by", "moderated_at"])
        closed = open_reports.update(resolved_at=now)
        audit.record(actor, "post.approve", post, {"reports_closed": closed}, school_id=post.school_id)
    return post


def report_post(actor: Actor, post_id: int, reason: str) -> PostReport:
    post = selectors.post_for_reader(actor, post_id)
    if access.is_author(actor, post):
        raise UserFacingError("spaces.own_post")
    reason = _reason(reason)
    try:
        with transaction.atomic():
            report = PostReport.objects.create(post=post, school_id=post.school_id, reporter=actor.account,
                                               reason=reason)
            audit.record(actor, "post.report", post, {"reason": reason}, school_id=post.school_id)
    except IntegrityError:
        raise UserFacingError("spaces.already_reported") from None
    return report


def add_word(actor: Actor, word: str) -> BlockedWord:
    if not access.edits_word_list(actor):
        raise UserFacingError("spaces.words_not_allowed")
    word = (word or "").strip()
    normalised = normalize_text(word).casefold()
    if not normalised or len(word) > WORD_LIMIT or len(normalised) > WORD_LIMIT:
        raise UserFacingError("spaces.word_invalid")
    region_id = actor.identity.region_id
    try:
        with transaction.atomic():
            row = BlockedWord.objects.create(region_id=region_id, word=word, normalised=normalised,
                                             added_by=actor.account)
            audit.record(actor, "spaces.word_add", row, {"word": word})
    except IntegrityError:
        raise UserFacingError("spaces.word_exists") from None
    return row


def remove_word(actor: Actor, word_id: int) -> None:
    if not access.edits_word_list(actor):
        raise UserFacingError("spaces.words_not_allowed")
    row = BlockedWord.objects.filter(pk=word_id, region_id=actor.identity.region_id).first()
    if row is None:
        raise UserFacingError("scope.not_found")
    with transaction.atomic():
        audit.record(actor, "spaces.word_remove", row, {"word": row.word})
        row.delete()


def set_public_posts_under_14(actor: Actor, allowed: bool) -> None:
    """The region's rule for children's public posts, kept in its Policy (orgs' service audits it)."""
    if not access.edits_word_list(actor):
        raise UserFacingError("spaces.words_not_allowed")
    from renrentong.orgs.services import update_policy

    update_policy(actor, {"public_posts_under_14": bool(allowed)})


def _check_header(title: str, intro: str) -> tuple[str, str]:
    title, intro = (title or "").strip(), (intro or "").strip()
    if len(title) > 40 or len(intro) > 500:
        raise UserFacingError("spaces.title_too_long")
    return title, intro


def _cover(actor: Actor, school_id: int, cover: tuple[str, bytes] | None) -> StoredFile | None:
    if cover is None:
        return None
    stored = store_upload(actor, cover[1], cover[0], purpose="space", school_id=school_id)
    if stored.kind != StoredFile.Kind.IMAGE:
        raise UserFacingError("spaces.not_an_image")
    return stored


def update_class_space(actor: Actor, class_id: int, *, title: str, intro: str,
                       cover: tuple[str, bytes] | None = None) -> ClassSpace:
    school_class, _space = selectors.class_space(actor, class_id)
    if not access.may_manage_class_space(actor, class_id):
        raise UserFacingError("spaces.not_space_manager")
    title, intro = _check_header(title, intro)
    stored = _cover(actor, school_class.school_id, cover)
    with transaction.atomic():
        space, _ = ClassSpace.objects.get_or_create(class_id=class_id, defaults={"school_id": school_class.school_id})
        space.title, space.intro, space.updated_by, space.updated_at = title, intro, actor.account, timezone.now()
        if stored is not None:
            space.cover = stored
        space.save()
        audit.record(actor, "spaces.class_space_update", space, {"cover": stored is not None},
                     school_id=school_class.school_id)
    return space


def update_school_space(actor: Actor, school_id: int, *, title: str, intro: str,
                        cover: tuple[str, bytes] | None = None) -> SchoolSpace:
    selectors.school_space(actor, school_id)
    if not access.may_manage_school_space(actor, school_id):
        raise UserFacingError("spaces.not_space_manager")
    title, intro = _check_header(title, intro)
    stored = _cover(actor, school_id, cover)
    with transaction.atomic():
        space, _ = SchoolSpace.objects.get_or_create(school_id=school_id)
        space.title, space.intro, space.updated_by, space.updated_at = title, intro, actor.account, timezone.now()
        if stored is not None:
            space.cover = stored
        space.save()
        audit.record(actor, "spaces.school_space_update", space, {"cover": stored is not None}, school_id=school_id)
    return space


def appoint_class_admin(actor: Actor, class_id: int, account_number: str) -> ClassSpaceAdmin:
    """The head teacher appoints a student or teacher of the class (by account number) class admin."""
    school_class, _space = selectors.class_space(actor, class_id)
    if not access.may_appoint_class_admins(actor, class_id):
        raise UserFacingError("spaces.not_head_teacher")
    from renrentong.accounts.selectors import audience_students, audience_teachers

    on = timezone.localdate()
    members = {row[2] for row in audience_students(on, class_ids=[class_id])}
    for qs in audience_teachers(class_ids=[class_id]):
        members |= {row[2] for row in qs}
    from renrentong.accounts.models import Account

    account = Account.objects.filter(number=(account_number or "").strip(), pk__in=members).first()
    if account is None:
        raise UserFacingError("spaces.not_class_member")
    with transaction.atomic():
        row, _ = ClassSpaceAdmin.objects.get_or_create(
            class_id=class_id, account=account,
            defaults={"school_id": school_class.school_id, "appointed_by": actor.account})
        audit.record(actor, "spaces.class_admin_appoint", row, {"account": account.number},
                     school_id=school_class.school_id)
    return row


def dismiss_class_admin(actor: Actor, class_id: int, admin_id: int) -> None:
    school_class, _space = selectors.class_space(actor, class_id)
    if not access.may_appoint_class_admins(actor, class_id):
        raise UserFacingError("spaces.not_head_teacher")
    row = ClassSpaceAdmin.objects.filter(pk=admin_id, class_id=class_id).first()
    if row is None:
        raise UserFacingError("scope.not_found")
    with transaction.atomic():
        audit.record(actor, "spaces.class_admin_dismiss", row, school_id=school_class.school_id)
        row.delete()


def record_visit(actor: Actor, space: str, space_key: int, school_id: int, class_id: int | None) -> None:
    """One row per visitor, space and day (a second visit the same day changes nothing)."""
    if space == SpaceVisit.Space.PERSONAL and space_key == actor.account.pk:
        _open_personal_space(actor, school_id, class_id)
        return  # the owner's own visits are not visits
    SpaceVisit.objects.bulk_create([SpaceVisit(school_id=school_id, class_id=class_id, space=space,
                                               space_key=space_key, visitor=actor.account,
                                               day=timezone.localdate())], ignore_conflicts=True)


def personal_space_place(author_id: int) -> tuple[int | None, int | None]:
    """Where a personal space counts in the statistics: its owner's (latest) school and class."""
    found = PersonalSpace.objects.filter(account_id=author_id).order_by("-opened_at").values_list(
        "school_id", "class_id").first()
    if found:
        return found
    post = Post.objects.filter(author_id=author_id).order_by("-pk").values_list("school_id", "class_id").first()
    return post if post else (None, None)
