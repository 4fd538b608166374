"""A district for the evaluation benchmark (issue 14, Performance): 100,000 students in 40 schools, one of
them with 3,000, their parents and teachers, the city's evaluation catalogue and 500,000 written records in
every state, 100,000 of them in the 3,000-student school.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_eva .venv/bin/python bench/generate_evaluation.py
    .venv/bin/python bench/generate_evaluation.py --scale 0.02      # SQLite in a temporary directory

It migrates the database DATABASE_URL names (it must exist; it is not a throwaway one) and fills it, unless a
marker table says it already holds this data (--fresh rebuilds it). bench/bench_evaluation.py calls
`ensure_data` itself, so this command is only needed to build the data ahead of a run.

The data, set-based (bench/generate_roster.py's schools and classes, then core.bulk.bulk_insert: COPY on
PostgreSQL, bulk_create elsewhere, in batches):
- bench/generate_roster.py's city: a province, a city, 4 districts, 40 schools with their campuses, stages,
  cohorts and 2,552 classes (52 graduated, left empty); school 0 (a primary school) gets 3,000 students, the
  other 97,000 are spread over the other schools' classes;
- each student a person, an account, a student identity and an open enrollment; one parent each (person,
  account with a phone, guardian identity, guardianship); a head teacher per class (account, teacher identity,
  HeadTeacher row); a school admin per school;
- the standard catalogue (renrentong/evaluation/standard.py) for the city and school year 2026;
- records in time order, the schools interleaved (so one school's rows are spread over the whole id range, as
  they would be after a year of use): 15% draft (half classified), 35% pending, 40% approved, 10% failed (with
  a reason); every submitted record has an uploaded item; decided ones name the school admin and a time;
  70% written by the student, 30% by the parent.
--scale multiplies every count (students, the big school, records, its records).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone as dt_timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

DATA_VERSION = 1  # bump when the generated data changes shape
STUDENTS = 100_000
SCHOOL_STUDENTS = 3_000
RECORDS = 500_000
SCHOOL_RECORDS = 100_000
SCHOOL_YEAR = 2026
BATCH = 50_000
STATES = (("draft", 0.15), ("pending", 0.35), ("approved", 0.40), ("failed", 0.10))
KINDS = ("growth", "works", "honours", "reading", "public_welfare", "volunteer", "research")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱"
REASONS = ("材料不完整，请补充照片", "时间与活动不符", "请写明活动地点和时长")
MARKER_TABLE = "bench_evaluation_marker"


@dataclass(frozen=True)
class Shape:
    students: int = STUDENTS
    school_students: int = SCHOOL_STUDENTS
    records: int = RECORDS
    school_records: int = SCHOOL_RECORDS

    @classmethod
    def scaled(cls, scale: float) -> "Shape":
        return cls(max(100, int(STUDENTS * scale)), max(30, int(SCHOOL_STUDENTS * scale)),
                   max(500, int(RECORDS * scale)), max(100, int(SCHOOL_RECORDS * scale)))

    @property
    def label(self) -> str:
        return (f"v{DATA_VERSION} students={self.students} school={self.school_students} records={self.records} "
                f"school_records={self.school_records}")


@dataclass
class Generated:
    """What the benchmark needs to find again: the big school and its admin."""

    school_id: int
    admin_number: str


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def generate(shape: Shape, seed: int = 2026) -> Generated:
    """Fill an empty, migrated database; returns the big school and its admin's account number."""
    from django.db import transaction

    from renrentong.accounts.models import Account, Enrollment, Guardianship, HeadTeacher, Identity, Person
    from renrentong.core.bulk import bulk_insert
    from renrentong.evaluation.models import EvidenceItem, WrittenRecord
    from renrentong.evaluation.services import install_standard_catalogue
    from renrentong.orgs.models import Region, SchoolClass

    import generate_roster

    rng = random.Random(seed)
    now = datetime(2026, 12, 1, 8, 0, tzinfo=dt_timezone.utc)
    started = time.perf_counter()

    def step(what: str) -> None:
        say(f"  {what} ({time.perf_counter() - started:.0f} s)")

    world = generate_roster.Generator(seed).world
    installed = generate_roster.setup_database(world)
    school_ids = list(installed.school_ids.values())
    big_school = installed.school_ids[world.schools[0].code]
    classes = list(SchoolClass.objects.filter(kind=SchoolClass.Kind.ADMINISTRATIVE)
                   .values_list("pk", "school_id").order_by("pk"))
    big_classes = [c for c in classes if c[1] == big_school]
    other_classes = [c for c in classes if c[1] != big_school]
    step(f"{len(school_ids)} schools, {len(classes)} classes")

    # Students: the big school's first, then the others round the other schools' classes.
    placed = [big_classes[i % len(big_classes)] for i in range(shape.school_students)]
    placed += [other_classes[i % len(other_classes)] for i in range(shape.students - shape.school_students)]
    password = "!"  # unusable: the benchmark uses API tokens
    with transaction.atomic():
        student_people = bulk_insert(Person, [{"name": _name(rng), "sex": rng.choice("MF")} for _ in placed])
        student_accounts = bulk_insert(Account, [
            {"number": f"S{n:09d}", "person_id": p, "password": password, "home_school_id": school,
             "created_at": now, "status_changed_at": now}
            for n, (p, (_, school)) in enumerate(zip(student_people, placed, strict=True))])
        bulk_insert(Identity, [{"account_id": a, "kind": Identity.Kind.STUDENT, "school_id": school, "created_at": now}
                               for a, (_, school) in zip(student_accounts, placed, strict=True)], ids=False)
        bulk_insert(Enrollment, [{"person_id": p, "school_class_id": klass, "school_id": school,
                                  "started_on": date(2026, 9, 1)}
                                 for p, (klass, school) in zip(student_people, placed, strict=True)], ids=False)
        step(f"{len(placed)} students")
        parent_people = bulk_insert(Person, [{"name": _name(rng), "sex": rng.choice("MF")} for _ in placed])
        parent_accounts = bulk_insert(Account, [
            {"number": f"P{n:09d}", "person_id": p, "phone": f"13{n:09d}", "password": password,
             "home_school_id": school, "created_at": now, "status_changed_at": now}
            for n, (p, (_, school)) in enumerate(zip(parent_people, placed, strict=True))])
        bulk_insert(Identity, [{"account_id": a, "kind": Identity.Kind.GUARDIAN, "created_at": now}
                               for a in parent_accounts], ids=False)
        bulk_insert(Guardianship, [{"guardian_id": g, "student_id": s, "school_id": school,
                                    "relation": rng.choice(("father", "mother"))}
                                   for g, s, (_, school) in zip(parent_people, student_people, placed, strict=True)],
                    ids=False)
        step(f"{len(placed)} parents")
        teacher_people = bulk_insert(Person, [{"name": _name(rng), "sex": rng.choice("MF")} for _ in classes])
        teacher_accounts = bulk_insert(Account, [
            {"number": f"T{n:09d}", "person_id": p, "phone": f"15{n:09d}", "password": password,
             "home_school_id": school, "created_at": now, "status_changed_at": now}
            for n, (p, (_, school)) in enumerate(zip(teacher_people, classes, strict=True))])
        teacher_identities = bulk_insert(Identity, [
            {"account_id": a, "kind": Identity.Kind.TEACHER, "school_id": school, "created_at": now}
            for a, (_, school) in zip(teacher_accounts, classes, strict=True)])
        bulk_insert(HeadTeacher, [{"school_class_id": klass, "school_id": school, "teacher_id": t}
                                  for t, (klass, school) in zip(teacher_identities, classes, strict=True)], ids=False)
        admin_people = bulk_insert(Person, [{"name": _name(rng), "sex": "F"} for _ in school_ids])
        admin_accounts = bulk_insert(Account, [
            {"number": f"A{n:09d}", "person_id": p, "password": password, "home_school_id": school,
             "created_at": now, "status_changed_at": now}
            for n, (p, school) in enumerate(zip(admin_people, school_ids, strict=True))])
        bulk_insert(Identity, [{"account_id": a, "kind": Identity.Kind.SCHOOL_ADMIN, "school_id": school,
                                "created_at": now} for a, school in zip(admin_accounts, school_ids, strict=True)],
                    ids=False)
        step(f"{len(classes)} head teachers, {len(school_ids)} school admins")

        city = Region.objects.get(pk=installed.city_id)
        install_standard_catalogue(city, SCHOOL_YEAR)
        items = list(EvidenceItem.objects.filter(region_id=city.pk, school_year=SCHOOL_YEAR,
                                                 kind=EvidenceItem.Kind.UPLOADED).values_list("pk", flat=True))
        admin_of = dict(zip(school_ids, admin_accounts, strict=True))

        # Which student each record belongs to: the big school's share on its students, the rest on the
        # others, shuffled together so that the ids of one school run through the whole table.
        big = range(shape.school_students)
        rest = range(shape.school_students, len(placed))
        owners = ([rng.choice(big) for _ in range(shape.school_records)]
                  + [rng.choice(rest) for _ in range(shape.records - shape.school_records)])
        rng.shuffle(owners)
        states = [s for s, _ in STATES]
        weights = [w for _, w in STATES]
        first_day = date(2026, 9, 1)
        for start in range(0, len(owners), BATCH):
            rows = []
            for n, owner in enumerate(owners[start:start + BATCH], start):
                klass, school = placed[owner]
                state = rng.choices(states, weights)[0]
                by_parent = rng.random() < 0.3
                happened = first_day + timedelta(days=n * 90 // len(owners))
                created = datetime.combine(happened, datetime.min.time(), dt_timezone.utc) + timedelta(hours=20)
                submitted = state != "draft"
                decided = state in ("approved", "failed")
                rows.append({
                    "school_id": school, "class_id": klass, "school_year": SCHOOL_YEAR,
                    "student_id": student_people[owner],
                    "author_id": parent_accounts[owner] if by_parent else student_accounts[owner],
                    "author_kind": "guardian" if by_parent else "student",
                    "kind": rng.choice(KINDS), "title": f"记录{n}", "text": f"第{n}条写实记录：参加了学校组织的活动。",
                    "happened_on": happened,
                    "item_id": rng.choice(items) if submitted or rng.random() < 0.5 else None,
                    "state": state, "version": 1 + submitted + decided,
                    "submitted_at": created + timedelta(hours=1) if submitted else None,
                    "decided_by_id": admin_of[school] if decided else None,
                    "decided_at": created + timedelta(days=2) if decided else None,
                    "reason": rng.choice(REASONS) if state == "failed" else "",
                    "created_at": created, "updated_at": created + timedelta(days=2 if decided else 1)})
            bulk_insert(WrittenRecord, rows, ids=False)
            step(f"{min(start + BATCH, len(owners))} records")
    return Generated(big_school, f"A{school_ids.index(big_school):09d}")


# -- kept between runs ----------------------------------------------------------------------------------

def read_marker() -> tuple[str, Generated] | None:
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as c:
        c.execute(f"SELECT label, school_id, admin_number FROM {MARKER_TABLE}")
        row = c.fetchone()
    return (row[0], Generated(row[1], row[2])) if row else None


def _reset_database() -> None:
    """Every table dropped and migrated again (PostgreSQL: the public schema; SQLite: each table)."""
    from django.core.management import call_command
    from django.db import connection

    with connection.cursor() as c:
        if connection.vendor == "postgresql":
            c.execute("DROP SCHEMA public CASCADE")
            c.execute("CREATE SCHEMA public")
        else:
            c.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names():
                c.execute(f'DROP TABLE "{table}"')
            c.execute("PRAGMA foreign_keys = ON")
    call_command("migrate", verbosity=0, interactive=False)


def ensure_data(shape: Shape, fresh: bool = False) -> Generated:
    """The data of this shape in the current (migrated) database: reused when the marker says so, else
    (re)generated, then analysed."""
    from django.db import connection

    found = read_marker()
    if found and found[0] == shape.label and not fresh:
        say(f"generate_evaluation: reusing the data ({found[0]})")
        return found[1]
    from renrentong.orgs.models import Region

    if found or fresh or Region.objects.exists():
        say("generate_evaluation: the database holds other data; rebuilding it")
        _reset_database()
    say(f"generate_evaluation: generating {shape.label} ...")
    started = time.perf_counter()
    made = generate(shape)
    took = time.perf_counter() - started
    with connection.cursor() as c:
        c.execute(f"CREATE TABLE {MARKER_TABLE} (label TEXT, school_id BIGINT, admin_number TEXT)")
        c.execute(f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s)", [shape.label, made.school_id, made.admin_number])
    analysed = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    say(f"generate_evaluation: generated in {took:.0f} s, analysed in {time.perf_counter() - analysed:.0f} s")
    return made


def counts() -> dict[str, int]:
    from django.db.models import Count

    from renrentong.accounts.models import Account, Guardianship, Person
    from renrentong.evaluation.models import WrittenRecord

    found = {"people": Person.objects.count(), "accounts": Account.objects.count(),
             "guardianships": Guardianship.objects.count(), "records": WrittenRecord.objects.count()}
    for row in WrittenRecord.objects.values("state").annotate(n=Count("pk")):
        found[row["state"]] = row["n"]
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every count (e.g. 0.02 for a smoke test)")
    parser.add_argument("--fresh", action="store_true", help="rebuild even when the database holds this data")
    args = parser.parse_args(argv)
    scratch = "" if os.environ.get("DATABASE_URL") or os.environ.get("RRT_VAR_DIR") else \
        tempfile.mkdtemp(prefix="rrt-generate-evaluation-")  # SQLite: a smoke test, removed afterwards
    env = {"DJANGO_SETTINGS_MODULE": "renrentong.settings", "LOG_LEVEL": "WARNING",
           "RRT_VAR_DIR": os.environ.get("RRT_VAR_DIR") or scratch}
    os.environ.update(env)
    sys.path.insert(0, str(common.BASE_DIR))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"generate_evaluation: {common.backend_label().split(',')[0]}"
        + ("" if os.environ.get("DATABASE_URL") else f" in {env['RRT_VAR_DIR']}"))
    made = ensure_data(Shape.scaled(args.scale) if args.scale != 1 else Shape(), args.fresh)
    say(f"generate_evaluation: big school {made.school_id}, its admin {made.admin_number}; {counts()}")
    if scratch:
        common.close_db()
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
