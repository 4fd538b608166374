"""Sending notices (MSG-1): checked, recorded and committed at once; the inbox rows are written after the
send has returned, set-based, by the fan-out task (notices.fanout)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from renrentong.accounts.models import Enrollment
from renrentong.accounts.selectors import empty_roles
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.notices import access, pushing
from renrentong.notices.models import Notice, NoticeAttachment
from renrentong.orgs.models import Cohort, Region, School, SchoolClass
from renrentong.uploads.models import StoredFile
from renrentong.push import services as push_services

MAX_FILES = 9
TITLE_LIMIT = 60
BODY_LIMIT = 5000
SCHEDULE_DAYS = 30
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
    grade_ids: list[int] = field(default_factory=list)  # cohorts of the sender's school: all their classes
    district_ids: list[int] = field(default_factory=list)  # districts below a region admin: all their schools
    # Only these students of the chosen classes, and their parents (a reminder to some of a class, e.g.
    # evaluation's "nothing submitted yet"); empty: everyone of the classes.
    student_ids: list[int] = field(default_factory=list)
    file_ids: list[int] = field(default_factory=list)
    confirm_required: bool = False
    urgent: bool = False
    send_at: datetime | None = None


def sender_label(actor: Actor) -> str:
    """How readers see the sender, fixed at sending: name and identity, in the platform's language (readers
    are many and read it in theirs; a sender whose pages are in English must not send "School admin")."""
    person = actor.account.person
    name = person.name if person is not None else actor.account.number
    with translation.override(settings.LANGUAGE_CODE):
        return f"{name} · {actor.identity.label()}"[:100]


def _classes(actor: Actor, class_ids: list[int]) -> list[int]:
    wanted = sorted(set(class_ids))
    if access.classes_limited_to_teaching(actor):
        missing = [pk for pk in wanted if pk not in actor.scope.class_ids]
        if missing:
            names = "、".join(str(c) for c in SchoolClass.objects.filter(pk__in=missing, school_id__in=actor.scope.school_ids)) or "该班"
            raise UserFacingError("notices.class_not_taught", classes=names)
    found = set(actor.scope.classes(SchoolClass.objects.filter(pk__in=wanted, school_id=actor.identity.school_id))
                .values_list("pk", flat=True))
    if found != set(wanted):
        raise UserFacingError("notices.class_not_in_school")
    return wanted


def _grade_classes(actor: Actor, grade_ids: list[int]) -> list[int]:
    """The current classes of the chosen grades (cohorts) of the sender's school."""
    wanted = sorted(set(grade_ids))
    if not wanted:
        return []
    found = Cohort.objects.filter(pk__in=wanted, stage__campus__school_id=actor.identity.school_id)
    if set(found.values_list("pk", flat=True)) != set(wanted):
        raise UserFacingError("notices.grade_not_in_school")
    classes = actor.scope.classes(SchoolClass.objects.filter(cohort_id__in=wanted, school_id=actor.identity.school_id)
                                  ).exclude(kind=SchoolClass.Kind.GRADUATED)
    picked = sorted(classes.values_list("pk", flat=True))
    if access.classes_limited_to_teaching(actor):
        # A teacher picking a grade still reaches only the classes they teach; naming one is refused.
        return _classes(actor, picked)
    if len(set(classes.values_list("cohort_id", flat=True))) != len(wanted):
        raise UserFacingError("notices.grade_has_no_classes")
    return picked


def _schools(actor: Actor, school_ids: list[int]) -> list[int]:
    wanted = sorted(set(school_ids))
    found = set(actor.scope.schools(School.objects.filter(pk__in=wanted)).values_list("pk", flat=True))
    if found != set(wanted):
        raise UserFacingError("notices.school_not_below")
    return wanted


def _district_schools(actor: Actor, district_ids: list[int]) -> list[int]:
    wanted = sorted(set(district_ids))
    if not wanted:
        return []
    found = actor.scope.regions(Region.objects.filter(pk__in=wanted, kind=Region.Kind.DISTRICT))
    if set(found.values_list("pk", flat=True)) != set(wanted):
        raise UserFacingError("notices.district_not_below")
    schools = actor.scope.schools(School.objects.filter(district_id__in=wanted))
    if len(set(schools.values_list("district_id", flat=True))) != len(wanted):
        raise UserFacingError("notices.district_has_no_schools")
    return sorted(schools.values_list("pk", flat=True))


@dataclass
class Audience:
    """Who a draft addresses, resolved and checked: roles and the classes (school notices) or the schools
    (a region's notice); school_id or region_id is the notice's own."""

    kind: str
    roles: list[str]
    class_ids: list[int] | None
    school_ids: list[int] | None
    school_id: int | None
    region_id: int | None
    chosen: dict


def resolve_audience(actor: Actor, draft: NoticeDraft) -> Audience:
    """Check and resolve the audience of a draft (grades to classes, districts to schools); raises the
    refusal that names who fixes it. Used by sending and by the audience-size preview."""
    kind = access.kind_sent_by(actor)
    if kind is None:
        raise UserFacingError("notices.not_allowed")
    roles = [r for r in Notice.Role.values if r in set(draft.roles)]
    if set(roles) - set(access.roles_addressed_by(actor)):
        raise UserFacingError("notices.role_not_allowed")
    if access.addresses_classes(actor):
        class_ids = sorted(set(_classes(actor, draft.class_ids)) | set(_grade_classes(actor, draft.grade_ids)))
        if not class_ids or not roles:
            raise UserFacingError("notices.no_audience")
        chosen = {"grade_ids": sorted(set(draft.grade_ids))} if draft.grade_ids else {}
        if draft.student_ids:
            chosen["student_ids"] = _students_of_classes(draft.student_ids, class_ids, roles)
        return Audience(kind, roles, class_ids, None, actor.identity.school_id, None, chosen)
    school_ids = sorted(set(_schools(actor, draft.school_ids)) | set(_district_schools(actor, draft.district_ids)))
    if not school_ids or not roles:
        raise UserFacingError("notices.no_audience")
    chosen = {"district_ids": sorted(set(draft.district_ids))} if draft.district_ids else {}
    return Audience(kind, roles, None, school_ids, None, actor.identity.region_id, chosen)


def _students_of_classes(student_ids: list[int], class_ids: list[int], roles: list[str]) -> list[int]:
    """Chosen students must be in the chosen classes today; they address students and parents, not teachers."""
    wanted = sorted(set(student_ids))
    if Notice.Role.TEACHER in roles:
        raise UserFacingError("notices.role_not_allowed")
    found = set(Enrollment.objects.filter(person_id__in=wanted, school_class_id__in=class_ids, ended_on__isnull=True)
                .values_list("person_id", flat=True))
    if found != set(wanted):
        raise UserFacingError("notices.class_not_in_school")
    return wanted


def _printable(text: str, *, lines: bool) -> str:
    """Control characters dropped (PostgreSQL refuses a NUL; none belongs in a notice); the text keeps its
    line breaks and tabs, a title none."""
    keep = "\n\t" if lines else ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in keep or unicodedata.category(ch) != "Cc")


def _check_text(title: str, body: str) -> tuple[str, str]:
    title, body = _printable(title, lines=False).strip(), _printable(body, lines=True).strip()
    if not title or len(title) > TITLE_LIMIT:
        raise UserFacingError("notices.title_required")
    if len(body) > BODY_LIMIT:
        raise UserFacingError("notices.body_too_long")
    return title, body


def _own_files(actor: Actor, file_ids: list[int]) -> list[StoredFile]:
    wanted = list(dict.fromkeys(file_ids))
    if len(wanted) > MAX_FILES:
        raise UserFacingError("notices.too_many_files")
    files = list(StoredFile.objects.filter(pk__in=wanted, owner=actor.account))
    if len(files) != len(wanted):
        raise UserFacingError("notices.file_not_yours")
    order = {pk: i for i, pk in enumerate(wanted)}
    return sorted(files, key=lambda f: order[f.pk])


def send_notice(actor: Actor, draft: NoticeDraft) -> Notice:
    """Check the draft, record the notice and queue its fan-out; returns at once, whatever the audience size."""
    if access.kind_sent_by(actor) is None:
        raise UserFacingError("notices.not_allowed")
    title, body = _check_text(draft.title, draft.body)
    if len(set(draft.file_ids)) > MAX_FILES:
        raise UserFacingError("notices.too_many_files")
    if draft.urgent and not access.may_send_urgent(actor):
        raise UserFacingError("notices.urgent_not_allowed")
    now = timezone.now()
    if draft.send_at is not None and timezone.is_naive(draft.send_at):
        # A time without an offset (an API client's "2026-12-05T07:30") is the platform's local time.
        draft.send_at = timezone.make_aware(draft.send_at)
    if draft.send_at is not None and draft.send_at < now - timezone.timedelta(minutes=1):
        raise UserFacingError("notices.send_at_past")
    if draft.send_at is not None and draft.send_at > now + timezone.timedelta(days=SCHEDULE_DAYS):
        raise UserFacingError("notices.send_at_too_far")
    audience = resolve_audience(actor, draft)
    empty = empty_roles(timezone.localdate(), roles=audience.roles, class_ids=audience.class_ids,
                        school_ids=audience.school_ids)
    if empty:
        raise UserFacingError(EMPTY_ROLE_ERRORS[empty[0]])
    files = _own_files(actor, draft.file_ids)
    scheduled = draft.send_at is not None and draft.send_at > now
    school_id = audience.school_id
    with transaction.atomic():
        notice = Notice.objects.create(
            school_id=school_id, region_id=audience.region_id, kind=audience.kind,
            status=Notice.Status.SCHEDULED if scheduled else Notice.Status.SENDING,
            sender=actor.account, sender_identity_id=actor.identity.pk, sender_label=sender_label(actor),
            title=title, body=body, confirm_required=draft.confirm_required, urgent=draft.urgent,
            audience={"roles": audience.roles, "class_ids": audience.class_ids, "school_ids": audience.school_ids,
                      **audience.chosen},
            send_at=draft.send_at if scheduled else now, created_at=now,
        )
        NoticeAttachment.objects.bulk_create([
            NoticeAttachment(notice=notice, school_id=school_id, file=f, position=i) for i, f in enumerate(files)])
        audit.record(actor, "notice.send", notice, {
            "kind": audience.kind, "roles": audience.roles, "classes": len(audience.class_ids or []),
            "schools": len(audience.school_ids or []), "files": len(files), "scheduled": scheduled,
            "urgent": draft.urgent}, school_id=school_id)
        if not scheduled:
            transaction.on_commit(lambda: _queue_fan_out(notice.pk))
    return notice


def _locked_for_change(actor: Actor, notice_id: int) -> Notice:
    if not 0 < notice_id <= MAX_ID:
        raise UserFacingError("notices.not_found")
    notice = Notice.objects.select_for_update().filter(pk=notice_id).exclude(kind=Notice.Kind.CLASS_MESSAGE).first()
    if notice is None or not access.sees_sender_view(actor, notice):
        raise UserFacingError("notices.not_found")
    return notice


def recall_notice(actor: Actor, notice_id: int) -> Notice:
    """撤回: readers see it was recalled; a scheduled notice is cancelled before anyone gets it, and a fan-out
    still running stops at its next unit (it checks the status under the row lock). Recalling twice is
    refused with "already recalled"."""
    with transaction.atomic():
        notice = _locked_for_change(actor, notice_id)
        if not access.may_recall(actor, notice):
            raise UserFacingError("notices.not_found")
        if notice.status == Notice.Status.RECALLED:
            raise UserFacingError("notices.recalled")
        was = notice.status
        notice.status, notice.recalled_at = Notice.Status.RECALLED, timezone.now()
        notice.save(update_fields=["status", "recalled_at"])
        audit.record(actor, "notice.cancel" if was == Notice.Status.SCHEDULED else "notice.recall", notice,
                     {"was": was, "addressed": notice.addressed}, school_id=notice.school_id)
        # Pushes not yet gone out would ring for a notice the reader can no longer read.
        push_services.cancel(source=pushing.NOTICE_SOURCE, ref_id=notice.pk)
    return notice


@dataclass
class Correction:
    """修改: what changes; None keeps it. The audience never changes."""

    title: str | None = None
    body: str | None = None
    file_ids: list[int] | None = None


def correct_notice(actor: Actor, notice_id: int, change: Correction) -> Notice:
    """Correct the title, text or files of a sent (or scheduled) notice; readers see it marked edited."""
    with transaction.atomic():
        notice = _locked_for_change(actor, notice_id)
        if not access.may_correct(actor, notice):
            raise UserFacingError("notices.correct_not_allowed")
        if notice.status == Notice.Status.RECALLED:
            raise UserFacingError("notices.recalled")
        title, body = _check_text(notice.title if change.title is None else change.title,
                                  notice.body if change.body is None else change.body)
        changed = [name for name, new, old in (("title", title, notice.title), ("body", body, notice.body))
                   if new != old]
        if change.file_ids is not None:
            files = _own_files(actor, change.file_ids) if change.file_ids else []
            before = list(notice.attachments.order_by("position").values_list("file_id", flat=True))
            if [f.pk for f in files] != before:
                # Files already on the notice stay attachable even when another admin corrects nothing else.
                notice.attachments.all().delete()
                NoticeAttachment.objects.bulk_create([
                    NoticeAttachment(notice=notice, school_id=notice.school_id, file=f, position=i)
                    for i, f in enumerate(files)])
                changed.append("files")
        if not changed:
            raise UserFacingError("notices.nothing_to_correct")
        notice.title, notice.body, notice.edited_at = title, body, timezone.now()
        notice.save(update_fields=["title", "body", "edited_at"])
        audit.record(actor, "notice.correct", notice, {"changed": changed}, school_id=notice.school_id)
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
