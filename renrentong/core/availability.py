"""Failing closed when the shared cache (Redis in production) is unreachable (issue 10 item 5).

Rate limits and policies are read through the cache; without it a password check or a code send could
not be counted, so neither happens: the user gets `service.busy` (503), never a guess let through
unchecked and never a 500."""

from __future__ import annotations

from django.core.cache import cache

from renrentong.core.errors import UserFacingError

try:  # the Redis client is installed wherever Redis is the cache
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover
    RedisError = OSError

# What a cache backend raises when its server is unreachable or times out.
CACHE_ERRORS: tuple[type[BaseException], ...] = (RedisError, ConnectionError, TimeoutError)


def require_cache() -> None:
    try:
        cache.get("availability:probe")
    except CACHE_ERRORS as exc:
        raise UserFacingError("service.busy") from exc
