"""Monthly partitions of the big append-mostly tables on PostgreSQL (issue 16 item 4): made ahead and retired
by pg_partman, retired months archived and never deleted, the audit chains verifiable across the archive."""

from __future__ import annotations

import io
import re
from datetime import datetime, timedelta, timezone

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from freezegun import freeze_time

from renrentong.core import audit, auditchain, partitions
from renrentong.core.models import AuditChainBase, AuditEvent
from renrentong.notices.models import InboxItem
from renrentong.push.models import Delivery

pytestmark = pytest.mark.django_db
postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL has partitions")

PARTITIONED = ["accounts_loginevent", "core_auditevent", "notices_inboxitem", "push_delivery"]
MONTH_COLUMN = {"accounts_loginevent": "at", "core_auditevent": "at", "notices_inboxitem": "notice_at",
                "push_delivery": "sent_at"}


def month_start(when: datetime) -> datetime:
    return when.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def months_after(when: datetime, count: int) -> datetime:
    month = when.year * 12 + when.month - 1 + count
    return when.replace(year=month // 12, month=month % 12 + 1)


def partition_names(plan: str) -> set[str]:
    return set(re.findall(r" on (\w+?_(?:p\d{4}_\d{2}|default))\b", plan))


def sql(query: str, params: list | None = None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params or [])
        return cursor.fetchall()


@postgres_only
def test_the_big_tables_are_partitioned_by_month_with_months_made_ahead():
    now = month_start(datetime.now(timezone.utc))
    assert partitions.partitioned_tables() == PARTITIONED
    for table in PARTITIONED:
        assert partitions.is_partitioned(table)
        months = [part.starts for part in partitions.partitions(table) if part.starts is not None]
        assert [months_after(now, ahead) in months for ahead in range(partitions.PREMAKE + 1)] == [True] * 5
        # Keys hold the month: PostgreSQL enforces a partitioned table's keys within each month.
        [(key,)] = sql("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
                       "AND contype = 'p'", [table])
        assert key == f"PRIMARY KEY (id, {MONTH_COLUMN[table]})"
    out = io.StringIO()
    call_command("partitions", stdout=out)
    assert "core_auditevent: " in out.getvalue() and "archived: none" in out.getvalue()
    assert "about " in out.getvalue()  # estimated: a province's month is not counted row by row
    call_command("partitions", "--exact", stdout=(exact := io.StringIO()))
    assert "about " not in exact.getvalue() and "0 outside every month" in exact.getvalue()


@postgres_only
def test_a_schools_query_for_one_month_touches_one_partition():
    this_month = month_start(datetime.now(timezone.utc))
    audit.record(None, "password.reset", None, {}, school_id=41)
    plan = AuditEvent.objects.filter(school_id=41, at__gte=this_month, at__lt=months_after(this_month, 1)).explain()
    assert partition_names(plan) == {f"core_auditevent_p{this_month:%Y_%m}"}, plan
    everything = AuditEvent.objects.filter(school_id=41).explain()
    assert len(partition_names(everything)) > partitions.PREMAKE
    month = {"notice_at__gte": this_month, "notice_at__lt": months_after(this_month, 1)}
    plan = InboxItem.objects.filter(school_id=41, **month).order_by("-sort_at").explain()
    assert partition_names(plan) == {f"notices_inboxitem_p{this_month:%Y_%m}"}, plan
    month = {"sent_at__gte": this_month, "sent_at__lt": months_after(this_month, 1)}
    plan = Delivery.objects.filter(school_id=41, channel="sms", **month).explain()
    assert partition_names(plan) == {f"push_delivery_p{this_month:%Y_%m}"}, plan


@postgres_only
def test_retired_months_are_archived_never_deleted_and_the_chains_go_on():
    from renrentong.accounts.models import LoginEvent

    old = months_after(month_start(datetime.now(timezone.utc)), -4) + timedelta(days=3)
    with freeze_time(old):  # the oldest month made when the database was
        audit.record(None, "password.reset", None, {"n": 1}, school_id=51)
        audit.record(None, "password.reset", None, {"n": 2}, school_id=51)
        audit.record(None, "users.freeze", None, {}, school_id=52)
        LoginEvent.objects.create(identifier="138****0000", outcome="failed")
    audit.record(None, "users.freeze", None, {}, school_id=52)
    sealed_before = auditchain.seal()
    assert sealed_before

    # Six months after the old month ended, pg_partman retires it into the archive schema.
    retired = partitions.maintain(now=months_after(month_start(old), 7) + timedelta(days=1))
    assert retired["core_auditevent"] >= 1 and retired["accounts_loginevent"] >= 1
    archived = f"core_auditevent_p{old:%Y_%m}"
    assert archived in partitions.archived("core_auditevent")
    assert sql(f"SELECT count(*) FROM {partitions.ARCHIVE}.{archived} WHERE school_id IN (51, 52)") == [(3,)]
    assert not AuditEvent.objects.filter(school_id=51).exists()

    # The chains stand where the archived months left them and go on from there.
    assert {base.chain: base.seq for base in AuditChainBase.objects.filter(chain__in=[51, 52])} == {51: 2, 52: 1}
    assert auditchain.verify() == []
    [entry] = [audit.record(None, "password.reset", None, {"n": 3}, school_id=51)]
    entry.refresh_from_db()
    assert entry.chain_seq == 3
    assert AuditEvent.objects.get(school_id=52).chain_seq == 2
    assert auditchain.verify() == []
    out = io.StringIO()
    call_command("audit_verify", stdout=out)
    assert "audit log intact" in out.getvalue()

    # The first live entry is still checked against its base: rewritten, it is named.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("UPDATE core_auditevent SET verb = 'nothing.happened' WHERE school_id = 52")
        cursor.execute("SET LOCAL session_replication_role = origin")
    [broken] = [found for found in auditchain.verify() if found.chain == 52]
    assert (broken.seq, broken.reason) == (2, "hash")


@postgres_only
def test_a_table_with_rows_keeps_them_its_keys_and_its_numbering_when_partitioned():
    with connection.cursor() as cursor:
        cursor.execute("""
CREATE TABLE rrt_sample (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL,
  code text NOT NULL CONSTRAINT one_code UNIQUE, account_id bigint REFERENCES accounts_account (id)
  DEFERRABLE INITIALLY DEFERRED, n integer CHECK (n >= 0));
CREATE INDEX rrt_sample_code ON rrt_sample (code);
INSERT INTO rrt_sample (at, code, n) VALUES ('2026-01-05', 'a', 1), ('2026-01-20', 'b', 2), ('2026-03-02', 'c', 3)""")
    with connection.schema_editor() as editor:
        partitions.partition_by_month(editor, "rrt_sample", "at", retention="1 year")
        partitions.partition_by_month(editor, "rrt_sample", "at")  # a second run changes nothing
    assert partitions.is_partitioned("rrt_sample")
    parts = {part.name: part.rows for part in partitions.partitions("rrt_sample")}
    assert parts["rrt_sample_p2026_01"] == 2 and parts["rrt_sample_p2026_03"] == 1
    assert sql("SELECT code, n FROM rrt_sample ORDER BY id") == [("a", 1), ("b", 2), ("c", 3)]
    [(new_id,)] = sql("INSERT INTO rrt_sample (at, code, n) VALUES ('2026-03-09', 'd', 4) RETURNING id")
    assert new_id == 4
    definitions = {name: definition for name, definition in sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'rrt_sample'::regclass")}
    assert definitions["one_code"] == "UNIQUE (code, at)"
    assert definitions["rrt_sample_pkey"] == "PRIMARY KEY (id, at)"
    assert "REFERENCES accounts_account(id)" in definitions["rrt_sample_account_id_fkey"]
    assert sql("SELECT 1 FROM pg_indexes WHERE indexname = 'rrt_sample_code'") == [(1,)]
    for bad in ["INSERT INTO rrt_sample (at, code, n) VALUES ('2026-03-09', 'd', 5)",
                "INSERT INTO rrt_sample (at, code, n) VALUES ('2026-03-10', 'e', -1)",
                "INSERT INTO rrt_sample (at, code, account_id) VALUES ('2026-03-10', 'f', -7)"]:
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(bad)
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


@postgres_only
def test_the_periodic_duty_maintains_at_most_once_an_hour():
    cache.delete("rrt:partitions:maintained")
    assert partitions.maintain_if_due() == dict.fromkeys(PARTITIONED, 0)
    assert partitions.maintain_if_due() is None


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite development database")
def test_sqlite_has_no_partitions_and_maintenance_does_nothing():
    assert partitions.partitioned_tables() == [] and partitions.partitions("core_auditevent") == []
    assert partitions.maintain() == {} and partitions.maintain_if_due() is None


@postgres_only
def test_a_login_event_in_a_month_nobody_made_lands_in_the_default_partition():
    from renrentong.accounts.models import LoginEvent

    with freeze_time("2001-02-03T04:05:06Z"):
        LoginEvent.objects.create(identifier="138****0000", outcome="failed")
    [default] = [part for part in partitions.partitions("accounts_loginevent") if part.starts is None]
    assert default.rows == 1
