"""The practice benchmark's core (bench/bench_practice.py) on SQLite with a small N: the data it builds, the
submits through the API, the check and its summary lines; and the submit's queries do not grow with the
paper."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.benches import load_bench


@pytest.mark.django_db
def test_the_practice_benchmark_grades_and_stores_every_answer():
    bench = load_bench("bench_practice")
    world = bench.build(12)
    run = bench.submit_in_process(world)
    assert run.statuses == Counter({200: 12})
    found = bench.outcome(world)
    assert (found.graded, found.submitted) == (12 * 20, 12) and found.right == world.right
    assert found.ok(world, run)
    lines = bench.summary_lines(world, run, bench.Run(latencies=[0.01]), found)
    assert lines[0].startswith("practice submit: p99 ")
    assert lines[1] == (f"practice submit outcomes: graded 240, right {world.right}, submitted 12, errors 0 | "
                        f"expected: graded 240, right {world.right}, submitted 12 | ratio 1.00")


@pytest.mark.django_db
def test_a_submit_is_a_few_queries_whatever_the_number_of_answers(client):
    bench = load_bench("bench_practice")
    world = bench.build(1)
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/api/v1/practice/attempts/{world.attempt_ids[0]}/submit", world.bodies[0],
                               content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {world.tokens[0]}")
    assert response.status_code == 200
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) <= 8, writes
    assert len(queries.captured_queries) <= 30
