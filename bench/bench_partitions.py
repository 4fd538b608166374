"""Monthly partitions (issue 16 item 4): what reading a partitioned table costs against the same rows in one
unpartitioned table, in the same run.

The inbox is the hottest partitioned table (every parent's evening) and the one whose hot query names no month:
an account's newest items, which on the partitioned table reads every month's index and merges them. Rows: a
year of inbox items (notice_at spread over 12 months, RRT_BENCH_PARTITION_ROWS of them, default 2,000,000, over
ACCOUNTS accounts in SCHOOLS schools) written once into `notices_inboxitem` (partitioned by month by the
migrations, pg_partman) and copied into `bench_inbox_plain`, a plain table with the same columns and indexes.

Prints three summary lines, each a median over random accounts or schools, partitioned | unpartitioned:

  partitions inbox first page: <ms> | unpartitioned: <ms> | ratio <partitioned / unpartitioned>
      WHERE account_id = ? ORDER BY sort_at DESC, id DESC LIMIT 20 (the inbox's first page). Goal: at most 1.1.
  partitions unread badge: <ms> | unpartitioned: <ms> | ratio ...
      count(*) WHERE account_id = ? AND read_at IS NULL. Goal: at most 1.1.
  partitions school month: <ms> | unpartitioned: <ms> | ratio ...
      a school's items of one month (count), which touches one partition. Goal: at most 1.1 (below 1 expected).

On stderr also the 99th percentiles. PostgreSQL only (SQLite has no partitions).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

ROWS = int(os.environ.get("RRT_BENCH_PARTITION_ROWS", "2000000"))
ACCOUNTS = max(ROWS // 100, 1)  # a hundred notices a year each: two a school week
SCHOOLS = 400
SAMPLES = int(os.environ.get("RRT_BENCH_PARTITION_SAMPLES", "2000"))
MONTHS = 12

QUERIES = {
    "inbox first page": "SELECT id, notice_id, sort_at, read_at FROM {table} WHERE account_id = %s "
                        "ORDER BY sort_at DESC, id DESC LIMIT 20",
    "unread badge": "SELECT count(*) FROM {table} WHERE account_id = %s AND read_at IS NULL",
    "school month": "SELECT count(*) FROM {table} WHERE school_id = %s AND notice_at >= %s AND notice_at < %s",
}


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        say("bench_partitions needs DATABASE_URL (PostgreSQL): SQLite has no partitions")
        return 0
    say(f"partitions bench: {ROWS} inbox items, {ACCOUNTS} accounts, {SCHOOLS} schools, {MONTHS} months; "
        f"{common.machine_note()}")
    with common.bench_environment("partitions") as env:
        common.django_setup(env)
        from django.db import connection

        with connection.cursor() as cursor:
            # The year's months as (start, end), for a school's month.
            cursor.execute("SELECT m, m + interval '1 month' FROM generate_series(date_trunc('month', now()) - "
                           "make_interval(months => %s - 1), date_trunc('month', now()), interval '1 month') m",
                           [MONTHS])
            months = cursor.fetchall()
            # The months before the ones the migration made, so that the year has a partition each.
            cursor.execute("SELECT partman.create_partition_time('public.notices_inboxitem', "
                           "ARRAY(SELECT date_trunc('month', now()) - make_interval(months => m) "
                           "FROM generate_series(1, %s) m))", [MONTHS])
            started = time.perf_counter()
            cursor.execute(f"""
INSERT INTO notices_inboxitem (notice_id, school_id, account_id, sort_at, notice_at, read_at, reminded_count)
SELECT n / 50, (n % {ACCOUNTS}) % {SCHOOLS} + 1, n % {ACCOUNTS} + 1, t, t, CASE WHEN n % 10 < 8 THEN t END, 0
FROM (SELECT n, date_trunc('month', now()) - make_interval(months => {MONTHS} - 1)
             + make_interval(secs => (n::float8 / {ROWS}) * {MONTHS} * 30 * 86400) AS t
      FROM generate_series(0, {ROWS} - 1) n) s""")
            say(f"  {ROWS} rows into the partitioned table in {time.perf_counter() - started:.1f} s")
            started = time.perf_counter()
            cursor.execute("CREATE TABLE bench_inbox_plain (LIKE notices_inboxitem INCLUDING ALL)")
            cursor.execute("INSERT INTO bench_inbox_plain SELECT * FROM notices_inboxitem")
            say(f"  copied into the plain table in {time.perf_counter() - started:.1f} s")
            for table in ("notices_inboxitem", "bench_inbox_plain"):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("SELECT count(*) FROM pg_inherits WHERE inhparent = 'notices_inboxitem'::regclass")
            say(f"  partitions: {cursor.fetchone()[0]} (months made ahead and the default one included)")

            rng = random.Random(7)
            for name, sql in QUERIES.items():
                argument_sets = []
                for _ in range(SAMPLES):
                    if name == "school month":
                        argument_sets.append([rng.randint(1, SCHOOLS), *rng.choice(months)])
                    else:
                        argument_sets.append([rng.randint(1, ACCOUNTS)])
                times: dict[str, list[float]] = {}
                for table in ("notices_inboxitem", "bench_inbox_plain", "notices_inboxitem", "bench_inbox_plain"):
                    query = sql.format(table=table)
                    durations = []
                    for arguments in argument_sets:
                        began = time.perf_counter()
                        cursor.execute(query, arguments)
                        cursor.fetchall()
                        durations.append(time.perf_counter() - began)
                    times[table] = durations  # the second pass of each: caches warm for both
                part, plain = times["notices_inboxitem"], times["bench_inbox_plain"]
                say(f"  {name}: p99 {common.percentile(part, 99) * 1000:.2f} ms partitioned, "
                    f"{common.percentile(plain, 99) * 1000:.2f} ms unpartitioned")
                part_ms, plain_ms = common.median(part) * 1000, common.median(plain) * 1000
                common.emit(common.summary(f"partitions {name}", f"{part_ms:.3f} ms", "unpartitioned",
                                           f"{plain_ms:.3f} ms", part_ms / plain_ms))
        common.close_db()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
