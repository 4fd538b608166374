"""Monthly partitions for the big append-mostly tables on PostgreSQL (issue 16 item 4), made and retired by
pg_partman.

A partitioned table keeps its Django model: the model's `id` stays its primary key as far as Django knows, while
PostgreSQL holds the key (id, month column), because a partitioned table's keys must include the column it is
partitioned by. Each unique constraint gets the month column too; the partitioned tables are chosen so that no
foreign key points at them (Django cannot point one at a composite key) and so that adding the month loses
nothing (core.auditchain's per-chain numbers are checked by `audit_verify` as well).

Months are created ahead (PREMAKE) and retired after their retention: pg_partman detaches an old month and
moves it into the ARCHIVE schema, where it stays a plain table, never deleted; an operator dumps it to cold
storage from there (docs/operations.md). Retiring a month of the audit log first records where each chain
stood (core.auditchain.record_baselines), so the chains stay verifiable without the detached months.

SQLite (development) has no partitions; everything here is a no-op there.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from renrentong.core import auditchain

logger = logging.getLogger(__name__)

PARTMAN = "partman"
ARCHIVE = "rrt_archive"
PREMAKE = 4  # months created ahead; the periodic duty keeps it so
MAINTENANCE_EVERY_SECONDS = 3600
# The Cybersecurity Law (art. 21) asks network logs be kept at least six months; retired months are archived.
RETENTION = "6 months"


class PartmanMissing(RuntimeError):
    pass


@dataclass(frozen=True)
class Partition:
    name: str
    starts: datetime | None  # None for the default partition
    ends: datetime | None
    rows: int  # counted, or the planner's estimate (reltuples, after ANALYZE) when listed with exact=False
    estimated: bool = False


def is_partitioned(table: str, connection: BaseDatabaseWrapper = default_connection) -> bool:
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return bool(row) and row[0] == "p"


def _has_partman(cursor) -> bool:
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_partman'")
    return cursor.fetchone() is not None


def _ensure_partman(cursor) -> None:
    if _has_partman(cursor):
        return
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_partman'")
    if cursor.fetchone() is None:
        raise PartmanMissing(
            "PostgreSQL needs the pg_partman extension for the monthly partitions: install it on the database "
            "server (Debian: apt-get install postgresql-15-partman) and migrate again")
    # Creating the extension needs a superuser; a deployment whose migrations run as a plain owner creates it
    # beforehand (scripts/cluster.py does, docs/operations.md says how).
    cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {PARTMAN}")
    cursor.execute(f"CREATE EXTENSION IF NOT EXISTS pg_partman SCHEMA {PARTMAN}")


def _with_column(definition: str, column: str) -> str:
    """`UNIQUE (a, b)` or `CREATE UNIQUE INDEX n ON t USING btree (a, b)` with the month column added."""
    if " WHERE " in definition or " INCLUDE " in definition:
        raise ValueError(f"cannot add the partition column to a partial or covering key: {definition}")
    head, _, tail = definition.rpartition(")")
    return f"{head}, {column}){tail}"


def partition_by_month(schema_editor, table: str, column: str, *, retention: str = RETENTION) -> None:
    """Turn `table` into one partitioned by month on `column` (NOT NULL, never updated), keeping its rows,
    indexes, constraints, triggers and identity sequence; a migration's RunPython calls it. A no-op on SQLite
    and on a table already partitioned, so a migration that failed midway (it runs in one transaction anyway)
    can run again."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or is_partitioned(table, connection):
        return
    quote = connection.ops.quote_name
    old = f"{table}__unpartitioned"
    with connection.cursor() as cursor:
        # Checks still deferred from this transaction's earlier writes would hold the old table: run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        _ensure_partman(cursor)
        cursor.execute(f"CREATE SCHEMA IF NOT EXISTS {ARCHIVE}")
        cursor.execute("""
SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint
 WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY contype DESC, conname""", [table])
        constraints = cursor.fetchall()
        cursor.execute("""
SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), i.indisunique FROM pg_index i
 WHERE i.indrelid = %s::regclass
   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = i.indrelid)
 ORDER BY 1""", [table])
        indexes = cursor.fetchall()
        cursor.execute("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass "
                       "AND NOT tgisinternal ORDER BY tgname", [table])
        triggers = [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT to_char(date_trunc('month', min({quote(column)})), 'YYYY-MM-DD'), max(id) "
                       f"FROM {quote(table)}")
        first_month, last_id = cursor.fetchone()

        cursor.execute(f"ALTER TABLE {quote(table)} RENAME TO {quote(old)}")
        cursor.execute(f"CREATE TABLE {quote(table)} (LIKE {quote(old)} INCLUDING DEFAULTS INCLUDING IDENTITY "
                       f"INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE ({quote(column)})")
        cursor.execute(
            f"SELECT {PARTMAN}.create_parent(p_parent_table := %s, p_control := %s, p_type := 'native', "
            f"p_interval := 'monthly', p_premake := %s, p_start_partition := %s, p_jobmon := false)",
            [f"public.{table}", column, PREMAKE, first_month])
        cursor.execute(
            f"UPDATE {PARTMAN}.part_config SET retention = %s, retention_keep_table = true, "
            f"retention_keep_index = true, retention_schema = %s, infinite_time_partitions = true "
            f"WHERE parent_table = %s", [retention, ARCHIVE, f"public.{table}"])
        cursor.execute(f"INSERT INTO {quote(table)} SELECT * FROM {quote(old)}")
        cursor.execute(f"DROP TABLE {quote(old)}")
        if last_id is not None:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, last_id])

        for name, kind, definition in constraints:
            if kind in ("p", "u"):
                definition = _with_column(definition, quote(column))
            cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        for _name, definition, unique in indexes:
            cursor.execute(_with_column(definition, quote(column)) if unique else definition)
        for definition in triggers:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's constraints are deferred again


def partitions(table: str, connection: BaseDatabaseWrapper = default_connection, *,
               exact: bool = True) -> list[Partition]:
    """The attached partitions of `table`, oldest first, then the default one (rows outside every month).
    Without `exact`, a month's rows are the planner's estimate: counting a province's month of inbox rows reads
    every one of its pages. The default partition is always counted: it should hold nothing, so it costs
    nothing, and a row there is what an operator must see."""
    if not is_partitioned(table, connection):
        return []
    found = []
    with connection.cursor() as cursor:
        cursor.execute("""
SELECT c.relname, pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
 WHERE i.inhparent = %s::regclass""", [table])
        for name, bound in cursor.fetchall():
            starts = ends = None
            if bound != "DEFAULT":
                cursor.execute(f"SELECT child_start_time, child_end_time FROM {PARTMAN}.show_partition_info(%s)",
                               [f"public.{name}"])
                starts, ends = cursor.fetchone()
            if exact or bound == "DEFAULT":
                cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(name)}")
                found.append(Partition(name, starts, ends, cursor.fetchone()[0]))
            else:
                cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [name])
                # -1: never analyzed (a month made ahead, not yet written): nothing worth counting either.
                found.append(Partition(name, starts, ends, max(int(cursor.fetchone()[0]), 0), estimated=True))
    return sorted(found, key=lambda part: (part.starts is None, part.starts or timezone.now()))


def archived(table: str, connection: BaseDatabaseWrapper = default_connection) -> list[str]:
    """The retired months of `table`, kept as tables in the archive schema."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename LIKE %s "
                       "ORDER BY tablename", [ARCHIVE, f"{table}_p%"])
        return [row[0] for row in cursor.fetchall()]


def partitioned_tables(connection: BaseDatabaseWrapper = default_connection) -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        return [table for table, _parent, _retention in _configured(cursor)] if _has_partman(cursor) else []


def _configured(cursor) -> list[tuple[str, str, str | None]]:
    """(table, pg_partman's schema-qualified name for it, retention) of every partitioned table."""
    cursor.execute(f"SELECT parent_table, retention FROM {PARTMAN}.part_config ORDER BY parent_table")
    return [(parent.split(".", 1)[1], parent, retention) for parent, retention in cursor.fetchall()]


def maintain(connection: BaseDatabaseWrapper = default_connection, now: datetime | None = None) -> dict[str, int]:
    """Create the months ahead and retire the months past their retention, in one transaction: each table's
    number of months retired. `now` moves the retention's reference time (tests; an operator catching up)."""
    if connection.vendor != "postgresql":
        return {}
    now = now or timezone.now()
    retired: dict[str, int] = {}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if not _has_partman(cursor):
            return {}
        for table, parent, retention in _configured(cursor):
            if retention and table == auditchain.TABLE:
                # What pg_partman is about to detach, recorded first (its own rule: a month whose end is older
                # than the retention), so the chains go on from where the archived months left them.
                cursor.execute(f"""
SELECT max(p.child_end_time) FROM {PARTMAN}.show_partitions(%s) s,
       LATERAL {PARTMAN}.show_partition_info(s.partition_schemaname || '.' || s.partition_tablename) p
 WHERE p.child_end_time < %s::timestamptz - %s::interval""", [parent, now, retention])
                through = cursor.fetchone()[0]
                if through is not None:
                    auditchain.record_baselines(connection, through)
            if retention:
                cursor.execute(f"SELECT {PARTMAN}.drop_partition_time(%s, p_reference_timestamp := %s)",
                               [parent, now])
                retired[table] = cursor.fetchone()[0] or 0
        cursor.execute(f"SELECT {PARTMAN}.run_maintenance(p_analyze := false, p_jobmon := false)")
    return retired


def _owns_tables(connection: BaseDatabaseWrapper) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_has_role(current_user, relowner, 'USAGE') FROM pg_class "
                       "WHERE oid = to_regclass(%s)", [auditchain.TABLE])
        row = cursor.fetchone()
    return bool(row and row[0])


def maintain_if_due() -> dict[str, int] | None:
    """The periodic duty: at most once an hour across every worker (the cache's add is the claim). Making and
    detaching partitions needs the tables' owner: where the workers log in as the application's role (a
    production deployment, docs/operations.md) the owner's daily `manage.py partitions --maintain` does it."""
    if default_connection.vendor != "postgresql" or not cache.add("rrt:partitions:maintained", 1,
                                                                   MAINTENANCE_EVERY_SECONDS):
        return None
    if not _owns_tables(default_connection):
        logger.info("partitions: not the tables' owner here; the owner's `manage.py partitions --maintain` runs it")
        return None
    return maintain()
