"""PostgreSQL connections bind parameters on the server and prepare a query once it has run five times (settings;
docs/benchmarks.md, "oidc": planning was most of PostgreSQL's work in a sign-in)."""

from __future__ import annotations

import pytest
from django.db import connection

from renrentong.orgs.models import Region


@pytest.mark.django_db
def test_a_query_run_often_is_prepared_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("prepared statements are PostgreSQL's")
    for _ in range(6):
        assert not Region.objects.filter(code="no-such-region").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('"orgs_region"' in statement and "no-such-region" not in statement for statement in prepared), prepared
