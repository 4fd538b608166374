"""Notices at city scale (issue 13, Performance): sending, fan-out, a killed fan-out, and the inbox load.

    .venv/bin/python bench/bench_notices.py [--students 1500000] [--history N] [--sqlite-students 100000]
                                           [--fresh] [--drop] [--skip-postgres] [--skip-sqlite] [--skip-load]

With DATABASE_URL (a PostgreSQL server) the city runs on PostgreSQL in the database `bench_notices`
(RRT_BENCH_NOTICES_DB), which is kept between runs: a marker table says which data it holds, and a run
with the same --students and --history reuses it (the notices a previous run sent are deleted first).
--fresh rebuilds it, --drop drops it at the end. Then a district (--sqlite-students) runs on SQLite in a
temporary directory. Without DATABASE_URL only the SQLite part runs.

The data, written set-based (INSERT ... SELECT over a series, plain indexes built afterwards): a city of
10 districts, schools of 60 classes (6 grades of 10), 42 students a class, each with a person, an account
and an open enrollment; families of one or two children (a fifth of the students are a younger sibling),
each with one parent account, every twelfth family a second one (1.5 million students: 1.2 million
families, 1.3 million parent accounts, 1.6 million guardianships); and a history of notices of 1,000
inbox items each (20 million inbox items for the full city, 70% read), so the fan-out writes into big
tables with all their indexes.

Summary lines (stdout):
  notice accept city: <ms> | one class: <ms> | ratio <city / one class>
      send_notice (notices.services, as on main) by the city admin to every parent of the city, and by a
      head teacher to the parents of their class, wall time until it returns (committed, its fan-out
      queued); the median of 5 alternating sends each.
  notice fan-out <N> students: <s> | COPY baseline: <s> | ratio <fan-out / COPY>
      notices.fanout.fan_out of the last city notice, every unit committed, wall time; baseline, in the
      same run and database: COPY of exactly the rows it wrote (recipient rows and inbox items, under
      another notice id) into the same tables with the same indexes, rolled back.
  notice fan-out resumed after kill: <rows> | expected: <rows> | ratio <rows / expected>
      a district's notice whose fan-out runs in a subprocess that is killed (SIGKILL) after a third of
      its units, then resumed; must be exactly one inbox item per account and one recipient row per
      (account, class, child) of the audience (ratio 1.00).
  notice fan-out <N> students (SQLite): <s> | bulk insert baseline: <s> | ratio <...>
      the same for a district on SQLite (its baseline: executemany of the same rows).
  inbox first page p99, 50 clients during fan-out: <ms> | GET /api/v1/me p99: <ms> | ratio <...>
  inbox unread count p99, 50 clients during fan-out: <ms> | GET /api/v1/me p99: <ms> | ratio <...>
  receipts head teacher p99: <ms> | GET /api/v1/me p99: <ms> | ratio <...>
  receipts city per-school summary: <ms> | GET /api/v1/me p99: <ms> | ratio <...>
      (PostgreSQL only) against a running server (bench/common.py: gunicorn) while a city fan-out runs in
      another process; skipped with a message on stderr while the endpoint answers 404 (it is built by
      the inbox stream). RRT_BENCH_INBOX_URL, RRT_BENCH_UNREAD_URL, RRT_BENCH_RECEIPTS_CLASS_URL and
      RRT_BENCH_RECEIPTS_SUMMARY_URL override the paths ({notice} and {klass} are filled in).

Environment: DATABASE_URL, REDIS_URL (used as given: give it a database number of its own, it is
flushed at the end), RRT_BENCH_SECONDS (seconds of load per measured endpoint, default 10).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

DATA_VERSION = 3  # bump when the generated data changes shape
CLASS_SIZE = 42
CLASSES_PER_SCHOOL = 60
GRADES = 6
DISTRICTS = 10
INBOX_PER_HISTORY_NOTICE = 1000
SCHOOL_YEAR = 2026
ENROLLED_ON = "2026-09-01"
HISTORY_START = "2025-09-01 08:00:00"
# Big tables whose plain indexes are dropped while they are filled and built afterwards.
BIG_TABLES = ["accounts_person", "accounts_account", "accounts_enrollment", "accounts_guardianship",
              "notices_inboxitem"]


# -- the data -------------------------------------------------------------------------------------

class Shape:
    """Every count and id range of the generated city, from the number of students."""

    def __init__(self, students: int, history: int) -> None:
        self.students = students
        self.history = history
        self.classes = -(-students // CLASS_SIZE)
        self.schools = -(-self.classes // CLASSES_PER_SCHOOL)
        self.families = students * 4 // 5
        self.second_parents = -(-self.families // 12)
        self.parents = self.families + self.second_parents
        self.districts = min(DISTRICTS, self.schools)


def _vendor() -> str:
    from django.db import connection

    return connection.vendor


def series(n: int) -> str:
    """A row source of i = 0 .. n-1."""
    if _vendor() == "postgresql":
        return f"generate_series(0, {n - 1}) AS s(i)"
    return f"(SELECT i FROM bench_series WHERE i < {n}) s"


def _sqlite_series(n: int) -> None:
    from django.db import connection

    with connection.cursor() as c:
        c.execute("CREATE TABLE IF NOT EXISTS bench_series (i INTEGER PRIMARY KEY)")
        c.execute("DELETE FROM bench_series")
        c.execute(f"WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < {n - 1}) "
                  "INSERT INTO bench_series SELECT i FROM r")


def _plain_indexes(table: str) -> list[tuple[str, str]]:
    """PostgreSQL: (name, definition) of the table's indexes that back no constraint."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("""SELECT i.indexname, i.indexdef FROM pg_indexes i
                     WHERE i.tablename = %s AND NOT EXISTS (
                       SELECT 1 FROM pg_constraint k WHERE k.conname = i.indexname)""", [table])
        return list(c.fetchall())


def marker(shape: Shape) -> str:
    return f"v{DATA_VERSION} students={shape.students} history={shape.history}"


def read_marker() -> tuple[str, int] | None:
    from django.db import connection

    with connection.cursor() as c:
        try:
            c.execute("SELECT label, last_history_notice FROM bench_notices_marker")
            row = c.fetchone()
        except Exception:
            return None
    return (row[0], row[1]) if row else None


def generate(shape: Shape) -> int:
    """The city, set-based; returns the id of the last history notice."""
    from django.db import connection, transaction
    from renrentong.accounts.models import Account, HeadTeacher, Identity, Person
    from renrentong.core.bulk import bulk_insert
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage

    pg = connection.vendor == "postgresql"
    if not pg:
        _sqlite_series(max(shape.students + shape.parents, shape.history, 1))
    with transaction.atomic():
        province = Region.objects.create(kind="province", name="湖南省", code="430000")
        city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
        districts = bulk_insert(Region, [{"kind": "district", "name": f"第{d + 1}区", "code": f"4301{d + 2:02d}",
                                          "parent_id": city.pk} for d in range(shape.districts)])
        school_ids = bulk_insert(School, [
            {"district_id": districts[s % shape.districts], "name": f"长沙市第{s + 1}学校", "code": f"CS{s:05d}",
             "school_year": SCHOOL_YEAR, "registered": True, "levels": ["primary"]} for s in range(shape.schools)])
        campus_ids = bulk_insert(Campus, [{"school_id": pk, "name": "本部"} for pk in school_ids])
        stage_ids = bulk_insert(Stage, [{"campus_id": pk, "level": "primary", "system": "6-3"} for pk in campus_ids])
        cohort_ids = bulk_insert(Cohort, [{"stage_id": stage_ids[s], "enrollment_year": SCHOOL_YEAR - g}
                                          for s in range(shape.schools) for g in range(GRADES)])
        per_grade = CLASSES_PER_SCHOOL // GRADES
        class_ids = bulk_insert(SchoolClass, [
            {"school_id": school_ids[k // CLASSES_PER_SCHOOL],
             "cohort_id": cohort_ids[(k // CLASSES_PER_SCHOOL) * GRADES + (k % CLASSES_PER_SCHOOL) // per_grade],
             "number": k % per_grade + 1, "code": f"C{k:07d}", "kind": "administrative"} for k in range(shape.classes)])
        # Senders: the city's admin, and the head teacher of the first class.
        admin_person = Person.objects.create(name="市教育局管理员", sex="F")
        admin = Account.objects.create(number="199000001", person=admin_person, password="!")
        Identity.objects.create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=city)
        teacher_person = Person.objects.create(name="王芳", sex="F")
        teacher = Account.objects.create(number="199000002", person=teacher_person, password="!",
                                         home_school_id=school_ids[0])
        head = Identity.objects.create(account=teacher, kind=Identity.Kind.TEACHER, school_id=school_ids[0])
        HeadTeacher.objects.create(school_class_id=class_ids[0], teacher=head)
    assert class_ids == list(range(class_ids[0], class_ids[0] + len(class_ids))), "class ids are not contiguous"
    assert school_ids == list(range(school_ids[0], school_ids[0] + len(school_ids)))
    c0, s0 = class_ids[0], school_ids[0]
    with connection.cursor() as c:
        c.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_person")
        p0 = c.fetchone()[0] + 1000
        c.execute("SELECT COALESCE(MAX(id), 0) FROM accounts_account")
        a0 = c.fetchone()[0] + 1000
    S, F = shape.students, shape.families
    # Person ids: students p0 + i, parents p0 + S + j; account ids alike from a0.
    fam = f"(CASE WHEN s.i < {F} THEN s.i ELSE (s.i - {F}) * 4 + 1 END)"
    klass = f"(s.i / {CLASS_SIZE})"
    steps = [
        ("people", "accounts_person",
         "INSERT INTO accounts_person (id, name, name_pinyin, name_initials, sex, id_number_key, id_number_masked, "
         "national_student_number_key, national_student_number_masked) "
         f"SELECT {p0} + s.i, CASE WHEN s.i < {S} THEN '学生' ELSE '家长' END, '', '', "
         "CASE WHEN s.i % 2 = 0 THEN 'M' ELSE 'F' END, '', '', '', '' "
         f"FROM {series(S + shape.parents)}"),
        ("accounts", "accounts_account",
         "INSERT INTO accounts_account (id, password, number, person_id, phone, status, status_changed_at, "
         "previous_status, home_school_id, initial_password_rule, initial_password_digest, credentials_epoch, created_at) "
         f"SELECT {a0} + s.i, '!', CAST(400000000 + s.i AS TEXT), {p0} + s.i, "
         f"CASE WHEN s.i < {S} THEN NULL ELSE CAST(13000000000 + s.i AS TEXT) END, 'active', CURRENT_TIMESTAMP, '', "
         f"CASE WHEN s.i < {S} THEN {s0} + {klass} / {CLASSES_PER_SCHOOL} ELSE NULL END, '', '', 0, CURRENT_TIMESTAMP "
         f"FROM {series(S + shape.parents)}"),
        ("enrollments", "accounts_enrollment",
         "INSERT INTO accounts_enrollment (person_id, school_class_id, school_id, started_on, reason) "
         f"SELECT {p0} + s.i, {c0} + {klass}, {s0} + {klass} / {CLASSES_PER_SCHOOL}, '{ENROLLED_ON}', 'import' "
         f"FROM {series(S)}"),
        ("guardianships", "accounts_guardianship",
         "INSERT INTO accounts_guardianship (guardian_id, student_id, school_id, relation, added_by_school) "
         f"SELECT {p0} + {S} + {fam}, {p0} + s.i, {s0} + {klass} / {CLASSES_PER_SCHOOL}, 'mother', false "
         f"FROM {series(S)} UNION ALL "
         f"SELECT {p0} + {S} + {F} + {fam} / 12, {p0} + s.i, {s0} + {klass} / {CLASSES_PER_SCHOOL}, 'father', false "
         f"FROM {series(S)} "
         f"WHERE {fam} % 12 = 0"),
    ]
    history_notices = shape.history // INBOX_PER_HISTORY_NOTICE
    last_notice = 0
    pg_settings = ["SET LOCAL session_replication_role = replica", "SET LOCAL synchronous_commit = off",
                   "SET LOCAL maintenance_work_mem = '512MB'", "SET LOCAL work_mem = '256MB'"] if pg else []
    dropped: list[tuple[str, str]] = []
    with transaction.atomic(), connection.cursor() as c:
        for statement in pg_settings:
            c.execute(statement)
        if pg:
            for table in BIG_TABLES:
                for name, definition in _plain_indexes(table):
                    dropped.append((name, definition))
                    c.execute(f'DROP INDEX "{name}"')
        for label, _table, sql in steps:
            started = time.perf_counter()
            c.execute(sql, None)  # no parameters: % is the modulo operator
            say(f"  {label}: {c.rowcount} rows in {time.perf_counter() - started:.1f} s")
        if history_notices:
            started = time.perf_counter()
            base = "TIMESTAMPTZ '2025-09-01 08:00:00+00'" if pg else f"'{HISTORY_START}'"
            sent_expr = f"{base} + s.i * INTERVAL '20 minutes'" if pg else \
                f"strftime('%Y-%m-%d %H:%M:%f', '{HISTORY_START}', '+' || (s.i * 20) || ' minutes')"
            c.execute(
                "INSERT INTO notices_notice (school_id, kind, status, sender_id, sender_identity_id, sender_label, "
                "title, body, confirm_required, urgent, audience, send_at, created_at, sent_at, addressed, "
                "fanout_cursor) "
                f"SELECT {s0} + s.i % {shape.schools}, 'school', 'sent', {teacher.pk}, {head.pk}, '王芳 · 班主任', '历史通知', '', "
                f"false, false, '{{}}', {sent_expr}, {sent_expr}, {sent_expr}, {INBOX_PER_HISTORY_NOTICE}, 1 "
                f"FROM {series(history_notices)}", None)
            c.execute("SELECT MIN(id), MAX(id) FROM notices_notice")
            n0, last_notice = c.fetchone()
            P = shape.parents
            step = next(p for p in (7919, 7927, 7933, 7937) if P % p)
            read = f"s.i % 10 < 7"
            sort_expr = f"{base} + (s.i / {INBOX_PER_HISTORY_NOTICE}) * INTERVAL '20 minutes'" if pg else \
                f"strftime('%Y-%m-%d %H:%M:%f', '{HISTORY_START}', '+' || ((s.i / {INBOX_PER_HISTORY_NOTICE}) * 20) || ' minutes')"
            c.execute(
                "INSERT INTO notices_inboxitem (notice_id, school_id, account_id, sort_at, notice_at, read_at, reminded_count) "
                f"SELECT {n0} + s.i / {INBOX_PER_HISTORY_NOTICE}, {s0} + (s.i / {INBOX_PER_HISTORY_NOTICE}) % {shape.schools}, "
                f"{a0} + {S} + (CAST(s.i AS BIGINT) * {step}) % {P}, {sort_expr}, {sort_expr}, CASE WHEN {read} THEN {sort_expr} END, 0 "
                f"FROM {series(history_notices * INBOX_PER_HISTORY_NOTICE)}", None)
            say(f"  history: {history_notices} notices, {c.rowcount} inbox items in {time.perf_counter() - started:.1f} s")
        for name, definition in dropped:
            started = time.perf_counter()
            c.execute(definition)
            say(f"  index {name}: {time.perf_counter() - started:.1f} s")
        if pg:
            c.execute("SELECT setval(pg_get_serial_sequence('accounts_person', 'id'), (SELECT MAX(id) FROM accounts_person))")
            c.execute("SELECT setval(pg_get_serial_sequence('accounts_account', 'id'), (SELECT MAX(id) FROM accounts_account))")
    return last_notice


def ensure_data(shape: Shape, fresh: bool) -> None:
    from django.db import connection

    found = read_marker()
    if found and found[0] == marker(shape) and not fresh:
        say(f"bench_notices: reusing the data ({found[0]})")
        cleanup(found[1])
        return
    from renrentong.orgs.models import Region

    if found or fresh or Region.objects.exists():
        say("bench_notices: the database holds other data; rebuilding it")
        _reset_database()
    say(f"bench_notices: generating {shape.students} students, {shape.parents} parents, "
        f"{shape.history} inbox items of history ...")
    started = time.perf_counter()
    last = generate(shape)
    with connection.cursor() as c:
        c.execute("CREATE TABLE bench_notices_marker (label TEXT, last_history_notice BIGINT)")
        c.execute("INSERT INTO bench_notices_marker VALUES (%s, %s)", [marker(shape), last])
    say(f"bench_notices: generated in {time.perf_counter() - started:.0f} s; analysing ...")
    _analyse()


def _analyse() -> None:
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    say(f"  analysed in {time.perf_counter() - started:.0f} s")


def cleanup(last_history_notice: int) -> None:
    """Delete what a previous run sent (its notices, recipient rows and inbox items)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        c.execute("DELETE FROM notices_noticerecipient WHERE notice_id > %s OR notice_id < 0", [last_history_notice])
        gone = c.rowcount
        c.execute("DELETE FROM notices_inboxitem WHERE notice_id > %s OR notice_id < 0", [last_history_notice])
        gone += c.rowcount
        c.execute("DELETE FROM notices_noticeattachment WHERE notice_id > %s", [last_history_notice])
        c.execute("DELETE FROM notices_reminder WHERE notice_id > %s", [last_history_notice])
        c.execute("DELETE FROM notices_notice WHERE id > %s", [last_history_notice])
    if gone:
        say(f"bench_notices: removed {gone} rows of a previous run in {time.perf_counter() - started:.0f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as c:
                c.execute("VACUUM ANALYZE notices_noticerecipient")
                c.execute("VACUUM ANALYZE notices_inboxitem")


def _reset_database() -> None:
    """Drop every table and migrate again (PostgreSQL: the public schema)."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as c:
        c.execute("DROP SCHEMA public CASCADE")
        c.execute("CREATE SCHEMA public")
    call_command("migrate", verbosity=0, interactive=False)


# -- the measurements -----------------------------------------------------------------------------

def senders():
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account

    admin = Account.objects.get(number="199000001")
    teacher = Account.objects.get(number="199000002")
    return actor_for(admin, admin.identities.get()), actor_for(teacher, teacher.identities.get())


def city_school_ids(district: int | None = None) -> list[int]:
    from renrentong.orgs.models import Region, School

    city = Region.objects.get(code="430100")
    schools = School.objects.filter(district__parent=city)
    if district is not None:
        schools = schools.filter(district__code=f"4301{district + 2:02d}")
    return list(schools.order_by("pk").values_list("pk", flat=True))


def send(actor, *, class_ids=None, school_ids=None, title="通知") -> tuple[int, float]:
    from renrentong.notices.services import NoticeDraft, send_notice

    started = time.perf_counter()
    notice = send_notice(actor, NoticeDraft(title=title, body="请家长查收。", roles=["parent"],
                                            class_ids=class_ids or [], school_ids=school_ids or []))
    return notice.pk, time.perf_counter() - started


def measure_send() -> tuple[int, str]:
    from renrentong.notices.models import Notice
    from renrentong.orgs.models import SchoolClass

    admin, teacher = senders()
    klass = SchoolClass.objects.filter(head_teacher__teacher=teacher.identity).values_list("pk", flat=True).get()
    schools = city_school_ids()
    send(teacher, class_ids=[klass], title="热身")  # warm-up, not measured
    send(admin, school_ids=schools, title="热身")
    city, one = [], []
    last = 0
    for _ in range(5):
        pk, took = send(teacher, class_ids=[klass], title="班级通知")
        one.append(took)
        last, took = send(admin, school_ids=schools, title="全市通知")
        city.append(took)
    # Only the last city notice is fanned out here; the others are set aside.
    Notice.objects.filter(status=Notice.Status.SENDING).exclude(pk=last).update(status=Notice.Status.RECALLED)
    say(f"  accept city: {', '.join(common.millis(t) for t in city)}; one class: {', '.join(common.millis(t) for t in one)}")
    c, o = common.median(city), common.median(one)
    return last, common.summary("notice accept city", common.millis(c), "one class", common.millis(o), c / o)


def expected_counts(school_ids: list[int]) -> tuple[int, int]:
    """(recipient rows, inbox items) the parents' audience of these schools should get, counted by plain
    SQL apart from the selectors the fan-out uses."""
    from django.db import connection

    placeholders = ", ".join(["%s"] * len(school_ids))
    with connection.cursor() as c:
        c.execute(f"""SELECT COUNT(*), COUNT(DISTINCT a.id) FROM accounts_enrollment e
                      JOIN accounts_guardianship g ON g.student_id = e.person_id
                      JOIN accounts_account a ON a.person_id = g.guardian_id
                      WHERE e.school_id IN ({placeholders}) AND e.ended_on IS NULL
                      AND a.status IN ('active', 'frozen', 'pending')""", school_ids)
        rows, accounts = c.fetchone()
    return rows, accounts


def written(notice_id: int) -> tuple[int, int, int]:
    """(recipient rows, inbox items, distinct inbox accounts) of a notice."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SELECT COUNT(*) FROM notices_noticerecipient WHERE notice_id = %s", [notice_id])
        rows = c.fetchone()[0]
        c.execute("SELECT COUNT(*), COUNT(DISTINCT account_id) FROM notices_inboxitem WHERE notice_id = %s", [notice_id])
        items, distinct = c.fetchone()
    return rows, items, distinct


RECIPIENT_COLUMNS = "notice_id, role, school_id, class_id, account_id, student_person_id"
INBOX_COLUMNS = "notice_id, school_id, account_id, sort_at, notice_at, read_at, confirmed_at, reminded_count"


def copy_baseline(notice_id: int) -> float:
    """COPY (PostgreSQL) or executemany (SQLite) of exactly the rows the fan-out wrote, under notice id
    -notice_id, into the same tables; timed, then rolled back."""
    from django.db import connection, transaction

    pg = connection.vendor == "postgresql"
    tables = [("notices_noticerecipient", RECIPIENT_COLUMNS), ("notices_inboxitem", INBOX_COLUMNS)]
    data = []
    with connection.cursor() as c:
        for table, columns in tables:
            rest = columns.split(", ", 1)[1]
            query = f"SELECT {-notice_id}, {rest} FROM {table} WHERE notice_id = {notice_id}"
            if pg:
                buffer = bytearray()
                with c.cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                    for chunk in copy:
                        buffer += chunk
                data.append(bytes(buffer))
            else:
                c.execute(query)
                data.append(c.fetchall())
    with transaction.atomic():
        with connection.cursor() as c:
            started = time.perf_counter()
            for (table, columns), rows in zip(tables, data):
                if pg:
                    with c.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for start in range(0, len(rows), 1 << 20):
                            copy.write(rows[start:start + (1 << 20)])
                else:
                    marks = ", ".join(["%s"] * len(columns.split(", ")))
                    c.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            took = time.perf_counter() - started
        transaction.set_rollback(True)
    return took


def measure_fan_out(notice_id: int, label: str, school_ids: list[int]) -> str:
    from renrentong.notices import fanout
    from renrentong.notices.models import Notice

    started = time.perf_counter()
    fanout.fan_out(notice_id)
    took = time.perf_counter() - started
    notice = Notice.objects.get(pk=notice_id)
    rows, items, distinct = written(notice_id)
    say(f"  fan-out: {rows} recipient rows, {items} inbox items in {took:.1f} s ({notice.status}, "
        f"{notice.fanout_cursor} units)")
    want_rows, want_items = expected_counts(school_ids)
    if (rows, items, distinct) != (want_rows, want_items, want_items) or notice.status != Notice.Status.SENT:
        raise SystemExit(f"fan-out wrote {rows} rows / {items} items ({distinct} accounts), "
                         f"expected {want_rows} / {want_items}")
    baseline = copy_baseline(notice_id)
    name = "COPY baseline" if _vendor() == "postgresql" else "bulk insert baseline"
    return common.summary(f"notice fan-out {label}", common.secs(took), name, common.secs(baseline), took / baseline)


def measure_kill_and_resume(env: dict[str, str]) -> str:
    from renrentong.notices import fanout
    from renrentong.notices.models import Notice

    admin, _ = senders()
    schools = city_school_ids(district=0)
    notice_id, _ = send(admin, school_ids=schools, title="区通知")
    units = len(fanout.units_of(Notice.objects.get(pk=notice_id)))
    worker = subprocess.Popen([sys.executable, __file__, "--fan-out-worker", str(notice_id)],
                              env={**os.environ, **env}, cwd=common.BASE_DIR)
    target = max(1, units // 3)
    deadline = time.monotonic() + 600
    while Notice.objects.filter(pk=notice_id, fanout_cursor__lt=target).exists():
        if worker.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the fan-out worker ended before it could be killed")
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)
    worker.wait()
    before = Notice.objects.get(pk=notice_id)
    rows, items, _ = written(notice_id)
    say(f"  killed after {before.fanout_cursor} of {units} units: {rows} recipient rows, {items} inbox items")
    if before.fanout_cursor >= units or before.status != Notice.Status.SENDING:
        say("  warning: the worker finished before it was killed (too small a district): the resume is not tested")
    fanout.fan_out(notice_id)
    fanout.fan_out(notice_id)  # and once more: nothing changes
    rows, items, distinct = written(notice_id)
    want_rows, want_items = expected_counts(schools)
    say(f"  resumed: {rows} recipient rows (expected {want_rows}), {items} inbox items (expected {want_items}, "
        f"{distinct} distinct accounts)")
    if rows != want_rows or items != want_items or distinct != items:
        raise SystemExit("the resumed fan-out did not end with exactly one row per recipient")
    return common.summary("notice fan-out resumed after kill", f"{items} inbox items, {items - distinct} duplicates",
                          "expected", f"{want_items} inbox items", items / want_items)


def fan_out_worker(notice_id: int) -> None:
    from renrentong.notices import fanout

    fanout.fan_out(notice_id)


# -- the load part (inbox and receipts, built by other streams) -------------------------------------

def _parent_tokens(count: int) -> list[str]:
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.accounts.models import Account, Identity

    tokens = []
    parents = Account.objects.filter(phone__isnull=False).order_by("pk")[:count]
    for account in parents:
        identity, _ = Identity.objects.get_or_create(account=account, kind=Identity.Kind.GUARDIAN)
        tokens.append(issue_token(LoginOutcome(account, identity, must_change_password=False)))
    return tokens


def _token_for(account_number: str) -> str:
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.accounts.models import Account

    account = Account.objects.get(number=account_number)
    return issue_token(LoginOutcome(account, account.identities.get(), must_change_password=False))


def _get(client: common.Client, path: str, token: str) -> tuple[int, bytes]:
    return client.get(path, {"Authorization": f"Bearer {token}"})


def _p99(server, path_of, tokens: list[str], seconds: float, clients: int = 50,
         rate: float | None = None) -> tuple[float, int]:
    def request(client, index, n):
        status, _ = _get(client, path_of(index, n), tokens[index % len(tokens)])
        return None if status == 200 else f"HTTP {status}"

    load = common.run_load(server, clients, seconds, request, warmup=2.0, rate=rate)
    if load.error_count:
        say(f"  errors: {load.describe_errors()}")
    if rate:
        say(f"    {clients} clients at {rate:g}/s: {load.throughput:.0f} answered a second, median "
            f"{common.millis(common.median(load.latencies))}, p99 {common.millis(common.percentile(load.latencies, 99))}")
    return common.percentile(load.latencies, 99), load.error_count


# The open-loop rates (requests a second, all clients together). The inbox: 50 parents of a school
# evening each opening it every 2 s, then every second (far above a person's pace, and with the fan-out
# beside it the 2 cores are then full); one fan-out per rate. Head teachers refreshing receipts; a city
# admin's summary now and then. RRT_BENCH_NOTICES_INBOX_RATES="25,50" and
# RRT_BENCH_NOTICES_RATES="receipts,summary" override.
INBOX_RATES = (25.0, 50.0)
RATES = (20.0, 2.0)


def _rates() -> tuple[tuple[float, ...], float, float]:
    inbox = os.environ.get("RRT_BENCH_NOTICES_INBOX_RATES", "")
    given = os.environ.get("RRT_BENCH_NOTICES_RATES", "")
    receipts, summary = (float(x) for x in given.split(",")) if given else RATES
    return (tuple(float(x) for x in inbox.split(",")) if inbox else INBOX_RATES), receipts, summary


def measure_load(env: dict[str, str], seconds: float) -> list[str]:
    from renrentong.orgs.models import SchoolClass

    lines: list[str] = []
    tokens = _parent_tokens(50)
    admin_token, teacher_token = _token_for("199000001"), _token_for("199000002")
    admin, teacher = senders()
    klass = SchoolClass.objects.filter(head_teacher__teacher=teacher.identity).values_list("pk", flat=True).get()
    notice_id, _ = send(admin, school_ids=city_school_ids(), title="负载通知")
    common.close_db()
    probes = {
        "inbox": os.environ.get("RRT_BENCH_INBOX_URL", "/api/v1/inbox"),
        "unread": os.environ.get("RRT_BENCH_UNREAD_URL", "/api/v1/inbox/unread-count"),
        # A head teacher's receipts (their class's figures) and the unread of the class; a city admin's
        # per-school summary of the city notice: the endpoints the receipt pages render.
        "receipts_class": os.environ.get("RRT_BENCH_RECEIPTS_CLASS_URL", "/api/v1/receipts/{notice}"),
        "receipts_unread": os.environ.get("RRT_BENCH_RECEIPTS_UNREAD_URL",
                                          "/api/v1/receipts/{notice}/classes/{klass}/unread"),
        "receipts_summary": os.environ.get("RRT_BENCH_RECEIPTS_SUMMARY_URL", "/api/v1/receipts/{notice}"),
    }
    probes = {k: v.format(notice=notice_id, klass=klass) for k, v in probes.items()}
    with common.running_server(env) as server:
        say(f"  server: {server.description}")
        tokens_of = {"receipts_class": teacher_token, "receipts_unread": teacher_token, "receipts_summary": admin_token}

        def probe(keys) -> dict[str, bool]:
            client, found = common.Client(server), {}
            for key in keys:
                status, _ = _get(client, probes[key], tokens_of.get(key, tokens[0]))
                found[key] = status == 200
                if status != 200:
                    say(f"  skipped {key}: {probes[key]} answers {status}")
            client.close()
            return found

        found = probe(["inbox", "unread"])
        inbox_rates, receipts_rate, summary_rate = _rates()
        for index, inbox_rate in enumerate(inbox_rates):
            # A fresh city notice per rate; the last is the one whose receipts are measured below.
            fanned = notice_id
            if index < len(inbox_rates) - 1:
                fanned, _ = send(admin, school_ids=city_school_ids(), title=f"负载通知 {inbox_rate:g}/s")
                common.close_db()
            worker = subprocess.Popen([sys.executable, __file__, "--fan-out-worker", str(fanned)],
                                      env={**os.environ, **env}, cwd=common.BASE_DIR)
            try:
                # Open loop at a set rate, the three endpoints mixed (request n of a client asks paths[n % 3]),
                # so /me and the inbox meet the same moments of the fan-out; the closed loop of earlier runs
                # measured the queue of 50 clients on 2 sync workers instead.
                paths = {"me": "/api/v1/me", **{k: probes[k] for k in ("inbox", "unread") if found[k]}}
                names = list(paths)
                window = float(os.environ.get("RRT_BENCH_NOTICES_MIXED_SECONDS", 30))

                def mixed(client, i, n):
                    status, _ = _get(client, paths[names[(i + n) % len(names)]], tokens[i % len(tokens)])
                    return None if status == 200 else f"HTTP {status}"

                load = common.run_load(server, 50, window, mixed, warmup=2.0, rate=inbox_rate,
                                       label=lambda i, n: names[(i + n) % len(names)])
                if load.error_count:
                    say(f"  errors: {load.describe_errors()}")
                p99 = {k: common.percentile(v, 99) for k, v in load.labelled.items()}
                say(f"  open loop at {inbox_rate:g}/s during a city fan-out, {window:g} s, endpoints mixed: "
                    f"{load.throughput:.0f} answered a second; " + ", ".join(
                        f"{k} median {common.millis(common.median(v))} p99 {common.millis(p99[k])} ({len(v)})"
                        for k, v in load.labelled.items()))
                me = p99["me"]
                for key, name in (("inbox", "inbox first page p99, 50 clients during fan-out"),
                                  ("unread", "inbox unread count p99, 50 clients during fan-out")):
                    if key in p99:
                        lines.append(common.summary(f"{name}, {inbox_rate:g}/s", common.millis(p99[key]),
                                                    "GET /api/v1/me p99", common.millis(me), p99[key] / me))
                if worker.poll() is not None:
                    say("  note: the fan-out ended before the inbox load did (the figures are partly without it)")
            finally:
                if worker.poll() is None:
                    worker.wait()
        # For reference (stderr): the same mixed load with no fan-out running.
        quiet = common.run_load(server, 50, float(os.environ.get("RRT_BENCH_NOTICES_MIXED_SECONDS", 30)), mixed,
                                warmup=2.0, rate=inbox_rates[0], label=lambda i, n: names[(i + n) % len(names)])
        say(f"  the same at {inbox_rates[0]:g}/s with no fan-out: " + ", ".join(
            f"{k} median {common.millis(common.median(v))} p99 {common.millis(common.percentile(v, 99))}"
            for k, v in quiet.labelled.items()))
        # What the fan-out task does next (notices.tasks.fan_out_notice): the receipt tallies.
        from renrentong.notices.receipts import tallies

        started = time.perf_counter()
        tallies.build(notice_id)
        say(f"  receipt tallies of the city notice built in {time.perf_counter() - started:.1f} s")
        common.close_db()
        # After the fan-out: a class's unread list is a 404 until the class has recipients.
        found.update(probe(["receipts_class", "receipts_unread", "receipts_summary"]))
        say(f"  open loop after the fan-out, {seconds:g} s each:")
        me, _ = _p99(server, lambda i, n: "/api/v1/me", [teacher_token], seconds, clients=10, rate=receipts_rate)
        for key, name, token, clients, rate in (
                ("receipts_class", "receipts head teacher p99", teacher_token, 10, receipts_rate),
                ("receipts_unread", "receipts head teacher unread list p99", teacher_token, 10, receipts_rate),
                ("receipts_summary", "receipts city per-school summary p99", admin_token, 2, summary_rate)):
            if found[key]:
                p99, _ = _p99(server, lambda i, n, p=probes[key]: p, [token], seconds, clients=clients, rate=rate)
                lines.append(common.summary(f"{name}, {clients} clients {rate:g}/s", common.millis(p99),
                                            "GET /api/v1/me p99", common.millis(me), p99 / me))
    return lines


# -- the parts ------------------------------------------------------------------------------------

def _pg_url(url: str, name: str) -> str:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def base_env(var_dir: str) -> dict[str, str]:
    return {"RRT_VAR_DIR": var_dir, "DJANGO_SETTINGS_MODULE": "renrentong.settings", "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-not-for-production-use", "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING", "RRT_SSL_REDIRECT": "0", "RRT_SECURE_COOKIES": "0"}


def run_part(args, backend: str) -> None:
    """One backend, in this process (Django is set up once per process)."""
    tmp = tempfile.mkdtemp(prefix=f"rrt-bench-notices-{backend}-")
    env = base_env(tmp)
    if backend == "postgresql":
        env["DATABASE_URL"] = os.environ["RRT_BENCH_NOTICES_URL"]
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ.pop("REDIS_URL", None)
    try:
        os.environ.update(env)
        sys.path.insert(0, str(common.BASE_DIR))
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0, interactive=False)
        students = args.students if backend == "postgresql" else args.sqlite_students
        history = args.history if args.history is not None else students * 40 // 3
        if backend != "postgresql":
            history = students * 40 // 3 if args.history is None else args.history
        shape = Shape(students, history)
        ensure_data(shape, args.fresh)
        if backend == "postgresql" and args.load_only:
            call_command("collectstatic", verbosity=0, interactive=False)
            for line in measure_load(env, float(os.environ.get("RRT_BENCH_SECONDS", 10))):
                common.emit(line)
        elif backend == "postgresql":
            notice_id, line = measure_send()
            common.emit(line)
            common.emit(measure_fan_out(notice_id, f"{students} students", city_school_ids()))
            common.emit(measure_kill_and_resume(env))
            if not args.skip_load:
                call_command("collectstatic", verbosity=0, interactive=False)
                for line in measure_load(env, float(os.environ.get("RRT_BENCH_SECONDS", 10))):
                    common.emit(line)
        else:
            admin, _ = senders()
            schools = city_school_ids()
            notice_id, took = send(admin, school_ids=schools, title="区通知")
            say(f"  accept district (SQLite): {common.millis(took)}")
            common.emit(measure_fan_out(notice_id, f"{students} students (SQLite)", schools))
    finally:
        common.close_db()
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=1_500_000)
    parser.add_argument("--history", type=int, default=None, help="inbox items of history (default: 40 per 3 students)")
    parser.add_argument("--sqlite-students", type=int, default=100_000)
    parser.add_argument("--fresh", action="store_true")
    parser.add_argument("--drop", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--load-only", action="store_true",
                        help="only the inbox and receipts under load (the city generated or reused)")
    parser.add_argument("--part", choices=["postgresql", "sqlite"])
    parser.add_argument("--fan-out-worker", type=int)
    args = parser.parse_args(argv)
    if args.fan_out_worker:
        import django

        sys.path.insert(0, str(common.BASE_DIR))
        django.setup()
        fan_out_worker(args.fan_out_worker)
        return 0
    if args.part:
        run_part(args, args.part)
        return 0
    forwarded = [a for a in argv if a not in ("--drop",)]
    database_url = os.environ.get("DATABASE_URL", "")
    name = os.environ.get("RRT_BENCH_NOTICES_DB", "bench_notices")
    code = 0
    if database_url and not args.skip_postgres:
        env = {**os.environ, "RRT_BENCH_NOTICES_URL": _pg_url(database_url, name)}
        code |= subprocess.call([sys.executable, __file__, *forwarded, "--part", "postgresql"], env=env)
        if args.drop:
            import psycopg

            with psycopg.connect(database_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if os.environ.get("REDIS_URL"):
            import redis

            redis.Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    elif not database_url:
        say("bench_notices: no DATABASE_URL, so only the SQLite district runs (the city needs PostgreSQL)")
    if not args.skip_sqlite:
        code |= subprocess.call([sys.executable, __file__, *forwarded, "--part", "sqlite"])
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
