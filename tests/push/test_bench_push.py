"""The push benchmark's core (bench/bench_push.py) on SQLite with a few rows: the engine drains them inline
against the fake WeChat API, with -1 and 43004 injected, the token expiry and the quota stop; none is lost."""

import pytest

from tests.benches import load_bench


@pytest.mark.django_db
def test_the_push_benchmark_ends_every_delivery_and_loses_none():
    bench = load_bench("bench_push")
    report = bench.run(200, workers=0, kill=False, pause=0.2)
    assert report.lost == 0 and report.ended == 200 and report.ok
    assert report.states["accepted"] + report.states["failed"] == 200
    assert report.duplicates == 0
    assert report.quota_refusals >= 1 and report.token_refusals >= 1  # both were injected
    assert set(report.reasons) <= {"43004"}  # -1 is retried until it goes through
    lines = bench.summary_lines(report)
    assert lines[1].startswith("push outcomes: accepted ") and lines[1].endswith("ratio 1.00")
