"""Class group verbs (SPC-3): post, reply, share files, ask to join, decide, take out (请出班级), settings.
Each takes the Actor first, checks through access and selectors, runs in one transaction and is audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.classgroups import access, selectors
from renrentong.classgroups.models import (
    ClassGroupRemoval, ClassGroupSetting, GroupFile, GroupMessage, GroupReply, JoinRequest, Role,
)
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.text import clean_text, normalize_text
from renrentong.notices.class_messages import send_class_message
from renrentong.notices.models import Notice
from renrentong.orgs.models import SchoolClass
from renrentong.uploads.services import store_upload

REPLY_LIMIT = 1000
INVITE_DAYS = 7
_INVITE_SALT = "renrentong.classgroups.invite"
ALL_ROLES = [Notice.Role.PARENT, Notice.Role.STUDENT, Notice.Role.TEACHER]


def _label(actor: Actor) -> str:
    person = actor.account.person
    name = person.name if person is not None else actor.account.number
    return f"{name} · {actor.identity.get_kind_display()}"[:100]


def post_message(actor: Actor, class_id: int, text: str, file_ids: list[int] | None = None,
                 roles: list[str] | None = None) -> GroupMessage:
    """A teacher's message to the group; it reaches the members' inboxes like a notice (MSG-2)."""
    group = selectors.group_for(actor, class_id)
    if not access.is_teacher(actor):
        raise UserFacingError("classgroups.teachers_post")
    if not clean_text(text) and not file_ids:
        raise UserFacingError("classgroups.text_required")
    with transaction.atomic():
        notice = send_class_message(actor, group.class_id, clean_text(text), list(file_ids or []), list(roles or ALL_ROLES),
                                    exclude_account_ids=selectors.removed_account_ids(group.class_id))
        message = GroupMessage.objects.create(school_id=notice.school_id, class_id=group.class_id, notice=notice,
                                              author=actor.account, created_at=notice.created_at)
    return message


def reply(actor: Actor, class_id: int, text: str, *, message_id: int | None = None,
          to_account_id: int | None = None) -> GroupReply:
    """A reply under a teacher's message, or a private message to one teacher (to_account_id), as the
    class's setting allows parents; teachers reply or answer privately; students read only."""
    group = selectors.group_for(actor, class_id)
    body = clean_text(text)
    if not body:
        raise UserFacingError("classgroups.text_required")
    if len(body) > REPLY_LIMIT:
        raise UserFacingError("classgroups.reply_too_long")
    message = None
    if message_id is not None:
        message = GroupMessage.objects.filter(class_id=group.class_id, pk=message_id).first() \
            if 1 <= message_id <= MAX_ID else None
        if message is None:
            raise UserFacingError("classgroups.reply_needs_message")
    if to_account_id is not None and not 1 <= to_account_id <= MAX_ID:
        raise UserFacingError("classgroups.member_not_found")
    if access.is_teacher(actor):
        if to_account_id is not None and not any(
                selectors.is_member(group.class_id, to_account_id, role) for role in (Role.PARENT, Role.TEACHER,
                                                                                   Role.STUDENT)):
            raise UserFacingError("classgroups.member_not_found")
        if to_account_id is None and message is None:
            raise UserFacingError("classgroups.reply_needs_message")
    elif access.is_parent(actor):
        if access.parents_reply_publicly(group.parents_may_post):
            if message is None or to_account_id is not None:
                raise UserFacingError("classgroups.reply_needs_message")
        elif access.parents_write_privately(group.parents_may_post):
            if to_account_id is None:
                raise UserFacingError("classgroups.private_to_teacher")
            if not selectors.is_member(group.class_id, to_account_id, Role.TEACHER):
                raise UserFacingError("classgroups.not_a_teacher_here")
        else:
            raise UserFacingError("classgroups.parents_may_not_post")
    else:
        raise UserFacingError("classgroups.parents_may_not_post")
    with transaction.atomic():
        found = GroupReply.objects.create(
            school_id=group.school_class.school_id, class_id=group.class_id, message=message, author=actor.account,
            author_role=group.role, author_label=_label(actor), to_account_id=to_account_id, text=body)
        audit.record(actor, "classgroup.reply", found, {"class": group.class_id, "private": to_account_id is not None},
                     school_id=group.school_class.school_id)
    return found


def upload_file(actor: Actor, class_id: int, data: bytes, name: str, *, upload_key: str = "") -> GroupFile:
    """A teacher shares a file with the group (SPC-4 checks the content)."""
    group = selectors.group_for(actor, class_id)
    if not access.is_teacher(actor):
        raise UserFacingError("classgroups.teachers_post")
    if not data:
        raise UserFacingError("classgroups.file_required")
    school_id = group.school_class.school_id
    stored = store_upload(actor, data, name, purpose="group", school_id=school_id, upload_key=upload_key)
    with transaction.atomic():
        found = GroupFile.objects.filter(class_id=group.class_id, file=stored).first()
        if found is None:
            found = GroupFile.objects.create(school_id=school_id, class_id=group.class_id, file=stored,
                                             uploaded_by=actor.account, uploader_label=_label(actor))
            audit.record(actor, "classgroup.file", found, {"class": group.class_id, "name": stored.name},
                         school_id=school_id)
    return found


def store_attachment(actor: Actor, class_id: int, data: bytes, name: str) -> int:
    """An image or file for a message the teacher is writing: stored, returned by id to attach."""
    selectors.group_for(actor, class_id)
    if not access.is_teacher(actor):
        raise UserFacingError("classgroups.teachers_post")
    return store_upload(actor, data, name, purpose="group", school_id=actor.identity.school_id).pk


# Invitations -------------------------------------------------------------------------------------------

def invite_token(actor: Actor, class_id: int) -> str:
    """A signed invite link's token (7 days). Like the class code, it only opens a join request."""
    group = selectors.group_for(actor, class_id)
    if not access.is_teacher(actor):
        raise UserFacingError("classgroups.teachers_post")
    return signing.dumps({"c": group.class_id}, salt=_INVITE_SALT, compress=True)


def class_of_invite(token: str) -> SchoolClass:
    try:
        found = signing.loads(token, salt=_INVITE_SALT, max_age=INVITE_DAYS * 86400)
    except signing.BadSignature:
        raise UserFacingError("classgroups.link_expired") from None
    school_class = SchoolClass.objects.select_related("school", "cohort__stage").filter(pk=found.get("c")).first()
    if school_class is None:
        raise UserFacingError("classgroups.link_expired")
    return school_class


def class_of_code(code: str) -> SchoolClass:
    value = normalize_text(code or "").strip()
    school_class = SchoolClass.objects.select_related("school", "cohort__stage").filter(
        code__iexact=value).first() if 0 < len(value) <= 12 else None
    if school_class is None:
        raise UserFacingError("classgroups.code_unknown")
    return school_class


@dataclass
class JoinOutcome:
    state: str  # member | pending
    school_class: SchoolClass
    request: JoinRequest | None = None


def ask_to_join(actor: Actor, *, code: str = "", token: str = "") -> JoinOutcome:
    """The class code or an invite link opens a join request; it grants nothing by itself. Only someone
    the platform's records place in the class may ask (a guardian of an enrolled child, a teacher teaching
    it, an enrolled student); the others are told why and who fixes it. Someone already in the group is
    told so; someone the head teacher took out waits for the head teacher's decision."""
    school_class = class_of_invite(token) if token else class_of_code(code)
    role = access.role_of(actor)
    if role is None:
        raise UserFacingError("classgroups.join_not_for_you")
    if not access.eligible(actor, school_class.pk):
        raise UserFacingError(access.not_eligible_error(actor))
    removal = ClassGroupRemoval.objects.filter(class_id=school_class.pk, account=actor.account, role=role,
                                               lifted_at__isnull=True).exists()
    if not removal:
        return JoinOutcome("member", school_class)
    pending = JoinRequest.objects.filter(class_id=school_class.pk, account=actor.account, role=role,
                                         status=JoinRequest.Status.PENDING).first()
    if pending is None:
        try:
            with transaction.atomic():
                pending = JoinRequest.objects.create(
                    school_id=school_class.school_id, class_id=school_class.pk, account=actor.account,
                    identity_id=actor.identity.pk, role=role,
                    via=JoinRequest.Via.LINK if token else JoinRequest.Via.CODE)
                audit.record(actor, "classgroup.join_request", pending, {"class": school_class.pk, "role": role},
                             school_id=school_class.school_id)
        except IntegrityError:  # the same request twice at once
            pending = JoinRequest.objects.get(class_id=school_class.pk, account=actor.account, role=role,
                                              status=JoinRequest.Status.PENDING)
    return JoinOutcome("pending", school_class, pending)


def decide(actor: Actor, class_id: int, request_id: int, *, approve: bool) -> JoinRequest:
    """The head teacher approves (the member is back) or refuses a join request; eligibility is checked
    again at approval, since records may have changed."""
    group = selectors.managed_group(actor, class_id)
    with transaction.atomic():
        found = JoinRequest.objects.select_for_update().filter(
            class_id=group.class_id, pk=request_id, status=JoinRequest.Status.PENDING).first() \
            if 1 <= request_id <= MAX_ID else None
        if found is None:
            raise UserFacingError("classgroups.request_not_found")
        now = timezone.now()
        if approve:
            still = found.account_id in selectors.derived_members(group.class_id).get(found.role, set())
            if not still:
                raise UserFacingError({Role.TEACHER: "classgroups.not_teaching_class", Role.STUDENT:
                                       "classgroups.not_enrolled"}.get(found.role, "classgroups.not_guardian_of_class"))
            ClassGroupRemoval.objects.filter(class_id=group.class_id, account_id=found.account_id, role=found.role,
                                             lifted_at__isnull=True).update(lifted_at=now)
        found.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
        found.decided_by, found.decided_at = actor.account, now
        found.save(update_fields=["status", "decided_by", "decided_at"])
        audit.record(actor, "classgroup.join_" + ("approve" if approve else "refuse"), found,
                     {"class": group.class_id, "role": found.role}, school_id=group.school_class.school_id)
    return found


def remove_member(actor: Actor, class_id: int, account_id: int, role: str) -> ClassGroupRemoval:
    """请出班级: the head teacher takes a member out; recorded, so derivation does not bring them back."""
    group = selectors.managed_group(actor, class_id)
    if role not in Role.values or not 1 <= account_id <= MAX_ID or not selectors.is_member(group.class_id, account_id, role):
        raise UserFacingError("classgroups.member_not_found")
    if account_id == actor.account.pk and role == Role.TEACHER:
        raise UserFacingError("classgroups.cannot_remove_self")
    with transaction.atomic():
        found = ClassGroupRemoval.objects.create(school_id=group.school_class.school_id, class_id=group.class_id,
                                                 account_id=account_id, role=role, removed_by=actor.account)
        audit.record(actor, "classgroup.remove", found, {"class": group.class_id, "role": role,
                                                         "account": account_id}, school_id=group.school_class.school_id)
    return found


def set_parents_may_post(actor: Actor, class_id: int, value: str) -> ClassGroupSetting:
    group = selectors.managed_group(actor, class_id)
    if value not in ClassGroupSetting.ParentsMayPost.values:
        raise UserFacingError("field.invalid", field="parents_may_post")
    with transaction.atomic():
        found, _ = ClassGroupSetting.objects.update_or_create(
            class_id=group.class_id, defaults={"school_id": group.school_class.school_id, "parents_may_post": value,
                                               "updated_by": actor.account, "updated_at": timezone.now()})
        audit.record(actor, "classgroup.setting", found, {"class": group.class_id, "parents_may_post": value},
                     school_id=group.school_class.school_id)
    return found
