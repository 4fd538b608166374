"""Reads from a streaming replica (issue 16 item 2), when settings.DATABASES has a "replica" alias
(DATABASE_REPLICA_URL).

Only the reads of a GET, HEAD or OPTIONS request go there, and only while all of these hold:
- the request has written nothing yet (its first write, or an open transaction, sends the rest to the primary);
- its client wrote nothing in the last RRT_READ_OWN_WRITES_SECONDS (read your own writes: a POST marks the
  client, by its session cookie and its bearer token, in the cache);
- the replica answered its health query within the last second with a lag under RRT_REPLICA_MAX_LAG_SECONDS.
A replica that fails its health query, or a query of a request, is left alone for RRT_REPLICA_RETRY_SECONDS and
the request is answered from the primary instead: a stopped replica costs time, never a 500.

Everything else reads from the primary: task workers, management commands, writes, and credentials
(tokens and the session's account are read there, so a revoked token or password holds at once).
"""

from __future__ import annotations

import collections
import contextvars
import hashlib
import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpRequest, HttpResponse

from renrentong.core.availability import CACHE_ERRORS

logger = logging.getLogger(__name__)

REPLICA = "replica"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_reads_may_use_replica = contextvars.ContextVar("rrt_reads_may_use_replica", default=False)
_health = {"checked": 0.0, "ok": False, "down_until": 0.0, "lag": None}


def configured() -> bool:
    return settings.RRT_REPLICA_READS and REPLICA in settings.DATABASES


# What this process saw the replica receive, and when: (monotonic time, received WAL position), a minute's worth.
_received: collections.deque[tuple[float, int]] = collections.deque()
_RECEIVED_KEPT_SECONDS = 60.0


def _lag_seconds() -> float:
    connection = connections[REPLICA]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # no replication to measure; still, it must answer
            cursor.execute("SELECT 0")
            return 0.0
        cursor.execute("""SELECT pg_is_in_recovery(), pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::bigint,
                                 pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint,
                                 extract(epoch FROM now() - pg_last_xact_replay_timestamp())""")
        recovering, received, replayed, replay_age = cursor.fetchone()
    if not recovering:
        return 0.0
    return lag_from(_received, time.monotonic(), received, replayed, replay_age)


def lag_from(history: collections.deque, now: float, received: int | None, replayed: int | None,
             replay_age: float | None) -> float:
    """How far behind the replica is: since when has it not replayed everything it had received then?

    The age of the last replayed transaction is no lag while a long transaction streams (an import's chunk of
    several seconds): WAL arrives and is replayed all along, but no commit is, so that age grows to the length
    of the transaction although the replica is under a second behind (bench/bench_replica_lag.py saw it over
    2 s in 59% of the samples of an import). So this process keeps when it saw each position received, and
    the lag is the time since the last of those positions that is now replayed: at most the time between two
    checks (one a second) more than the true lag. Without such a sample yet, the age of the last replayed
    transaction stands in: too high rather than too low, so reads go to the primary when in doubt."""
    if received is None or replayed is None:
        return float(replay_age or 0)
    while history and history[0][0] < now - _RECEIVED_KEPT_SECONDS:
        history.popleft()
    history.append((now, received))
    if replayed >= received:  # caught up (an idle primary makes the replay time look old)
        return 0.0
    since = [at for at, position in history if position <= replayed]
    if since:
        return now - max(since)
    return max(float(replay_age or 0), now - history[0][0])


def replica_usable() -> bool:
    """Whether the replica may serve reads now; asks it at most once a second per process."""
    now = time.monotonic()
    if now < _health["down_until"]:
        return False
    if now - _health["checked"] < 1.0:
        return _health["ok"]
    _health["checked"] = now
    try:
        lag = _lag_seconds()
    except DatabaseError:
        mark_down("health query failed")
        return False
    _health["lag"] = lag
    _health["ok"] = lag <= settings.RRT_REPLICA_MAX_LAG_SECONDS
    if not _health["ok"]:
        logger.warning("replica %.1f s behind: reads go to the primary", lag)
    return _health["ok"]


def mark_down(why: str) -> None:
    logger.warning("replica unusable (%s): reads go to the primary for %s s", why, settings.RRT_REPLICA_RETRY_SECONDS)
    _health.update(ok=False, down_until=time.monotonic() + settings.RRT_REPLICA_RETRY_SECONDS, checked=0.0)
    try:
        connections[REPLICA].close()
    except DatabaseError:
        pass


def status() -> dict[str, object]:
    """For /readyz and operators: whether reads go to the replica now, and its last measured lag."""
    return {"usable": replica_usable(), "lag_seconds": _health["lag"]}


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _reads_may_use_replica.get() or connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA if replica_usable() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        _reads_may_use_replica.set(False)  # what this request writes, its own later reads must see
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _client_keys(request: HttpRequest, response: HttpResponse | None = None) -> list[str]:
    values = [request.COOKIES.get(settings.SESSION_COOKIE_NAME, ""), request.headers.get("Authorization", "")]
    if response is not None and settings.SESSION_COOKIE_NAME in response.cookies:
        values.append(response.cookies[settings.SESSION_COOKIE_NAME].value)  # a login's new session
    return [f"rrt-wrote:{hashlib.sha256(value.encode()).hexdigest()[:24]}" for value in values if value]


class ReplicaReadsMiddleware:
    """Decides, per request, whether its reads may go to the replica (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.active = configured()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.active:
            return self.get_response(request)
        safe = request.method in SAFE_METHODS
        if not safe:
            response = self.get_response(request)
            try:
                cache.set_many({key: 1 for key in _client_keys(request, response)},
                               timeout=settings.RRT_READ_OWN_WRITES_SECONDS)
            except CACHE_ERRORS:  # the write is done: answer it; the next reads may lag by the bound at most
                logger.warning("cache unreachable: could not hold a writer's reads on the primary")
            return response
        failed: list[Exception] = []

        def watch(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except DatabaseError as error:
                failed.append(error)
                raise

        try:
            allowed = not cache.get_many(_client_keys(request))
        except CACHE_ERRORS:  # cannot tell whether this client just wrote: read where the write is
            allowed = False
        token = _reads_may_use_replica.set(allowed)
        try:
            with connections[REPLICA].execute_wrapper(watch):
                response = self.get_response(request)
        finally:
            _reads_may_use_replica.reset(token)
        if allowed and response.status_code >= 500 and (failed or _probe_fails()):
            # The replica failed under this request (stopped, restarted, cut off): the same GET again from the
            # primary; a safe method changes nothing, so running it twice is harmless.
            mark_down(type(failed[0]).__name__ if failed else "refused connection")
            response = self.get_response(request)
        return response


def _probe_fails() -> bool:
    """Whether the replica fails a query now (a refused connection never reaches the execute wrapper)."""
    try:
        _lag_seconds()
    except DatabaseError:
        return True
    return False
