"""A class roster at a province's size, on the school-partitioned layout against the plain tables (issue 16,
Performance: "with 2,000,000 students in 4,000 schools, a class roster query on the partitioned schema costs at
most 1.1x the unpartitioned one").

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/bench_roster_partitions.py

The data (RRT_BENCH_ROSTER_STUDENTS, default 2,000,000, in RRT_BENCH_ROSTER_SCHOOLS, default 4,000): the schools,
stages, cohorts and classes of bench/generate_roster.py (about 45 students a class), then each student a person,
an account, a student identity and an open enrollment (core.bulk.bulk_insert: COPY), and a school admin for each
school the benchmark samples.

The two layouts, in one database:
- **unpartitioned**: the tables as the migrations make them (`public`);
- **partitioned**: schema `bench_part` holds copies of the roster's school-scoped tables, `accounts_enrollment`
  and `accounts_identity`, hash-partitioned by `school_id` into RRT_BENCH_ROSTER_PARTITIONS (default 32), with
  the same indexes, all plain (PostgreSQL makes a unique index on a partitioned table only with the partition
  key among its plain columns; the keys of these tables that lack it are the platform-wide ones that move to
  the directory, tests/platform/test_school_scoped_schema.py): what a node of a school-distributed cluster
  holds (docs/scaling.md).
  `accounts_person` and `accounts_account` stay whole: the person has no school yet (docs/scaling.md), and an
  account is found by its person.

The query is the application's, not a copy of its SQL: `accounts.selectors.students_of_class` (the class page and
`GET /api/v1/classes/{id}/students`), the scope's queries included: as the class's school admin for
RRT_BENCH_ROSTER_SAMPLES random classes (default 1,000), then as the admin of one district (a thousand schools at
the default size) for a fifth as many of its classes. The same calls run with `search_path` set to
`bench_part, public` and to `public`, alternately, twice (the second pass measured). Summary lines:

  partitions class roster <students> students in <schools> schools, school admin: <ms> | unpartitioned: <ms> | ratio
  partitions class roster <students> students in <schools> schools, district admin: <ms> | unpartitioned: <ms> | ratio

the medians; on stderr the 99th percentiles and what EXPLAIN shows for one class's enrollment lookup. The
database is dropped at the end (RRT_BENCH_ROSTER_PARTITIONS_DB names one to keep, with its data, for a rerun).
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date, datetime, timezone as dt_timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

STUDENTS = int(os.environ.get("RRT_BENCH_ROSTER_STUDENTS", "2000000"))
SCHOOLS = int(os.environ.get("RRT_BENCH_ROSTER_SCHOOLS", "4000"))
PARTITIONS = int(os.environ.get("RRT_BENCH_ROSTER_PARTITIONS", "32"))
SAMPLES = int(os.environ.get("RRT_BENCH_ROSTER_SAMPLES", "1000"))
PER_CLASS = 45
BATCH = 100_000
PARTITIONED = ("accounts_enrollment", "accounts_identity")
MARKER = "bench_roster_partitions_marker"


def generate() -> None:
    """The schools and their students, set-based."""
    from django.db import transaction

    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.core.bulk import bulk_insert
    from renrentong.orgs.models import SchoolClass

    import generate_roster

    started = time.perf_counter()
    world = generate_roster.Generator(2026, SCHOOLS, max(STUDENTS // PER_CLASS, SCHOOLS)).world
    generate_roster.setup_database(world)
    classes = list(SchoolClass.objects.filter(kind=SchoolClass.Kind.ADMINISTRATIVE)
                   .values_list("pk", "school_id").order_by("pk"))
    say(f"  {SCHOOLS} schools, {len(classes)} classes ({time.perf_counter() - started:.0f} s)")
    now = datetime(2026, 9, 1, 8, 0, tzinfo=dt_timezone.utc)
    rng = random.Random(2026)
    for start in range(0, STUDENTS, BATCH):
        placed = [classes[n % len(classes)] for n in range(start, min(start + BATCH, STUDENTS))]
        with transaction.atomic():
            people = bulk_insert(Person, [{"name": f"学生{n}", "sex": rng.choice("MF"), "name_pinyin": f"xs{n}"}
                                          for n in range(start, start + len(placed))])
            accounts = bulk_insert(Account, [
                {"number": f"S{start + n:09d}", "person_id": p, "password": "!", "home_school_id": school,
                 "created_at": now, "status_changed_at": now}
                for n, (p, (_, school)) in enumerate(zip(people, placed, strict=True))])
            bulk_insert(Identity, [{"account_id": a, "kind": Identity.Kind.STUDENT, "school_id": school,
                                    "created_at": now} for a, (_, school) in zip(accounts, placed, strict=True)],
                        ids=False)
            bulk_insert(Enrollment, [{"person_id": p, "school_class_id": klass, "school_id": school,
                                      "started_on": date(2026, 9, 1)}
                                     for p, (klass, school) in zip(people, placed, strict=True)], ids=False)
        say(f"  {start + len(placed)} students ({time.perf_counter() - started:.0f} s)")


def partition_copies(cursor) -> None:
    """bench_part: each table of PARTITIONED hash-partitioned by its school, with the original's indexes."""
    cursor.execute("DROP SCHEMA IF EXISTS bench_part CASCADE; CREATE SCHEMA bench_part")
    for table in PARTITIONED:
        cursor.execute(f"CREATE TABLE bench_part.{table} (LIKE public.{table} INCLUDING DEFAULTS "
                       f"INCLUDING CONSTRAINTS) PARTITION BY HASH (school_id)")
        for remainder in range(PARTITIONS):
            cursor.execute(f"CREATE TABLE bench_part.{table}_p{remainder} PARTITION OF bench_part.{table} "
                           f"FOR VALUES WITH (MODULUS {PARTITIONS}, REMAINDER {remainder})")
        cursor.execute(f"INSERT INTO bench_part.{table} SELECT * FROM public.{table}")
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = %s",
                       [table])
        for name, definition in cursor.fetchall():
            # Unique only where PostgreSQL allows it on a partitioned table (the partition key among the plain
            # columns); the benchmark only reads, and a lookup costs the same in a unique index as in a plain one.
            if definition.startswith("CREATE UNIQUE"):
                definition = definition.replace("CREATE UNIQUE INDEX", "CREATE INDEX", 1)
            definition = definition.replace(f" ON public.{table} ", f" ON bench_part.{table} ", 1)
            cursor.execute(definition.replace(f"INDEX {name} ", f"INDEX bench_part_{name} ", 1))
        cursor.execute(f"ANALYZE bench_part.{table}")


def school_admins(class_rows: list[tuple[int, int]]) -> dict[int, object]:
    """An actor per sampled school: its school admin."""
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account, Identity, Person

    actors = {}
    now = datetime(2026, 9, 1, 8, 0, tzinfo=dt_timezone.utc)
    for school in sorted({school for _, school in class_rows}):
        account, _ = Account.objects.get_or_create(
            number=f"A{school:09d}", defaults={"person": Person.objects.create(name="管理员", sex="F"),
                                               "password": "!", "home_school_id": school, "created_at": now,
                                               "status_changed_at": now})
        identity, _ = Identity.objects.get_or_create(account=account, kind=Identity.Kind.SCHOOL_ADMIN,
                                                     school_id=school, defaults={"created_at": now})
        actors[school] = actor_for(account, identity)
    return actors


def district_admin(district_id: int):
    """The district's admin: the scope of a thousand schools."""
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account, Identity, Person

    account, _ = Account.objects.get_or_create(
        number=f"D{district_id:09d}", defaults={"person": Person.objects.create(name="区管理员", sex="F"),
                                                "password": "!"})
    identity, _ = Identity.objects.get_or_create(account=account, kind=Identity.Kind.REGION_ADMIN,
                                                 region_id=district_id)
    return actor_for(account, identity)


def measure(label: str, sampled: list[tuple[int, int]], actor_of) -> None:
    """The class roster of each sampled class on both layouts, alternately, twice; the summary line."""
    from django.db import connection

    from renrentong.accounts.selectors import students_of_class

    times: dict[str, list[float]] = {}
    sizes: dict[str, int] = {}
    with connection.cursor() as cursor:
        for layout in ("bench_part, public", "public", "bench_part, public", "public"):
            cursor.execute(f"SET search_path TO {layout}")
            durations, total = [], 0
            for class_id, school in sampled:
                actor = actor_of(school)
                actor.__dict__.pop("scope", None)  # the scope is computed again, as on each request
                began = time.perf_counter()
                total += len(students_of_class(actor, class_id))
                durations.append(time.perf_counter() - began)
            times[layout], sizes[layout] = durations, total  # the second pass of each: caches warm for both
        cursor.execute("SET search_path TO public")
    if sizes["public"] != sizes["bench_part, public"]:
        raise SystemExit(f"the layouts gave different rosters: {sizes}")
    part, plain = times["bench_part, public"], times["public"]
    say(f"  {label}: {len(sampled)} classes, {sizes['public']} students listed each pass; p99 "
        f"{common.percentile(part, 99) * 1000:.1f} ms partitioned, {common.percentile(plain, 99) * 1000:.1f} ms "
        f"unpartitioned")
    part_ms, plain_ms = common.median(part) * 1000, common.median(plain) * 1000
    common.emit(common.summary(f"partitions class roster {STUDENTS} students in {SCHOOLS} schools, {label}",
                               f"{part_ms:.2f} ms", "unpartitioned", f"{plain_ms:.2f} ms", part_ms / plain_ms))


def main() -> int:
    if not os.environ.get("DATABASE_URL"):
        say("bench_roster_partitions needs DATABASE_URL (PostgreSQL): SQLite has no partitions")
        return 0
    say(f"roster partitions bench: {STUDENTS} students in {SCHOOLS} schools, {PARTITIONS} partitions; "
        f"{common.machine_note()}")
    keep = bool(os.environ.get("RRT_BENCH_ROSTER_PARTITIONS_DB"))
    with common.bench_environment("roster_partitions", keep=keep, drop=not keep) as env:
        common.django_setup(env)
        from django.db import connection

        from renrentong.orgs.models import School, SchoolClass

        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [MARKER])
            if not cursor.fetchone()[0]:
                generate()
                started = time.perf_counter()
                partition_copies(cursor)
                cursor.execute("VACUUM ANALYZE")
                cursor.execute(f"CREATE TABLE {MARKER} ()")
                say(f"  partitioned copies and VACUUM ANALYZE in {time.perf_counter() - started:.0f} s")
        classes = list(SchoolClass.objects.filter(kind=SchoolClass.Kind.ADMINISTRATIVE)
                       .values_list("pk", "school_id"))
        sampled = random.Random(7).sample(classes, min(SAMPLES, len(classes)))
        actors = school_admins(sampled)

        measure("school admin", sampled, actors.__getitem__)
        district = School.objects.get(pk=sampled[0][1]).district_id
        schools = set(School.objects.filter(district_id=district).values_list("pk", flat=True))
        in_district = [(c, s) for c, s in classes if s in schools]
        admin = district_admin(district)
        measure("district admin", random.Random(8).sample(in_district, min(SAMPLES // 5, len(in_district))),
                lambda school: admin)
        with connection.cursor() as cursor:
            class_id, school = sampled[0]
            for layout in ("bench_part, public", "public"):
                cursor.execute(f"SET search_path TO {layout}")
                cursor.execute("EXPLAIN SELECT person_id FROM accounts_enrollment WHERE school_id = %s "
                               "AND school_class_id = %s AND ended_on IS NULL", [school, class_id])
                say(f"  EXPLAIN ({layout}): " + " / ".join(row[0].strip() for row in cursor.fetchall()))
            cursor.execute("SET search_path TO public")
        common.close_db()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
