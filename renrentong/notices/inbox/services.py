"""Changing the inbox (issue 13 item 2): opening a notice marks it read, a button confirms receipt (回执).
Both touch only the actor's own inbox item, and both are idempotent: a second open or confirm changes
nothing and keeps the first time. The first read and the confirm also count on the notice's receipt
tallies, in the same transaction (receipts.tallies)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.notices.inbox import selectors
from renrentong.notices.inbox.selectors import InboxEntry
from renrentong.notices.models import InboxItem, Notice
from renrentong.notices.receipts import tallies


def open_notice(actor: Actor, notice_id: int) -> InboxEntry:
    """The opened notice; the first opening marks it read (one UPDATE, only while still unread)."""
    item = selectors.item_for(actor, notice_id)
    if item.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            if InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=now):
                tallies.count(Notice.objects.get(pk=item.notice_id), item.account_id, read=True, confirmed=False)
        item.refresh_from_db(fields=["read_at"])
    return selectors.opened(actor, item)


def confirm_receipt(actor: Actor, notice_id: int) -> InboxEntry:
    """Confirm receipt (回执) of a notice that asks for it; confirming also marks it read."""
    item = selectors.item_for(actor, notice_id)
    notice = Notice.objects.get(pk=item.notice_id)
    if notice.status == Notice.Status.RECALLED:
        raise UserFacingError("notices.recalled")
    if not notice.confirm_required:
        raise UserFacingError("inbox.no_receipt")
    if item.confirmed_at is None:
        now = timezone.now()
        # The item's own timestamps are the record (no audit row per reader: a city notice has a million).
        with transaction.atomic():
            confirmed = InboxItem.objects.filter(pk=item.pk, confirmed_at__isnull=True).update(confirmed_at=now)
            read = InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=now)
            tallies.count(notice, item.account_id, read=bool(read), confirmed=bool(confirmed))
        item.refresh_from_db(fields=["read_at", "confirmed_at"])
    return selectors.opened(actor, item)
