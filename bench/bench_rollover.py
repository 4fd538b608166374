"""Yearly rollover: a district of 100,000 students in 40 schools, rolled over by its district admin.

Prints one summary line:

  rollover 100000 students: <s> | raw update: <s> | ratio <rollover / raw>
      services.run as the district admin, every school in its own transaction (preview not included),
      wall time. Baseline, in the same run and database: the same changes as plain set-based UPDATEs
      (the schools' year, the final-year classes' kind, their students' enrollments and accounts), in
      a transaction that is rolled back, so the rollover starts from the same state.

The district (seeded, inserted set-based): 40 schools, 20 primary (6 grades of 10 classes), 10 junior
and 10 senior (3 grades of 20 classes), 2,400 classes of 40-44 students, each with a person, an account,
a student identity and an open enrollment. Checked afterwards: every school is a year on, the final-year
classes are graduated, their students' enrollments ended and accounts graduated, nothing else moved;
running it again changes nothing (timed, on stderr); undoing all of it (timed, on stderr) puts it back.

Environment: as bench/common.py (DATABASE_URL, REDIS_URL), plus
  RRT_BENCH_ROLLOVER_STUDENTS   students in the district (default 100000)
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common

STUDENTS = int(os.environ.get("RRT_BENCH_ROLLOVER_STUDENTS", "100000"))
SCHOOL_YEAR = 2026
TODAY = date(2027, 7, 15)  # inside the default window (1 July to 31 March) that opens 2027
SEED = 2027
# (schools, level, grades, classes per grade)
KINDS = [(20, "primary", 6, 10), (10, "junior", 3, 20), (10, "senior", 3, 20)]


def build() -> dict:
    """The district, set-based; returns what the checks need."""
    from django.db import transaction
    from django.utils import timezone

    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.core.bulk import bulk_insert
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage

    rng = random.Random(SEED)
    now = timezone.now()
    classes = []  # (school index, level, grade, number)
    schools = []
    for count, level, grades, per_grade in KINDS:
        for _ in range(count):
            index = len(schools)
            schools.append((index, level))
            classes += [(index, level, grade, n) for grade in range(grades) for n in range(1, per_grade + 1)]
    per_class = [STUDENTS // len(classes)] * len(classes)
    for i in rng.sample(range(len(classes)), STUDENTS - sum(per_class)):
        per_class[i] += 1
    with transaction.atomic():
        province = Region.objects.create(kind="province", name="浙江省", code="330000")
        city = Region.objects.create(kind="city", name="绍兴市", code="330600", parent=province)
        district = Region.objects.create(kind="district", name="柯桥区", code="330603", parent=city)
        school_ids = bulk_insert(School, [
            {"district_id": district.pk, "name": f"柯桥区第{i + 1}学校", "code": f"KQ{i:04d}",
             "school_year": SCHOOL_YEAR, "registered": True, "levels": [level]} for i, level in schools])
        campus_ids = bulk_insert(Campus, [{"school_id": pk, "name": "本部"} for pk in school_ids])
        stage_ids = bulk_insert(Stage, [{"campus_id": campus_ids[i], "level": level, "system": "6-3"}
                                        for i, level in schools])
        cohort_keys = sorted({(s, grade) for s, _, grade, _ in classes})
        cohort_ids = dict(zip(cohort_keys, bulk_insert(Cohort, [
            {"stage_id": stage_ids[s], "enrollment_year": SCHOOL_YEAR - grade} for s, grade in cohort_keys]),
            strict=True))
        class_ids = bulk_insert(SchoolClass, [
            {"school_id": school_ids[s], "cohort_id": cohort_ids[(s, grade)], "number": n,
             "code": f"K{s:03d}{grade}{n:02d}", "kind": "administrative"} for s, _, grade, n in classes])
        members = [(k, c) for k, c in enumerate(classes) for _ in range(per_class[k])]
        people = bulk_insert(Person, [{"name": f"学生{i}", "sex": "MF"[i % 2]} for i in range(len(members))])
        accounts = bulk_insert(Account, [
            {"number": str(300_000_000 + i), "person_id": p, "password": "!", "home_school_id": school_ids[c[0]],
             "created_at": now, "status_changed_at": now} for i, (p, (_, c)) in enumerate(zip(people, members))])
        bulk_insert(Identity, [{"account_id": a, "kind": "student", "school_id": school_ids[c[0]], "created_at": now}
                               for a, (_, c) in zip(accounts, members, strict=True)], ids=False)
        bulk_insert(Enrollment, [
            {"person_id": p, "school_class_id": class_ids[k], "school_id": school_ids[c[0]],
             "started_on": date(SCHOOL_YEAR - c[2], 9, 1), "reason": "import"}
            for p, (k, c) in zip(people, members, strict=True)], ids=False)
        admin_person = Person.objects.create(name="区教育局管理员", sex="F")
        admin = Account.objects.create(number="299999999", person=admin_person, password="!")
        identity = Identity.objects.create(account=admin, kind=Identity.Kind.REGION_ADMIN, region=district)
    last = {level: grades - 1 for _, level, grades, _ in KINDS}
    final = {k for k, (_, level, grade, _) in enumerate(classes) if grade == last[level]}
    return {"district": district.pk, "admin": admin.pk, "identity": identity.pk, "schools": len(schools),
            "classes": len(classes), "final_classes": len(final),
            "graduates": sum(per_class[k] for k in final), "students": len(members)}


def raw_update(district_id: int) -> float:
    """The rollover's changes as plain UPDATEs (the same rows), timed, then rolled back."""
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from renrentong.accounts.models import Account, Enrollment
    from renrentong.orgs.models import School, SchoolClass

    with transaction.atomic():
        started = time.perf_counter()
        final = SchoolClass.objects.none()
        for level, years in (("primary", 6), ("junior", 3), ("senior", 3)):
            final = final | SchoolClass.objects.filter(
                school__district_id=district_id, kind="administrative", cohort__stage__level=level,
                cohort__enrollment_year__lte=SCHOOL_YEAR - years + 1)
        final_ids = list(final.values_list("pk", flat=True))
        graduates = Enrollment.objects.filter(school_class_id__in=final_ids, ended_on=None)
        Account.objects.filter(person_id__in=graduates.values("person_id"), status="active").update(
            status="graduated", status_changed_at=timezone.now())
        graduates.update(ended_on=TODAY, reason="graduated")
        SchoolClass.objects.filter(pk__in=final_ids).update(kind="graduated")
        School.objects.filter(district_id=district_id).update(school_year=F("school_year") + 1)
        took = time.perf_counter() - started
        transaction.set_rollback(True)
    return took


def check(built: dict) -> list[str]:
    from renrentong.accounts.models import Account, Enrollment
    from renrentong.orgs.models import School, SchoolClass
    from renrentong.rollover.models import RolloverRun

    problems = []
    years = set(School.objects.filter(district_id=built["district"]).values_list("school_year", flat=True))
    if years != {SCHOOL_YEAR + 1}:
        problems.append(f"school years after the rollover: {years}")
    graduated = SchoolClass.objects.filter(kind="graduated").count()
    if graduated != built["final_classes"]:
        problems.append(f"{graduated} graduated classes, expected {built['final_classes']}")
    ended = Enrollment.objects.filter(ended_on=TODAY, reason="graduated").count()
    if ended != built["graduates"]:
        problems.append(f"{ended} enrollments ended, expected {built['graduates']}")
    open_ = Enrollment.objects.filter(ended_on=None).count()
    if open_ != built["students"] - built["graduates"]:
        problems.append(f"{open_} open enrollments, expected {built['students'] - built['graduates']}")
    statuses = Account.objects.filter(status="graduated").count()
    if statuses != built["graduates"]:
        problems.append(f"{statuses} graduated accounts, expected {built['graduates']}")
    if RolloverRun.objects.filter(status="done").count() != built["schools"]:
        problems.append("not one run per school")
    return problems


def main() -> int:
    common.say(f"rollover: {common.machine_note()}; {common.backend_label()}")
    with common.bench_environment("rollover") as env:
        common.django_setup(env)
        from django.db import connection

        from renrentong.accounts.models import Account, Enrollment, Identity
        from renrentong.core.actor import Actor
        from renrentong.rollover import services
        from renrentong.rollover.models import RolloverRun

        started = time.perf_counter()
        built = build()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        common.say(f"rollover: {built['students']} students in {built['classes']} classes of {built['schools']} "
                   f"schools ({built['graduates']} in {built['final_classes']} final-year classes) built in "
                   f"{common.secs(time.perf_counter() - started)}")
        raw = raw_update(built["district"])
        common.say(f"rollover: raw UPDATEs of the same rows: {common.secs(raw)} (rolled back)")
        actor = Actor(Account.objects.get(pk=built["admin"]), Identity.objects.get(pk=built["identity"]))

        started = time.perf_counter()
        plans = services.preview(actor, today=TODAY)
        common.say(f"rollover: preview of {len(plans)} schools: {common.secs(time.perf_counter() - started)}")
        started = time.perf_counter()
        runs = services.run(actor, today=TODAY)
        took = time.perf_counter() - started
        common.say(f"rollover: {len(runs)} schools rolled over in {common.secs(took)}")
        problems = check(built)
        started = time.perf_counter()
        again = services.run(actor, today=TODAY)
        common.say(f"rollover: run again: {len(again)} schools changed, {common.secs(time.perf_counter() - started)}")
        if again:
            problems.append(f"running it again rolled {len(again)} schools")
        started = time.perf_counter()
        for run in RolloverRun.objects.filter(status="done"):
            services.undo(actor, run.pk, today=TODAY)
        common.say(f"rollover: undo of every school: {common.secs(time.perf_counter() - started)}")
        if Enrollment.objects.filter(ended_on=None).count() != built["students"]:
            problems.append("undo left students without their enrollment")
        common.close_db()
    for problem in problems:
        common.say(f"rollover: ERROR: {problem}")
    common.emit(common.summary(f"rollover {STUDENTS} students", common.secs(took), "raw update", common.secs(raw),
                               took / raw))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
