"""The delivery engine (MSG-4): workers claim due rows in batches, send each through its channel and record
the outcome. A channel failure never loses a notice: the inbox has it whatever happens here.

- Claiming: SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so workers never wait on each other nor take
  the same row; on SQLite the claim is one IMMEDIATE transaction, which serializes.
- A row claimed by a worker that died (still "sending" after RECLAIM_AFTER) is queued again by the sweep,
  counting the lost attempt; a push may then go out twice, never be lost.
- Retries back off exponentially with full jitter (base 30 s, cap 1 h); after MAX_ATTEMPTS it fails.
- Outcome.PAUSED pauses the channel in the region (ChannelPause) until resume_at; no attempt is used.
- Quiet hours hold non-urgent rows (state "held") until they end; the sweep releases them."""

from __future__ import annotations

from collections.abc import Callable

import logging
import os
import random
import socket
import uuid
from collections import defaultdict
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from renrentong.push import registry
from renrentong.push.channels import Outcome, PushMessage, Result
from renrentong.push.models import ChannelPause, Delivery

logger = logging.getLogger(__name__)

BATCH = 200
BASE_SECONDS = 30
CAP_SECONDS = 3600
MAX_ATTEMPTS = 8
RECLAIM_AFTER = timedelta(minutes=5)
DRAINS_PER_SWEEP = 4


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """Full jitter: a uniform wait between 1 s and min(cap, base * 2^(attempts-1))."""
    ceiling = min(CAP_SECONDS, BASE_SECONDS * 2 ** max(0, attempts - 1))
    return timedelta(seconds=(rng or random).uniform(1, ceiling))


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def active_pauses(now=None) -> list[tuple[int, str]]:
    now = now or timezone.now()
    return list(ChannelPause.objects.filter(resume_at__gt=now).values_list("region_id", "channel"))


def claim(worker: str, batch: int = BATCH) -> list[Delivery]:
    """Take up to `batch` due queued rows for this worker (skipping paused channels) and mark them sending."""
    now = timezone.now()
    with transaction.atomic():
        due = Delivery.objects.filter(state=Delivery.State.QUEUED, next_attempt_at__lte=now)
        for region_id, channel in active_pauses(now):
            due = due.exclude(Q(channel=channel) & (Q(region_id=region_id) if region_id else Q(region_id__isnull=True)))
        due = due.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:batch])
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, state=Delivery.State.QUEUED).update(
            state=Delivery.State.SENDING, claimed_by=worker, claimed_at=now)
    return list(Delivery.objects.filter(pk__in=ids, claimed_by=worker, state=Delivery.State.SENDING).order_by("pk"))


def _finish(row: Delivery, worker: str, **changes) -> None:
    # Only the claimant records: a row reclaimed from a worker thought dead is the new claimant's.
    Delivery.objects.filter(pk=row.pk, claimed_by=worker, state=Delivery.State.SENDING).update(**changes)


def _record(row: Delivery, worker: str, result: Result) -> None:
    now = timezone.now()
    reason, reference = result.reason[:100], result.reference[:100]
    if result.outcome == Outcome.DELIVERED:
        _finish(row, worker, state=Delivery.State.DELIVERED, attempts=F("attempts") + 1, reason=reason,
                reference=reference, finished_at=now)
    elif result.outcome == Outcome.ACCEPTED:
        _finish(row, worker, state=Delivery.State.ACCEPTED, attempts=F("attempts") + 1, reason=reason,
                reference=reference, finished_at=now)
    elif result.outcome == Outcome.FAILED:
        _finish(row, worker, state=Delivery.State.FAILED, attempts=F("attempts") + 1, reason=reason or "failed",
                reference=reference, finished_at=now)
    elif result.outcome == Outcome.PAUSED:
        resume_at = result.resume_at or now + timedelta(hours=1)
        pause(row.region_id, row.channel, resume_at, reason)
        _finish(row, worker, state=Delivery.State.QUEUED, next_attempt_at=resume_at, reason=reason,
                claimed_by="", claimed_at=None)
    else:
        _retry(row, worker, reason or "retry", now)


def _retry(row: Delivery, worker: str, reason: str, now) -> None:
    attempts = row.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        _finish(row, worker, state=Delivery.State.FAILED, attempts=attempts, reason=f"{reason} (gave up)"[:100],
                finished_at=now)
    else:
        _finish(row, worker, state=Delivery.State.QUEUED, attempts=attempts, reason=reason,
                next_attempt_at=now + backoff(attempts), claimed_by="", claimed_at=None)


def pause(region_id: int | None, channel: str, resume_at, reason: str = "") -> None:
    ChannelPause.objects.update_or_create(region_id=region_id or 0, channel=channel,
                                          defaults={"resume_at": resume_at, "reason": reason[:100]})


def _unread_filter(rows: list[Delivery], worker: str) -> list[Delivery]:
    """Channels that ring only the still-unread (SMS) ask the row's source once per ref (RRT_PUSH_SOURCES);
    the read ones are cancelled. A source that is not configured keeps nothing (fail closed)."""
    from django.conf import settings

    groups: dict[tuple[str, int], list[Delivery]] = defaultdict(list)
    for row in rows:
        groups[(row.source, row.ref_id)].append(row)
    keep: list[Delivery] = []
    sources = getattr(settings, "RRT_PUSH_SOURCES", {}) or {}
    for (source, ref_id), group in groups.items():
        path = sources.get(source)
        try:
            unread = set(registry.load_from_path(path)(ref_id, [r.account_id for r in group])) if path else set()
        except Exception:
            logger.exception("push source %s cannot say who has not read %s", source, ref_id)
            for row in group:
                _retry(row, worker, "source unavailable", timezone.now())
            continue
        for row in group:
            if row.account_id in unread:
                keep.append(row)
            else:
                _finish(row, worker, state=Delivery.State.CANCELLED, reason="read" if path else "no source",
                        finished_at=timezone.now())
    return keep


def _message(row: Delivery) -> PushMessage:
    return PushMessage(delivery_id=row.pk, account_id=row.account_id, region_id=row.region_id, title=row.title,
                       sender=row.sender, sent_at=row.sent_at, link=row.link)


def process(rows: list[Delivery], worker: str) -> int:
    """Send claimed rows; returns how many were handed to a channel."""
    now = timezone.now()
    sent = 0
    policies: dict[tuple, object] = {}
    paused: set[tuple[int, str]] = set()
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    for row in rows:
        key = (row.school_id, row.region_id)
        if key not in policies:
            policies[key] = registry.policy_of(row.school_id, row.region_id)
        until = None if row.urgent else registry.quiet_until(policies[key], now)
        if until is not None:
            _finish(row, worker, state=Delivery.State.HELD, next_attempt_at=until, claimed_by="", claimed_at=None)
            continue
        by_channel[row.channel].append(row)
    for name, group in by_channel.items():
        channel = registry.load_channel(name)
        if channel is None:
            for row in group:
                _finish(row, worker, state=Delivery.State.FAILED, reason="channel not configured", finished_at=now)
            continue
        if getattr(channel, "unread_only", False):
            group = _unread_filter(group, worker)
        for row in group:
            if (row.region_id or 0, name) in paused:
                _finish(row, worker, state=Delivery.State.QUEUED, claimed_by="", claimed_at=None)
                continue
            try:
                result = channel.send(_message(row))
            except Exception as exc:  # a channel must not raise; if it does, the row is retried
                logger.exception("push channel %s raised for delivery %s", name, row.pk)
                result = Result(Outcome.RETRY, reason=type(exc).__name__)
            _record(row, worker, result)
            sent += 1
            if result.outcome == Outcome.PAUSED:
                paused.add((row.region_id or 0, name))
    return sent


def drain(batch: int = BATCH, worker: str | None = None) -> int:
    """Claim and send one batch; returns the rows claimed."""
    worker = worker or worker_name()
    rows = claim(worker, batch)
    if rows:
        process(rows, worker)
    return len(rows)


def release_held(now=None) -> int:
    now = now or timezone.now()
    return Delivery.objects.filter(state=Delivery.State.HELD, next_attempt_at__lte=now).update(
        state=Delivery.State.QUEUED)


def reclaim_dead(now=None) -> int:
    """Rows whose worker died mid-send go back to the queue, the lost attempt counted (a row that kills
    every worker that takes it fails after MAX_ATTEMPTS instead of looping)."""
    now = now or timezone.now()
    stale = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=now - RECLAIM_AFTER)
    gave_up = stale.filter(attempts__gte=MAX_ATTEMPTS - 1).update(
        state=Delivery.State.FAILED, attempts=F("attempts") + 1, reason="worker died (gave up)", finished_at=now,
        claimed_by="")
    back = stale.update(state=Delivery.State.QUEUED, attempts=F("attempts") + 1, reason="worker died",
                        next_attempt_at=now, claimed_by="", claimed_at=None)
    return gave_up + back


def sweep(queue_drain: Callable[[], object] | None = None) -> dict[str, int]:
    """Release held rows whose quiet hours ended, reclaim rows of dead workers, drop ended pauses, and queue
    drains for what is due through `queue_drain` (push.tasks.sweep_pushes, the periodic duty, passes it)."""
    now = timezone.now()
    done = {"released": release_held(now), "reclaimed": reclaim_dead(now)}
    ChannelPause.objects.filter(resume_at__lte=now).delete()
    due = Delivery.objects.filter(state=Delivery.State.QUEUED, next_attempt_at__lte=now) \
        .values("pk")[:DRAINS_PER_SWEEP * BATCH].count()  # bounded: a backlog of millions is not counted
    drains = min(DRAINS_PER_SWEEP, -(-due // BATCH))
    # At most one round of drains a minute: a backlog larger than the workers manage must not pile up tasks.
    if drains and queue_drain is not None and cache.add("push:drains-queued", 1, timeout=55):
        for _ in range(drains):
            queue_drain()
    else:
        drains = 0
    done["drains"] = drains
    return {k: v for k, v in done.items() if v}
