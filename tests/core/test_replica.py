"""Reads from a replica (issue 16 item 2, core.replica): GET requests read there, writes and a writer's next
reads go to the primary, and a lagging or stopped replica sends reads to the primary without a 500.

The "replica" here is a second connection to the test database (the same rows, as a caught-up replica has);
tests/cluster runs a real streaming replica. Transactional tests: the replica's connection must see what the
test wrote."""

from __future__ import annotations

import time

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from renrentong.core import replica
from tests.factories import bearer, build_world

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

# The alias exists from collection on, as a test mirror of the default database (so the test runner gives it
# the test database); requests use it only while a test below sets RRT_REPLICA_READS.
connections.settings.setdefault("replica", {**connections.settings["default"], "TEST": {"MIRROR": "default"}})


@pytest.fixture
def with_replica(settings):
    """Reads go to the replica alias in this test; returns a function that re-points it (at a dead server)."""
    original = dict(connections["replica"].settings_dict)

    def point(**changes):
        connections["replica"].close()
        connections["replica"].settings_dict.update(changes)

    settings.RRT_REPLICA_READS = True
    replica._health.update(checked=0.0, ok=False, down_until=0.0, lag=None)
    yield point
    connections["replica"].close()
    connections["replica"].settings_dict.clear()
    connections["replica"].settings_dict.update(original)
    replica._health.update(checked=0.0, ok=False, down_until=0.0, lag=None)


def _dead(vendor: str) -> dict:
    if vendor == "postgresql":
        return {"HOST": "127.0.0.1", "PORT": "1", "OPTIONS": {"connect_timeout": 1}}
    return {"NAME": "/nonexistent-dir/replica.sqlite3"}


def queries_on_replica(call) -> tuple[object, int]:
    with CaptureQueriesContext(connections["replica"]) as seen:
        result = call()
    return result, len(seen.captured_queries)


def test_a_get_reads_from_the_replica_and_a_post_writes_and_reads_on_the_primary(with_replica):
    world = build_world()
    client = Client()
    me, on_replica = queries_on_replica(lambda: client.get("/api/v1/me", **bearer(world.teacher_a)))
    assert me.status_code == 200 and on_replica > 0
    with CaptureQueriesContext(connections["default"]) as primary:
        queries_on_replica(lambda: client.get("/api/v1/me", **bearer(world.teacher_a)))
    # Credentials come from the primary even on a GET: a revoked token must fail at once.
    assert any("api_token" in q["sql"].lower() or "apitoken" in q["sql"].lower() for q in primary.captured_queries)


def test_after_a_write_the_writers_reads_stay_on_the_primary_for_a_while(with_replica, settings):
    settings.RRT_READ_OWN_WRITES_SECONDS = 2
    world = build_world()
    headers = bearer(world.parent_a)
    client = Client()
    identity = world.parent_a.identities.get()
    changed = client.post("/api/v1/me/identity", {"identity_id": identity.pk}, content_type="application/json",
                          **headers)
    assert changed.status_code == 200
    seen, on_replica = queries_on_replica(lambda: client.get("/api/v1/me", **headers))
    assert seen.status_code == 200 and on_replica == 0  # read your own writes
    other, elsewhere = queries_on_replica(lambda: Client().get("/api/v1/me", **bearer(world.teacher_a)))
    assert other.status_code == 200 and elsewhere > 0  # other clients are not held on the primary
    time.sleep(2.2)
    _, later = queries_on_replica(lambda: client.get("/api/v1/me", **headers))
    assert later > 0


def test_a_lagging_replica_is_left_alone(with_replica, monkeypatch, settings):
    world = build_world()
    monkeypatch.setattr(replica, "_lag_seconds", lambda: settings.RRT_REPLICA_MAX_LAG_SECONDS + 8)
    response, on_replica = queries_on_replica(lambda: Client().get("/api/v1/me", **bearer(world.teacher_a)))
    assert response.status_code == 200 and on_replica == 0
    assert replica.status() == {"usable": False, "lag_seconds": settings.RRT_REPLICA_MAX_LAG_SECONDS + 8}


def test_a_stopped_replica_gives_no_500(with_replica):
    world = build_world()
    with_replica(**_dead(connections["default"].vendor))
    client = Client(raise_request_exception=False)  # what a browser gets: the response, never the traceback
    for path in ("/api/v1/me", "/"):
        response = client.get(path, **bearer(world.teacher_a))
        assert response.status_code in (200, 302), (path, response.status_code)


def test_a_replica_that_stops_between_two_health_checks_gives_no_500(with_replica):
    world = build_world()
    assert replica.replica_usable()  # it answered a moment ago
    with_replica(**_dead(connections["default"].vendor))  # and is gone now, before the next check
    response = Client(raise_request_exception=False).get("/api/v1/me", **bearer(world.teacher_a))
    assert response.status_code == 200
    assert replica.status()["usable"] is False


def test_readyz_names_a_stopped_replica_and_stays_ready(with_replica):
    ok = Client().get("/readyz").json()
    assert ok["checks"]["database:replica"] == "ok" and ok["replica"] == {"usable": True, "lag_seconds": 0.0}
    with_replica(**_dead(connections["default"].vendor))
    response = Client().get("/readyz")
    assert response.status_code == 200  # reads go to the primary: the process still serves
    body = response.json()
    assert body["ready"] is True and body["checks"]["database:replica"] == "unreachable"
    assert body["replica"]["usable"] is False


def test_an_unreachable_cache_keeps_reads_on_the_primary_and_answers_writes(with_replica, monkeypatch):
    world = build_world()
    headers = bearer(world.parent_a)
    identity = world.parent_a.identities.get()

    def refused(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(replica.cache, "get_many", refused)
    monkeypatch.setattr(replica.cache, "set_many", refused)
    seen, on_replica = queries_on_replica(lambda: Client().get("/api/v1/me", **headers))
    assert seen.status_code == 200 and on_replica == 0  # it cannot tell whether this client just wrote
    changed = Client().post("/api/v1/me/identity", {"identity_id": identity.pk}, content_type="application/json",
                            **headers)
    assert changed.status_code == 200
