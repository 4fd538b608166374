"""Keeping the receipt tallies (receipts.models): built once per notice after its fan-out, then counted
on by every read and confirm in the reader's own transaction.

The gate (NoticeTally, one row per notice) keeps the two apart: a reader that counts holds the gate FOR
SHARE until it commits; the builder takes it FOR UPDATE, so it waits for the readers in flight (whose reads
its join then sees, committed) and readers arriving meanwhile wait for it (and then add their own read to
the tallies it built, which could not see it). SQLite serializes writers anyway and has no FOR SHARE."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from renrentong.notices.models import InboxItem, Notice, NoticeRecipient
from renrentong.notices.receipts.models import NoticeTally, ReceiptTally

DONE = (Notice.Status.SENT, Notice.Status.RECALLED)


def _gate(notice: Notice) -> None:
    NoticeTally.objects.bulk_create([NoticeTally(notice_id=notice.pk, school_id=notice.school_id,
                                                 region_id=notice.region_id)], ignore_conflicts=True)


def _gate_is_built(notice_id: int) -> bool:
    table = connection.ops.quote_name(NoticeTally._meta.db_table)
    lock = " FOR SHARE" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT built FROM {table} WHERE notice_id = %s{lock}", [notice_id])
        row = cursor.fetchone()
    return bool(row and row[0])


def count(notice: Notice, account_id: int, *, read: bool, confirmed: bool) -> None:
    """Add one reader's first read and/or confirm to the notice's tallies, once they are built (before
    that the build counts it). Call inside the transaction that set read_at / confirmed_at."""
    if not (read or confirmed):
        return
    _gate(notice)
    if not _gate_is_built(notice.pk):
        return
    rows = NoticeRecipient.objects.filter(notice_id=notice.pk, account_id=account_id).values_list("school_id", "class_id")
    for school_id, class_id in rows:
        ReceiptTally.objects.filter(notice_id=notice.pk, school_id=school_id or 0, class_id=class_id).update(
            read_count=F("read_count") + int(read), confirmed_count=F("confirmed_count") + int(confirmed))


def is_built(notice: Notice) -> bool:
    return NoticeTally.objects.filter(notice_id=notice.pk, built=True).exists()


def build(notice_id: int) -> bool:
    """The notice's tallies from its recipient rows and inbox items, once its fan-out is done: one
    INSERT ... SELECT ... GROUP BY. Safe to run twice and from two workers (the gate decides)."""
    if NoticeTally.objects.filter(notice_id=notice_id, built=True).exists():
        return True
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or notice.status not in DONE:
        return False
    with transaction.atomic():
        _gate(notice)
        gate = NoticeTally.objects.select_for_update().get(notice_id=notice_id)
        if gate.built:
            return True
        tallies, recipients = (connection.ops.quote_name(m._meta.db_table) for m in (ReceiptTally, NoticeRecipient))
        inbox = connection.ops.quote_name(InboxItem._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {tallies} (notice_id, school_id, class_id, addressed, read_count, confirmed_count) "
                f"SELECT r.notice_id, COALESCE(r.school_id, 0), r.class_id, COUNT(*), COUNT(i.read_at), "
                f"COUNT(i.confirmed_at) FROM {recipients} r JOIN {inbox} i "
                f"ON i.notice_id = r.notice_id AND i.account_id = r.account_id WHERE r.notice_id = %s "
                f"GROUP BY r.notice_id, COALESCE(r.school_id, 0), r.class_id",
                [notice_id])
        NoticeTally.objects.filter(pk=gate.pk).update(built=True, built_at=timezone.now())
    return True
