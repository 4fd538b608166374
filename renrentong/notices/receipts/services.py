"""Reminding the unread (MSG-3): the sender reminds the whole notice or a class, a class head teacher their
class. At most MAX_REMINDERS per notice (a class counts the reminders of the whole notice too), at least
an hour apart. A reminder moves the unread items to the top of their inboxes (sort_at = now) and counts
it on them, records a Reminder row and an audit record; the push engine rings the bell for exactly those
items (push_hooks.reminded_accounts)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import formats, timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.notices.models import InboxItem, Notice, NoticeRecipient, Reminder
from renrentong.notices.receipts import selectors

MAX_REMINDERS = 3
SPACING = timedelta(hours=1)


def _class_to_remind(view: selectors.ReceiptView, class_id: int | None) -> int | None:
    if view.remind_classes is None:  # the sender: the whole notice, or one of its classes
        if class_id is not None:
            if not NoticeRecipient.objects.filter(notice_id=view.notice.pk, class_id=class_id).exists():
                raise UserFacingError("receipts.class_not_found")
        return class_id
    if class_id is None and len(view.remind_classes) == 1:
        return next(iter(view.remind_classes))
    if class_id is None or class_id not in view.remind_classes:
        raise UserFacingError("receipts.class_not_found")
    return class_id


def earlier_reminders(notice: Notice, class_id: int | None):
    """The reminders that count against reminding this class (or the whole notice) again."""
    reminders = Reminder.objects.filter(notice=notice)
    if class_id is not None:
        reminders = reminders.filter(Q(class_id=class_id) | Q(class_id__isnull=True))
    return reminders


def remind_unread(actor: Actor, notice_id: int, class_id: int | None = None) -> Reminder:
    """Remind the still-unread of the notice (or of one class of it); refused, saying why, when nobody is
    unread, after three reminders, or within an hour of the last one."""
    view = selectors.receipt_view(actor, notice_id)
    if not view.may_remind:
        raise UserFacingError("receipts.not_allowed_to_remind")
    chosen = _class_to_remind(view, class_id)
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)  # one reminder at a time per notice
        if notice.status != Notice.Status.SENT:
            raise UserFacingError("receipts.not_sent_yet")
        now = timezone.now()
        earlier = earlier_reminders(notice, chosen)
        if earlier.count() >= MAX_REMINDERS:
            raise UserFacingError("receipts.remind_too_many")
        last = earlier.order_by("-created_at").first()
        if last is not None and last.created_at > now - SPACING:
            at = formats.date_format(timezone.localtime(last.created_at + SPACING), "H:i")
            raise UserFacingError("receipts.remind_too_soon", at=at)
        unread = InboxItem.objects.filter(notice_id=notice.pk, read_at__isnull=True)
        if chosen is not None:
            unread = unread.filter(account_id__in=NoticeRecipient.objects.filter(
                notice_id=notice.pk, class_id=chosen).values("account_id"))
        reminded = unread.update(sort_at=now, reminded_count=F("reminded_count") + 1)
        if not reminded:
            raise UserFacingError("receipts.nobody_unread")
        reminder = Reminder.objects.create(notice=notice, school_id=notice.school_id, sent_by=actor.account,
                                           class_id=chosen, reminded=reminded, created_at=now)
        audit.record(actor, "notice.remind", notice, {"class_id": chosen, "reminded": reminded,
                                                      "reminder": reminder.pk}, school_id=notice.school_id)
        transaction.on_commit(lambda: _queue_ring(reminder.pk))
    return reminder


def _queue_ring(reminder_id: int) -> None:
    from renrentong.notices.tasks import ring_reminder

    ring_reminder.enqueue(reminder_id)
