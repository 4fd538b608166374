"""Attempts per source address and hour for the flows whose answers reveal whether an ID number or a
phone is known (real-name verification, registration). Counted in the shared cache (Redis in production);
the window is the clock hour, so the message can say exactly when to come back."""

from __future__ import annotations

import time
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.formats import date_format

from renrentong.core.errors import UserFacingError

WINDOW = 3600


def count_attempt(flow: str, who: str, limit: int) -> None:
    """Count one attempt by `who` (a source address or an account) at `flow`; refuse past `limit`."""
    if not who:
        return
    window = int(time.time() // WINDOW)
    key = f"{flow}:attempts:{who}:{window}"
    cache.add(key, 0, WINDOW + 60)
    count = cache.incr(key)
    # The database cache's incr rewrites the row with the default timeout; keep the window's.
    cache.touch(key, WINDOW + 60)
    if count > limit:
        until = datetime.fromtimestamp((window + 1) * WINDOW, tz=timezone.get_current_timezone())
        raise UserFacingError(f"{flow}.throttled", until=date_format(timezone.localtime(until), "Y-m-d H:i"))
