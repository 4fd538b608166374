"""Helpers for the push tests: a sent notice of school A, policies, and the engine run inline."""

from __future__ import annotations

from renrentong.accounts.access import actor_for
from renrentong.notices import fanout
from renrentong.notices.models import InboxItem, Notice
from renrentong.notices.services import NoticeDraft, send_notice
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import policy_changed
from renrentong.push import engine, services

SECRET_BODY = "体温异常的学生名单：李小明 38.5℃"
LINK = "https://rrt.example.cn/notices/inbox/1/"
NO_QUIET = {"push_quiet_start": "00:00", "push_quiet_end": "00:00"}


def set_policy(region, **values) -> None:
    row, _ = Policy.objects.get_or_create(region=region)
    row.values = {**row.values, **values}
    row.save()
    policy_changed()


def actor(account):
    return actor_for(account, account.identities.get())


def send(world, *, title="期末考试安排", roles=("parent", "student"), class_ids=None, admin=None) -> Notice:
    notice = send_notice(actor(admin or world.school_admin_a), NoticeDraft(
        title=title, body=SECRET_BODY, roles=list(roles),
        class_ids=class_ids or [world.class_a1.pk, world.class_a2.pk]))
    fanout.fan_out(notice.pk)
    notice.refresh_from_db()
    return notice


def ring_notice(notice: Notice, *, urgent: bool | None = None) -> int:
    return services.ring(
        source="notice", ref_id=notice.pk,
        account_ids=InboxItem.objects.filter(notice_id=notice.pk).values_list("account_id"),
        region_id=notice.region_id, school_id=notice.school_id, title=notice.title, sender=notice.sender_label,
        sent_at=notice.send_at, link=LINK, urgent=notice.urgent if urgent is None else urgent)


def drain_all(limit: int = 20) -> int:
    total = 0
    for _ in range(limit):
        got = engine.drain()
        total += got
        if not got:
            break
    return total


def still_unread(ref_id, account_ids):
    """The test's stand-in for renrentong.notices.push_hooks.still_unread (the inbox stream writes it)."""
    return set(InboxItem.objects.filter(notice_id=ref_id, account_id__in=list(account_ids), read_at__isnull=True)
               .values_list("account_id", flat=True))
