"""Sizing figures for docs/scaling.md (issue 16 item 5): what a student costs in rows, bytes and queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rrt_sizing nice -n 19 .venv/bin/python bench/bench_sizing.py

PostgreSQL only. DATABASE_URL names the server; the benchmark's database on it is always rrt_sizing
(RRT_BENCH_SIZING_DB overrides the name; postgres, template0, template1, root, rrt, test and test_* are refused),
made afresh: dropped, then created from template0 through a connection to template1, so no other database is
touched. It is kept after the run, so every figure can be checked by hand, and dropped at the start of the next.
REDIS_URL is ignored: the cache and the task queue are then the database's own tables, and their queries and
bytes are counted apart, as what Redis takes in production. Figures are counts and bytes, so a busy machine
changes none of them; the CPU times on stderr (this process and the database backend serving it) move with it.

What it does, in one process, through the public services and the HTTP API (django.test.Client):
  1. migrate and load the demo region (`load_demo`, seed 2026: 12 registered schools, ~19,500 students), VACUUM
     ANALYZE, then per table: rows (count(*)) and bytes (pg_total_relation_size: heap, TOAST and indexes).
  2. Bytes of logins: other parents log in through POST /api/v1/auth/login for the first time, then again, and
     the stats catch-up (a periodic duty) turns the login records into usage events; a cheap hasher for this
     part only (the verify's cost changes no row that is written).
  3. Queries of logins: parents of the classes below, each with a chosen password (one Argon2 hash shared, as
     bench_login.py), log in through the API; their tokens serve step 5.
  4. Class notices: head teachers send a notice to the parents and students of their class through
     POST /api/v1/notices, then what the task worker does (fan-out, receipt tallies, queued pushes); the push
     worker's drain on stderr.
  5. Reading: each logged-in parent opens the inbox's first page, the unread badge and one notice.
  6. Growth records: students write a 成长记录 through evaluation.services.create_record.
  7. A roster import of new students with their parents into one school, through rosters.services and the
     worker's steps (upload, preview, commit), after a one-row import (its fixed cost).
Bytes are size deltas over every table (cache and queue apart), after a warm-up, so the tables have their first
pages; a delta is off by up to a page per relation (heap, each index): stderr says how much that is per action.

Summary lines (stdout; the baseline of a bytes figure is the row data alone, sum(pg_column_size(row)) of the new
rows, so the ratio is what indexes, tuple headers and free space add; the baseline of a request's queries is
GET /api/v1/me, the cheapest authenticated endpoint):
  demo region per student, all tables: <bytes> <rows> | row data: <bytes> | ratio <bytes / data>
  demo region per student <table>: ...                  (the largest tables)
  bytes per login, bytes per account at its first login, bytes per class notice per student, bytes per growth
  record, bytes per imported student: <bytes> <rows> | row data: <bytes> | ratio
  queries per password login: <n> (+<m> cache and queue) | GET /api/v1/me: <n> | ratio
  queries per inbox first page / unread badge / notice opened: ... | GET /api/v1/me: <n> | ratio
  queries per class notice (<R> inbox items, sent, fanned out, tallied, pushes queued): <n> | inbox items: R | ratio
  queries per growth record: <n> | rows written: <r> | ratio
  queries of a <N>-row roster import (<q/N> a row): <q> | one-row roster: <q1> | ratio <q / q1>
  bytes per student per year (<rates>): <bytes> | demo region per student: <bytes> | ratio
The rates of a year are the constants below (docs/scaling.md argues them).

Environment: DATABASE_URL (PostgreSQL), RRT_BENCH_SIZING_DB, RRT_BENCH_SIZING_CLASSES (class notices, default 60),
RRT_BENCH_SIZING_LOGINS (Argon2 logins, default 100), RRT_BENCH_SIZING_LOGIN_BYTES (logins for bytes, default
2000), RRT_BENCH_SIZING_RECORDS (default 1000), RRT_BENCH_SIZING_IMPORT_ROWS (default 1000).
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import re
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

CLASSES = int(os.environ.get("RRT_BENCH_SIZING_CLASSES", "60"))
LOGINS = int(os.environ.get("RRT_BENCH_SIZING_LOGINS", "100"))
LOGIN_BYTES = int(os.environ.get("RRT_BENCH_SIZING_LOGIN_BYTES", "2000"))
RECORDS = int(os.environ.get("RRT_BENCH_SIZING_RECORDS", "1000"))
IMPORT_ROWS = int(os.environ.get("RRT_BENCH_SIZING_IMPORT_ROWS", "1000"))
PASSWORD = "Sizing@2026"
RESERVED = re.compile(r"^(postgres|template0|template1|root|rrt|test|test_.*)$")
# Tables that Redis replaces in production (cache, sessions, task queue): counted apart.
CACHE_AND_QUEUE = re.compile(r"^(rrt_cache|django_session|django_tasks.*)$")
LARGEST = 6  # per-table lines for the demo region
WARM_UP = 20  # actions done before a step's first snapshot, so its tables have their first pages already
PAGE = 8192

# Activity rates for a year (docs/scaling.md states and argues them): a school year of 40 teaching weeks,
# 200 school days. Per class: a homework notice every school evening (5 a week); per school a notice a week;
# per region (city or district) one a month: 250 notices reach each student's family a year. Every account
# (student, parent, teacher) logs in once per school day: an upper bound (a token lasts 30 days). Two growth
# records (成长记录) per student a month over 10 months.
WEEKS, SCHOOL_DAYS = 40, 200
NOTICES_PER_YEAR = 5 * WEEKS + 1 * WEEKS + 10
LOGINS_PER_ACCOUNT_PER_YEAR = SCHOOL_DAYS
RECORDS_PER_YEAR = 2 * 10


# -- the database ------------------------------------------------------------------------------------------

def sizing_url(url: str) -> tuple[str, str]:
    """(URL of the sizing database on DATABASE_URL's server, its name): rrt_sizing, whatever database the URL
    names, so that no other database is ever dropped; never one kept for something else."""
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise SystemExit("bench_sizing needs DATABASE_URL naming a PostgreSQL server")
    name = os.environ.get("RRT_BENCH_SIZING_DB") or "rrt_sizing"
    if RESERVED.match(name):
        raise SystemExit(f"bench_sizing will not use the database {name!r}")
    return urlunsplit(parts._replace(path=f"/{name}")), name


def fresh_database(url: str, name: str) -> None:
    """Drop and create `name` from template0, through template1 (so no other database is touched)."""
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/template1"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')


def sql(query: str, params=None) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


@dataclass
class Table:
    rows: int
    bytes: int
    last_id: int | None  # None: no id column


def tables() -> list[str]:
    return [name for (name,) in sql("""
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1""")]


def with_id() -> set[str]:
    return {name for (name,) in sql("""
        SELECT table_name FROM information_schema.columns WHERE table_schema = 'public' AND column_name = 'id'
        AND data_type IN ('bigint', 'integer')""")}


def snapshot() -> dict[str, Table]:
    ids = with_id()
    found = {}
    for name in tables():
        last = ", COALESCE(MAX(id), 0)" if name in ids else ", NULL"
        rows, last_id = sql(f'SELECT COUNT(*){last} FROM "{name}"')[0]
        found[name] = Table(rows, sql("SELECT pg_total_relation_size(%s::regclass)", [name])[0][0], last_id)
    return found


def data_bytes(table: str, after_id: int | None = None) -> int:
    """The rows' own bytes, sum(pg_column_size(row)): what any storage must hold, before indexes and pages."""
    where = f" WHERE t.id > {int(after_id)}" if after_id is not None else ""
    return int(sql(f'SELECT COALESCE(SUM(pg_column_size(t.*)), 0) FROM "{table}" t{where}')[0][0])


@dataclass
class Growth:
    """What a step added: per table (rows, bytes, row data of the new rows), cache and queue apart."""
    tables: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    relations: dict[str, int] = field(default_factory=dict)  # heap and indexes of each table

    def total(self, cache: bool = False) -> tuple[int, int, int]:
        picked = [v for k, v in self.tables.items() if bool(CACHE_AND_QUEUE.match(k)) == cache]
        return tuple(sum(v[i] for v in picked) for i in range(3))  # type: ignore[return-value]

    def page_noise(self) -> int:
        """A size delta is off by up to a page per relation (heap, each index) of each table that grew."""
        return sum(PAGE * self.relations.get(k, 1) for k, v in self.tables.items()
                   if (v[0] or v[1]) and not CACHE_AND_QUEUE.match(k))

    def describe(self, per: float) -> str:
        shown = sorted(((k, v) for k, v in self.tables.items() if v[0] or v[1]), key=lambda kv: -kv[1][1])
        return ", ".join(f"{k} {v[0] / per:+.2f} rows {v[1] / per:+.0f} B" for k, v in shown)


def growth(before: dict[str, Table], after: dict[str, Table]) -> Growth:
    out = Growth(relations={name: 1 + n for name, n in sql(
        "SELECT indrelid::regclass::text, COUNT(*) FROM pg_index GROUP BY 1")})
    for name, now in after.items():
        was = before.get(name, Table(0, 0, 0 if now.last_id is not None else None))
        added = now.rows - was.rows
        data = data_bytes(name, was.last_id) if now.last_id is not None and added > 0 else 0
        out.tables[name] = (added, now.bytes - was.bytes, data)
    return out


def backend_cpu() -> float:
    """CPU seconds of the PostgreSQL backend serving this process (0 when the server runs elsewhere)."""
    pid = sql("SELECT pg_backend_pid()")[0][0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


CONTROL = re.compile(r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE SAVEPOINT)\b", re.IGNORECASE)


class Measured:
    """Statements of a block: queries, transaction control (BEGIN, COMMIT, savepoints) and the cache's and task
    queue's (Redis in production), apart; this process's CPU and the database backend's."""

    def __init__(self) -> None:
        self.queries = self.cache_queries = self.control = 0
        self.cpu = self.db_cpu = 0.0
        self.count = 0

    def __enter__(self):
        from django.db import connection, reset_queries
        from django.test.utils import CaptureQueriesContext

        reset_queries()  # the log keeps at most 9,000 queries: a full one would count none
        self._db0, self._cpu0 = backend_cpu(), time.process_time()
        self._capture = CaptureQueriesContext(connection)
        self._capture.__enter__()
        return self

    def __exit__(self, *exc):
        self._capture.__exit__(*exc)
        self.cpu += time.process_time() - self._cpu0
        self.db_cpu += backend_cpu() - self._db0
        for query in self._capture.captured_queries:
            if re.search(r'"(rrt_cache|django_session|django_tasks[a-z_]*)"', query["sql"]):
                self.cache_queries += 1
            elif CONTROL.match(query["sql"]):
                self.control += 1
            else:
                self.queries += 1
        self.count += 1
        return False

    def per(self, n: int | None = None) -> tuple[float, float, float, float]:
        n = n or self.count
        return self.queries / n, self.cache_queries / n, self.cpu / n, self.db_cpu / n

    def figure(self, n: int | None = None, digits: int = 1) -> str:
        """The summary's figure: queries, then the transaction control and the cache's and queue's apart."""
        n = n or self.count
        return (f"{self.queries / n:.{digits}f} (+{self.control / n:.{digits}f} BEGIN/COMMIT, "
                f"+{self.cache_queries / n:.{digits}f} cache and queue)")

    def add(self, other: "Measured") -> "Measured":
        total = Measured()
        for name in ("queries", "cache_queries", "control", "cpu", "db_cpu", "count"):
            setattr(total, name, getattr(self, name) + getattr(other, name))
        return total

    def text(self, n: int | None = None) -> str:
        q, c, cpu, db = self.per(n)
        control = self.control / (n or self.count)
        return (f"{q:.1f} queries (+{control:.1f} BEGIN/COMMIT/savepoints, +{c:.1f} cache and queue), CPU "
                f"{cpu * 1000:.1f} ms here, {db * 1000:.1f} ms database")


def kb(n: float) -> str:
    return f"{n / 1024:.2f} kB" if abs(n) >= 1024 else f"{n:.0f} B"


# -- the people it works with ------------------------------------------------------------------------------

def pick_classes(count: int) -> list:
    """`count` classes with a head teacher and parents, spread over the registered schools."""
    from renrentong.accounts.models import HeadTeacher

    heads = list(HeadTeacher.objects.filter(school_class__school__registered=True)
                 .select_related("school_class", "teacher__account").order_by("school_class__school_id", "pk"))
    by_school: dict[int, list] = {}
    for head in heads:
        by_school.setdefault(head.school_class.school_id, []).append(head)
    picked, round_ = [], 0
    while len(picked) < count and any(len(v) > round_ for v in by_school.values()):
        picked += [v[round_] for v in by_school.values() if len(v) > round_]
        round_ += 1
    return picked[:count]


def parents_of(class_ids: list[int]):
    """Parent accounts (with their guardian identity) of the students of these classes, each once."""
    from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity

    students = Enrollment.objects.filter(school_class_id__in=class_ids, ended_on=None).values("person_id")
    guardians = Guardianship.objects.filter(student_id__in=students).values("guardian_id")
    return (Account.objects.filter(person_id__in=guardians, phone__isnull=False,
                                   identities__kind=Identity.Kind.GUARDIAN).distinct().order_by("pk"))


def give_password(accounts) -> None:
    """A chosen password (one Argon2 hash for all: verifying costs the same whatever the salt)."""
    from django.contrib.auth.hashers import make_password

    accounts.model.objects.filter(pk__in=list(accounts.values_list("pk", flat=True))).update(
        password=make_password(PASSWORD), initial_password_digest="", initial_password_rule="",
        initial_password_issued_at=None, initial_password_sealed=None)


def token_for(account, identity) -> str:
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token

    return issue_token(LoginOutcome(account, identity, must_change_password=False))


def client():
    from django.test import Client

    return Client(HTTP_ACCEPT_LANGUAGE="zh-hans")


def get(c, path: str, token: str):
    response = c.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    if response.status_code != 200:
        raise SystemExit(f"GET {path}: {response.status_code} {response.content[:300]!r}")
    return response.json()


def catch_up() -> None:
    from django.utils import timezone

    from renrentong.stats import catchup

    catchup.catch_up(now=timezone.now() + timedelta(minutes=1))


# -- the steps ---------------------------------------------------------------------------------------------

@dataclass
class Results:
    lines: list[str] = field(default_factory=list)
    per_student: dict[str, float] = field(default_factory=dict)  # bytes per action, for the year

    def emit(self, name: str, figure: str, baseline_name: str, baseline: str, ratio: float) -> None:
        line = common.summary(name, figure, baseline_name, baseline, ratio)
        self.lines.append(line)
        common.emit(line)


def demo_region(out: Results) -> dict[str, float]:
    from renrentong.accounts.models import Enrollment, Identity

    students = Enrollment.objects.filter(ended_on=None).count()
    kinds = Counter(dict(sql("SELECT kind, COUNT(DISTINCT account_id) FROM accounts_identity GROUP BY kind")))
    parents, teachers = kinds[Identity.Kind.GUARDIAN], kinds[Identity.Kind.TEACHER]
    say(f"  demo region: {students} students, {parents} parent accounts ({parents / students:.2f} a student), "
        f"{teachers} teacher accounts ({teachers / students:.3f} a student), {sum(kinds.values())} identities")
    now = snapshot()
    mine = {k: v for k, v in now.items() if not CACHE_AND_QUEUE.match(k)}
    data = {k: data_bytes(k) for k in mine}
    total_bytes, total_rows = sum(v.bytes for v in mine.values()), sum(v.rows for v in mine.values())
    total_data = sum(data.values())
    say(f"  all tables: {total_bytes / 1e6:.1f} MB, {total_rows} rows ({len(mine)} tables; cache and queue "
        f"{sum(v.bytes for k, v in now.items() if CACHE_AND_QUEUE.match(k)) / 1e6:.2f} MB apart)")
    out.emit("demo region per student, all tables", f"{kb(total_bytes / students)} {total_rows / students:.2f} rows",
             "row data", kb(total_data / students), total_bytes / max(total_data, 1))
    for name, table in sorted(mine.items(), key=lambda kv: -kv[1].bytes)[:LARGEST]:
        out.emit(f"demo region per student {name}", f"{kb(table.bytes / students)} {table.rows / students:.2f} rows",
                 "row data", kb(data[name] / students), table.bytes / max(data[name], 1))
    for name, table in sorted(mine.items(), key=lambda kv: -kv[1].bytes)[LARGEST:LARGEST + 12]:
        say(f"    {name}: {table.rows} rows, {table.bytes / 1024:.0f} kB")
    return {"students": students, "parents": parents, "teachers": teachers, "bytes": total_bytes / students}


def login_round(c, accounts: list, measured: Measured | None = None) -> dict[int, str]:
    """Each account logs in once through the API (same address: a chosen password never counts against it)."""
    tokens = {}
    for account in accounts:
        body = json.dumps({"identifier": account.phone, "password": PASSWORD})
        if measured is None:
            response = c.post("/api/v1/auth/login", body, content_type="application/json", REMOTE_ADDR="10.8.0.1")
        else:
            with measured:
                response = c.post("/api/v1/auth/login", body, content_type="application/json", REMOTE_ADDR="10.8.0.1")
        if response.status_code != 200:
            raise SystemExit(f"login of {account.pk}: {response.status_code} {response.content[:300]!r}")
        tokens[account.pk] = response.json()["token"]
    return tokens


def logins(out: Results, accounts: list) -> tuple[dict[int, str], float]:
    """Password logins (Argon2) through the API: their queries; returns each account's token and the queries of
    GET /api/v1/me."""
    c = client()
    measured = Measured()
    tokens = login_round(c, accounts, measured)
    say(f"  {len(accounts)} password logins: {measured.text()}")
    me = Measured()
    for token in list(tokens.values())[:20]:
        with me:
            get(c, "/api/v1/me", token)
    say(f"  GET /api/v1/me: {me.text()}")
    q = measured.per()[0]
    me_q = me.per()[0]
    out.emit("queries per password login", measured.figure(), "GET /api/v1/me",
             f"{me_q:.1f}", q / me_q)
    say(f"  (database CPU per login {measured.per()[3] * 1000:.1f} ms; this process {measured.per()[2] * 1000:.0f} ms, "
        "the Argon2 verify included)")
    return tokens, me_q


def login_bytes(out: Results, accounts) -> None:
    """What logins leave behind, the stats catch-up included (a periodic duty): `accounts` log in for the first
    time, then again. A cheap hasher for this part only: the verify's cost changes no row that is written."""
    from django.contrib.auth.hashers import make_password
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        type(accounts[0]).objects.filter(pk__in=[a.pk for a in accounts]).update(
            password=make_password(PASSWORD), initial_password_digest="", initial_password_rule="",
            initial_password_issued_at=None, initial_password_sealed=None)
        c = client()
        warm, measured = accounts[:WARM_UP], accounts[WARM_UP:]
        login_round(c, warm)
        catch_up()
        figures = {}
        for label in ("first", "repeat"):
            before = snapshot()
            login_round(c, measured)
            catch_up()  # the periodic duty: login records become usage events and rollups
            grown = growth(before, snapshot())
            n = len(measured)
            figures[label] = grown.total()
            say(f"  {n} {label} logins, per login: {grown.describe(n)} (one page more or less per relation: "
                f"±{kb(grown.page_noise() / n)}); cache and queue {kb(grown.total(cache=True)[1] / n)} (Redis in "
                "production)")
    first, repeat = figures["first"], figures["repeat"]
    n = len(measured)
    out.per_student["login"] = repeat[1] / n
    out.per_student["first login"] = (first[1] - repeat[1]) / n
    out.emit("bytes per login", f"{kb(repeat[1] / n)} {repeat[0] / n:.2f} rows", "row data", kb(repeat[2] / n),
             repeat[1] / max(repeat[2], 1))
    out.emit("bytes per account at its first login, more than a login", f"{kb((first[1] - repeat[1]) / n)} "
             f"{(first[0] - repeat[0]) / n:.2f} rows", "row data", kb((first[2] - repeat[2]) / n),
             (first[1] - repeat[1]) / max(first[2] - repeat[2], 1))


def send_class_notice(c, head, token: str, send: Measured, work: Measured) -> int:
    """A head teacher's homework notice to the parents and students of the class through the API, then what the
    task worker does with it (notices.tasks.fan_out_notice). Returns its id."""
    from renrentong.notices import fanout, pushing
    from renrentong.notices.receipts import tallies

    with send:
        response = c.post("/api/v1/notices", json.dumps({
            "title": "今日作业", "body": "1. 完成练习册第 12 页；2. 朗读课文三遍，家长签字。",
            "roles": ["parent", "student"], "class_ids": [head.school_class_id]}),
            content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
    if response.status_code != 201:
        raise SystemExit(f"send: {response.status_code} {response.content[:300]!r}")
    notice_id = response.json()["id"]
    with work:
        fanout.fan_out(notice_id)
        tallies.build(notice_id)
        pushing.ring_notice(notice_id)
    return notice_id


def class_notices(out: Results, heads: list, warm_up) -> list[int]:
    from renrentong.accounts.models import Enrollment
    from renrentong.notices.models import InboxItem, NoticeRecipient
    from renrentong.push.models import Delivery

    c = client()
    tokens = {head.pk: token_for(head.teacher.account, head.teacher) for head in [warm_up, *heads]}
    send_class_notice(c, warm_up, tokens[warm_up.pk], Measured(), Measured())
    sent, students = [], 0
    send, work = Measured(), Measured()
    before = snapshot()
    for head in heads:
        sent.append(send_class_notice(c, head, tokens[head.pk], send, work))
        students += Enrollment.objects.filter(school_class_id=head.school_class_id, ended_on=None).count()
    grown = growth(before, snapshot())
    n = len(sent)
    recipients = NoticeRecipient.objects.filter(notice_id__in=sent).count()
    items = InboxItem.objects.filter(notice_id__in=sent).count()
    pushes = Delivery.objects.filter(source="notice", ref_id__in=sent).count()
    rows, size, data = grown.total()
    say(f"  {n} class notices to {students} students: {recipients} recipient rows, {items} inbox items, {pushes} "
        f"pushes queued; send {send.text()}; worker {work.text()}")
    say(f"    per notice: {grown.describe(n)} (one page more or less per relation: ±{kb(grown.page_noise() / n)})")
    out.per_student["notice"] = size / students
    out.emit(f"bytes per class notice per student ({items / students:.2f} inbox items)",
             f"{kb(size / students)} {rows / students:.2f} rows", "row data", kb(data / students), size / max(data, 1))
    total = send.queries + work.queries
    out.emit(f"queries per class notice ({items / n:.0f} inbox items, sent, fanned out, tallied, pushes queued)",
             send.add(work).figure(n),
             "inbox items", f"{items / n:.0f}", total / items)
    say(f"  (database CPU per notice {(send.db_cpu + work.db_cpu) / n * 1000:.0f} ms, "
        f"{(send.db_cpu + work.db_cpu) / items * 1000:.2f} ms per inbox item; this process "
        f"{(send.cpu + work.cpu) / n * 1000:.0f} ms per notice)")
    drain_pushes(sent)
    return sent


def drain_pushes(sent: list[int]) -> None:
    """What the push worker does with the queued rows (stderr only: the demo's channel is the development outbox;
    production's are WeChat and SMS). The rows are made due first, as when quiet hours end."""
    from django.utils import timezone

    from renrentong.push import engine
    from renrentong.push.models import Delivery

    Delivery.objects.filter(source="notice", ref_id__in=sent, state__in=[Delivery.State.QUEUED, Delivery.State.HELD]
                            ).update(state=Delivery.State.QUEUED, next_attempt_at=timezone.now())
    measured, claimed = Measured(), 0
    with measured:
        while (n := engine.drain()):
            claimed += n
    if claimed:
        say(f"  push worker: {claimed} deliveries, {measured.queries / claimed:.2f} queries each "
            f"(+{measured.cache_queries / claimed:.2f} cache and queue), database CPU "
            f"{measured.db_cpu / claimed * 1000:.2f} ms each")
    else:
        say("  push worker: nothing due")


def reading(out: Results, tokens: dict[int, str], me_queries: float) -> None:
    from renrentong.notices.models import InboxItem

    c = client()
    page, badge, opened = Measured(), Measured(), Measured()
    before = snapshot()
    for account_id, token in tokens.items():
        with page:
            get(c, "/api/v1/inbox", token)
        with badge:
            get(c, "/api/v1/inbox/unread-count", token)
        item = InboxItem.objects.filter(account_id=account_id, read_at=None).order_by("-sort_at").first()
        if item is not None:
            with opened:
                get(c, f"/api/v1/inbox/{item.notice_id}", token)
    grown = growth(before, snapshot())
    say(f"  inbox first page: {page.text()}; unread badge: {badge.text()}; notice opened: {opened.text()} "
        f"({opened.count} opened); bytes written per opening: {kb(grown.total()[1] / max(opened.count, 1))} "
        "(read marks: updated rows, reclaimed by vacuum)")
    for name, measured in (("inbox first page", page), ("inbox unread badge", badge), ("inbox notice opened", opened)):
        q = measured.per()[0]
        out.emit(f"queries per {name}", measured.figure(), "GET /api/v1/me",
                 f"{me_queries:.1f}", q / me_queries)


def growth_records(out: Results, class_ids: list[int]) -> None:
    from django.utils import timezone

    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Enrollment, Identity
    from renrentong.evaluation import services

    students = list(Enrollment.objects.filter(school_class_id__in=class_ids, ended_on=None)
                    .values_list("person_id", flat=True).order_by("pk"))
    identities = list(Identity.objects.filter(kind=Identity.Kind.STUDENT, account__person_id__in=students)
                      .select_related("account").order_by("pk"))
    measured = Measured()
    today = timezone.localdate()
    text = "今天参加了学校的植树活动，我和同学们一起种了三棵小树，老师教我们怎样浇水和培土。"

    def write(i: int, into: Measured) -> None:
        identity = identities[i % len(identities)]
        with into:
            services.create_record(actor_for(identity.account, identity), services.RecordDraft(
                text=text, happened_on=today - timedelta(days=i % 30), title="植树", client_key=f"sizing-{i}"))

    for i in range(WARM_UP):
        write(i, Measured())
    before = snapshot()
    for i in range(WARM_UP, WARM_UP + RECORDS):
        write(i, measured)
    grown = growth(before, snapshot())
    n = RECORDS
    rows, size, data = grown.total()
    say(f"  {n} growth records by {len(identities)} students ({len(text)} characters each, no photo): "
        f"{measured.text()}; per record: {grown.describe(n)} (one page more or less per relation: "
        f"±{kb(grown.page_noise() / n)})")
    out.per_student["record"] = size / n
    out.emit("bytes per growth record", f"{kb(size / n)} {rows / n:.2f} rows", "row data", kb(data / n),
             size / max(data, 1))
    q = measured.per()[0]
    out.emit("queries per growth record", measured.figure(), "rows written",
             f"{rows / n:.1f}", q / (rows / n))


def roster(school, rows: int, seed: int) -> bytes:
    """A student roster of `rows` new students for the school's classes, each with one or two parents."""
    from renrentong.accounts.models import Account, Person
    from renrentong.core.crypto import id_number_digest
    from renrentong.core.text import id_number_check_digit
    from renrentong.orgs.models import SchoolClass

    rng = random.Random(seed)
    classes = list(SchoolClass.objects.filter(school=school, kind=SchoolClass.Kind.ADMINISTRATIVE)
                   .select_related("cohort__stage").order_by("pk"))
    phones = set(Account.objects.exclude(phone=None).values_list("phone", flat=True))
    area = school.district.code
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["姓名", "性别", "身份证号", "年级", "班级", "家长1姓名", "家长1关系", "家长1手机号", "家长2姓名",
                     "家长2关系", "家长2手机号"])
    ids: list[str] = []
    while len(ids) < rows:
        klass = classes[len(ids) % len(classes)]
        grade = klass.cohort.grade_number(school.school_year)
        birth = date(school.school_year - 6 - grade + 1, rng.randint(1, 12), rng.randint(1, 28))
        sex = rng.choice("MF")
        seq = rng.randrange(900, 1000)
        if (seq % 2 == 1) != (sex == "M"):
            seq = seq + 1 if seq < 999 else seq - 1
        body = f"{area}{birth:%Y%m%d}{seq:03d}"
        number = body + id_number_check_digit(body)
        if number in ids:
            continue
        ids.append(number)

        def phone() -> str:
            while True:
                p = f"139{rng.randrange(10 ** 8):08d}"
                if p not in phones:
                    phones.add(p)
                    return p

        two = rng.random() < 0.5
        writer.writerow([f"新生{len(ids)}", "男" if sex == "M" else "女", number, f"{grade}年级", f"{klass.number}班",
                         "家长", "父亲", phone(), "家长" if two else "", "母亲" if two else "", phone() if two else ""])
    taken = Person.objects.filter(id_number_digest__in=[id_number_digest(i) for i in ids]).count()
    if taken:
        raise SystemExit(f"the generated roster reuses {taken} ID numbers of the demo region")
    return out.getvalue().encode()


def import_roster(school, data: bytes, name: str) -> tuple[Measured, object]:
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Identity
    from renrentong.rosters import services, worker

    admin = Identity.objects.select_related("account").get(kind=Identity.Kind.SCHOOL_ADMIN, school=school)
    actor = actor_for(admin.account, admin)
    measured = Measured()
    with measured:
        job = services.accept_upload(actor, iter([data]), name, "students", school.pk)
        job = worker.run_preview(job.pk)
        job = services.request_commit(actor, job)
        job = worker.run_commit(job.pk)
    if job.status != "committed":
        raise SystemExit(f"import {name}: {job.status} {job.error_code} {job.counts}")
    return measured, job


def imports(out: Results, school) -> None:
    single, job1 = import_roster(school, roster(school, 1, seed=1), "one.csv")
    say(f"  one-row roster: {single.text()} ({job1.counts})")
    before = snapshot()
    big, job = import_roster(school, roster(school, IMPORT_ROWS, seed=2), "roster.csv")
    grown = growth(before, snapshot())
    rows, size, data = grown.total()
    say(f"  {IMPORT_ROWS}-row roster: {big.text()} in all ({job.counts}); per row: {big.text(IMPORT_ROWS)}")
    say(f"    per imported student: {grown.describe(IMPORT_ROWS)} (one page more or less per relation: "
        f"±{kb(grown.page_noise() / IMPORT_ROWS)})")
    out.emit("bytes per imported student (with parents, links and the job's rows)",
             f"{kb(size / IMPORT_ROWS)} {rows / IMPORT_ROWS:.2f} rows", "row data", kb(data / IMPORT_ROWS),
             size / max(data, 1))
    out.emit(f"queries of a {IMPORT_ROWS}-row roster import ({big.queries / IMPORT_ROWS:.3f} a row)", big.figure(),
             "one-row roster", f"{single.queries}", big.queries / single.queries)
    say(f"  (database CPU per import row {big.db_cpu / IMPORT_ROWS * 1000:.2f} ms, this process "
        f"{big.cpu / IMPORT_ROWS * 1000:.2f} ms)")


def year(out: Results, region: dict[str, float]) -> None:
    accounts = 1 + (region["parents"] + region["teachers"]) / region["students"]
    parts = {
        "notices": NOTICES_PER_YEAR * out.per_student["notice"],
        "logins": accounts * (LOGINS_PER_ACCOUNT_PER_YEAR * out.per_student["login"] + out.per_student["first login"]),
        "records": RECORDS_PER_YEAR * out.per_student["record"],
    }
    total = sum(parts.values())
    say(f"  a student's year: {NOTICES_PER_YEAR} notices, {LOGINS_PER_ACCOUNT_PER_YEAR} logins per account "
        f"({accounts:.2f} accounts a student), {RECORDS_PER_YEAR} growth records: "
        + ", ".join(f"{k} {kb(v)}" for k, v in parts.items()))
    out.emit(f"bytes per student per year ({NOTICES_PER_YEAR} notices, {LOGINS_PER_ACCOUNT_PER_YEAR} logins an "
             f"account, {RECORDS_PER_YEAR} records)", kb(total), "demo region per student", kb(region["bytes"]),
             total / region["bytes"])


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        say("bench_sizing needs DATABASE_URL (PostgreSQL): its figures are PostgreSQL's bytes")
        return 0
    target, name = sizing_url(url)
    say(f"sizing: database {name}; {common.machine_note()}")
    # The environment of common.bench_environment (temporary var dir, DEBUG off), with this database and no Redis.
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    with common.bench_environment("sizing") as env:
        env["DATABASE_URL"] = target
        env["ALLOWED_HOSTS"] += ",testserver"
        fresh_database(target, name)
        started = time.perf_counter()
        common.django_setup(env)
        from django.core.management import call_command

        from renrentong.accounts.models import Account
        from renrentong.orgs.models import School

        call_command("load_demo", stdout=sys.stderr)  # its line is progress, not a figure
        sql("VACUUM ANALYZE")
        say(f"  migrated and loaded in {time.perf_counter() - started:.0f} s")
        out = Results()
        region = demo_region(out)
        heads = pick_classes(CLASSES + 1)
        heads, warm_up = heads[:-1], heads[-1]
        class_ids = [h.school_class_id for h in heads]
        parents = list(parents_of(class_ids)[:LOGINS])
        give_password(parents_of(class_ids))
        near = parents_of([warm_up.school_class_id, *class_ids]).values("pk")
        others = list(Account.objects.filter(phone__isnull=False, identities__kind="guardian").exclude(pk__in=near)
                      .distinct().order_by("pk")[:WARM_UP + LOGIN_BYTES])
        say(f"  {len(heads)} classes in {len({h.school_class.school_id for h in heads})} schools; "
            f"{len(parents)} of their parents log in; {len(others) - WARM_UP} other parents for the bytes of logins")
        login_bytes(out, others)
        tokens, me_queries = logins(out, parents)
        class_notices(out, heads, warm_up)
        reading(out, tokens, me_queries)
        growth_records(out, class_ids)
        imports(out, School.objects.get(pk=heads[0].school_class.school_id))
        year(out, region)
        common.close_db()
    say(f"sizing: done; the database {name} is kept for checking by hand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
