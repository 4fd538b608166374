"""Sending notices (MSG-1): checked, recorded and committed at once; the inbox rows are written after the
send has returned, set-based, by the fan-out task (notices.fanout)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from renrentong.accounts.selectors import empty_roles
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.notices import access
from renrentong.notices.models import Notice, NoticeAttachment
from renrentong.orgs.models import School, SchoolClass
from renrentong.uploads.models import StoredFile

MAX_FILES = 9
TITLE_LIMIT = 60
BODY_LIMIT = 5000
EMPTY_ROLE_ERRORS = {
    Notice.Role.PARENT: "notices.no_parent_accounts",
    Notice.Role.STUDENT: "notices.no_student_accounts",
    Notice.Role.TEACHER: "notices.no_teacher_accounts",
}


@dataclass
class NoticeDraft:
    title: str
    body: str = ""
    roles: list[str] = field(default_factory=list)
    class_ids: list[int] = field(default_factory=list)
    school_ids: list[int] = field(default_factory=list)
    file_ids: list[int] = field(default_factory=list)
    confirm_required: bool = False
    urgent: bool = False
    send_at: datetime | None = None


def _sender_label(actor: Actor) -> str:
    person = actor.account.person
    name = person.name if person is not None else actor.account.number
    return f"{name} · {actor.identity.label()}"[:100]


def _classes(actor: Actor, class_ids: list[int]) -> list[int]:
    wanted = sorted(set(class_ids))
    if access.classes_limited_to_teaching(actor):
        missing = [pk for pk in wanted if pk not in actor.scope.class_ids]
        if missing:
            names = "、".join(str(c) for c in SchoolClass.objects.filter(pk__in=missing, school_id__in=actor.scope.school_ids)) or "该班"
            raise UserFacingError("notices.class_not_taught", classes=names)
    found = set(actor.scope.classes(SchoolClass.objects.filter(pk__in=wanted)).values_list("pk", flat=True))
    if found != set(wanted):
        raise UserFacingError("notices.class_not_in_school")
    return wanted


def _schools(actor: Actor, school_ids: list[int]) -> list[int]:
    wanted = sorted(set(school_ids))
    found = set(actor.scope.schools(School.objects.filter(pk__in=wanted)).values_list("pk", flat=True))
    if found != set(wanted):
        raise UserFacingError("notices.school_not_below")
    return wanted


def send_notice(actor: Actor, draft: NoticeDraft) -> Notice:
    """Check the draft, record the notice and queue its fan-out; returns at once, whatever the audience size."""
    kind = access.kind_sent_by(actor)
    if kind is None:
        raise UserFacingError("notices.not_allowed")
    title, body = draft.title.strip(), draft.body.strip()
    if not title or len(title) > TITLE_LIMIT:
        raise UserFacingError("notices.title_required")
    if len(body) > BODY_LIMIT:
        raise UserFacingError("notices.body_too_long")
    if len(set(draft.file_ids)) > MAX_FILES:
        raise UserFacingError("notices.too_many_files")
    if draft.urgent and not access.may_send_urgent(actor):
        raise UserFacingError("notices.urgent_not_allowed")
    now = timezone.now()
    if draft.send_at is not None and draft.send_at < now - timezone.timedelta(minutes=1):
        raise UserFacingError("notices.send_at_past")
    roles = [r for r in Notice.Role.values if r in set(draft.roles)]
    if access.addresses_classes(actor):
        class_ids, school_ids = _classes(actor, draft.class_ids), None
        if not class_ids or not roles:
            raise UserFacingError("notices.no_audience")
        school_id, region_id = actor.identity.school_id, None
    else:
        class_ids, school_ids = None, _schools(actor, draft.school_ids)
        if not school_ids or not roles:
            raise UserFacingError("notices.no_audience")
        school_id, region_id = None, actor.identity.region_id
    empty = empty_roles(timezone.localdate(), roles=roles, class_ids=class_ids, school_ids=school_ids)
    if empty:
        raise UserFacingError(EMPTY_ROLE_ERRORS[empty[0]])
    files = list(StoredFile.objects.filter(pk__in=set(draft.file_ids), owner=actor.account))
    if len(files) != len(set(draft.file_ids)):
        raise UserFacingError("notices.file_not_yours")
    scheduled = draft.send_at is not None and draft.send_at > now
    with transaction.atomic():
        notice = Notice.objects.create(
            school_id=school_id, region_id=region_id, kind=kind,
            status=Notice.Status.SCHEDULED if scheduled else Notice.Status.SENDING,
            sender=actor.account, sender_identity_id=actor.identity.pk, sender_label=_sender_label(actor),
            title=title, body=body, confirm_required=draft.confirm_required, urgent=draft.urgent,
            audience={"roles": roles, "class_ids": class_ids, "school_ids": school_ids},
            send_at=draft.send_at if scheduled else now, created_at=now,
        )
        order = {pk: i for i, pk in enumerate(draft.file_ids)}
        NoticeAttachment.objects.bulk_create([
            NoticeAttachment(notice=notice, school_id=school_id, file=f, position=order[f.pk]) for f in files])
        audit.record(actor, "notice.send", notice, {"kind": kind, "roles": roles, "classes": len(class_ids or []),
                                                    "schools": len(school_ids or []), "scheduled": scheduled},
                     school_id=school_id)
        if not scheduled:
            transaction.on_commit(lambda: _queue_fan_out(notice.pk))
    return notice


def _queue_fan_out(notice_id: int) -> None:
    from renrentong.notices.tasks import fan_out_notice

    fan_out_notice.enqueue(notice_id)


def release_due() -> list[int]:
    """Periodic duty: scheduled notices whose time has come start their fan-out, and a fan-out whose
    worker died (no heartbeat for two minutes) is queued again; the fan-out itself never duplicates."""
    now = timezone.now()
    due = list(Notice.objects.filter(status=Notice.Status.SCHEDULED, send_at__lte=now).values_list("pk", flat=True))
    Notice.objects.filter(pk__in=due, status=Notice.Status.SCHEDULED).update(status=Notice.Status.SENDING)
    stalled = list(Notice.objects.filter(status=Notice.Status.SENDING).exclude(
        heartbeat_at__gt=now - timezone.timedelta(minutes=2)).exclude(
        heartbeat_at__isnull=True, created_at__gt=now - timezone.timedelta(minutes=2)).values_list("pk", flat=True))
    for pk in sorted(set(due) | set(stalled)):
        _queue_fan_out(pk)
    return sorted(set(due) | set(stalled))
