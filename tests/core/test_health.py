"""The probes (docs/operations.md, "Probes"): /healthz touches nothing, /readyz queries every database and
Redis and says which one failed with a 503, never a 500."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext


def test_healthz_answers_without_touching_the_database(client, db):
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert len(queries) == 0
    assert "no-cache" in response["Cache-Control"]


def test_readyz_runs_a_real_query_on_every_database(client, db):
    with CaptureQueriesContext(connections["default"]) as queries:
        response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True and body["checks"]["database:default"] == "ok"
    assert any("SELECT 1" in q["sql"] for q in queries)


def test_readyz_names_an_unreachable_database_with_a_503(client, db):
    broken = mock.patch("django.db.backends.utils.CursorWrapper.execute",
                        side_effect=OperationalError("connection refused"))
    with broken:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"ready": False, "checks": {"database:default": "unreachable",
                                                          **({"redis": "ok"} if _redis() else {})}}
    assert b"refused" not in response.content  # what failed, not the server's words about it


def test_readyz_names_an_unreachable_redis_with_a_503(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    from django.core.cache import caches

    broken = mock.patch.object(type(caches["default"]), "get", side_effect=ConnectionError("refused"))
    with broken:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unreachable"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_probes_take_only_get(client, db, path):
    assert client.post(path).status_code == 405


def _redis() -> bool:
    from django.conf import settings

    return bool(settings.REDIS_URL)
