"""Fan-out (MSG-1, MSG-2): a sent notice's recipient and inbox rows, written inside the database.

The audience is split into units (chunks of classes for a school's notice, one school at a time for a
region's); each unit is one transaction that writes the unit's recipient rows and inbox items (on
PostgreSQL one INSERT ... SELECT whose RETURNING feeds the inbox INSERT, on SQLite two) and advances the
notice's cursor, so a worker killed midway leaves whole units behind it and the next run resumes at the
first unit not done. ON CONFLICT DO NOTHING keeps it exactly one row per recipient whatever happens."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from renrentong.accounts.selectors import (
    audience_account_column, audience_parents, audience_students, audience_teachers,
)
from renrentong.core.bulk import commit_without_waiting_for_disk
from renrentong.notices.models import InboxItem, Notice, NoticeRecipient

CLASSES_PER_UNIT = 200


def units_of(notice: Notice) -> list[dict]:
    class_ids = notice.audience.get("class_ids")
    if class_ids is not None:
        ordered = sorted(class_ids)
        return [{"class_ids": ordered[i:i + CLASSES_PER_UNIT]} for i in range(0, len(ordered), CLASSES_PER_UNIT)]
    return [{"school_id": pk} for pk in sorted(notice.audience.get("school_ids") or [])]


def _sources(notice: Notice, unit: dict) -> list[tuple[str, QuerySet]]:
    on = timezone.localdate(notice.send_at)
    roles = notice.audience.get("roles") or []
    sources: list[tuple[str, QuerySet]] = []
    if Notice.Role.PARENT in roles:
        sources.append((Notice.Role.PARENT, audience_parents(on, **unit)))
    if Notice.Role.STUDENT in roles:
        sources.append((Notice.Role.STUDENT, audience_students(on, **unit)))
    if Notice.Role.TEACHER in roles:
        sources.extend((Notice.Role.TEACHER, qs) for qs in audience_teachers(**unit))
    return sources


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _write_unit(notice: Notice, unit: dict) -> int:
    """The unit's recipient rows and inbox items; returns the inbox items written."""
    recipients, inbox = _table(NoticeRecipient), _table(InboxItem)
    selects, params = [], []
    # Members a class group's head teacher took out (classgroups) get none of its messages.
    excluded = sorted({int(a) for a in notice.audience.get("exclude_account_ids") or []})
    # A notice to some students of its classes (and their parents) keeps only their rows.
    only = sorted({int(p) for p in notice.audience.get("student_ids") or []})
    for role, source in _sources(notice, unit):
        sql, source_params = source.query.sql_with_params()
        if only:
            selects.append(f"SELECT %s, %s, q.* FROM ({sql}) q WHERE q.person_id IN ({', '.join(['%s'] * len(only))})")
            params += [notice.pk, role, *source_params, *only]
        elif excluded:
            column = connection.ops.quote_name(audience_account_column(source))
            selects.append(f"SELECT %s, %s, q.* FROM ({sql}) q WHERE q.{column} NOT IN "
                           f"({', '.join(['%s'] * len(excluded))})")
            params += [notice.pk, role, *source_params, *excluded]
        else:
            selects.append(f"SELECT %s, %s, q.* FROM ({sql}) q")
            params += [notice.pk, role, *source_params]
    if not selects:
        return 0
    insert_recipients = (
        f"INSERT INTO {recipients} (notice_id, role, school_id, class_id, account_id, student_person_id) "
        # WHERE 1=1: SQLite needs a WHERE before ON CONFLICT in an INSERT ... SELECT.
        f"SELECT * FROM ({' UNION ALL '.join(selects)}) u WHERE 1=1 ON CONFLICT DO NOTHING")
    sort_at = connection.ops.adapt_datetimefield_value(notice.send_at)
    head = [notice.pk, notice.school_id, sort_at, sort_at]  # sort_at and notice_at: both the send time
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: the inbox items come from the recipient rows just written (RETURNING), so
            # nothing is read back from the table, whose rows of earlier units would otherwise be
            # scanned again by every unit (a school's rows are not indexed by school).
            cursor.execute(
                f"WITH r AS ({insert_recipients} RETURNING account_id) "
                f"INSERT INTO {inbox} (notice_id, school_id, account_id, sort_at, notice_at, reminded_count) "
                f"SELECT %s, %s, account_id, %s, %s, 0 FROM r GROUP BY account_id ORDER BY account_id "
                f"ON CONFLICT DO NOTHING",  # the unique key, which holds the month on PostgreSQL
                [*params, *head])
            return max(cursor.rowcount, 0)
        cursor.execute(insert_recipients, params)
        if "class_ids" in unit:
            where, place = f"class_id IN ({', '.join(['%s'] * len(unit['class_ids']))})", list(unit["class_ids"])
        else:
            where, place = "school_id = %s", [unit["school_id"]]
        cursor.execute(
            f"INSERT INTO {inbox} (notice_id, school_id, account_id, sort_at, notice_at, reminded_count) "
            f"SELECT %s, %s, account_id, %s, %s, 0 FROM {recipients} WHERE notice_id = %s AND {where} "
            f"GROUP BY account_id ON CONFLICT (notice_id, account_id) DO NOTHING",
            [*head, notice.pk, *place],
        )
        return max(cursor.rowcount, 0)


def fan_out(notice_id: int) -> int:
    """Write the notice's rows unit by unit from where the last run stopped; returns the units written.
    Safe to run twice and from two workers at once (the notice row is locked per unit)."""
    notice = Notice.objects.filter(pk=notice_id).first()
    if notice is None or notice.status != Notice.Status.SENDING:
        return 0
    units = units_of(notice)
    written = 0
    while True:
        with transaction.atomic():
            # The rows and the cursor are one transaction: a crash loses whole units with their cursor step,
            # and the resumed fan-out (release_due requeues it) writes them again; nothing is doubled.
            commit_without_waiting_for_disk()
            locked = Notice.objects.select_for_update().get(pk=notice_id)
            if locked.status != Notice.Status.SENDING:
                return written
            now = timezone.now()
            if locked.fanout_cursor >= len(units):
                Notice.objects.filter(pk=notice_id).update(status=Notice.Status.SENT, sent_at=now, heartbeat_at=now)
                return written
            added = _write_unit(locked, units[locked.fanout_cursor])
            Notice.objects.filter(pk=notice_id).update(
                fanout_cursor=F("fanout_cursor") + 1, addressed=F("addressed") + added, heartbeat_at=now,
                fanout_started_at=locked.fanout_started_at or now)
            written += 1
