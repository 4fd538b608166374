"""Roster import: a city admin's 100,000-student file for 40 schools, end to end, and a one-school preview.

Prints two summary lines:

  import 100000 students: <s> peak <MB> | raw bulk insert: <s> | ratio <import / raw>
      upload (store + screen) + preview (read, validate, classify, the job's rows) + commit (chunked,
      in this process rather than the worker), wall time and the importing process's peak memory.
      Baseline, in the same run and database: inserting the rows the import writes (persons, accounts,
      identities, enrollments, parents' persons, accounts and identities, guardianships) precomputed,
      with no validation: COPY on PostgreSQL (its deferred foreign keys checked, as a commit would),
      Django bulk_create on SQLite; it runs in a transaction that is rolled back, so the import starts
      from the same database state.
  preview 3000 rows: <s> | read only: <s> | ratio <preview / read>
      upload + preview of one school's 3,000-row file, median of 3; baseline: reading the file alone
      (reader.read_table), median of 3.

The file and the database come from bench/generate_roster.py (seeded). The import runs in a child
process, so that its peak memory (VmHWM) is its own, not the generator's; the workbook is parsed in a
grandchild (see renrentong/core/spreadsheets/reader.py), whose peak is reported on stderr. Every row's outcome
is checked against what the generator meant it to be, and the created accounts and links against
what the file implies; any difference is printed and makes the benchmark fail. At the end the big
import is undone (services.undo_import) and the time that takes is reported on stderr.

Environment: as bench/common.py (DATABASE_URL, REDIS_URL), plus
  RRT_BENCH_IMPORT_ROWS   rows of the big file (default 100000)
  RRT_BENCH_FORMAT        xlsx (default) or csv; csv above 200,000 rows (a workbook is held to 200,000 rows and
                          20 MB: a city's roster comes as CSV, which the import reads as a stream)
  RRT_BENCH_IMPORT_UNDO   0: skip the undo at the end (it takes about twice the import)
  RRT_BENCH_IMPORT_BASELINE 0: skip the raw insert (a third of a 1,000,000-row run): the import's time and memory
                          go to stderr, and no summary line is printed, since it would have no baseline
  RRT_BENCH_PROFILE       a path: write a cProfile of the import (the child) there
  RRT_BENCH_PYSPY         a path: record the import (the child) with py-spy (on PATH or in the virtualenv) as
                          collapsed stacks, and the undo in PATH.undo
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from operator import attrgetter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common
import generate_roster

ROWS = int(os.environ.get("RRT_BENCH_IMPORT_ROWS", "100000"))
UNDO = os.environ.get("RRT_BENCH_IMPORT_UNDO", "1") != "0"
BASELINE = os.environ.get("RRT_BENCH_IMPORT_BASELINE", "1") != "0"
SMALL_ROWS = 3_000
SEED = 2026
REPEAT = 3
MB = 1024 * 1024


# -- the child: one import, measured ----------------------------------------------------------------

def _peak_bytes() -> int:
    """This process's peak resident memory since the last _reset_peak()."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _reset_peak() -> None:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from VmRSS
    except OSError:
        pass


def _children_peak_bytes() -> int:
    import resource

    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024


class Stopwatch:
    """Wall time spent in named functions (wrapped in place), and queries and their time."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.calls: Counter = Counter()
        self.queries = 0
        self.query_seconds = 0.0
        self.by_query: Counter = Counter()  # seconds by the start of the statement (up to WHERE)

    def timed(self, inner, label: str):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return inner(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1

        return wrapper

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.queries += 1
            self.query_seconds += took
            kind = re.sub(r"\s+", " ", sql.split(" WHERE ")[0])[:90]
            self.by_query[kind] += took


def _db_server_cpu() -> float:
    """CPU seconds the PostgreSQL backend serving this connection has used (0 for SQLite)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:  # PostgreSQL on another machine
        return 0.0


def child(argv: list[str]) -> int:
    """`--child import|preview PATH ACCOUNT_ID [SCHOOL_ID]`: run as the bench's database says, print JSON."""
    mode, path, account_id = argv[0], Path(argv[1]), int(argv[2])  # undo: the job's id for PATH
    school_id = int(argv[3]) if len(argv) > 3 else None
    sys.path.insert(0, str(common.BASE_DIR))
    import django

    django.setup()
    from django.db import connection

    from renrentong.accounts.models import Account
    from renrentong.accounts.access import actor_for
    from renrentong.rosters import services, worker
    from renrentong.core.spreadsheets import reader
    from renrentong.rosters.importers import students
    from renrentong.rosters.importers.columns import STUDENT_COLUMNS
    from renrentong.rosters.models import ImportJob

    watch = Stopwatch()
    from renrentong.accounts.people import services as people

    # parse_stream is a generator (its time is spent in the preview's loop); its duplicate check, per chunk, is
    # timed apart.
    for module, name in ((reader, "read_table"), (students, "_mark_duplicates"), (students, "classify"),
                         (students, "apply_chunk"), (students, "_apply_parents"),
                         (students, "create_people_with_accounts"), (people, "allocate_account_numbers")):
        setattr(module, name, watch.timed(getattr(module, name), name))
    students.Known.load = classmethod(watch.timed(students.Known.load.__func__, "Known.load"))
    for name in ("_kept_parse", "_record_outcomes"):
        setattr(worker, name, watch.timed(getattr(worker, name), name))
    worker.bulk_insert = watch.timed(worker.bulk_insert, "job rows")
    if hasattr(students, "bulk_insert"):
        students.bulk_insert = watch.timed(students.bulk_insert, "bulk_insert")
    people.bulk_insert = watch.timed(people.bulk_insert, "bulk_insert")
    # COMMIT: where PostgreSQL checks the deferred foreign keys of everything a chunk inserted.
    from django.db import connections

    wrapper_class = type(connections["default"])
    wrapper_class.commit = watch.timed(wrapper_class.commit, "COMMIT")
    account = Account.objects.get(pk=account_id)
    actor = actor_for(account, account.identities.get())  # with its scope rule, as a request builds it
    out: dict = {"mode": mode}

    def upload():
        with path.open("rb") as f:
            return services.accept_upload(actor, iter(lambda: f.read(64 * 1024), b""), path.name, "students",
                                          school_id)

    profile = os.environ.get("RRT_BENCH_PROFILE")
    profiler = None
    if profile and mode == "import":
        import cProfile

        profiler = cProfile.Profile()
    with connection.execute_wrapper(watch):
        if mode == "undo":
            job = ImportJob.objects.get(pk=int(argv[1]))
            started = time.perf_counter()
            job = services.undo_import(actor, job)
            out.update(seconds=time.perf_counter() - started, status=job.status, report=job.result["undo"])
        elif mode == "read":
            durations = []
            for _ in range(REPEAT):
                started = time.perf_counter()
                table = reader.read_table(path, reader.screen_file(path, path.name), STUDENT_COLUMNS,
                                          required={"name"}, text_only={"id_number"})
                durations.append(time.perf_counter() - started)
            out.update(seconds=durations, rows=len(table.rows))
        elif mode == "preview":
            durations, jobs = [], []
            for _ in range(REPEAT):
                started = time.perf_counter()
                job = worker.run_preview(upload().pk)
                durations.append(time.perf_counter() - started)
                jobs.append(job.pk)
            out.update(seconds=durations, jobs=jobs, counts=job.counts, status=job.status)
        else:
            cpu0, db0 = time.process_time(), _db_server_cpu()
            _reset_peak()
            if profiler:
                profiler.enable()
            t0 = time.perf_counter()
            job = upload()
            t1 = time.perf_counter()
            job = worker.run_preview(job.pk)
            t2 = time.perf_counter()
            preview_peak = _peak_bytes()
            _reset_peak()
            if job.status == ImportJob.Status.PREVIEWED:
                services.request_commit(actor, job)
                job = worker.run_commit(job.pk)
            t3 = time.perf_counter()
            if profiler:
                profiler.disable()
                profiler.dump_stats(profile)
            out.update(upload=t1 - t0, preview=t2 - t1, commit=t3 - t2, total=t3 - t0,
                       cpu=time.process_time() - cpu0, db_cpu=_db_server_cpu() - db0,
                       preview_peak=preview_peak, commit_peak=_peak_bytes(), reader_peak=_children_peak_bytes(),
                       job=job.pk, status=job.status, error=job.error_code, counts=job.counts,
                       applied=job.result.get("applied", {}),
                       missing_classes=len(job.result.get("missing_classes", [])))
    out.update(phases=dict(watch.seconds), calls=dict(watch.calls), queries=watch.queries,
               query_seconds=watch.query_seconds, slowest_queries=watch.by_query.most_common(8))
    print(json.dumps(out))
    return 0


def run_child(env: dict[str, str], *args: object) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, args)]
    spy = os.environ.get("RRT_BENCH_PYSPY")
    if spy and args[0] in ("import", "undo"):  # a sampling profile, collapsed stacks (flamegraph.pl, speedscope)
        output = spy if args[0] == "import" else f"{spy}.undo"
        command = [shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy"), "record", "--format", "raw",
                   "--rate", "50", "--output", output, "--", *command]
    done = subprocess.run(command, cwd=common.BASE_DIR, env={**os.environ, **env}, stdout=subprocess.PIPE, check=False,
                          text=True)
    if done.returncode:
        raise SystemExit(f"import: the child {' '.join(map(str, args[:1]))} failed ({done.returncode})")
    return json.loads(next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{")))


# -- the baseline: the same rows, inserted raw ------------------------------------------------------

class Baseline:
    """The rows the import writes for a roster, precomputed as model instances (no validation), and
    their insertion: COPY on PostgreSQL, bulk_create on SQLite."""

    def __init__(self, roster: generate_roster.Roster, installed: generate_roster.Installed) -> None:
        from datetime import date

        from django.utils import timezone

        from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, Person
        from renrentong.accounts.passwords.services import issue_initial_password
        from renrentong.core.crypto import id_number_digest, seal_id_number
        from renrentong.orgs.policy import EffectivePolicy

        policy = EffectivePolicy()
        now = timezone.now()
        today = timezone.localdate()
        applied = roster.applied()
        digests = [id_number_digest(r.id_number) for r in applied]
        existing = dict(Person.objects.filter(id_number_digest__in=digests).values_list("id_number_digest", "pk"))
        accounts_of = dict(Account.objects.filter(person_id__in=existing.values()).values_list("person_id", "pk"))
        phone_accounts = {phone: (pk, person) for pk, phone, person in
                          Account.objects.exclude(phone=None).values_list("pk", "phone", "person_id")}
        open_enrollments = dict(Enrollment.objects.filter(person_id__in=existing.values(), ended_on=None)
                                .values_list("person_id", "pk"))
        self.ended = []  # the old enrollments of students who move class: ended, not overwritten
        school = installed.school_ids
        self.people, self.accounts, self.identities, self.enrollments, self.links = [], [], [], [], []
        # (table rows that refer to each other are linked by list positions until the ids are known)
        self.student_person: list[int | tuple[str, int]] = []
        number = 100_000_000
        for r, digest in zip(applied, digests, strict=True):
            person_id = existing.get(digest)
            if person_id is None:
                p = Person(name=r.name.replace(" ", ""), sex="M" if r.sex == "男" else "F",
                           local_student_number=r.local_number, created_by_import=1)
                p.set_national_student_number(r.national_number)
                sealed = seal_id_number(r.id_number)
                p.id_number_key, p.id_number_cipher = sealed.key_id, sealed.ciphertext
                p.id_number_digest, p.id_number_masked = sealed.digest, sealed.masked
                p.birth_date = date(int(r.id_number[6:10]), int(r.id_number[10:12]), int(r.id_number[12:14]))
                self.people.append(p)
                a = Account(number=str(number), home_school_id=school[r.school], created_at=now,
                            status_changed_at=now, created_by_import=1)
                number += 1
                issue_initial_password(a, policy.student_initial_rule, policy, now=now)
                self.accounts.append((a, ("p", len(self.people) - 1)))
                self.identities.append((Identity(kind="student", school_id=school[r.school], created_at=now,
                                                 created_by_import=1), ("a", len(self.accounts) - 1)))
                ref: int | tuple[str, int] = ("p", len(self.people) - 1)
            else:
                ref = person_id
                if r.kind == "move":
                    self.ended.append(open_enrollments[person_id])
                if r.kind == "graduated":
                    self.identities.append((Identity(account_id=accounts_of[person_id], kind="student",
                                                     school_id=school[r.school], created_at=now, created_by_import=1),
                                            None))
            self.student_person.append(ref)
            self.enrollments.append((Enrollment(school_class_id=installed.class_ids[r.class_code],
                                                school_id=school[r.school], started_on=today, reason="import",
                                                created_by_import=1), ref))
        seen: dict[str, int | tuple[str, int]] = {}
        pairs = set()
        for r, student in zip(applied, self.student_person, strict=True):
            for parent in r.parents:
                if parent.phone not in seen:
                    if parent.phone in phone_accounts:  # a teacher: gains a parent identity
                        account_id, seen[parent.phone] = phone_accounts[parent.phone]
                        self.identities.append((Identity(account_id=account_id, kind="guardian", created_at=now,
                                                         created_by_import=1), None))
                    else:
                        self.people.append(Person(name=parent.name, sex="", created_by_import=1))
                        a = Account(number=str(number), phone=parent.phone, home_school_id=school[r.school],
                                    created_at=now, status_changed_at=now, created_by_import=1)
                        number += 1
                        issue_initial_password(a, policy.parent_initial_rule, policy, now=now)
                        self.accounts.append((a, ("p", len(self.people) - 1)))
                        self.identities.append((Identity(kind="guardian", created_at=now, created_by_import=1),
                                                ("a", len(self.accounts) - 1)))
                        seen[parent.phone] = ("p", len(self.people) - 1)
                key = (str(seen[parent.phone]), str(student))
                if key not in pairs:
                    pairs.add(key)
                    self.links.append((Guardianship(relation="father", school_id=school[r.school],
                                                    created_by_import=1), seen[parent.phone], student))
        self.Person, self.Account, self.Identity = Person, Account, Identity
        self.Enrollment, self.Guardianship = Enrollment, Guardianship

    @property
    def row_count(self) -> int:
        return len(self.people) + len(self.accounts) + len(self.identities) + len(self.enrollments) + len(self.links)

    def run(self) -> float:
        """Insert everything in one transaction, then roll it back; returns the seconds it took."""
        from django.db import connection, transaction
        from django.utils import timezone

        with transaction.atomic():
            started = time.perf_counter()
            self.Enrollment.objects.filter(pk__in=self.ended).update(ended_on=timezone.localdate())
            if connection.vendor == "postgresql":
                self._copy_all(connection)
                with connection.cursor() as cursor:
                    # The foreign keys are checked at COMMIT, which a rollback skips: check them now.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            else:
                self._bulk_create_all()
            took = time.perf_counter() - started
            transaction.set_rollback(True)
        return took

    def _resolve(self, ref, people_ids, account_ids):
        if ref is None or isinstance(ref, int):
            return ref
        return people_ids[ref[1]] if ref[0] == "p" else account_ids[ref[1]]

    def _bulk_create_all(self) -> None:
        people = self.Person.objects.bulk_create(self.people, batch_size=2000)
        people_ids = [p.pk for p in people]
        for a, ref in self.accounts:
            a.person_id = self._resolve(ref, people_ids, None)
        accounts = self.Account.objects.bulk_create([a for a, _ in self.accounts], batch_size=2000)
        account_ids = [a.pk for a in accounts]
        identities = []
        for i, ref in self.identities:
            if ref is not None:
                i.account_id = self._resolve(ref, people_ids, account_ids)
            identities.append(i)
        self.Identity.objects.bulk_create(identities, batch_size=2000)
        enrollments = []
        for e, ref in self.enrollments:
            e.person_id = self._resolve(ref, people_ids, account_ids)
            enrollments.append(e)
        self.Enrollment.objects.bulk_create(enrollments, batch_size=2000)
        links = []
        for g, guardian, student in self.links:
            g.guardian_id = self._resolve(guardian, people_ids, account_ids)
            g.student_id = self._resolve(student, people_ids, account_ids)
            links.append(g)
        self.Guardianship.objects.bulk_create(links, batch_size=2000)

    def _copy_all(self, connection) -> None:
        """COPY with ids drawn from the tables' sequences first, as a hand-written loader would."""
        raw = connection.connection  # the psycopg connection, inside Django's transaction

        def ids(model, n: int) -> list[int]:
            with raw.cursor() as cur:
                cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                            (model._meta.db_table, n))
                return [r[0] for r in cur.fetchall()]

        def copy(model, objects) -> None:
            fields = model._meta.concrete_fields  # none of these tables has a JSON column: values go as they are
            values = attrgetter(*[f.attname for f in fields])
            columns = ", ".join(f'"{f.column}"' for f in fields)
            with raw.cursor() as cur, cur.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as out:
                for obj in objects:
                    out.write_row(values(obj))

        people_ids = ids(self.Person, len(self.people))
        for p, pk in zip(self.people, people_ids, strict=True):
            p.pk = pk
        copy(self.Person, self.people)
        account_ids = ids(self.Account, len(self.accounts))
        for (a, ref), pk in zip(self.accounts, account_ids, strict=True):
            a.pk, a.person_id = pk, self._resolve(ref, people_ids, None)
        copy(self.Account, [a for a, _ in self.accounts])
        identity_ids = ids(self.Identity, len(self.identities))
        for (i, ref), pk in zip(self.identities, identity_ids, strict=True):
            i.pk = pk
            if ref is not None:
                i.account_id = self._resolve(ref, people_ids, account_ids)
        copy(self.Identity, [i for i, _ in self.identities])
        enrollment_ids = ids(self.Enrollment, len(self.enrollments))
        for (e, ref), pk in zip(self.enrollments, enrollment_ids, strict=True):
            e.pk, e.person_id = pk, self._resolve(ref, people_ids, account_ids)
        copy(self.Enrollment, [e for e, _ in self.enrollments])
        link_ids = ids(self.Guardianship, len(self.links))
        for (g, guardian, student), pk in zip(self.links, link_ids, strict=True):
            g.pk = pk
            g.guardian_id = self._resolve(guardian, people_ids, account_ids)
            g.student_id = self._resolve(student, people_ids, account_ids)
        copy(self.Guardianship, [g for g, _, _ in self.links])


# -- checks ------------------------------------------------------------------------------------

def expected_parents(roster: generate_roster.Roster, world: generate_roster.World) -> tuple[int, int, int]:
    """(parent accounts to create, guardian links to create, teacher accounts that gain a parent identity)."""
    teachers = {e.phone for e in world.existing if e.phone}
    phones: dict[str, None] = {}
    links = set()
    for n, r in enumerate(roster.applied()):
        for p in r.parents:
            phones[p.phone] = None
            links.add((p.phone, n))
    return len([p for p in phones if p not in teachers]), len(links), len([p for p in phones if p in teachers])


def check_rows(job_id: int, roster: generate_roster.Roster) -> list[str]:
    """Each row's outcome and reason against what the generator meant (the header is row 1)."""
    from renrentong.rosters.models import ImportRow

    got = {n: (o, r) for n, o, r in ImportRow.objects.filter(job_id=job_id).values_list("number", "outcome", "reason")}
    wrong = [f"row {n} ({row.kind}): {got.get(n)}, expected {row.expect}"
             for n, row in enumerate(roster.rows, 2) if got.get(n) != row.expect]
    if not wrong:
        return []
    return [f"job {job_id}: {len(wrong)} rows with an unexpected outcome, e.g. " + "; ".join(wrong[:5])]


def check_import(result: dict, roster: generate_roster.Roster, world: generate_roster.World) -> list[str]:
    from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity

    problems = []
    job = result["job"]
    if result["status"] != "committed":
        problems.append(f"the job ended {result['status']} {result.get('error', '')}")
    counts, expected = result["counts"], roster.expected_counts()
    if sum(counts.values()) != len(roster.rows):
        problems.append(f"the outcomes add up to {sum(counts.values())} rows, the file has {len(roster.rows)}")
    if counts != expected:
        problems.append(f"outcomes {counts}, expected {expected}")
    problems += check_rows(job, roster)
    applied = result["applied"]
    creates = expected.get("create", 0)
    parents, links, teacher_parents = expected_parents(roster, world)
    wanted = {"created_accounts": creates, "created_parents": parents, "linked_parents": links,
              "moved": expected.get("move", 0), "transferred_in": expected.get("transfer_in", 0),
              "transfer_requests": sum(1 for r in roster.rows if r.kind == "enrolled_elsewhere")}
    for key, value in wanted.items():
        if applied.get(key) != value:
            problems.append(f"applied {key} = {applied.get(key)}, the file implies {value}")
    in_db = {
        "accounts": Account.objects.filter(created_by_import=job).count(),
        "enrollments": Enrollment.objects.filter(created_by_import=job).count(),
        "guardianships": Guardianship.objects.filter(created_by_import=job).count(),
        "identities": Identity.objects.filter(created_by_import=job).count(),
    }
    transfers = expected.get("transfer_in", 0)
    should = {"accounts": creates + parents, "enrollments": creates + expected.get("move", 0) + transfers,
              # a transfer in moves the student identity from the old school: no new one
              "guardianships": links, "identities": creates + parents + teacher_parents}
    for key, value in should.items():
        if in_db[key] != value:
            problems.append(f"{in_db[key]} {key} in the database, the file implies {value}")
    if not 0.85 * len(roster.rows) <= in_db["accounts"] - parents <= len(roster.rows):
        problems.append(f"implausible: {in_db['accounts'] - parents} student accounts for {len(roster.rows)} rows")
    return problems


# -- the benchmark ------------------------------------------------------------------------------

def mb(n: float) -> str:
    return f"{n / MB:.0f} MB"


def main() -> int:
    common.say(f"import: {common.machine_note()}; {common.backend_label()}")
    fmt = os.environ.get("RRT_BENCH_FORMAT", "xlsx" if ROWS <= 200_000 else "csv")
    problems: list[str] = []
    with common.bench_environment("import") as env:
        common.django_setup(env)
        from django.db import connection

        tmp = Path(env["RRT_VAR_DIR"])
        started = time.perf_counter()
        world, roster, single = generate_roster.build(ROWS, SEED, single_school_rows=SMALL_ROWS)
        write = generate_roster.write_xlsx if fmt == "xlsx" else generate_roster.write_csv
        big_file = write(roster, tmp / f"roster-{ROWS}.{fmt}")
        small_file = write(single, tmp / f"roster-{SMALL_ROWS}.{fmt}")
        common.say(f"import: generated {len(roster.rows)} + {len(single.rows)} rows ({mb(big_file.stat().st_size)} "
                   f"{fmt}) in {common.secs(time.perf_counter() - started)}; expected "
                   + ", ".join(f"{k} {v}" for k, v in sorted(roster.expected_counts().items())))
        started = time.perf_counter()
        installed = generate_roster.setup_database(world)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        common.say(f"import: database with {len(world.schools)} schools, "
                   f"{sum(1 for c in world.classes if not c.graduated)} classes and {len(world.existing)} people "
                   f"in {common.secs(time.perf_counter() - started)}")

        raw = None
        if BASELINE:
            started = time.perf_counter()
            baseline = Baseline(roster, installed)
            common.say(f"import: baseline rows precomputed in {common.secs(time.perf_counter() - started)}")
            raw = baseline.run()
            method = "COPY" if connection.vendor == "postgresql" else "bulk_create"
            common.say(f"import: raw insert ({method}) of {baseline.row_count} rows: {common.secs(raw)} (rolled back)")
            del baseline
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        common.close_db()

        common.say(f"import: importing {big_file.name} as the city admin ...")
        big = run_child(env, "import", big_file, installed.admin_account_id)
        phases = big["phases"]
        common.say(f"import: upload {common.secs(big['upload'])}, preview {common.secs(big['preview'])}, "
                   f"commit {common.secs(big['commit'])}; total {common.secs(big['total'])}")
        common.say(f"import: this process {common.secs(big['cpu'])} CPU, database server "
                   f"{common.secs(big['db_cpu'])} CPU; {big['queries']} queries, {common.secs(big['query_seconds'])}")
        common.say("import: in " + ", ".join(f"{k} {common.secs(v)} ({big['calls'][k]}×)" for k, v in phases.items()))
        for sql, seconds in big["slowest_queries"]:
            common.say(f"import:   {common.secs(seconds)} in {sql}")
        common.say(f"import: peak memory: preview {mb(big['preview_peak'])}, commit {mb(big['commit_peak'])}, "
                   f"workbook reader (child) {mb(big['reader_peak'])}")
        common.say(f"import: applied {big['applied']}")
        problems += check_import(big, roster, world)

        small_school = installed.school_ids[single.school]
        read = run_child(env, "read", small_file, installed.admin_account_id)
        preview = run_child(env, "preview", small_file, installed.admin_account_id, small_school)
        if sum(preview["counts"].values()) != len(single.rows) or preview["counts"] != single.expected_counts():
            problems.append(f"3000-row preview: {preview['counts']}, expected {single.expected_counts()}")
        problems += check_rows(preview["jobs"][-1], single)
        common.say(f"import: preview {SMALL_ROWS} rows: " + ", ".join(f"{s:.2f} s" for s in preview["seconds"])
                   + "; read only: " + ", ".join(f"{s:.2f} s" for s in read["seconds"]))
        common.close_db()
        if UNDO:
            undone = run_child(env, "undo", big["job"], installed.admin_account_id)
            common.say(f"import: undo of the import: {common.secs(undone['seconds'])}, {undone['report']}")
            created = big["applied"]["created_accounts"] + big["applied"]["created_parents"]
            if undone["status"] != "undone" or undone["report"]["accounts_removed"] != created:
                problems.append(f"undo: {undone['status']} {undone['report']}")
            common.close_db()

    for problem in problems:
        common.say(f"import: ERROR: {problem}")
    peak = max(big["preview_peak"], big["commit_peak"])
    if raw is None:
        common.say(f"import {ROWS} students: {common.secs(big['total'])} peak {mb(peak)} (no baseline: skipped)")
    else:
        common.emit(common.summary(f"import {ROWS} students", f"{common.secs(big['total'])} peak {mb(peak)}",
                                   "raw bulk insert", common.secs(raw), big["total"] / raw))
    small, read_only = statistics.median(preview["seconds"]), statistics.median(read["seconds"])
    common.emit(common.summary(f"preview {SMALL_ROWS} rows", f"{small:.2f} s", "read only", f"{read_only:.2f} s",
                               small / read_only))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2:]))
    sys.exit(main())
