"""The delivery engine (MSG-4): workers claim due rows in batches, send each through its channel and record
the outcome. A channel failure never loses a notice: the inbox has it whatever happens here.

- Claiming: SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, so workers never wait on each other nor take
  the same row; on SQLite the claim is one IMMEDIATE transaction, which serializes.
- A row claimed by a worker that died (still "sending" after RECLAIM_AFTER) is queued again by the sweep,
  counting the lost attempt; a push may then go out twice, never be lost.
- Retries back off exponentially with full jitter (base 30 s, cap 1 h); after MAX_ATTEMPTS it fails.
- Outcome.PAUSED pauses the channel in the region (ChannelPause) until resume_at; no attempt is used.
- Quiet hours hold non-urgent rows (state "held") until they end; the sweep releases them.
- Per batch, not per row: a channel with `send_many` reads once what every message needs, and outcomes are
  written FLUSH_EVERY rows per statement (Outcomes), so a push costs about one provider call (bench_push)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import logging
import os
import random
import socket
import time
import uuid
from collections import defaultdict
from datetime import timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from renrentong.core.bulk import bulk_set
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
    if connection.vendor == "postgresql":
        return _claim_postgresql(worker, batch, now)
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


def _claim_postgresql(worker: str, batch: int, now) -> list[Delivery]:
    """The same claim in one statement: the due rows locked with SKIP LOCKED, marked, returned."""
    paused, params = "", [now]
    for region_id, channel in active_pauses(now):
        paused += " AND NOT (channel = %s AND " + ("region_id = %s)" if region_id else "region_id IS NULL)")
        params += [channel, region_id] if region_id else [channel]
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with transaction.atomic():
        return sorted(Delivery.objects.raw(
            f"UPDATE {table} SET state = %s, claimed_by = %s, claimed_at = %s WHERE id IN ("
            f"SELECT id FROM {table} WHERE state = %s AND next_attempt_at <= %s{paused} "
            f"ORDER BY next_attempt_at, id LIMIT %s FOR UPDATE SKIP LOCKED) RETURNING *",
            [Delivery.State.SENDING, worker, now, Delivery.State.QUEUED, *params, batch]), key=lambda r: r.pk)


FLUSH_EVERY = 50  # outcomes written per statement batch: a worker killed mid-batch re-sends at most this many
FLUSH_SECONDS = 1.0  # ...and at least this often, so a channel's later event (WeChat's) finds its reference


class Outcomes:
    """A batch's outcomes, written FLUSH_EVERY rows at a time (one transaction, one statement on PostgreSQL)
    rather than one UPDATE per row, and at least every FLUSH_SECONDS: the engine's database cost per delivery
    becomes a fraction of a query.
    Only the claimant records: a row reclaimed from a worker thought dead is the new claimant's. The price
    is that a worker killed mid-batch leaves up to FLUSH_EVERY sent rows "sending", which the sweep takes
    again, so those may ring twice (never lost)."""

    FIELDS = ("state", "attempts", "reason", "reference", "next_attempt_at", "claimed_by", "claimed_at",
              "finished_at")

    def __init__(self, worker: str) -> None:
        self.worker = worker
        self.pending: list[tuple] = []
        self.since = 0.0

    def add(self, row: Delivery, **changes) -> None:
        values = {name: changes.get(name, getattr(row, name)) for name in self.FIELDS}
        if not self.pending:
            self.since = time.monotonic()
        self.pending.append((row.pk, values))
        if len(self.pending) >= FLUSH_EVERY or time.monotonic() - self.since >= FLUSH_SECONDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        # Only the claimant records; one statement for the lot (per-row UPDATEs cost the database more than
        # the sends did).
        with transaction.atomic():
            bulk_set(Delivery, list(self.FIELDS), [(pk, *(values[name] for name in self.FIELDS))
                                                   for pk, values in self.pending],
                     only_where={"claimed_by": self.worker, "state": Delivery.State.SENDING})
        self.pending = []


def _record(row: Delivery, worker: str, result: Result) -> None:
    """One row's outcome, written at once (the batch path is `_outcome` into an `Outcomes`)."""
    outcomes = Outcomes(worker)
    _outcome(row, outcomes, result)
    outcomes.flush()


def _outcome(row: Delivery, out: Outcomes, result: Result) -> None:
    now = timezone.now()
    reason, reference = result.reason[:100], result.reference[:100]
    if result.outcome == Outcome.DELIVERED:
        out.add(row, state=Delivery.State.DELIVERED, attempts=row.attempts + 1, reason=reason,
                reference=reference, finished_at=now)
    elif result.outcome == Outcome.ACCEPTED:
        out.add(row, state=Delivery.State.ACCEPTED, attempts=row.attempts + 1, reason=reason,
                reference=reference, finished_at=now)
    elif result.outcome == Outcome.FAILED:
        out.add(row, state=Delivery.State.FAILED, attempts=row.attempts + 1, reason=reason or "failed",
                reference=reference, finished_at=now)
    elif result.outcome == Outcome.PAUSED:
        resume_at = result.resume_at or now + timedelta(hours=1)
        pause(row.region_id, row.channel, resume_at, reason)
        out.add(row, state=Delivery.State.QUEUED, next_attempt_at=resume_at, reason=reason, claimed_by="",
                claimed_at=None)
    else:
        _retry(row, out, reason or "retry", now)


def _retry(row: Delivery, out: Outcomes, reason: str, now) -> None:
    attempts = row.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        out.add(row, state=Delivery.State.FAILED, attempts=attempts, reason=f"{reason} (gave up)"[:100],
                finished_at=now)
    else:
        out.add(row, state=Delivery.State.QUEUED, attempts=attempts, reason=reason,
                next_attempt_at=now + backoff(attempts), claimed_by="", claimed_at=None)


def pause(region_id: int | None, channel: str, resume_at, reason: str = "") -> None:
    ChannelPause.objects.update_or_create(region_id=region_id or 0, channel=channel,
                                          defaults={"resume_at": resume_at, "reason": reason[:100]})


def _unread_filter(rows: list[Delivery], out: Outcomes) -> list[Delivery]:
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
                _retry(row, out, "source unavailable", timezone.now())
            continue
        for row in group:
            if row.account_id in unread:
                keep.append(row)
            else:
                out.add(row, state=Delivery.State.CANCELLED, reason="read" if path else "no source",
                        finished_at=timezone.now())
    return keep


def _message(row: Delivery) -> PushMessage:
    return PushMessage(delivery_id=row.pk, account_id=row.account_id, region_id=row.region_id, title=row.title,
                       sender=row.sender, sent_at=row.sent_at, link=row.link)


def _answers(channel, messages: list[PushMessage]) -> Iterator[Result]:
    """The channel's answers in order: its `send_many` when it has one (a channel that reads per batch what
    would cost a query per message, like WeChat's openids), else `send` per message."""
    send_many = getattr(channel, "send_many", None)
    return iter(send_many(messages)) if send_many is not None else (channel.send(m) for m in messages)


def _send(channel, name: str, rows: list[Delivery], out: Outcomes) -> int:
    messages = [_message(row) for row in rows]
    answers = _answers(channel, messages)
    for index, row in enumerate(rows):
        try:
            result = next(answers)
        except StopIteration:  # a channel that answered fewer messages than it was given
            result = Result(Outcome.RETRY, reason="no answer")
        except Exception as exc:  # a channel must not raise; if it does, the row is retried and the rest go on
            logger.exception("push channel %s raised for delivery %s", name, row.pk)
            result = Result(Outcome.RETRY, reason=type(exc).__name__)
            answers = _answers(channel, messages[index + 1:])
        _outcome(row, out, result)
        if result.outcome == Outcome.PAUSED:
            # The rest wait for the pause to end (claims skip a paused channel) without using an attempt.
            for rest in rows[index + 1:]:
                out.add(rest, state=Delivery.State.QUEUED, claimed_by="", claimed_at=None)
            return index + 1
    return len(rows)


def process(rows: list[Delivery], worker: str) -> int:
    """Send claimed rows; returns how many were handed to a channel."""
    now = timezone.now()
    sent = 0
    policies: dict[tuple, object] = {}
    by_channel: dict[str, list[Delivery]] = defaultdict(list)
    out = Outcomes(worker)
    try:
        for row in rows:
            key = (row.school_id, row.region_id)
            if key not in policies:
                policies[key] = registry.policy_of(row.school_id, row.region_id)
            until = None if row.urgent else registry.quiet_until(policies[key], now)
            if until is not None:
                out.add(row, state=Delivery.State.HELD, next_attempt_at=until, claimed_by="", claimed_at=None)
                continue
            by_channel[row.channel].append(row)
        for name, group in by_channel.items():
            channel = registry.load_channel(name)
            if channel is None:
                for row in group:
                    out.add(row, state=Delivery.State.FAILED, reason="channel not configured", finished_at=now)
                continue
            if getattr(channel, "unread_only", False):
                group = _unread_filter(group, out)
            # One region's rows together, so a channel reading per region (WeChat's account) reads once.
            group.sort(key=lambda r: (r.region_id or 0, r.pk))
            sent += _send(channel, name, group, out)
    finally:
        out.flush()
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
