"""The sign-up benchmark's core (bench/bench_activities.py) on SQLite with a small N: the data it builds, the
sign-ups through the API, the check and its summary lines."""

from collections import Counter

import pytest

from tests.benches import load_bench


@pytest.mark.django_db
def test_the_sign_up_benchmark_accepts_the_places_and_queues_the_rest():
    bench = load_bench("bench_activities")
    world = bench.build(30, capacity=10)
    run = bench.sign_up_in_process(world)
    assert run.statuses == Counter({201: 30})
    found = bench.outcome(world)
    assert (found.accepted, found.waiting, found.other, found.places_taken, found.numbered) == (10, 20, 0, 10, True)
    assert found.ok(world, run)
    lines = bench.summary_lines(world, run, bench.Rush(1.0), found)
    assert lines[0].startswith("activity sign-up 30 parallel: ")
    assert lines[1] == ("activity sign-up outcomes: accepted 10, waiting 20, other 0, errors 0 | expected: "
                        "accepted 10, waiting 20 | ratio 1.00")
