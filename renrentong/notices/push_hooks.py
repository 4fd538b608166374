"""What the push engine asks the notices app (MSG-4), by dotted path so push never imports notices:

- still_unread(ref_id, account_ids): before a delayed SMS, which of these accounts have not yet read
  notice ref_id (the others are skipped).
- reminded_accounts(reminder_id): after a reminder (receipts.services.remind_unread), the accounts it
  reminded, to ring their bell again. The reminder moved exactly those items to sort_at = its time.

A push carries title, sender, time and a link, never the body (NFR-1): push_message_of gives them."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from renrentong.notices.models import InboxItem, Notice, Reminder

CHUNK = 5000


def still_unread(ref_id: int, account_ids: list[int]) -> set[int]:
    """Which of the accounts have an unread inbox item of notice ref_id (a recalled notice: none)."""
    wanted = sorted({int(a) for a in account_ids})
    if not wanted or Notice.objects.filter(pk=ref_id, status=Notice.Status.RECALLED).exists():
        return set()
    unread: set[int] = set()
    for start in range(0, len(wanted), CHUNK):
        unread.update(InboxItem.objects.filter(
            notice_id=ref_id, account_id__in=wanted[start:start + CHUNK], read_at__isnull=True,
        ).values_list("account_id", flat=True))
    return unread


def still_unread_after_reminder(ref_id: int, account_ids: list[int]) -> set[int]:
    """The same question for a reminder's pushes (source "reminder", ref_id the reminder's id)."""
    notice_id = Reminder.objects.filter(pk=ref_id).values_list("notice_id", flat=True).first()
    return still_unread(notice_id, account_ids) if notice_id else set()


def reminded_accounts(reminder_id: int) -> list[int]:
    """The accounts a reminder reached that are still unread (those who read it since are left alone)."""
    reminder = Reminder.objects.filter(pk=reminder_id).select_related("notice").first()
    if reminder is None or reminder.notice.status == Notice.Status.RECALLED:
        return []
    return list(reminded_unread(reminder).order_by("account_id"))


def reminded_unread(reminder: Reminder):
    """The account ids a reminder moved to the top (sort_at = its time) that are still unread."""
    return InboxItem.objects.filter(notice_id=reminder.notice_id, sort_at=reminder.created_at,
                                    read_at__isnull=True).values_list("account_id", flat=True)


def inbox_link(notice_id: int) -> str:
    """The notice in the reader's inbox, as an absolute address (pushes open it outside the platform)."""
    return settings.RRT_PUBLIC_URL.rstrip("/") + reverse("notices:inbox_item", args=[notice_id])


def push_message_of(notice_id: int) -> dict:
    """What a push may carry of a notice: its title, sender, time and the inbox link; never its body."""
    notice = Notice.objects.get(pk=notice_id)
    return {"title": notice.title, "sender": notice.sender_label, "sent_at": notice.send_at,
            "url": inbox_link(notice.pk), "urgent": notice.urgent}
