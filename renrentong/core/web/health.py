"""Probes for the proxy and whatever restarts processes (docs/operations.md, "Probes").

/healthz says the process serves: it touches nothing, so a database outage does not get every web process
restarted at once. /readyz says it can do work: a real query on every configured database and, when the
cache is Redis (sessions and the task queue live there), a round trip to it; 503 naming what
failed, never a 500, never a secret. A failing replica is named but not fatal: reads go to the primary."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from renrentong.core import replica


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _database(alias: str) -> str:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:  # Django closes a broken connection when the request ends (close_if_unusable...)
        return "unreachable"
    return "ok"


def _redis() -> str:
    try:
        caches["default"].get("rrt:readyz")
    except Exception:  # redis-py raises its own ConnectionError, TimeoutError, ResponseError ...
        return "unreachable"
    return "ok"


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    checks = {f"database:{alias}": _database(alias) for alias in settings.DATABASES
              if alias != replica.REPLICA or replica.configured()}
    if settings.REDIS_URL:
        checks["redis"] = _redis()
    # A replica that fails sends reads to the primary (core.replica): reported, but the process still serves.
    ready = all(state == "ok" for name, state in checks.items() if name != f"database:{replica.REPLICA}")
    body: dict[str, object] = {"ready": ready, "checks": checks}
    if replica.configured():
        if checks[f"database:{replica.REPLICA}"] != "ok":
            replica.mark_down("readyz")
        body["replica"] = replica.status()
    return JsonResponse(body, status=200 if ready else 503)
