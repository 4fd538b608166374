"""Reading class groups (SPC-3), always from what the actor may see: a group is visible to its members
only; another class's group answers "not found" (NFR-2)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, TeachingAssignment
from renrentong.accounts.selectors import audience_parents, audience_students, audience_teachers
from renrentong.classgroups import access
from renrentong.classgroups.models import (
    ClassGroupRemoval, ClassGroupSetting, GroupFile, GroupMessage, GroupReply, JoinRequest, Role,
)
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.notices.models import Notice, NoticeAttachment
from renrentong.orgs.models import SchoolClass
from renrentong.uploads.selectors import signed_url

ROLE_ORDER = (Role.TEACHER, Role.STUDENT, Role.PARENT)
PAGE = 50


@dataclass
class Group:
    school_class: SchoolClass
    role: str
    is_head: bool
    parents_may_post: str

    @property
    def class_id(self) -> int:
        return self.school_class.pk


@dataclass
class Member:
    account_id: int
    role: str
    name: str
    children: list[str] = field(default_factory=list)  # a parent's children in the class
    is_head: bool = False


def derived_members(class_id: int) -> dict[str, set[int]]:
    """The class's teachers, students and their parents with accounts, from today's records."""
    today = timezone.localdate()
    found: dict[str, set[int]] = {role: set() for role in ROLE_ORDER}
    found[Role.PARENT] = {row[2] for row in audience_parents(today, class_ids=[class_id])}
    found[Role.STUDENT] = {row[2] for row in audience_students(today, class_ids=[class_id])}
    for qs in audience_teachers(class_ids=[class_id]):
        found[Role.TEACHER] |= {row[2] for row in qs}
    return found


def removed(class_id: int) -> set[tuple[int, str]]:
    return set(ClassGroupRemoval.objects.filter(class_id=class_id, lifted_at__isnull=True)
               .values_list("account_id", "role"))


def members(class_id: int) -> dict[str, set[int]]:
    out = removed(class_id)
    return {role: {pk for pk in ids if (pk, role) not in out} for role, ids in derived_members(class_id).items()}


def removed_account_ids(class_id: int) -> set[int]:
    """Accounts taken out of the group in every role they hold there (their inbox skips its messages)."""
    kept = members(class_id)
    every = set().union(*kept.values())
    return {pk for pk, _ in removed(class_id) if pk not in every}


def setting_of(class_id: int) -> str:
    found = ClassGroupSetting.objects.filter(class_id=class_id).values_list("parents_may_post", flat=True).first()
    return found or ClassGroupSetting.ParentsMayPost.REPLY


def setting_choices() -> list[tuple[str, str]]:
    return list(ClassGroupSetting.ParentsMayPost.choices)


def _class(class_id: int) -> SchoolClass:
    if not 1 <= class_id <= MAX_ID:
        raise UserFacingError("classgroups.not_found")
    found = SchoolClass.objects.select_related("school", "cohort__stage").filter(pk=class_id).first()
    if found is None:
        raise UserFacingError("classgroups.not_found")
    return found


def group_for(actor: Actor, class_id: int) -> Group:
    """The group, if the actor is a member; a removed member is told so, anyone else gets "not found"."""
    role = access.role_of(actor)
    if role is None or not 1 <= class_id <= MAX_ID or not access.eligible(actor, class_id):
        raise UserFacingError("classgroups.not_found")
    school_class = _class(class_id)
    if ClassGroupRemoval.objects.filter(class_id=class_id, account_id=actor.account.pk, role=role,
                                        lifted_at__isnull=True).exists():
        raise UserFacingError("classgroups.removed")
    return Group(school_class, role, access.is_head_teacher(actor, class_id), setting_of(class_id))


def managed_group(actor: Actor, class_id: int) -> Group:
    group = group_for(actor, class_id)
    if not group.is_head:
        raise UserFacingError("classgroups.not_head_teacher")
    return group


def my_groups(actor: Actor) -> list[Group]:
    """The class groups the actor is in: a teacher's classes, a student's class, a parent's children's classes."""
    role = access.role_of(actor)
    if role is None:
        return []
    class_ids = sorted(actor.scope.class_ids)
    out = removed_for_account(actor.account.pk, role)
    heads = set(HeadTeacher.objects.filter(teacher_id=actor.identity.pk).values_list("school_class_id", flat=True)) \
        if access.is_teacher(actor) else set()
    classes = SchoolClass.objects.select_related("school", "cohort__stage").filter(pk__in=class_ids).order_by(
        "cohort__enrollment_year", "number", "pk")
    chosen = dict(ClassGroupSetting.objects.filter(class_id__in=class_ids).values_list("class_id", "parents_may_post"))
    return [Group(c, role, c.pk in heads, chosen.get(c.pk, ClassGroupSetting.ParentsMayPost.REPLY))
            for c in classes if c.pk not in out]


def removed_for_account(account_id: int, role: str) -> set[int]:
    return set(ClassGroupRemoval.objects.filter(account_id=account_id, role=role, lifted_at__isnull=True)
               .values_list("class_id", flat=True))


def counts(class_id: int) -> dict[str, int]:
    return {role: len(ids) for role, ids in members(class_id).items()}


def member_list(group: Group) -> list[Member]:
    class_id = group.class_id
    kept = members(class_id)
    names = dict(Account.objects.filter(pk__in=set().union(*kept.values())).values_list("pk", "person__name"))
    heads = set(HeadTeacher.objects.filter(school_class_id=class_id).values_list("teacher__account_id", flat=True))
    enrolled = Enrollment.objects.filter(school_class_id=class_id, ended_on__isnull=True).values("person_id")
    children: dict[int, list[str]] = {}
    for account_id, child in Guardianship.objects.filter(student_id__in=enrolled, guardian__account__id__in=kept[Role.PARENT]
                                                         ).values_list("guardian__account__id", "student__name"):
        children.setdefault(account_id, []).append(child)
    result = []
    for role in ROLE_ORDER:
        for pk in sorted(kept[role], key=lambda pk: (pk not in heads, names.get(pk) or "", pk)):
            result.append(Member(pk, role, names.get(pk) or "", sorted(children.get(pk, [])) if role == Role.PARENT else [],
                                 is_head=role == Role.TEACHER and pk in heads))
    return result


def teachers_of(class_id: int) -> list[Member]:
    kept = members(class_id)[Role.TEACHER]
    names = dict(Account.objects.filter(pk__in=kept).values_list("pk", "person__name"))
    return [Member(pk, Role.TEACHER, names.get(pk) or "") for pk in sorted(kept, key=lambda pk: (names.get(pk) or "", pk))]


def is_member(class_id: int, account_id: int, role: str) -> bool:
    return account_id in members(class_id).get(role, set())


@dataclass
class FileView:
    id: int
    name: str
    kind: str
    size: int
    url: str
    thumbnail_url: str
    uploader: str
    created_at: object


@dataclass
class ReplyView:
    id: int
    author: str
    author_role: str
    text: str
    created_at: object
    private: bool
    to_name: str = ""


@dataclass
class MessageView:
    id: int
    notice_id: int
    sender: str
    text: str
    created_at: object
    recalled: bool
    edited: bool
    files: list[FileView]
    replies: list[ReplyView]

    @property
    def images(self) -> list[FileView]:
        return [f for f in self.files if f.kind == "image"]


def _file_view(actor: Actor, stored, uploader: str, created_at, pk: int) -> FileView:
    image = stored.kind == "image"
    return FileView(pk, stored.name, stored.kind, stored.size, signed_url(actor, stored),
                    signed_url(actor, stored, thumbnail=True) if image else "", uploader, created_at)


def _visible_replies(actor: Actor, class_id: int) -> Q:
    me = actor.account.pk
    return Q(class_id=class_id) & (Q(to_account__isnull=True) | Q(author_id=me) | Q(to_account_id=me))


def messages(actor: Actor, group: Group, *, before: int | None = None, limit: int = PAGE,
             with_images_only: bool = False) -> list[MessageView]:
    """The group's messages, newest first, with their files and the replies the actor may see; the
    caller got `group` from group_for, so the actor is a member."""
    qs = GroupMessage.objects.filter(class_id=group.class_id).select_related("notice")
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.order_by("-created_at", "-id")[:limit * (4 if with_images_only else 1)])
    notice_ids = [r.notice_id for r in rows]
    attachments: dict[int, list] = {}
    for a in NoticeAttachment.objects.filter(notice_id__in=notice_ids).select_related("file").order_by("position"):
        attachments.setdefault(a.notice_id, []).append(a.file)
    replies: dict[int, list[ReplyView]] = {}
    names = {}
    reply_rows = list(GroupReply.objects.filter(_visible_replies(actor, group.class_id), message_id__in=[r.pk for r in rows])
                      .order_by("created_at", "id"))
    if reply_rows:
        names = dict(Account.objects.filter(pk__in={r.to_account_id for r in reply_rows if r.to_account_id})
                     .values_list("pk", "person__name"))
    for r in reply_rows:
        replies.setdefault(r.message_id, []).append(ReplyView(r.pk, r.author_label, r.author_role, r.text, r.created_at,
                                                              r.to_account_id is not None, names.get(r.to_account_id, "")))
    result = []
    for row in rows:
        notice = row.notice
        recalled = notice.status == Notice.Status.RECALLED
        files = [] if recalled else [_file_view(actor, f, notice.sender_label, row.created_at, f.pk)
                                     for f in attachments.get(notice.pk, [])]
        view = MessageView(row.pk, notice.pk, notice.sender_label, "" if recalled else notice.body, row.created_at,
                           recalled, notice.edited_at is not None, files, replies.get(row.pk, []))
        if with_images_only and not view.images:
            continue
        result.append(view)
    return result[:limit]


def private_messages(actor: Actor, group: Group) -> list[ReplyView]:
    """Messages between the actor and a teacher outside any message thread."""
    me = actor.account.pk
    rows = list(GroupReply.objects.filter(class_id=group.class_id, message__isnull=True, to_account__isnull=False)
                .filter(Q(author_id=me) | Q(to_account_id=me)).order_by("-created_at", "-id")[:PAGE])
    names = dict(Account.objects.filter(pk__in={r.to_account_id for r in rows}).values_list("pk", "person__name"))
    return [ReplyView(r.pk, r.author_label, r.author_role, r.text, r.created_at, True, names.get(r.to_account_id, ""))
            for r in rows]


def files(actor: Actor, group: Group) -> list[FileView]:
    rows = GroupFile.objects.filter(class_id=group.class_id).select_related("file").order_by("-created_at", "-id")[:PAGE]
    return [_file_view(actor, r.file, r.uploader_label, r.created_at, r.pk) for r in rows]


def group_file(actor: Actor, group: Group, file_id: int) -> GroupFile:
    found = GroupFile.objects.select_related("file").filter(class_id=group.class_id, pk=file_id).first() \
        if 1 <= file_id <= MAX_ID else None
    if found is None:
        raise UserFacingError("classgroups.file_not_found")
    return found


def pending_requests(group: Group) -> list[JoinRequest]:
    rows = list(JoinRequest.objects.filter(class_id=group.class_id, status=JoinRequest.Status.PENDING)
                .select_related("account__person").order_by("created_at", "id"))
    return rows


def waiting_count(actor: Actor) -> int:
    """Join requests waiting for this head teacher, over the classes they head."""
    if not access.is_teacher(actor):
        return 0
    headed = HeadTeacher.objects.filter(teacher_id=actor.identity.pk).values("school_class_id")
    return JoinRequest.objects.filter(class_id__in=headed, status=JoinRequest.Status.PENDING).count()


def teaches(class_id: int, account_id: int) -> bool:
    return (TeachingAssignment.objects.filter(school_class_id=class_id, teacher__account_id=account_id).exists()
            or HeadTeacher.objects.filter(school_class_id=class_id, teacher__account_id=account_id).exists())
