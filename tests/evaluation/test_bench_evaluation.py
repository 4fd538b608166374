"""The review-queue benchmark's core (bench/generate_evaluation.py, bench/bench_evaluation.py) on SQLite at a small
scale: the district it generates, the requests it plans, and its check of each answer against hand-written SQL."""

import json

import pytest
from django.test import Client

from tests.benches import load_bench


@pytest.mark.django_db
def test_the_review_benchmark_generates_every_state_and_checks_the_endpoint_against_its_sql():
    bench = load_bench("bench_evaluation")
    generator = bench.generate_evaluation
    shape = generator.Shape.scaled(0.002)
    made = generator.generate(shape)
    found = generator.counts()
    assert found["records"] == shape.records and found["guardianships"] == shape.students
    assert all(found[state] > 0 for state in ("draft", "pending", "approved", "failed"))
    from renrentong.evaluation.models import WrittenRecord

    school = WrittenRecord.objects.filter(school_id=made.school_id)
    assert school.count() == shape.school_records
    assert not school.exclude(state="draft").filter(item__isnull=True).exists()
    assert not school.filter(state__in=["approved", "failed"], decided_by__isnull=True).exists()
    requests = bench.plan(made.school_id)
    assert len(requests) == 2 * bench.QUERIES and any(r.expected for r in requests)
    token = bench.admin_token(made.admin_number)
    client = Client()
    for request in requests[:16]:
        response = client.get("/api/v1/evaluation/review", request.params, HTTP_AUTHORIZATION=f"Bearer {token}")
        bench.check(request, response.status_code, response.content)
    first = requests[0]
    wrong = bench.Request(first.label, first.params, list(reversed(first.expected)))
    response = client.get("/api/v1/evaluation/review", first.params, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert len(json.loads(response.content)["items"]) > 1
    with pytest.raises(SystemExit):
        bench.check(wrong, response.status_code, response.content)
    assert bench.pk_fetch(first.expected) == len(first.expected)
