"""Activity sign-ups under a rush (issue 14, Performance): N parents (default 1,000, each with one child) sign
their children up at once for a C-place activity (default 200), through HTTP against a real server, beside the
same number of GET /api/v1/me requests by the same parents in the same run.

    .venv/bin/python bench/bench_activities.py [--n 1000] [--capacity 200] [--clients 40]

With DATABASE_URL (a PostgreSQL server) it runs in the database `bench_activities` there (RRT_BENCH_ACTIVITIES_DB),
created afresh and dropped at the end; without, on SQLite in a temporary directory. REDIS_URL, when set, is the
cache, in its database 15 (bench/common.py). The server is bench/common.py's (gunicorn, one sync worker per
core; RRT_BENCH_WORKERS and RRT_BENCH_THREADS change its shape).

The data, set-based (bulk inserts): a city, a district and a school with one class; N students, each with a
parent account (phone, guardian identity, guardianship) and an API token; one campus activity with C places
whose sign-up is open, accepted at once in order (the setting auto), published through the service.

1. Warm-up: every client makes a few GET /api/v1/me requests (not measured).
2. Baseline: N GET /api/v1/me, one per parent, from --clients connections (keep-alive): wall time.
3. The rush: N POST /api/v1/activities/<id>/sign-ups {"child_id"}, one per parent, from --clients connections
   released at once: wall time from the release to the last answer.
4. The check (in the database): exactly C sign-ups accepted, N - C waiting, numbered 1..N without a gap, the
   activity's places_taken equal to C, every answer 201.

Summary lines (stdout):
  activity sign-up <N> parallel: <seconds> | GET /api/v1/me <N> parallel: <seconds> | ratio <rush / baseline>
      (goal: the rush in at most 5 s on PostgreSQL)
  activity sign-up outcomes: accepted <a>, waiting <w>, other <o>, errors <e> | expected: accepted <C>,
      waiting <N - C> | ratio <1.00 when exactly as expected, else 0.00>
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
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


# -- the data -----------------------------------------------------------------------------------------

@dataclass
class World:
    activity_id: int
    capacity: int
    child_ids: list[int]
    tokens: list[str]

    @property
    def n(self) -> int:
        return len(self.child_ids)


def build(n: int, capacity: int) -> World:
    """A school with N students, each with a parent who has a token, and an open C-place activity."""
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from renrentong.accounts.access import actor_for
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.accounts.models import Account, Enrollment, Guardianship, Identity, Person
    from renrentong.activities.services import ActivityDraft, publish
    from renrentong.orgs.models import Campus, Cohort, Region, School, SchoolClass, Stage

    started = time.perf_counter()
    tag = f"{os.getpid() % 100_000:05d}"
    with transaction.atomic():
        city = Region.objects.create(kind="city", name="报名测试市", code=f"C{tag}")
        district = Region.objects.create(kind="district", name="报名测试区", code=f"D{tag}", parent=city)
        school = School.objects.create(district=district, name="报名测试小学", code=f"S{tag}", school_year=2026)
        campus = Campus.objects.create(school=school, name="本部")
        stage = Stage.objects.create(campus=campus, level="primary")
        cohort = Cohort.objects.create(stage=stage, enrollment_year=2024)
        school_class = SchoolClass.objects.create(school=school, cohort=cohort, number=1, code=f"K{tag}")
        password = make_password(None)  # unusable: the parents use tokens
        children = Person.objects.bulk_create([Person(name=f"学生{i}", sex="M") for i in range(n)], batch_size=2000)
        guardians = Person.objects.bulk_create([Person(name=f"家长{i}", sex="F") for i in range(n)], batch_size=2000)
        accounts = Account.objects.bulk_create(
            [Account(number=f"ba{tag}{i:06d}", person=p, phone=f"139{int(tag) % 100:02d}{i:06d}", password=password,
                     home_school=school) for i, p in enumerate(guardians)], batch_size=2000)
        identities = Identity.objects.bulk_create(
            [Identity(account=a, kind=Identity.Kind.GUARDIAN) for a in accounts], batch_size=2000)
        Enrollment.objects.bulk_create(
            [Enrollment(person=c, school_class=school_class, school=school) for c in children], batch_size=2000)
        Guardianship.objects.bulk_create([Guardianship(guardian=g, student=c, relation="mother")
                                          for g, c in zip(guardians, children)], batch_size=2000)
        tokens = [issue_token(LoginOutcome(a, i, must_change_password=False)) for a, i in zip(accounts, identities)]
        admin_account = Account.objects.create(number=f"bs{tag}", password=password, home_school=school)
        admin = Identity.objects.create(account=admin_account, kind=Identity.Kind.SCHOOL_ADMIN, school=school)
        now = timezone.now()
        activity = publish(actor_for(admin_account, admin), ActivityDraft(
            title="科技馆参观", starts_at=now + timedelta(days=7), ends_at=now + timedelta(days=7, hours=3),
            place="长沙市科技馆", capacity=capacity, signup_opens_at=now - timedelta(hours=1),
            signup_closes_at=now + timedelta(days=5), cancel_until=now + timedelta(days=6), approval="auto"))
    say(f"  data: {n} students and parents with tokens, a {capacity}-place activity "
        f"({time.perf_counter() - started:.1f} s)")
    return World(activity.pk, capacity, [c.pk for c in children], tokens)


# -- the rush -----------------------------------------------------------------------------------------

@dataclass
class Rush:
    seconds: float
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    server_cpu: float = 0.0  # CPU seconds the server's workers used: unlike the wall time, other programs on
    # the machine do not move it
    database_cpu: float = 0.0  # and the local PostgreSQL's processes
    client_cpu: float = 0.0  # and this process's client threads


def _request(conn_box: list, server, method: str, path: str, token: str, body: dict | None) -> int:
    headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    for attempt in (1, 2):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection(server.host, server.port, timeout=120)
        try:
            conn_box[0].request(method, path, body=data, headers=headers)
            response = conn_box[0].getresponse()
            response.read()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            conn_box[0].close()
            conn_box[0] = None
            if attempt == 1 and method == "GET":
                continue
            raise
        if response.will_close:
            conn_box[0].close()
            conn_box[0] = None
        return response.status
    return 0


def rush(server, world: World, clients: int, method: str) -> Rush:
    """Every parent's request once, from `clients` connections released together: the wall time."""
    work: queue.SimpleQueue = queue.SimpleQueue()
    for index in range(world.n):
        work.put(index)
    result = Rush(0.0)
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)

    def client() -> None:
        box: list = [None]
        _request(box, server, "GET", "/api/v1/me", world.tokens[0], None)  # connected and warm before the start
        ready.wait()
        while True:
            try:
                index = work.get_nowait()
            except queue.Empty:
                break
            try:
                if method == "POST":
                    status = _request(box, server, "POST", f"/api/v1/activities/{world.activity_id}/sign-ups",
                                      world.tokens[index], {"child_id": world.child_ids[index]})
                else:
                    status = _request(box, server, "GET", "/api/v1/me", world.tokens[index], None)
            except OSError as error:
                with lock:
                    result.errors[type(error).__name__] += 1
                continue
            with lock:
                result.statuses[status] += 1
        if box[0] is not None:
            box[0].close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    cpu, database, client = common.server_cpu_seconds(server), common.database_cpu_seconds(), time.process_time()
    started = time.perf_counter()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    result.server_cpu = common.server_cpu_seconds(server) - cpu
    result.database_cpu = common.database_cpu_seconds() - database
    result.client_cpu = time.process_time() - client
    return result


def cpu_note(run: Rush, world: World) -> str:
    """Where the 2 cores went, per request: the web server, the database, the clients."""
    each = {name: seconds * 1000 / world.n for name, seconds in
            (("server", run.server_cpu), ("database", run.database_cpu), ("clients", run.client_cpu))}
    return "CPU a request: " + ", ".join(f"{name} {ms:.1f} ms" for name, ms in each.items())


def sign_up_in_process(world: World) -> Rush:
    """The same sign-ups one after the other through Django's test client (the API, no server): the core
    that tests/activities/test_bench_activities.py runs on SQLite with a small N."""
    from django.test import Client

    client, result = Client(), Rush(0.0)
    started = time.perf_counter()
    for token, child_id in zip(world.tokens, world.child_ids):
        response = client.post(f"/api/v1/activities/{world.activity_id}/sign-ups", json.dumps({"child_id": child_id}),
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        result.statuses[response.status_code] += 1
    result.seconds = time.perf_counter() - started
    return result


# -- the check ----------------------------------------------------------------------------------------

@dataclass
class Outcome:
    accepted: int
    waiting: int
    other: int
    places_taken: int
    numbered: bool  # queue numbers 1..N without a gap

    def ok(self, world: World, run: Rush) -> bool:
        expected_waiting = max(world.n - world.capacity, 0)
        return (self.accepted == min(world.capacity, world.n) and self.waiting == expected_waiting and self.other == 0
                and self.places_taken == self.accepted and self.numbered
                and run.statuses == Counter({201: world.n}) and not run.errors)


def outcome(world: World) -> Outcome:
    from renrentong.activities.models import Activity, SignUp

    rows = list(SignUp.objects.filter(activity_id=world.activity_id).values_list("status", "queue_number"))
    statuses = Counter(status for status, _ in rows)
    numbers = sorted(number for _, number in rows)
    taken = Activity.objects.get(pk=world.activity_id).places_taken
    return Outcome(statuses["accepted"], statuses["waiting"], len(rows) - statuses["accepted"] - statuses["waiting"],
                   taken, numbers == list(range(1, len(rows) + 1)))


def summary_lines(world: World, run: Rush, baseline: Rush, found: Outcome) -> list[str]:
    n = world.n
    first = common.summary(f"activity sign-up {n} parallel", common.secs(run.seconds), f"GET /api/v1/me {n} parallel",
                           common.secs(baseline.seconds), run.seconds / baseline.seconds if baseline.seconds else 0.0)
    errors = sum(run.errors.values()) + sum(v for k, v in run.statuses.items() if k != 201)
    second = common.summary(
        "activity sign-up outcomes", f"accepted {found.accepted}, waiting {found.waiting}, other {found.other}, "
        f"errors {errors}", "expected", f"accepted {min(world.capacity, n)}, waiting {max(n - world.capacity, 0)}",
        1.0 if found.ok(world, run) else 0.0)
    return [first, second]


# -- the run ------------------------------------------------------------------------------------------

def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=int(os.environ.get("RRT_BENCH_ACTIVITIES_N", 1000)))
    parser.add_argument("--capacity", type=int, default=200)
    parser.add_argument("--clients", type=int, default=40)
    args = parser.parse_args(argv)
    say(f"activities bench: {args.n} parents, {args.capacity} places, {args.clients} clients; {common.machine_note()}")
    with common.bench_environment("activities", database="bench_activities") as env:
        say(f"  backend: {'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}")
        common.django_setup(env)
        world = build(args.n, args.capacity)
        common.close_db()
        with common.running_server(env) as server:
            say(f"  server: {server.description}")
            rush(server, world, args.clients, "GET")  # warm-up: every worker loaded, connections made
            baseline = rush(server, world, args.clients, "GET")
            say(f"  GET /api/v1/me: {common.secs(baseline.seconds)} {dict(baseline.statuses)}, "
                f"{cpu_note(baseline, world)}")
            run = rush(server, world, args.clients, "POST")
            say(f"  sign-ups: {common.secs(run.seconds)} {dict(run.statuses)} {dict(run.errors)}, "
                f"{cpu_note(run, world)}")
        found = outcome(world)
        say(f"  check: {found}")
        for line in summary_lines(world, run, baseline, found):
            common.emit(line)
        common.close_db()
        ok = found.ok(world, run)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
