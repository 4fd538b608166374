"""Academic score import (EVA-6): a city admin's file of 100,000 score rows for 40 schools, end to end.

Prints one summary line:

  import 100000 scores: <s> peak <MB> | raw bulk insert: <s> | ratio <import / raw>
      upload (store + screen) + preview (read, validate, match students, classify, the job's rows) + commit
      (chunked, in this process rather than the worker) through the real machinery (rosters.services and
      rosters.worker running evaluation.scores.importer), wall time and the importing process's peak memory
      (VmHWM, the larger of the preview's and the commit's). Baseline, in the same run and database: a raw
      COPY (bulk_create on SQLite) of the same score rows, precomputed, in a transaction that is rolled back.

The world is bench/generate_roster.py's (seeded): a city, 4 districts, 40 schools, 2,500 classes; its
students (25,000, spread over every class) are inserted set-based with sealed ID and national student
numbers, and the city keeps the standard catalogue (evaluation/standard.py). The file has one row per
student and city item (4 items: 100,000 rows); rows name the student by account (60%), national student
number (25%) or ID number (15%). About 3% of the rows are refused, each kind with its expected reason (a
score out of range, a name that differs, an unknown account, a school's item in the city's file, a
student of another city); every row's outcome is checked, and the scores written. The import is undone
at the end (its time on stderr) and the undo checked to leave no score.

Goal: at most 30 s end to end and 500 MB peak for 100,000 rows (issue 14, item 6). The ratio compares with
the raw insert; the roster import's own figure (docs/benchmarks.md) is the reference for "as fast".

Environment: as bench/common.py (DATABASE_URL, REDIS_URL), plus RRT_BENCH_SCORE_ROWS (default 100000: the
students are a quarter of it).
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common
import generate_roster
from bench_import import Stopwatch, _children_peak_bytes, _db_server_cpu, _peak_bytes, _reset_peak, mb

ROWS = int(os.environ.get("RRT_BENCH_SCORE_ROWS", "100000"))
ITEMS = ("english_dialogue", "chinese_dialogue", "lab_practice", "art_exam")  # the city's imported items
STUDENTS = ROWS // len(ITEMS)
SEED = 2026
HEADERS = ["姓名", "账号", "全国学籍号", "身份证号", "项目", "成绩"]
# Refused rows, by kind: (share of the rows, expected reason). Every other row creates a score.
REFUSALS = {
    "out_of_range": (0.01, "score_out_of_range"),
    "name_mismatch": (0.005, "score_name_mismatch"),
    "unknown_account": (0.005, "score_unknown_student"),
    "school_item": (0.005, "score_item_school_imports"),
    "other_city": (0.005, "score_other_school"),
}


# -- the child: one import, measured ----------------------------------------------------------------------

def child(argv: list[str]) -> int:
    """`--child import PATH ACCOUNT_ID` or `--child undo JOB_ID ACCOUNT_ID`: print JSON."""
    mode, target, account_id = argv[0], argv[1], int(argv[2])
    sys.path.insert(0, str(common.BASE_DIR))
    import django

    django.setup()
    from django.db import connection

    from renrentong.accounts.access import actor_for
    from renrentong.accounts.models import Account
    from renrentong.core.spreadsheets import reader
    from renrentong.evaluation.scores import importer, services
    from renrentong.rosters import worker
    from renrentong.rosters import services as rosters

    watch = Stopwatch()
    setattr(reader, "read_table", watch.timed(reader.read_table, "read_table"))
    for name in ("parse_rows", "classify", "apply_chunk"):
        setattr(importer, name, watch.timed(getattr(importer, name), name))
    worker.IMPORTERS[importer.KIND] = importer  # the wrapped functions (the module is the importer)
    for name in ("_save_parsed", "_load_parsed", "_record_outcomes"):
        setattr(worker, name, watch.timed(getattr(worker, name), name))
    worker.bulk_insert = watch.timed(worker.bulk_insert, "job rows")
    account = Account.objects.get(pk=account_id)
    actor = actor_for(account, account.identities.get())  # with its scope: the score import checks it
    out: dict = {"mode": mode}
    with connection.execute_wrapper(watch):
        if mode == "undo":
            started = time.perf_counter()
            job = rosters.undo_import(actor, rosters.ImportJob.objects.get(pk=int(target)))
            out.update(seconds=time.perf_counter() - started, status=job.status, report=job.result["undo"])
        else:
            path = Path(target)
            cpu0, db0 = time.process_time(), _db_server_cpu()
            _reset_peak()
            t0 = time.perf_counter()
            with path.open("rb") as f:
                job = services.accept_upload(actor, iter(lambda: f.read(64 * 1024), b""), path.name)
            t1 = time.perf_counter()
            job = worker.run_preview(job.pk)
            t2 = time.perf_counter()
            preview_peak = _peak_bytes()
            _reset_peak()
            if job.status == "previewed":
                services.commit(actor, job.pk)
                job = worker.run_commit(job.pk)
            t3 = time.perf_counter()
            out.update(upload=t1 - t0, preview=t2 - t1, commit=t3 - t2, total=t3 - t0,
                       cpu=time.process_time() - cpu0, db_cpu=_db_server_cpu() - db0,
                       preview_peak=preview_peak, commit_peak=_peak_bytes(), reader_peak=_children_peak_bytes(),
                       job=job.pk, status=job.status, error=job.error_code, counts=job.counts,
                       applied=job.result.get("applied", {}))
    out.update(phases=dict(watch.seconds), calls=dict(watch.calls), queries=watch.queries,
               query_seconds=watch.query_seconds, slowest_queries=watch.by_query.most_common(6))
    print(json.dumps(out))
    return 0


def run_child(env: dict[str, str], *args: object) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", *map(str, args)]
    done = subprocess.run(command, cwd=common.BASE_DIR, env={**os.environ, **env}, stdout=subprocess.PIPE,
                          check=False, text=True)
    if done.returncode:
        raise SystemExit(f"scores: the child {args[0]} failed ({done.returncode})")
    return json.loads(next(line for line in reversed(done.stdout.splitlines()) if line.startswith("{")))


# -- the world: students in every class, the catalogue, a stranger in another city -----------------------

class Students:
    """The students inserted (person ids, accounts, names, numbers, school and class), in roster order."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self.stranger: dict = {}


def insert_students(gen: generate_roster.Generator, installed: generate_roster.Installed) -> Students:
    from django.db import transaction
    from django.utils import timezone

    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.orgs.models import Region, School, SchoolClass
    from renrentong.evaluation.services import install_standard_catalogue

    roster = gen.roster(STUDENTS, rates={})
    now = timezone.now()
    made = Students()
    with transaction.atomic():
        city = Region.objects.get(pk=installed.city_id)
        install_standard_catalogue(city, generate_roster.SCHOOL_YEAR)
        people = []
        for r in roster.rows:
            p = Person(name=r.name.replace(" ", ""), sex="M" if r.sex == "男" else "F")
            p.set_id_number(r.id_number)
            p.set_national_student_number(r.national_number)
            people.append(p)
        Person.objects.bulk_create(people, batch_size=2000)
        accounts = [Account(number=str(30_000_000 + n), person_id=p.pk,
                            home_school_id=installed.school_ids[r.school], created_at=now, status_changed_at=now)
                    for n, (r, p) in enumerate(zip(roster.rows, people, strict=True))]
        Account.objects.bulk_create(accounts, batch_size=2000)
        Identity.objects.bulk_create([Identity(account_id=a.pk, kind=Identity.Kind.STUDENT, school_id=a.home_school_id,
                                               created_at=now) for a in accounts], batch_size=2000)
        Enrollment.objects.bulk_create([
            Enrollment(person_id=p.pk, school_class_id=installed.class_ids[r.class_code],
                       school_id=installed.school_ids[r.school], started_on=date(2025, 9, 1))
            for r, p in zip(roster.rows, people, strict=True)], batch_size=2000)
        for r, p, a in zip(roster.rows, people, accounts, strict=True):
            made.rows.append({"person": p.pk, "account": a.number, "name": p.name, "id": r.id_number,
                              "national": r.national_number, "school": installed.school_ids[r.school],
                              "class": installed.class_ids[r.class_code]})
        # A student of another city: the city admin's file may not touch them.
        other = Region.objects.create(kind="city", name="株洲市", code="430200", parent=city.parent)
        district = Region.objects.create(kind="district", name="荷塘区", code="430202", parent=other)
        school = School.objects.create(district=district, name="株洲荷塘小学", code="Z0001",
                                       school_year=generate_roster.SCHOOL_YEAR)
        klass = SchoolClass.objects.filter(school_id=made.rows[0]["school"]).first()
        from renrentong.orgs.models import Campus, Cohort, Stage

        stage = Stage.objects.create(campus=Campus.objects.create(school=school, name="本部"), level="primary",
                                     system="6-3")
        there = SchoolClass.objects.create(school=school, cohort=Cohort.objects.create(
            stage=stage, enrollment_year=klass.cohort.enrollment_year), number=1, code="ZZ0001")
        stranger = Person(name="钱小七", sex="M")
        stranger.set_id_number(gen.id_number(date(2016, 3, 1), "男", "430202"))
        stranger.save()
        stranger_account = Account.objects.create(number="39999999", person=stranger, home_school=school)
        Enrollment.objects.create(person=stranger, school_class=there, school=school, started_on=date(2025, 9, 1))
        made.stranger = {"account": stranger_account.number, "name": stranger.name}
    return made


class Plan:
    """The file's rows (cells), each row's expected (outcome, reason), and the scores the import writes."""

    def __init__(self, students: Students, items: dict[str, tuple[int, str]]) -> None:
        rng = random.Random(SEED)
        self.cells: list[list[str]] = []
        self.expect: list[tuple[str, str]] = []
        self.scores: list[dict] = []  # the rows that go in, as AcademicScore fields
        thresholds, total = [], 0.0
        for kind, (rate, _) in REFUSALS.items():
            total += rate
            thresholds.append((total, kind))
        for s in students.rows:
            for code in ITEMS:
                item_id, label = items[code]
                roll = rng.random()
                kind = next((k for limit, k in thresholds if roll < limit), "")
                score = f"{rng.randint(40, 99)}.{rng.randint(0, 9)}"
                key = rng.random()
                account = s["account"] if key < 0.6 else ""
                national = s["national"] if 0.6 <= key < 0.85 else ""
                id_number = s["id"] if key >= 0.85 else ""
                name, item_text = s["name"], label if rng.random() < 0.8 else code
                if kind == "out_of_range":
                    score = "120"
                elif kind == "name_mismatch":
                    name = "某" + name
                elif kind == "unknown_account":
                    account, national, id_number = "38" + s["account"][2:], "", ""
                elif kind == "school_item":
                    item_text = "体育平时成绩"
                elif kind == "other_city":
                    account, national, id_number = students.stranger["account"], "", ""
                    name = students.stranger["name"]
                self.cells.append([name, account, national, id_number, item_text, score])
                if kind:
                    self.expect.append(("error", REFUSALS[kind][1]))
                else:
                    self.expect.append(("create", ""))
                    self.scores.append({"school_id": s["school"], "class_id": s["class"], "school_year":
                                        generate_roster.SCHOOL_YEAR, "student_id": s["person"], "item_id": item_id,
                                        "score": score})

    def counts(self) -> dict[str, int]:
        return dict(Counter(o for o, _ in self.expect))

    def write_xlsx(self, path: Path) -> Path:
        import xlsxwriter

        book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
        sheet = book.add_worksheet("成绩")
        text = book.add_format({"num_format": "@"})
        for col, header in enumerate(HEADERS):
            sheet.write_string(0, col, header)
        sheet.set_column(1, 3, 20, text)
        for n, cells in enumerate(self.cells, 1):
            for col, value in enumerate(cells):
                if col == 5:
                    sheet.write_number(n, col, float(value))  # a score is a number in the sheet, as typed
                elif value:
                    sheet.write_string(n, col, value)
        book.close()
        return path


def raw_insert(plan: Plan) -> float:
    """The same score rows inserted raw (COPY on PostgreSQL, its foreign keys checked), then rolled back."""
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from renrentong.core.bulk import bulk_insert
    from renrentong.evaluation.models import AcademicScore

    now = timezone.now()
    rows = [{**s, "score": Decimal(s["score"]), "import_job_id": 0, "created_at": now, "updated_at": now}
            for s in plan.scores]
    with transaction.atomic():
        started = time.perf_counter()
        bulk_insert(AcademicScore, rows, ids=False)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        took = time.perf_counter() - started
        transaction.set_rollback(True)
    return took


def check(result: dict, plan: Plan) -> list[str]:
    from decimal import Decimal

    from renrentong.evaluation.models import AcademicScore
    from renrentong.rosters.models import ImportRow

    problems = []
    if result["status"] != "committed":
        problems.append(f"the job ended {result['status']} {result.get('error', '')}")
    if result["counts"] != plan.counts():
        problems.append(f"outcomes {result['counts']}, expected {plan.counts()}")
    got = {n: (o, r) for n, o, r in ImportRow.objects.filter(job_id=result["job"]).values_list(
        "number", "outcome", "reason")}
    wrong = [f"row {n}: {got.get(n)}, expected {e}" for n, e in enumerate(plan.expect, 2) if got.get(n) != e]
    if wrong:
        problems.append(f"{len(wrong)} rows with an unexpected outcome, e.g. " + "; ".join(wrong[:5]))
    stored = {(s, i): v for s, i, v in AcademicScore.objects.filter(import_job_id=result["job"]).values_list(
        "student_id", "item_id", "score")}
    wanted = {(s["student_id"], s["item_id"]): Decimal(s["score"]) for s in plan.scores}
    if stored != wanted:
        problems.append(f"{len(stored)} scores stored, {len(wanted)} expected; "
                        f"{sum(1 for k, v in wanted.items() if stored.get(k) != v)} differ")
    return problems


# -- the benchmark ----------------------------------------------------------------------------------------

def main() -> int:
    common.say(f"scores: {common.machine_note()}; load average {os.getloadavg()[0]:.2f}; {common.backend_label()}")
    problems: list[str] = []
    with common.bench_environment("scores") as env:
        common.django_setup(env)
        from django.db import connection

        from renrentong.evaluation.models import EvidenceItem

        tmp = Path(env["RRT_VAR_DIR"])
        started = time.perf_counter()
        gen = generate_roster.Generator(SEED)
        world = gen.world
        installed = generate_roster.setup_database(world)
        students = insert_students(gen, installed)
        items = {i.code: (i.pk, i.label) for i in EvidenceItem.objects.filter(region_id=installed.city_id,
                                                                                school_year=generate_roster.SCHOOL_YEAR)}
        plan = Plan(students, items)
        path = plan.write_xlsx(tmp / f"scores-{ROWS}.xlsx")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        common.say(f"scores: {len(students.rows)} students in {len(world.schools)} schools, {len(plan.cells)} rows "
                   f"({mb(path.stat().st_size)} xlsx), expected {plan.counts()}; set up in "
                   f"{common.secs(time.perf_counter() - started)}")
        raw = raw_insert(plan)
        method = "COPY" if connection.vendor == "postgresql" else "bulk_create"
        common.say(f"scores: raw insert ({method}) of {len(plan.scores)} scores: {common.secs(raw)} (rolled back)")
        common.close_db()

        common.say(f"scores: importing {path.name} as the city admin ...; load average {os.getloadavg()[0]:.2f}")
        big = run_child(env, "import", path, installed.admin_account_id)
        common.say(f"scores: upload {common.secs(big['upload'])}, preview {common.secs(big['preview'])}, "
                   f"commit {common.secs(big['commit'])}; total {common.secs(big['total'])}; load average after "
                   f"{os.getloadavg()[0]:.2f}")
        common.say(f"scores: this process {common.secs(big['cpu'])} CPU, database server "
                   f"{common.secs(big['db_cpu'])} CPU; {big['queries']} queries, {common.secs(big['query_seconds'])}")
        common.say("scores: in " + ", ".join(f"{k} {common.secs(v)} ({big['calls'][k]}×)"
                                             for k, v in big["phases"].items()))
        for sql, seconds in big["slowest_queries"]:
            common.say(f"scores:   {common.secs(seconds)} in {sql}")
        common.say(f"scores: peak memory: preview {mb(big['preview_peak'])}, commit {mb(big['commit_peak'])}, "
                   f"workbook reader (child) {mb(big['reader_peak'])}; applied {big['applied']}")
        problems += check(big, plan)
        common.close_db()
        undone = run_child(env, "undo", big["job"], installed.admin_account_id)
        common.say(f"scores: undo of the import: {common.secs(undone['seconds'])}, {undone['report']}")
        if undone["status"] != "undone" or undone["report"]["scores_removed"] != len(plan.scores):
            problems.append(f"undo: {undone['status']} {undone['report']}")
        common.close_db()

    for problem in problems:
        common.say(f"scores: ERROR: {problem}")
    peak = max(big["preview_peak"], big["commit_peak"])
    common.emit(common.summary(f"import {ROWS} scores", f"{common.secs(big['total'])} peak {mb(peak)}",
                               "raw bulk insert", common.secs(raw), big["total"] / raw))
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        sys.exit(child(sys.argv[2:]))
    sys.exit(main())
