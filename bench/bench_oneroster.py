"""OneRoster 1.2 (issue 17, Performance): a district's bulk CSV package and the REST service's deep pages.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/bench_oneroster.py [--keep] [--profile DIR] [--explain] [--no-rest | --rest-only]
    .venv/bin/python bench/run.py oneroster      # SQLite at --scale 0.02 without DATABASE_URL (a smoke test)

The data: bench/generate_evaluation.py's city without its written records (100,000 students in 40 schools, a
parent each, a head teacher per class, a school admin per school), every school moved into one district, as
bench/bench_stats.py does. On PostgreSQL in its own database `bench_oneroster` (RRT_BENCH_ONEROSTER_DB), created
afresh and dropped at the end; with --keep it is reused when it holds this data (the OneRoster directory is
emptied first all the same, unless --rest-only) and kept. Without DATABASE_URL: SQLite in a temporary directory
at --scale (default 0.02).

1. The export (renrentong/integration/oneroster/package.py): its producer `package.oneroster_csv(actor, {})`,
   the bulk package of the district as its district admin written to spooled files, then zipped as the export
   worker zips it (exports.producers.write_documents, each CSV streamed from its file; on stderr). Each build
   runs in a fresh interpreter (a subprocess, not a fork), so that its peak memory (VmHWM) is the export's and
   not the data generator's or an earlier build's; the process's own base before it builds (Django set up, about
   276 MB) is reported beside the peak. The directory (integration_rosterid) is emptied before. Two
   builds: the first fills the directory (every object gets its sourcedId and row), the second finds nothing
   changed (the steady state; checked: no directory row got a new dateLastModified). After each, the directory
   is vacuumed and analysed, as autovacuum would do (the benchmark's server may run with it off). On stderr:
   each build's time, peak memory, the RSS before, queries and their time, the database backend's CPU.
   --profile DIR writes a cProfile of each build there (first.prof, again.prof; it slows them down, so their
   times are not the figures) and prints the top functions on stderr; `bench_oneroster.py --export-child
   ACCOUNT_ID again FILE` with the environment of a kept database profiles one steady-state build alone.
   Baseline in the same run: the same people and links straight from the platform's tables, one line per user
   (person, account, the student's parents as agents), role (student, parent, teacher at a school) and
   enrollment (student in a class, head teacher or teacher of a class), by PostgreSQL's
   `COPY (SELECT ...) TO STDOUT` through psycopg's copy into memory (SQLite: the same SELECT, written as CSV).

2. The import of that package is not built yet (docs/oneroster.md): not measured.

3. REST paging (renrentong/integration/oneroster/rest.py), after the exports have filled the directory: an app
   registered by the city admin for the district with roster-core.readonly, a client-credentials token from
   `POST /oauth/token/` (HTTP Basic), then `GET /ims/oneroster/rostering/v1p2/users?limit=100&offset=99900` and
   `...&offset=0`, through a real server (bench/common.py's gunicorn, one sync worker per core), 2 warm-ups each,
   then 20 of each alternately, one at a time; medians. Each answer is checked (200, 100 users, X-Total-Count).
   The deep offset is 99,900, or the last full page when there are fewer users (the smoke test).
   --explain prints EXPLAIN ANALYZE of the baseline and of a deep page's queries (PostgreSQL), as the service
   runs them; --no-rest stops after the export.

Summary lines (stdout):
  oneroster export <N> students: first <s>, again <s>, peak <MB> (+<MB> over the <MB> process before it; ratio =
      again / COPY; goal 3 and 300 MB) | COPY of the same rows (<lines> lines): <s> | ratio <again / COPY>
  oneroster rest paging offset <deep>: median <ms> | offset 0: median <ms> | ratio <deep / first> (goal 3)
"""

from __future__ import annotations

import argparse
import base64
import csv
import http.client
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Iterator
from unittest import mock
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import generate_evaluation  # noqa: E402
from common import say  # noqa: E402

EXPORT_GOAL = 3.0
MEMORY_GOAL_MB = 300
PAGING_GOAL = 3.0
DEEP_OFFSET = 99_900
PAGE = 100
REPEAT = 20
USERS = "/ims/oneroster/rostering/v1p2/users"
MB = 1024 * 1024


def shape(scale: float) -> generate_evaluation.Shape:
    """generate_evaluation's district without the written records, which OneRoster does not read."""
    full = generate_evaluation.Shape() if scale == 1 else generate_evaluation.Shape.scaled(scale)
    return generate_evaluation.Shape(full.students, full.school_students, 0, 0)


def load_note() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {common.cores()} cores"


# -- the data -----------------------------------------------------------------------------------------

@dataclass
class World:
    district_id: int
    city_id: int
    admin_account_id: int  # the district admin who exports
    students: int  # open enrollments of the district's current classes


def ensure_data(scale: float, fresh: bool = False, empty_directory: bool = True) -> World:
    """The district (generated, or reused when the kept database holds it), its admin, an empty directory."""
    generate_evaluation.ensure_data(shape(scale), fresh=fresh)
    return prepare(empty_directory)


def prepare(empty_directory: bool = True) -> World:
    """Every school moved into one district, as bench_stats does, and its admin; the OneRoster directory emptied
    and the schools' kept lines (RosterSnapshot) emptied (and vacuumed), so that the first export fills them."""
    from renrentong.accounts.models import Account, Enrollment, Identity
    from renrentong.integration.models import RosterId, RosterRefresh, RosterSnapshot
    from renrentong.orgs.models import Region, School, SchoolClass

    district = Region.objects.filter(kind=Region.Kind.DISTRICT).order_by("pk").first()
    School.objects.exclude(district=district).update(district=district)  # the district: all 40 schools
    admin, _ = Account.objects.get_or_create(number="BENCHDISTRICT", defaults={"password": "!"})
    Identity.objects.get_or_create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=district)
    if empty_directory:
        RosterId.objects.all().delete()
        RosterRefresh.objects.all().delete()
        RosterSnapshot.objects.all().delete()
        settle()
    students = Enrollment.objects.filter(school__district=district, ended_on__isnull=True).exclude(
        school_class__kind=SchoolClass.Kind.GRADUATED).count()
    return World(district.pk, district.parent_id, admin.pk, students)


def district_admin(world: World):
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account

    account = Account.objects.get(pk=world.admin_account_id)
    return actor_for(account, account.identities.get())


# -- the export ---------------------------------------------------------------------------------------

@dataclass
class Build:
    seconds: float
    zip_seconds: float
    peak: int  # bytes, VmHWM from the build's start to the zip's end
    rss_before: int
    objects: int
    users: int  # lines of users.csv, roles.csv, enrollments.csv (headers excluded)
    roles: int
    enrollments: int
    zipped: int  # bytes
    raw: int = 0  # bytes of the package's files, unzipped
    queries: int = 0
    query_seconds: float = 0.0
    db_cpu: float = 0.0
    changed: int = -1  # directory rows the build dated (the second: 0 when nothing changed)
    top_queries: list | None = None


def _rss() -> int:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def export_once(actor, profile: str | None = None) -> Build:
    """The producer as the actor (bulk): the package built into its spooled files, then zipped as the export
    worker does, from those files a chunk at a time; timed, its peak memory."""
    from django.db import connection
    from django.utils import timezone

    from bench_import import Stopwatch, _db_server_cpu, _peak_bytes, _reset_peak
    from renrentong.exports.producers import write_documents
    from renrentong.integration.models import RosterId
    from renrentong.integration.oneroster import package

    watch = Stopwatch()
    rss_before = _rss()
    _reset_peak()
    db_before = _db_server_cpu()
    began = timezone.now()
    profiler = None
    if profile:
        import cProfile

        profiler = cProfile.Profile()
    started = time.perf_counter()
    with connection.execute_wrapper(watch):
        if profiler:
            profiler.enable()
        export = package.oneroster_csv(actor, {})
        if profiler:
            profiler.disable()
    seconds = time.perf_counter() - started
    db_cpu = _db_server_cpu() - db_before
    started = time.perf_counter()
    content = write_documents(export.documents)
    zip_seconds = time.perf_counter() - started
    peak = _peak_bytes()
    if profiler:
        profiler.dump_stats(profile)
    lines, raw = {}, 0
    with zipfile.ZipFile(io.BytesIO(content)) as archive:  # counted after the peak is taken, a file at a time
        for info in archive.infolist():
            raw += info.file_size
            with archive.open(info) as f:
                lines[info.filename] = sum(1 for _ in f) - 1
    changed = RosterId.objects.filter(modified_at__gte=began).count()
    return Build(seconds, zip_seconds, peak, rss_before, export.audit_details["objects"], lines["users.csv"],
                 lines["roles.csv"], lines["enrollments.csv"], len(content), raw, watch.queries,
                 watch.query_seconds, db_cpu, changed, [[q, round(s, 2)] for q, s in watch.by_query.most_common(6)])


def describe(label: str, b: Build) -> str:
    return (f"  {label}: build {b.seconds:.1f} s ({b.queries} queries, {b.query_seconds:.1f} s waiting on them, "
            f"PostgreSQL backend CPU {b.db_cpu:.1f} s), zip {b.zip_seconds:.1f} s ({b.raw / MB:.1f} MB of CSV, "
            f"{b.zipped / MB:.1f} MB zipped); peak "
            f"{b.peak / MB:.0f} MB (RSS before {b.rss_before / MB:.0f} MB); {b.objects} objects: {b.users} users, "
            f"{b.roles} roles, {b.enrollments} enrollments; directory rows dated by this build: {b.changed}; "
            f"slowest statements {b.top_queries}")


def export_child(argv: list[str]) -> int:
    """`--export-child ACCOUNT_ID LABEL [PROFILE_FILE]`: one build in this fresh process, so that its peak memory
    is its own; JSON on stdout. Run by hand against a kept database, it profiles one build alone."""
    sys.path.insert(0, str(common.BASE_DIR))
    import django

    django.setup()
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account

    account = Account.objects.get(pk=int(argv[0]))
    actor = actor_for(account, account.identities.get())
    label, profile = argv[1], (argv[2] if len(argv) > 2 else None)
    say(f"  {label} build ... ({load_note()})")
    build = export_once(actor, profile)
    say(describe(label, build))
    print(json.dumps(asdict(build)), flush=True)
    return 0


def export_in_child(env: dict[str, str], world: World, label: str, profile_dir: str | None) -> Build:
    common.close_db()
    command = [common.PYTHON, str(Path(__file__).resolve()), "--export-child", str(world.admin_account_id), label]
    if profile_dir:
        Path(profile_dir).mkdir(parents=True, exist_ok=True)
        command.append(str(Path(profile_dir).resolve() / f"{label}.prof"))
    done = subprocess.run(command, cwd=common.BASE_DIR, env={**os.environ, **env}, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the export child failed ({done.returncode})")
    if profile_dir:
        show_profile(label, str(Path(profile_dir) / f"{label}.prof"))
    return Build(**json.loads(done.stdout.strip().splitlines()[-1]))


def show_profile(label: str, path: str) -> None:
    import pstats

    out = io.StringIO()
    stats = pstats.Stats(path, stream=out)
    stats.sort_stats("cumulative").print_stats(30)
    stats.sort_stats("tottime").print_stats(20)
    say(f"  profile of the {label} build:\n{out.getvalue()}")


def settle() -> None:
    """VACUUM ANALYZE the directory, as autovacuum would after the rows a build wrote (this benchmark's server may
    run with it off; without fresh statistics the planner takes the directory for empty)."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("SHOW autovacuum")
            autovacuum = c.fetchone()[0]
            # VACUUM cannot run in a transaction (the SQLite-and-PostgreSQL test of this core runs in one).
            c.execute("ANALYZE integration_rosterid" if connection.in_atomic_block else
                      "VACUUM ANALYZE integration_rosterid")
        else:
            autovacuum = "n/a"
            c.execute("ANALYZE integration_rosterid")
    say(f"  directory vacuumed and analysed ({time.perf_counter() - started:.1f} s; autovacuum {autovacuum})")


# -- the baseline: the same rows straight from the tables ---------------------------------------------

BASELINE_SQL = """
WITH sch AS (SELECT id FROM orgs_school WHERE district_id = {district}),
st AS (SELECT e.id, e.person_id, e.school_class_id, e.school_id, e.started_on FROM accounts_enrollment e
       JOIN orgs_schoolclass c ON c.id = e.school_class_id
       WHERE e.ended_on IS NULL AND e.school_id IN (SELECT id FROM sch) AND c.kind <> 'graduated'),
gu AS (SELECT g.guardian_id, g.student_id, g.relation, st.school_id FROM accounts_guardianship g
       JOIN st ON st.person_id = g.student_id),
te AS (SELECT i.id, a.person_id, i.school_id FROM accounts_identity i JOIN accounts_account a ON a.id = i.account_id
       WHERE i.kind = 'teacher' AND a.person_id IS NOT NULL AND i.school_id IN (SELECT id FROM sch)),
pe AS (SELECT person_id, MIN(school_id) AS school_id FROM (
           SELECT person_id, school_id FROM st UNION ALL SELECT guardian_id, school_id FROM gu
           UNION ALL SELECT person_id, school_id FROM te) x GROUP BY person_id),
ag AS (SELECT student_id, {agg} AS agents FROM gu GROUP BY student_id)
SELECT 'user', p.id, a.number, a.status, p.name, p.sex, CAST(p.birth_date AS TEXT), pe.school_id, ag.agents
  FROM pe JOIN accounts_person p ON p.id = pe.person_id
  LEFT JOIN accounts_account a ON a.person_id = p.id LEFT JOIN ag ON ag.student_id = p.id
UNION ALL
SELECT 'role', person_id, 'student', 'primary', NULL, NULL, NULL, school_id, NULL FROM st
UNION ALL
SELECT 'role', guardian_id, MIN(relation), 'primary', NULL, NULL, NULL, school_id, NULL FROM gu
  GROUP BY guardian_id, school_id
UNION ALL
SELECT DISTINCT 'role', person_id, 'teacher', 'primary', NULL, NULL, NULL, school_id, NULL FROM te
UNION ALL
SELECT 'enrollment', person_id, 'student', CAST(school_class_id AS TEXT), NULL, NULL, CAST(started_on AS TEXT),
       school_id, NULL FROM st
UNION ALL
SELECT 'enrollment', te.person_id, 'teacher', CAST(t.school_class_id AS TEXT),
       CASE WHEN MAX(CASE WHEN t.head THEN 1 ELSE 0 END) = 1 THEN 'true' ELSE 'false' END, NULL, NULL, te.school_id,
       NULL
  FROM (SELECT teacher_id, school_class_id, {true} AS head FROM accounts_headteacher
        UNION ALL SELECT teacher_id, school_class_id, {false} FROM accounts_teachingassignment) t
  JOIN te ON te.id = t.teacher_id
  GROUP BY te.person_id, t.school_class_id, te.school_id
"""


@dataclass
class Copy:
    seconds: float
    lines: int
    size: int


def baseline_sql(district_id: int) -> str:
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    return BASELINE_SQL.format(
        district=int(district_id),
        agg="string_agg(CAST(guardian_id AS TEXT), ',' ORDER BY guardian_id)" if postgres
        else "group_concat(CAST(guardian_id AS TEXT), ',')",
        true="TRUE" if postgres else "1", false="FALSE" if postgres else "0")


def copy_same_rows(district_id: int) -> Copy:
    """PostgreSQL: COPY (SELECT ...) TO STDOUT of the users, roles and enrollments, through psycopg's copy into
    memory. SQLite (the smoke test): the same SELECT, written as CSV."""
    from django.db import connection

    sql = baseline_sql(district_id)
    out = io.BytesIO()
    connection.ensure_connection()
    started = time.perf_counter()
    if connection.vendor == "postgresql":
        with connection.connection.cursor() as cursor:
            with cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for data in copy:
                    out.write(data)
    else:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
        writer = csv.writer(text, lineterminator="\r\n")
        with connection.cursor() as cursor:
            cursor.execute(sql)
            while rows := cursor.fetchmany(10_000):
                writer.writerows(rows)
        text.detach()
    seconds = time.perf_counter() - started
    content = out.getvalue()
    return Copy(seconds, content.count(b"\n"), len(content))


def explain_baseline(district_id: int) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS) " + baseline_sql(district_id))
        say("  EXPLAIN ANALYZE of the baseline:\n" + "\n".join(r[0] for r in c.fetchall()))


# -- the REST service ---------------------------------------------------------------------------------

@dataclass
class RestApp:
    client_id: str
    secret: str

    def basic(self) -> str:
        return "Basic " + base64.b64encode(f"{self.client_id}:{self.secret}".encode()).decode()


def register_rest_app(world: World) -> RestApp:
    """An app of the district, registered by the city admin, granted core rosters."""
    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account, Identity
    from renrentong.integration.services import register_app

    admin, _ = Account.objects.get_or_create(number="BENCHCITY", defaults={"password": "!"})
    identity, _ = Identity.objects.get_or_create(account=admin, kind=Identity.Kind.REGION_ADMIN,
                                                 region_id=world.city_id)
    app, secret = register_app(actor_for(admin, identity), region_id=world.district_id, name="基准测试花名册",
                               redirect_uris=["https://app.example.cn/cb"], roster_scopes=["roster-core.readonly"])
    return RestApp(app.client_id, secret)


def client_token(send, app: RestApp) -> str:
    status, _, body = send("POST", "/oauth/token/", urlencode({"grant_type": "client_credentials"}).encode(),
                           {"Authorization": app.basic(), "Content-Type": "application/x-www-form-urlencoded"})
    if status != 200:
        raise SystemExit(f"the client-credentials token was refused ({status}): {body[:300]!r}")
    return json.loads(body)["access_token"]


@dataclass
class Paging:
    deep_offset: int
    total: int
    deep: list[float]
    first: list[float]

    @property
    def ratio(self) -> float:
        first = common.median(self.first)
        return common.median(self.deep) / first if first else 0.0


def page_path(offset: int) -> str:
    return f"{USERS}?limit={PAGE}&offset={offset}"


def deep_offset_of(total: int) -> int:
    """99,900, or the last full page when there are fewer users (the smoke test)."""
    return min(DEEP_OFFSET, max(total - PAGE, 0))


def rest_paging(send, token: str, repeat: int = REPEAT, warmup: int = 2) -> Paging:
    """GET the deep page and the first, `warmup` times each unmeasured, then `repeat` times each alternately;
    every answer checked (200, a full page, the same X-Total-Count)."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    seen: dict[str, int] = {}

    def get(offset: int) -> float:
        started = time.perf_counter()
        status, answer_headers, body = send("GET", page_path(offset), None, headers)
        took = time.perf_counter() - started
        if status != 200:
            raise SystemExit(f"GET {page_path(offset)}: {status} {body[:300]!r}")
        total = int(answer_headers.get("x-total-count", -1))
        users = json.loads(body)["users"]
        if seen.setdefault("total", total) != total or len(users) != min(PAGE, total - offset):
            raise SystemExit(f"GET {page_path(offset)}: {len(users)} users, X-Total-Count {total} (before: "
                             f"{seen['total']})")
        return took

    get(0)
    deep_offset = deep_offset_of(seen["total"])
    for _ in range(warmup):
        say(f"  warm-up: offset {deep_offset} {get(deep_offset) * 1000:.0f} ms, offset 0 {get(0) * 1000:.0f} ms")
    deep, first = [], []
    for _ in range(repeat):
        deep.append(get(deep_offset))
        first.append(get(0))
    return Paging(deep_offset, seen["total"], deep, first)


def directory_users() -> int:
    """The users the app should see: every active user row of the directory (all in the app's district)."""
    from renrentong.integration.models import RosterId

    return RosterId.objects.filter(kind="users", gone_at__isnull=True).count()


def in_process_send(host: str | None = None):
    """send() through Django's test client, in this process (the smoke test's core); `host` for a process outside
    a test run, where "testserver" is not an allowed host."""
    from django.test import Client

    client = Client(**({"HTTP_HOST": host} if host else {}))

    def send(method: str, path: str, body: bytes | None, headers: dict[str, str]):
        extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items() if k != "Content-Type"}
        if method == "POST":
            response = client.post(path, body, content_type=headers.get("Content-Type"), **extra)
        else:
            response = client.get(path, **extra)
        return response.status_code, {k.lower(): v for k, v in response.items()}, response.content

    return send


def server_send(server: common.Server):
    """send() over one kept-alive HTTP/1.1 connection to the server."""
    box: list[http.client.HTTPConnection | None] = [None]

    def send(method: str, path: str, body: bytes | None, headers: dict[str, str]):
        for attempt in (1, 2):
            if box[0] is None:
                box[0] = http.client.HTTPConnection(server.host, server.port, timeout=600)
            try:
                box[0].request(method, path, body=body, headers=headers)
                response = box[0].getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                box[0].close()
                box[0] = None
                if attempt == 1:  # a kept-alive connection the server closed: the request never ran
                    continue
                raise
            if response.will_close:
                box[0].close()
                box[0] = None
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        raise AssertionError("unreachable")

    return send


def explain_page(app: RestApp, offset: int) -> None:
    """EXPLAIN ANALYZE of every query one page runs, as the service runs them (in this process)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    send = in_process_send("localhost")
    token = client_token(send, app)
    captured: list[tuple[str, tuple]] = []

    def capture(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("SELECT") and "integration_rosterid" in sql:
            captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        send("GET", page_path(offset), None, {"Authorization": f"Bearer {token}"})
    say(f"  offset {offset}: {len(captured)} queries on the directory, explained (at most the first three and the "
        f"last):")
    for sql, params in captured if len(captured) <= 4 else captured[:3] + captured[-1:]:
        with connection.cursor() as c:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            say("    " + sql[:600] + "\n" + "\n".join("      " + r[0] for r in c.fetchall()))


# -- the summary --------------------------------------------------------------------------------------

def export_line(students: int, first: Build, again: Build, copy: Copy) -> str:
    peak = max(first.peak, again.peak)
    return common.summary(
        f"oneroster export {students} students",
        f"first {common.secs(first.seconds)}, again {common.secs(again.seconds)}, peak {peak / MB:.0f} MB "
        f"(+{(peak - first.rss_before) / MB:.0f} MB over the {first.rss_before / MB:.0f} MB process before it; "
        f"ratio = again / COPY; goal {EXPORT_GOAL:.0f} and {MEMORY_GOAL_MB} MB)",
        f"COPY of the same rows ({copy.lines} lines)", common.secs(copy.seconds),
        again.seconds / copy.seconds if copy.seconds else 0.0)


def paging_line(paging: Paging) -> str:
    return common.summary(
        f"oneroster rest paging offset {paging.deep_offset}", f"median {common.millis(common.median(paging.deep))}",
        "offset 0", f"median {common.millis(common.median(paging.first))}", paging.ratio)


# -- the run ------------------------------------------------------------------------------------------

def export_phase(env: dict[str, str], world: World, args) -> bool:
    """Both builds and the baseline; their summary line. True when the goals are met."""
    say(f"  exports ... ({load_note()})")
    first = export_in_child(env, world, "first", args.profile)
    settle()
    again = export_in_child(env, world, "again", args.profile)
    settle()
    if again.changed:
        say(f"  WARNING: the second build dated {again.changed} directory rows although nothing changed")
    say(f"  COPY ... ({load_note()})")
    copy_same_rows(world.district_id)  # warm-up: the tables in the cache, as the builds had them
    copies = [copy_same_rows(world.district_id) for _ in range(3)]
    copy = sorted(copies, key=lambda c: c.seconds)[1]
    say(f"  COPY of the same rows: {', '.join(common.secs(c.seconds) for c in copies)} (median "
        f"{common.secs(copy.seconds)}), {copy.lines} lines, {copy.size / MB:.1f} MB; the export's users, roles "
        f"and enrollments: {again.users + again.roles + again.enrollments} lines")
    if args.explain:
        explain_baseline(world.district_id)
    common.emit(export_line(world.students, first, again, copy))
    return again.seconds <= EXPORT_GOAL * copy.seconds and max(first.peak, again.peak) <= MEMORY_GOAL_MB * MB


def wait_until_serving(server: common.Server, timeout: float = 300) -> None:
    """common's readiness probe asks for /api/v1/openapi.json with 5 s to answer, which a worker on a busy machine
    takes longer than to build (8 s at load 8 on 2 cores), so it never succeeds there. This one asks the
    OneRoster service for a page without a token (a 401 at once) and gives each try a minute."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SystemExit(f"the server exited ({server.process.returncode}):\n{common.server_log_tail(server)}")
        try:
            conn = http.client.HTTPConnection(server.host, server.port, timeout=60)
            conn.request("GET", USERS)
            conn.getresponse().read()
            conn.close()
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s:\n{common.server_log_tail(server)}")


@contextmanager
def started_server(env: dict[str, str]) -> Iterator[common.Server]:
    """common.running_server (gunicorn, one sync worker per core) with the probe above."""
    with mock.patch.object(common, "_wait_until_serving", wait_until_serving), common.running_server(env) as server:
        yield server


def rest_phase(env: dict[str, str], world: World, args) -> bool:
    """The app, its token, the pages; their summary line. True when the goal is met."""
    app = register_rest_app(world)
    total = directory_users()
    if args.explain:
        explain_page(app, deep_offset_of(total))
    common.close_db()
    say(f"  REST paging ... ({load_note()})")
    with started_server(env) as server:
        say(f"  server: {server.description}")
        send = server_send(server)
        paging = rest_paging(send, client_token(send, app), repeat=args.repeat)
    if paging.total != total:
        say(f"  WARNING: the service counts {paging.total} users, the directory holds {total} active ones")
    say(f"  offset {paging.deep_offset} of {total}: median {common.millis(common.median(paging.deep))}, max "
        f"{common.millis(max(paging.deep))}; offset 0: median {common.millis(common.median(paging.first))}, max "
        f"{common.millis(max(paging.first))}")
    common.emit(paging_line(paging))
    return paging.ratio <= PAGING_GOAL


def main(argv: list[str]) -> int:
    if argv[:1] == ["--export-child"]:
        return export_child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=None, help="the data's size (default 1 on PostgreSQL, "
                                                                  "0.02 on SQLite)")
    parser.add_argument("--keep", action="store_true", help="reuse the database when it holds this data, and keep it")
    parser.add_argument("--profile", metavar="DIR", help="cProfile each build into DIR and print the top functions")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the baseline and a page's queries")
    parser.add_argument("--repeat", type=int, default=REPEAT, help="measured GETs of each page (default 20)")
    parser.add_argument("--no-rest", action="store_true", help="the export only")
    parser.add_argument("--rest-only", action="store_true",
                        help="with --keep: the REST paging only, on the directory a kept database holds")
    args = parser.parse_args(argv)
    if args.rest_only and not args.keep:
        parser.error("--rest-only reads the directory of a kept database: add --keep")
    postgres = bool(os.environ.get("DATABASE_URL"))
    scale = args.scale if args.scale is not None else (1.0 if postgres else 0.02)
    say(f"oneroster bench: {common.machine_note()}; {load_note()}; {common.backend_label()}; scale {scale}")
    say("  the import of a package is not built yet (docs/oneroster.md): not measured")
    met = True
    with common.bench_environment("oneroster", database="bench_oneroster", keep=args.keep,
                                  drop=not args.keep) as env:
        common.django_setup(env)
        started = time.perf_counter()
        world = ensure_data(scale, empty_directory=not args.rest_only)
        say(f"  data: {world.students} students in district {world.district_id} "
            f"({time.perf_counter() - started:.0f} s)")
        if args.rest_only:
            if not directory_users():
                raise SystemExit("--rest-only: the kept database's directory is empty; run the export first")
            settle()
        else:
            met &= export_phase(env, world, args)
        if not args.no_rest:
            met &= rest_phase(env, world, args)
        common.close_db()
    say(f"  goals {'met' if met else 'NOT all met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
