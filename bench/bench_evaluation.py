"""The evaluation review queue at district scale (issue 14, Performance): "Review queue of a 3,000-student school
holding 100,000 records, filtered and paged: p99 at most 100 ms over 200 requests (PostgreSQL), beside a
primary-key fetch of the same rows in the same run".

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/run.py evaluation
    .venv/bin/python bench/bench_evaluation.py [--scale 0.02] [--fresh] [--drop] [--explain]

With DATABASE_URL (a PostgreSQL server) the district lives in the database `bench_evaluation` on that server
(RRT_BENCH_EVALUATION_DB), kept between runs: bench/generate_evaluation.py fills it once (100,000 students,
500,000 records; a few minutes) and a marker table lets later runs reuse it; --fresh rebuilds it, --drop
drops it at the end. Without DATABASE_URL it runs on SQLite in a temporary directory at --scale (default 0.02:
2,000 students, 10,000 records, 2,000 of them in a 60-student school), as a smoke test.

The requests: GET /api/v1/evaluation/review as the big school's admin (an API token), through bench/common.py's
server (gunicorn, one sync worker per core), one client, one request after the other: 100 filtered first pages
and, after each, the keyset next page (`before` = the first page's `next_before`), 200 requests. The filters
cycle through: pending; pending in a class; pending under an item; approved in a class; failed under an item;
pending in a class under an item; approved; failed in a class (the API has no grade filter). Every answer is
checked against the same page computed by hand-written SQL (the ids, in order).

Baseline, in the same run, right after each request: a primary-key fetch of the rows that request answered
(the record, its item, dimension and student, `WHERE id = ANY(...)`), through this process's connection.

Summary line (stdout):
  review queue <N> records: p99 <ms> (goal 100 ms) | baseline pk fetch of the same rows: p99 <ms> | ratio <x.xx>
where N is the number of records of the big school. On stderr: the median, the server's CPU per request, the
load, and with --explain (or when the p99 is above 100 ms) EXPLAIN ANALYZE of the endpoint's record query for
each filter (PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import common  # noqa: E402
import generate_evaluation  # noqa: E402
from common import say  # noqa: E402

PAGE = 50  # the endpoint's page (evaluation selectors' REVIEW_PAGE)
QUERIES = 100  # first pages; each is followed by its next page: 200 requests
GOAL = 0.100
# (label, state, by class, by item)
FILTERS = [
    ("pending", "pending", False, False),
    ("pending, class", "pending", True, False),
    ("pending, item", "pending", False, True),
    ("approved, class", "approved", True, False),
    ("failed, item", "failed", False, True),
    ("pending, class, item", "pending", True, True),
    ("approved", "approved", False, False),
    ("failed, class", "failed", True, False),
]


@dataclass
class Request:
    label: str
    params: dict
    expected: list[int]  # the ids of the page, in order


def _where(school_id: int, params: dict) -> tuple[str, list]:
    where, args = ["school_id = %s", "state = %s"], [school_id, params["state"]]
    for name in ("class_id", "item_id"):
        if name in params:
            where.append(f"{name} = %s")
            args.append(params[name])
    if "before" in params:
        where.append("id < %s")
        args.append(params["before"])
    return " AND ".join(where), args


def raw_page(school_id: int, params: dict) -> list[int]:
    """The page by hand: what the endpoint must answer."""
    from django.db import connection

    where, args = _where(school_id, params)
    with connection.cursor() as c:
        c.execute(f"SELECT id FROM evaluation_writtenrecord WHERE {where} ORDER BY id DESC LIMIT {PAGE}", args)
        return [row[0] for row in c.fetchall()]


def plan(school_id: int) -> list[Request]:
    """100 first pages over the filters, each with its next page; classes and items drawn in turn."""
    import random

    from renrentong.evaluation.models import EvidenceItem
    from renrentong.orgs.models import SchoolClass

    rng = random.Random(14)
    classes = list(SchoolClass.objects.filter(school_id=school_id, kind=SchoolClass.Kind.ADMINISTRATIVE)
                   .values_list("pk", flat=True))
    items = list(EvidenceItem.objects.filter(kind=EvidenceItem.Kind.UPLOADED).values_list("pk", flat=True))
    requests = []
    for n in range(QUERIES):
        label, state, by_class, by_item = FILTERS[n % len(FILTERS)]
        params = {"state": state}
        if by_class:
            params["class_id"] = rng.choice(classes)
        if by_item:
            params["item_id"] = rng.choice(items)
        first = raw_page(school_id, params)
        requests.append(Request(label, params, first))
        following = {**params, "before": first[-1]} if len(first) == PAGE else {**params, "before": 1}
        requests.append(Request(label + ", next page", following, raw_page(school_id, following)))
    return requests


def pk_fetch(ids: list[int]) -> int:
    """The baseline: the same rows by primary key, with what the endpoint shows of them."""
    from django.db import connection

    if connection.vendor == "postgresql":
        match, args = "r.id = ANY(%s)", [ids]
    else:
        match, args = f"r.id IN ({', '.join(['%s'] * len(ids))})", ids
    with connection.cursor() as c:
        c.execute("SELECT r.*, i.label, i.retired_at, d.label, p.name FROM evaluation_writtenrecord r "
                  "LEFT JOIN evaluation_evidenceitem i ON i.id = r.item_id "
                  "LEFT JOIN evaluation_dimension d ON d.id = i.dimension_id "
                  "JOIN accounts_person p ON p.id = r.student_id "
                  f"WHERE {match} ORDER BY r.id DESC", args)
        return len(c.fetchall())


def check(request: Request, status: int, body: bytes) -> None:
    if status != 200:
        raise SystemExit(f"review queue: {request.params} answered HTTP {status} {body[:300]!r}")
    answer = json.loads(body)
    got = [item["id"] for item in answer["items"]]
    if got != request.expected:
        raise SystemExit(f"review queue: {request.params} answered {len(got)} rows {got[:5]}..., the SQL "
                         f"{len(request.expected)} rows {request.expected[:5]}...")
    wrong = [i for i in answer["items"] if i["state"] != request.params["state"]
             or ("item_id" in request.params and i["item_id"] != request.params["item_id"])]
    if wrong:
        raise SystemExit(f"review queue: {request.params} answered rows outside the filter: {wrong[:2]}")


def measure(getter: common.Client, requests: list[Request]) -> tuple[list[float], list[float]]:
    http_times, pk_times = [], []
    for request in requests:
        started = time.perf_counter()
        status, body = getter.get("/api/v1/evaluation/review?" + urlencode(request.params))
        http_times.append(time.perf_counter() - started)
        check(request, status, body)
        started = time.perf_counter()
        if request.expected:
            pk_fetch(request.expected)
        pk_times.append(time.perf_counter() - started)
    return http_times, pk_times


def explain(token: str, requests: list[Request]) -> None:
    """EXPLAIN ANALYZE of the endpoint's query on the records, one request of each filter, in process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        say("  (EXPLAIN ANALYZE only on PostgreSQL)")
        return
    client, seen = Client(HTTP_HOST="localhost"), set()
    for request in requests:
        if request.label in seen:
            continue
        seen.add(request.label)
        with CaptureQueriesContext(connection) as captured:
            client.get("/api/v1/evaluation/review", request.params, HTTP_AUTHORIZATION=f"Bearer {token}")
        sql = next((q["sql"] for q in captured.captured_queries
                    if 'FROM "evaluation_writtenrecord"' in q["sql"] and "LIMIT" in q["sql"]), None)
        if sql is None:
            say(f"  {request.label}: no record query captured")
            continue
        with connection.cursor() as c:
            c.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [row[0] for row in c.fetchall()]
        say(f"  EXPLAIN ANALYZE, {request.label} ({len(captured.captured_queries)} queries in the request):")
        for line in lines:
            say("    " + line)


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:  # not Linux
        return "?"


def admin_token(admin_number: str) -> str:
    from renrentong.accounts.login.events import LoginOutcome
    from renrentong.accounts.login.services import issue_token
    from renrentong.accounts.models import Account

    account = Account.objects.get(number=admin_number)
    return issue_token(LoginOutcome(account, account.identities.get(), must_change_password=False))


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=None,
                        help="the data's size (default 1 on PostgreSQL, 0.02 on SQLite)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the kept database's data")
    parser.add_argument("--drop", action="store_true", help="drop the kept database at the end")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the record query of each filter")
    args = parser.parse_args(argv)
    postgres = bool(os.environ.get("DATABASE_URL"))
    scale = args.scale if args.scale is not None else (1.0 if postgres else 0.02)
    shape = generate_evaluation.Shape() if scale == 1 else generate_evaluation.Shape.scaled(scale)
    say(f"evaluation bench: {common.machine_note()}; {common.backend_label()}; load average "
        f"{load_average()}")
    with common.bench_environment("evaluation", database="bench_evaluation", keep=True, drop=args.drop) as env:
        common.django_setup(env)
        made = generate_evaluation.ensure_data(shape, args.fresh)
        from renrentong.evaluation.models import WrittenRecord

        records = WrittenRecord.objects.filter(school_id=made.school_id).count()
        token = admin_token(made.admin_number)
        requests = plan(made.school_id)
        say(f"  {len(requests)} requests planned on school {made.school_id} ({records} records); "
            f"{sum(len(r.expected) < PAGE for r in requests)} pages shorter than {PAGE}")
        with common.running_server(env) as server:
            say(f"  server: {server.description} on 127.0.0.1:{server.port}")
            getter = common.Client(server, {"Authorization": f"Bearer {token}"}, timeout=60)
            measure(getter, requests[:16])  # warm-up: imports, connections, the database's caches
            cpu = common.server_cpu_seconds(server)
            machine = common.machine_cpu_seconds()[0]
            wall = time.perf_counter()
            http_times, pk_times = measure(getter, requests)
            wall = time.perf_counter() - wall
            cpu = (common.server_cpu_seconds(server) - cpu) / len(requests)
            busy = (common.machine_cpu_seconds()[0] - machine) / (wall * common.cores())
        p99, pk_p99 = common.percentile(http_times, 99), common.percentile(pk_times, 99)
        say(f"  review queue: {len(http_times)} requests, median {common.millis(common.median(http_times))}, "
            f"p99 {common.millis(p99)}, max {common.millis(max(http_times))}; server CPU "
            f"{cpu * 1000:.1f} ms a request; pk fetch median {common.millis(common.median(pk_times))} p99 "
            f"{common.millis(pk_p99)}; machine {busy:.0%} busy while measured; load average "
            f"{load_average()}")
        slowest: dict[str, float] = {}
        for request, took in zip(requests, http_times):
            slowest[request.label] = max(slowest.get(request.label, 0.0), took)
        say("  slowest per filter: " + ", ".join(f"{k} {common.millis(v)}" for k, v in
                                                  sorted(slowest.items(), key=lambda kv: -kv[1])))
        if args.explain or p99 > GOAL:
            explain(token, requests)
        common.emit(common.summary(f"review queue {records} records", f"p99 {common.millis(p99)} (goal 100 ms)",
                                   "baseline pk fetch of the same rows", f"p99 {common.millis(pk_p99)}",
                                   p99 / pk_p99 if pk_p99 else 0.0))
        common.close_db()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
