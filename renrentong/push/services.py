"""Ringing bells (MSG-4): ring() writes the delivery rows of a sent notice set-based; the engine
(push.engine) sends them. Subscriptions to Web Push are added and removed by their owner."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.push import registry
from renrentong.push.models import Delivery, PushSubscription

TITLE_LIMIT = 100
SENDER_LIMIT = 100
LINK_LIMIT = 500


def _account_column(account_ids: QuerySet) -> str:
    names = list(account_ids.query.values_select) or [a for a in account_ids.query.annotation_select]
    if len(names) != 1:
        raise ValueError("ring() wants a values_list queryset of one column: the account ids")
    return names[0]


def ring(*, source: str, ref_id: int, account_ids: QuerySet, region_id: int | None, school_id: int | None,
         title: str, sender: str, sent_at: datetime, link: str, urgent: bool = False) -> int:
    """Queue one delivery per (account, enabled channel that reaches it), inside the database: one
    INSERT ... SELECT per channel joining `account_ids` (a values_list queryset, e.g. a notice's inbox
    items) with the channel's reachable accounts. Safe to call twice (one row per source, ref, account
    and channel), given the same sent_at for a source and ref each time: PostgreSQL partitions deliveries by
    sent_at's month (core.partitions), and its unique key holds it. Quiet hours hold non-urgent rows until they end; SMS waits for its delay. Returns the
    rows created; the engine sends them (a drain is queued on commit)."""
    region_id = registry.config_region(region_id, school_id)
    policy = registry.policy_of(school_id, region_id)
    now = timezone.now()
    held_until = None if urgent else registry.quiet_until(policy, now)
    column = _account_column(account_ids)
    table = connection.ops.quote_name(Delivery._meta.db_table)
    created = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for name, channel in registry.enabled_channels(policy).items():
            first = now
            delay = getattr(channel, "delay", None)
            if delay is not None:
                first = now + delay(policy)
            state = Delivery.State.QUEUED
            if held_until is not None and held_until > first:
                state, first = Delivery.State.HELD, held_until
            reachable = channel.reachable(region_id)
            wanted = account_ids if reachable is None else account_ids.filter(**{f"{column}__in": reachable})
            sql, params = wanted.query.sql_with_params()
            cursor.execute(
                f"INSERT INTO {table} (source, ref_id, channel, school_id, region_id, state, attempts, "
                f"next_attempt_at, claimed_by, reason, reference, urgent, title, sender, sent_at, link, created_at, "
                f"account_id) SELECT %s, %s, %s, %s, %s, %s, 0, %s, '', '', '', %s, %s, %s, %s, %s, %s, q.* "
                f"FROM ({sql}) q WHERE 1=1 ON CONFLICT DO NOTHING",
                [source, ref_id, name, school_id, region_id, state, connection.ops.adapt_datetimefield_value(first),
                 urgent, title[:TITLE_LIMIT], sender[:SENDER_LIMIT], connection.ops.adapt_datetimefield_value(sent_at),
                 link[:LINK_LIMIT], connection.ops.adapt_datetimefield_value(now), *params],
            )
            created += max(cursor.rowcount, 0)
        if created:
            transaction.on_commit(_queue_drain)
    return created


def _queue_drain() -> None:
    from renrentong.push.tasks import drain_pushes

    drain_pushes.enqueue()


def cancel(*, source: str, ref_id: int, reason: str = "recalled") -> int:
    """Stop the pushes of a recalled notice that have not gone out yet."""
    return Delivery.objects.filter(
        source=source, ref_id=ref_id, state__in=[Delivery.State.QUEUED, Delivery.State.HELD],
    ).update(state=Delivery.State.CANCELLED, reason=reason, finished_at=timezone.now())


def settle(*, channel: str, reference: str, delivered: bool, reason: str = "") -> int:
    """A channel's later event about an accepted push (WeChat's TEMPLATESENDJOBFINISH): delivered or failed."""
    if not reference:
        return 0
    return Delivery.objects.filter(channel=channel, reference=reference, state=Delivery.State.ACCEPTED).update(
        state=Delivery.State.DELIVERED if delivered else Delivery.State.FAILED, reason=reason[:100],
        finished_at=timezone.now())


# Web Push subscriptions -------------------------------------------------------------------------------

def _endpoint_allowed(endpoint: str) -> bool:
    # The server posts to this address: only https (plain http on loopback only where a test allows it).
    parts = urlsplit(endpoint)
    if parts.scheme == "https" and parts.hostname:
        return True
    return (parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
            and getattr(settings, "RRT_WEBPUSH_ALLOW_LOOPBACK_HTTP", False))


def subscribe(actor: Actor, *, endpoint: str, p256dh: str, auth: str) -> PushSubscription:
    identity = actor.require_identity()
    endpoint, p256dh, auth = endpoint.strip(), p256dh.strip(), auth.strip()
    if "\x00" in endpoint + p256dh + auth or not _endpoint_allowed(endpoint) or len(endpoint) > 500 or not (20 <= len(p256dh) <= 200) \
            or not (8 <= len(auth) <= 50):
        raise UserFacingError("push.subscription_invalid")
    school_id = getattr(identity, "school_id", None)
    region_id = getattr(identity, "region_id", None)
    with transaction.atomic():
        # An endpoint belongs to one browser: whoever subscribes it last owns it.
        PushSubscription.objects.filter(endpoint=endpoint).exclude(account=actor.account).delete()
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint, defaults={"account": actor.account, "p256dh": p256dh, "auth": auth,
                                         "school_id": school_id, "region_id": region_id})
        if created:
            audit.record(actor, "push.subscribe", subscription, {}, school_id=school_id)
    return subscription


def unsubscribe(actor: Actor, *, endpoint: str) -> int:
    if "\x00" in endpoint:  # no stored endpoint holds one (PostgreSQL cannot store NUL): nothing to remove
        return 0
    with transaction.atomic():
        found = PushSubscription.objects.filter(account=actor.account, endpoint=endpoint.strip())
        removed = found.count()
        if removed:
            audit.record(actor, "push.unsubscribe", actor.account, {}, school_id=getattr(actor.identity, "school_id", None))
        found.delete()
    return removed

