"""A school admin's student table: GET /api/v1/school/users for a school of 3,000 students, paging and
searching, against a running server (gunicorn, as bench/bench_login.py).

Prints two summary lines:

  student table paging: p99 <ms> | raw SQL of the page: p99 <ms> | ratio <x.xx>
      pages 1..150 (20 rows each) of the students of one school, in a random order, one client.
  student table search: p99 <ms> | raw SQL of the search: p99 <ms> | ratio <x.xx>
      a search each time: a surname (matches hundreds), a given name, an account number, a student
      number, a start of an account number; one client.

The goal is a p99 of at most 100 ms (issue 5). The baseline, measured in the same run on the same
database: the SQL the page needs, hand-written and run through the same database connection with
nothing else: the count, the page of rows (account, person) and the classes of those rows. The ratio
is what Django, Ninja, the token check, the scope check and HTTP cost on top of the queries.

Setup: three schools of 3,000 students each (so the filter by school matters), six grades of ten
classes, each student with a person, an account, a student identity, an open enrollment and a local
student number; one school admin with an API token. ID numbers are stored in their masked form only
(encrypting 9,000 of them would add a minute of setup and nothing to the read being measured).

Environment: as bench/common.py (DATABASE_URL, REDIS_URL, RRT_BENCH_SECONDS).
"""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import common  # noqa: E402

STUDENTS_PER_SCHOOL = 3000
SCHOOLS = 3
PAGE_SIZE = 20
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环雪荣爱妹香月"
    "莺媛瑞凡佳嘉琼勤珍贞莉娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁"
    "梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影"
    "荔枝"
)


def build(rng: random.Random) -> dict:
    """The schools, classes and students; returns what the requests need."""
    from django.db import transaction

    from renrentong.accounts.models import Account, Enrollment, Identity, Person
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage

    with transaction.atomic():
        province = Region.objects.create(kind="province", name="湖南省", code="430000")
        city = Region.objects.create(kind="city", name="长沙市", code="430100", parent=province)
        district = Region.objects.create(kind="district", name="芙蓉区", code="430102", parent=city)
        schools = []
        number = 400_000_000
        for s in range(SCHOOLS):
            school = School.objects.create(district=district, name=f"芙蓉第{s + 1}小学", code=f"B{s:05d}",
                                           school_year=2026)
            schools.append(school)
            stage = Stage.objects.create(campus=Campus.objects.create(school=school, name="本部"), level="primary")
            classes = []
            for year in range(2021, 2027):
                cohort = Cohort.objects.create(stage=stage, enrollment_year=year)
                classes += [SchoolClass.objects.create(school=school, cohort=cohort, number=n,
                                                       code=f"B{s}{year % 100}{n:02d}") for n in range(1, 11)]
            people = Person.objects.bulk_create(
                Person(name=rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))),
                       sex=rng.choice("MF"), id_number_masked=f"430***********{i:04d}"[-18:],
                       local_student_number=f"L{s}{i:07d}")
                for i in range(STUDENTS_PER_SCHOOL))
            accounts = Account.objects.bulk_create(
                Account(number=str(number + s * STUDENTS_PER_SCHOOL + i), person=p, home_school=school,
                        password="!")
                for i, p in enumerate(people))
            Identity.objects.bulk_create(Identity(account=a, kind="student", school=school) for a in accounts)
            Enrollment.objects.bulk_create(Enrollment(person=p, school_class=classes[i % len(classes)], school=school)
                                           for i, p in enumerate(people))
        target = schools[0]
        admin = Account.objects.create(number="399999999", person=Person.objects.create(name="赵校管"),
                                       home_school=target, password="!")
        identity = Identity.objects.create(account=admin, kind="school_admin", school=target)
        token = issue_token(LoginOutcome(admin, identity, must_change_password=False))
    names = list(Person.objects.filter(account__home_school=target).values_list("name", flat=True))
    numbers = list(Account.objects.filter(home_school=target).exclude(pk=admin.pk).values_list("number", flat=True))
    return {"school_id": target.pk, "token": token, "names": names, "numbers": numbers}


def searches(data: dict, rng: random.Random, count: int) -> list[str]:
    found = []
    for i in range(count):
        kind = i % 5
        if kind == 0:
            found.append(rng.choice(SURNAMES))  # a surname: hundreds of matches, paged
        elif kind == 1:
            found.append(rng.choice(data["names"]))  # a whole name
        elif kind == 2:
            found.append(rng.choice(data["numbers"]))  # an account number
        elif kind == 3:
            found.append(f"L0{rng.randrange(STUDENTS_PER_SCHOOL):07d}")  # a local student number
        else:
            found.append(rng.choice(data["numbers"])[:6])  # the start of an account number
    return found


# The baseline: the page's SQL by hand --------------------------------------------------------------------------

STATES = ("active", "pending", "frozen", "left", "graduated")


def raw_page(school_id: int, page: int, query: str = "") -> int:
    from django.db import connection

    from renrentong.core.crypto import national_student_number_digest

    where = ("a.home_school_id = %s AND i.kind = 'student' AND i.school_id = %s AND a.status IN (%s, %s, %s, %s, %s)")
    params: list = [school_id, school_id, *STATES]
    if query:
        where += (" AND (p.name LIKE %s OR a.number LIKE %s OR p.local_student_number = %s"
                  " OR p.national_student_number_digest = %s)")
        params += [f"%{query}%", f"{query}%", query, national_student_number_digest(query.upper())]
    base = ("FROM accounts_account a JOIN accounts_identity i ON i.account_id = a.id "
            "LEFT JOIN accounts_person p ON p.id = a.person_id WHERE " + where)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) " + base, params)
        total = cursor.fetchone()[0]
        cursor.execute("SELECT a.id, a.number, a.phone, a.status, a.status_changed_at, a.person_id, p.name, p.sex, "
                       "p.id_number_masked, p.local_student_number, p.national_student_number_masked "
                       + base + " ORDER BY p.name, a.id LIMIT %s OFFSET %s",
                       params + [PAGE_SIZE, (page - 1) * PAGE_SIZE])
        rows = cursor.fetchall()
        person_ids = [r[5] for r in rows]
        if person_ids:
            marks = ", ".join(["%s"] * len(person_ids))
            cursor.execute(
                "SELECT e.person_id, c.id, c.number, c.code, co.enrollment_year, st.level, st.system "
                "FROM accounts_enrollment e JOIN orgs_schoolclass c ON c.id = e.school_class_id "
                "JOIN orgs_cohort co ON co.id = c.cohort_id JOIN orgs_stage st ON st.id = co.stage_id "
                f"WHERE e.ended_on IS NULL AND e.person_id IN ({marks})", person_ids)
            cursor.fetchall()
    return total


# The requests ------------------------------------------------------------------------------------------------


def measure(getter: common.Client, requests: list[tuple[int, str]], expected: dict[tuple[int, str], int]) -> list[float]:
    latencies = []
    for page, query in requests:
        params = {"kind": "student", "page": page, "page_size": PAGE_SIZE}
        if query:
            params["q"] = query
        started = time.perf_counter()
        status, body = getter.get("/api/v1/school/users?" + urlencode(params))
        latencies.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"student table: HTTP {status} {body[:200]!r}")
        answer = json.loads(body)
        if answer["total"] != expected[(page, query)]:
            raise SystemExit(f"student table: {params} gave {answer['total']} rows, the raw SQL "
                             f"{expected[(page, query)]}")
        if not query and len(answer["items"]) != PAGE_SIZE:
            raise SystemExit(f"student table: page {page} has {len(answer['items'])} rows")
    return latencies


def main() -> int:
    seconds = common.measured_seconds()
    rng = random.Random(5)
    common.say(f"student table: {common.machine_note()}; {common.backend_label()}")
    with common.bench_environment("student-table") as env:
        common.django_setup(env)
        started = time.perf_counter()
        data = build(rng)
        common.say(f"student table: {SCHOOLS} schools x {STUDENTS_PER_SCHOOL} students in "
                   f"{time.perf_counter() - started:.1f} s")
        pages = STUDENTS_PER_SCHOOL // PAGE_SIZE
        # About seconds x 25 requests of each kind; at least 400, so the p99 rests on 4+ samples.
        count = max(400, int(seconds * 25))
        paging = [(rng.randint(1, pages), "") for _ in range(count)]
        searching = [(1, q) for q in searches(data, rng, count)]
        expected = {}
        sql = {"paging": [], "search": []}
        for label, requests in (("paging", paging), ("search", searching)):
            for request in requests[:5]:
                raw_page(data["school_id"], *request)  # warm the database's caches
            for request in requests:
                t0 = time.perf_counter()
                expected[request] = raw_page(data["school_id"], *request)
                sql[label].append(time.perf_counter() - t0)
        common.close_db()
        with common.running_server(env) as server:
            common.say(f"student table: {server.description} on 127.0.0.1:{server.port}")
            getter = common.Client(server, {"Authorization": f"Bearer {data['token']}"}, timeout=60)
            measure(getter, paging[:20] + searching[:20], expected)  # warm-up: imports, connections
            http_times, cpu = {}, {}
            for label, requests in (("paging", paging), ("search", searching)):
                cpu_before, machine_before = common.server_cpu_seconds(server), common.machine_cpu_seconds()[0]
                wall = time.perf_counter()
                http_times[label] = measure(getter, requests, expected)
                wall = time.perf_counter() - wall
                # CPU per request, read off the server's processes: unlike the latencies, it hardly moves
                # when other programs share the machine (the database server's CPU is not in it).
                cpu[label] = (common.server_cpu_seconds(server) - cpu_before) / len(requests)
                busy = (common.machine_cpu_seconds()[0] - machine_before) / (wall * common.cores())
                common.say(f"student table {label}: server CPU {common.millis(cpu[label])} per request; "
                           f"the machine was {busy:.0%} busy while it measured")
    for label in ("paging", "search"):
        page_p99 = common.percentile(http_times[label], 99)
        sql_p99 = common.percentile(sql[label], 99)
        common.say(f"student table {label}: {len(http_times[label])} requests, HTTP median "
                   f"{common.millis(common.median(http_times[label]))} p99 {common.millis(page_p99)}; raw SQL median "
                   f"{common.millis(common.median(sql[label]))} p99 {common.millis(sql_p99)}")
        if page_p99 > 0.100:
            common.say(f"student table {label}: p99 above the 100 ms goal")
        common.emit(common.summary(f"student table {label}", f"p99 {common.millis(page_p99)}",
                                   f"raw SQL of the {'page' if label == 'paging' else 'search'}",
                                   f"p99 {common.millis(sql_p99)}", page_p99 / sql_p99))
    return 0


if __name__ == "__main__":
    sys.exit(main())
