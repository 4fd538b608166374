"""Ringing readers' bells (MSG-4): after a notice's fan-out and after a reminder, the push engine gets one
delivery per reader and enabled channel, set-based. The inbox never waits for it: a notice is readable as
soon as its inbox row exists, and a push carries only the title, the sender, the time and a link (NFR-1)."""

from __future__ import annotations

from renrentong.notices import push_hooks
from renrentong.notices.models import InboxItem, Notice, Reminder
from renrentong.push import services as push_services

NOTICE_SOURCE = "notice"
REMINDER_SOURCE = "reminder"


def _ring(notice: Notice, source: str, ref_id: int, readers) -> int:
    message = push_hooks.push_message_of(notice.pk)
    return push_services.ring(
        source=source, ref_id=ref_id, account_ids=readers, region_id=notice.region_id, school_id=notice.school_id,
        title=message["title"], sender=message["sender"], sent_at=message["sent_at"], link=message["url"],
        urgent=message["urgent"])


def ring_notice(notice_id: int) -> int:
    """Every reader of a sent notice; nothing for one recalled or still sending. Safe to run twice."""
    notice = Notice.objects.filter(pk=notice_id, status=Notice.Status.SENT).first()
    if notice is None:
        return 0
    readers = InboxItem.objects.filter(notice_id=notice.pk).values_list("account_id", flat=True)
    return _ring(notice, NOTICE_SOURCE, notice.pk, readers)


def ring_reminder(reminder_id: int) -> int:
    """The readers a reminder reached who still have not read it."""
    reminder = Reminder.objects.filter(pk=reminder_id).select_related("notice").first()
    if reminder is None or reminder.notice.status != Notice.Status.SENT:
        return 0
    return _ring(reminder.notice, REMINDER_SOURCE, reminder.pk, push_hooks.reminded_unread(reminder))
