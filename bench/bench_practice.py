"""Online practice under a class test across a district (issue 15, Performance): N students (default 2,000)
submit a 20-question paper within one minute, through HTTP against a real server, beside GET /api/v1/me at
the same pace by the same students in the same run.

    .venv/bin/python bench/bench_practice.py [--n 2000] [--seconds 60] [--clients 40]

With DATABASE_URL (a PostgreSQL server) it runs in the database `bench_practice` there (RRT_BENCH_PRACTICE_DB),
created afresh and dropped at the end; without, on SQLite in a temporary directory. The server is
bench/common.py's (gunicorn, one sync worker per core).

The data, set-based: a district and a school with N/50 classes of 50 students, each student with an API token;
a teacher of every class; a 20-question paper (four of each kind: single and multiple choice, true/false,
fill-in, numeric) made and published through the services; every student's attempt open (as after opening
the paper), with no answer saved yet.

1. Warm-up: every client makes a few GET /api/v1/me requests (not measured).
2. Baseline: N GET /api/v1/me, one per student, started at an even pace over --seconds: each one's latency.
3. The test: N POST /api/v1/practice/attempts/<id>/submit with the 20 answers in the body, at the same pace:
   each submit's latency (its answers stored, graded, the attempt ended, the grades inserted).
4. The check (in the database): N attempts submitted, N x 20 grade rows, as many right as the answers sent
   hold, every answer 200.

Summary lines (stdout):
  practice submit: p99 <ms> (<N> in <s> s) | GET /api/v1/me: p99 <ms> | ratio <submit p99 / me p99>
      (goal: the submit's p99 at most 300 ms)
  practice submit outcomes: graded <g>, right <r>, submitted <a>, errors <e> | expected: graded <N x 20>,
      right <R>, submitted <N> | ratio <1.00 when exactly as expected, else 0.00>
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
from common import say  # noqa: E402

CLASS_SIZE = 50
QUESTIONS = 20


# -- the data -----------------------------------------------------------------------------------------

@dataclass
class World:
    attempt_ids: list[int]
    tokens: list[str]
    bodies: list[bytes]  # each student's submit body
    right: int  # how many of all the answers sent are right

    @property
    def n(self) -> int:
        return len(self.attempt_ids)


# (kind, the question's fields, a right answer, a wrong answer)
KINDS = [
    ("single", {"options": ["10", "60", "100", "1000"], "key": 1}, {"choice": 1}, {"choice": 3}),
    ("multiple", {"options": ["毫米", "吨", "千米", "秒"], "key": [0, 2]}, {"choices": [2, 0]}, {"choices": [1]}),
    ("true_false", {"key": True}, {"truth": True}, {"truth": False}),
    ("fill", {"key": [["classroom", "class room"], ["desk"]]}, {"blanks": [" ＣｌａｓｓＲｏｏｍ", "Desk"]},
     {"blanks": ["school", "desk"]}),
    ("numeric", {"key": {"value": "3.14", "tolerance": "0.01"}}, {"number": "３.１５"}, {"number": "3.2"}),
]


def build(n: int) -> World:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from renrentong.accounts.access import actor_for
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.accounts.models import Account, Enrollment, Identity, Person, TeachingAssignment
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage
    from renrentong.resources.models import Chapter, PracticeAttempt, Textbook
    from renrentong.resources.practice import services

    started = time.perf_counter()
    tag = f"{os.getpid() % 100_000:05d}"
    with transaction.atomic():
        province = Region.objects.create(kind="province", name="练习测试省", code=f"P{tag}")
        city = Region.objects.create(kind="city", name="练习测试市", code=f"C{tag}", parent=province)
        district = Region.objects.create(kind="district", name="练习测试区", code=f"D{tag}", parent=city)
        school = School.objects.create(district=district, name="练习测试中学", code=f"S{tag}", school_year=2026)
        campus = Campus.objects.create(school=school, name="本部")
        stage = Stage.objects.create(campus=campus, level="junior")
        cohort = Cohort.objects.create(stage=stage, enrollment_year=2026)
        classes = SchoolClass.objects.bulk_create([
            SchoolClass(school=school, cohort=cohort, number=i + 1, code=f"K{tag}{i:03d}")
            for i in range((n + CLASS_SIZE - 1) // CLASS_SIZE)])
        book = Textbook.objects.create(region_id=province.pk, subject="数学", grade=7, volume="first", edition="人教版",
                                       publisher="人民教育出版社")
        chapter = Chapter.objects.create(region_id=province.pk, textbook=book, number="1", title="有理数")
        password = make_password(None)
        people = Person.objects.bulk_create([Person(name=f"学生{i}", sex="M") for i in range(n)], batch_size=2000)
        accounts = Account.objects.bulk_create([Account(number=f"bp{tag}{i:06d}", person=p, password=password,
                                                        home_school=school) for i, p in enumerate(people)],
                                               batch_size=2000)
        identities = Identity.objects.bulk_create(
            [Identity(account=a, kind=Identity.Kind.STUDENT) for a in accounts], batch_size=2000)
        Enrollment.objects.bulk_create([Enrollment(person=p, school_class=classes[i // CLASS_SIZE], school=school)
                                        for i, p in enumerate(people)], batch_size=2000)
        tokens = [issue_token(LoginOutcome(a, i, must_change_password=False)) for a, i in zip(accounts, identities)]
        teacher_account = Account.objects.create(number=f"bt{tag}", password=password, home_school=school)
        teacher_identity = Identity.objects.create(account=teacher_account, kind=Identity.Kind.TEACHER, school=school)
        TeachingAssignment.objects.bulk_create([TeachingAssignment(teacher=teacher_identity, school_class=c,
                                                                   subject="数学") for c in classes])
        teacher = actor_for(teacher_account, teacher_identity)
        question_ids = []
        for i in range(QUESTIONS):
            kind, fields, _right, _wrong = KINDS[i % len(KINDS)]
            question_ids.append(services.create_question(teacher, services.QuestionDraft(
                chapter_id=chapter.pk, kind=kind, stem=f"第{i + 1}题", knowledge_points=[f"知识点{i % 4}"],
                explanation="解析", **fields)).pk)
        paper = services.create_paper(teacher, "全区统测", question_ids)
        services.publish_paper(teacher, paper.pk, [c.pk for c in classes])
        attempts = PracticeAttempt.objects.bulk_create([
            PracticeAttempt(school_id=school.pk, paper=paper, student=p, class_id=classes[i // CLASS_SIZE].pk, number=1)
            for i, p in enumerate(people)], batch_size=2000)
    bodies, right = [], 0
    for s in range(n):
        answers = []
        for i, qid in enumerate(question_ids):
            _kind, _fields, good, bad = KINDS[i % len(KINDS)]
            is_right = (s + i) % 3 != 0  # two thirds right, spread over questions and students
            right += is_right
            answers.append({"question_id": qid, **(good if is_right else bad)})
        bodies.append(json.dumps({"answers": answers}).encode())
    say(f"  data: {n} students in {len(classes)} classes with tokens, a {QUESTIONS}-question paper published, "
        f"attempts open ({time.perf_counter() - started:.1f} s)")
    return World([a.pk for a in attempts], tokens, bodies, right)


# -- the load -----------------------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    server_cpu: float = 0.0

    @property
    def p99(self) -> float:
        return common.percentile(self.latencies, 99)


def _request(box: list, server, method: str, path: str, token: str, body: bytes | None) -> int:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    for attempt in (1, 2):
        if box[0] is None:
            box[0] = http.client.HTTPConnection(server.host, server.port, timeout=120)
        try:
            box[0].request(method, path, body=body, headers=headers)
            response = box[0].getresponse()
            response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            box[0].close()
            box[0] = None
            if attempt == 1:  # a kept-alive connection the server closed: the request never ran
                continue
            raise
        if response.will_close:
            box[0].close()
            box[0] = None
        return response.status
    return 0


def paced(server, world: World, clients: int, seconds: float, submit: bool) -> Run:
    """Request i starts at i * seconds / N after the start (or as soon as a client is free): each one's
    latency, from its start to its answer."""
    result = Run()
    lock = threading.Lock()
    counter = iter(range(world.n))
    ready = threading.Barrier(clients + 1)
    gap = seconds / world.n
    start_box: list[float] = [0.0]

    def client() -> None:
        box: list = [None]
        _request(box, server, "GET", "/api/v1/me", world.tokens[0], None)
        ready.wait()
        while True:
            with lock:
                index = next(counter, None)
            if index is None:
                break
            delay = start_box[0] + index * gap - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            try:
                if submit:
                    status = _request(box, server, "POST", f"/api/v1/practice/attempts/{world.attempt_ids[index]}/submit",
                                      world.tokens[index], world.bodies[index])
                else:
                    status = _request(box, server, "GET", "/api/v1/me", world.tokens[index], None)
            except OSError as error:
                with lock:
                    result.errors[type(error).__name__] += 1
                continue
            took = time.perf_counter() - began
            with lock:
                result.statuses[status] += 1
                result.latencies.append(took)
        if box[0] is not None:
            box[0].close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    cpu = common.server_cpu_seconds(server)
    start_box[0] = time.perf_counter() + 0.05
    ready.wait()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - start_box[0]
    result.server_cpu = common.server_cpu_seconds(server) - cpu
    return result


def submit_in_process(world: World) -> Run:
    """The same submits one after the other through Django's test client (no server): the core that
    tests/resources/practice/test_bench_practice.py runs on SQLite with a small N."""
    from django.test import Client

    client, result = Client(), Run()
    started = time.perf_counter()
    for attempt_id, token, body in zip(world.attempt_ids, world.tokens, world.bodies):
        began = time.perf_counter()
        response = client.post(f"/api/v1/practice/attempts/{attempt_id}/submit", body,
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        result.latencies.append(time.perf_counter() - began)
        result.statuses[response.status_code] += 1
    result.seconds = time.perf_counter() - started
    return result


# -- the check ----------------------------------------------------------------------------------------

@dataclass
class Outcome:
    graded: int
    right: int
    submitted: int

    def ok(self, world: World, run: Run) -> bool:
        return (self.graded == world.n * QUESTIONS and self.right == world.right and self.submitted == world.n
                and run.statuses == Counter({200: world.n}) and not run.errors)


def outcome(world: World) -> Outcome:
    from renrentong.resources.models import PracticeAttempt, PracticeGrade

    grades = PracticeGrade.objects.filter(attempt_id__in=world.attempt_ids)
    return Outcome(grades.count(), grades.filter(correct=True).count(),
                   PracticeAttempt.objects.filter(pk__in=world.attempt_ids, state="submitted").count())


def summary_lines(world: World, run: Run, baseline: Run, found: Outcome) -> list[str]:
    first = common.summary("practice submit", f"p99 {common.millis(run.p99)} ({world.n} in {run.seconds:.0f} s)",
                           "GET /api/v1/me", f"p99 {common.millis(baseline.p99)}",
                           run.p99 / baseline.p99 if baseline.p99 else 0.0)
    errors = sum(run.errors.values()) + sum(v for k, v in run.statuses.items() if k != 200)
    second = common.summary(
        "practice submit outcomes", f"graded {found.graded}, right {found.right}, submitted {found.submitted}, "
        f"errors {errors}", "expected", f"graded {world.n * QUESTIONS}, right {world.right}, submitted {world.n}",
        1.0 if found.ok(world, run) else 0.0)
    return [first, second]


# -- the run ------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=int(os.environ.get("RRT_BENCH_PRACTICE_N", 2000)))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=40)
    args = parser.parse_args(argv)
    say(f"practice bench: {args.n} students, {QUESTIONS} questions, within {args.seconds:.0f} s, {args.clients} "
        f"clients; {common.machine_note()}")
    with common.bench_environment("practice", database="bench_practice") as env:
        say(f"  backend: {'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}")
        common.django_setup(env)
        world = build(args.n)
        common.close_db()
        with common.running_server(env) as server:
            say(f"  server: {server.description}")
            paced(server, world, args.clients, min(args.seconds, 5), submit=False)  # warm-up
            baseline = paced(server, world, args.clients, args.seconds, submit=False)
            say(f"  GET /api/v1/me: p50 {common.millis(common.median(baseline.latencies))}, p99 "
                f"{common.millis(baseline.p99)}, {common.secs(baseline.seconds)} {dict(baseline.statuses)}, server "
                f"CPU {baseline.server_cpu * 1000 / world.n:.1f} ms a request")
            run = paced(server, world, args.clients, args.seconds, submit=True)
            say(f"  submits: p50 {common.millis(common.median(run.latencies))}, p99 {common.millis(run.p99)}, "
                f"{common.secs(run.seconds)} {dict(run.statuses)} {dict(run.errors)}, server CPU "
                f"{run.server_cpu * 1000 / world.n:.1f} ms a request")
        found = outcome(world)
        say(f"  check: {found}")
        for line in summary_lines(world, run, baseline, found):
            common.emit(line)
        common.close_db()
        ok = found.ok(world, run)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
