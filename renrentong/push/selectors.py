"""Reading pushes (MSG-4): the outbox rows an admin may read, a notice's delivery summary, and when a
region's pushes on a channel will have gone out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.accounts.models import Account
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_name
from renrentong.push import access
from renrentong.push.models import ChannelPause, Delivery

OUTBOX_PAGE = 100
PENDING = (Delivery.State.QUEUED, Delivery.State.HELD, Delivery.State.SENDING)
# Pushes per second a channel is assumed to manage before it has a record of its own.
DEFAULT_RATE = 20.0
RATE_WINDOW = timedelta(minutes=10)
MIN_SAMPLE = 50  # finished pushes in the window before their rate is believed


def deliveries_in_scope(actor: Actor) -> QuerySet[Delivery]:
    """Deliveries of the actor's schools; for a region admin, those whose region is theirs or below."""
    scope = actor.scope
    if scope.whole_districts:
        return Delivery.objects.filter(Q(region_id__in=scope.region_ids) | Q(school_id__in=scope.school_ids))
    return Delivery.objects.filter(school_id__in=scope.school_ids)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    account_number: str
    name: str
    title: str
    sender: str
    sent_at: datetime
    link: str
    state: str
    state_label: str
    reason: str
    urgent: bool


def outbox(actor: Actor, limit: int = OUTBOX_PAGE) -> list[OutboxRow]:
    """The outbox channel's pushes to people the admin answers for, newest first."""
    if not access.can_read_outbox(actor):
        raise UserFacingError("push.outbox_not_allowed")
    rows = list(deliveries_in_scope(actor).filter(channel="outbox").order_by("-created_at", "-pk")[:limit])
    accounts = {a.pk: a for a in Account.objects.filter(pk__in={r.account_id for r in rows}).select_related("person")}
    full = access.sees_full_names(actor)
    found = []
    for row in rows:
        account = accounts.get(row.account_id)
        name = account.person.name if account is not None and account.person_id else ""
        found.append(OutboxRow(
            id=row.pk, created_at=row.created_at, account_number=account.number if account else "",
            name=name if full else mask_name(name), title=row.title, sender=row.sender, sent_at=row.sent_at,
            link=row.link, state=row.state, state_label=str(row.get_state_display()), reason=row.reason,
            urgent=row.urgent))
    return found


def delivery_summary(actor: Actor, *, source: str, ref_id: int) -> dict[str, dict[str, int]]:
    """{channel: {state: count}} of one notice's pushes within the actor's scope. The caller has checked
    that the actor may follow up the notice (its receipts page)."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    rows = deliveries_in_scope(actor).filter(source=source, ref_id=ref_id).values("channel", "state") \
        .annotate(n=Count("pk")).order_by("channel", "state")
    for row in rows:
        counts[row["channel"]][row["state"]] = row["n"]
    return dict(counts)


CHANNEL_LABELS = {"outbox": _("Outbox"), "wechat": _("WeChat"), "sms": _("Text message"), "email": _("Email"),
                  "webpush": _("Browser notification")}


@dataclass(frozen=True)
class ChannelProgress:
    channel: str
    label: str
    delivered: int  # delivered, or accepted by the channel
    pending: int  # waiting: queued, held for quiet hours or an SMS delay, being sent
    failed: int  # failed or cancelled, with their reasons kept on the rows
    finish_by: datetime | None  # when the pending ones should have gone out (a paused channel waits)


def progress_of(*, source: str, ref_id: int) -> list[ChannelProgress]:
    """A notice's pushes per channel, and when the waiting ones should go out (WeChat's daily quota pauses a
    channel until midnight). The caller has checked the actor may follow the notice up (its sender)."""
    rows = Delivery.objects.filter(source=source, ref_id=ref_id).values("channel", "state", "region_id") \
        .annotate(n=Count("pk")).order_by("channel")
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    regions: dict[str, int | None] = {}
    for row in rows:
        counts[row["channel"]][row["state"]] += row["n"]
        regions.setdefault(row["channel"], row["region_id"])
    found = []
    for channel, states in counts.items():
        pending = sum(states.get(state, 0) for state in PENDING)
        found.append(ChannelProgress(
            channel=channel, label=str(CHANNEL_LABELS.get(channel, channel)),
            delivered=states.get(Delivery.State.DELIVERED, 0) + states.get(Delivery.State.ACCEPTED, 0),
            pending=pending,
            failed=states.get(Delivery.State.FAILED, 0) + states.get(Delivery.State.CANCELLED, 0),
            finish_by=finish_estimate(regions[channel], channel) if pending else None))
    return found


@dataclass(frozen=True)
class PausedChannel:
    channel: str
    label: str
    resume_at: datetime
    reason: str


def paused_channels(region_id: int | None, now: datetime | None = None) -> list[PausedChannel]:
    """The region's channels paused now (WeChat's daily quota until midnight): a sender is told before
    sending that those pushes wait, while the inbox gets the notice at once."""
    now = now or timezone.now()
    rows = ChannelPause.objects.filter(region_id=region_id or 0, resume_at__gt=now).order_by("channel")
    return [PausedChannel(p.channel, str(CHANNEL_LABELS.get(p.channel, p.channel)), p.resume_at, p.reason)
            for p in rows]


def finish_estimate(region_id: int | None, channel: str, now: datetime | None = None) -> datetime | None:
    """When the region's pending pushes on the channel should have gone out, or None if none are pending:
    from the later of now, the channel's pause and the first pending row's time, at the rate the channel
    managed over the last ten minutes (DEFAULT_RATE before it has a record)."""
    now = now or timezone.now()
    region = Q(region_id=region_id) if region_id else Q(region_id__isnull=True)
    mine = Delivery.objects.filter(region, channel=channel)
    pending = mine.filter(state__in=PENDING).aggregate(n=Count("pk"), first=Min("next_attempt_at"),
                                                       last=Max("next_attempt_at"))
    if not pending["n"]:
        return None
    done = mine.filter(finished_at__gte=now - RATE_WINDOW).count()
    rate = done / RATE_WINDOW.total_seconds() if done >= MIN_SAMPLE else DEFAULT_RATE
    paused = ChannelPause.objects.filter(region_id=region_id or 0, channel=channel, resume_at__gt=now) \
        .values_list("resume_at", flat=True).first()
    start = max(now, pending["first"] or now, paused or now)
    # Rows waiting for a later time (quiet hours, an SMS delay) finish no earlier than that time.
    return max(start + timedelta(seconds=pending["n"] / rate), pending["last"] or now)
