"""Push deliveries (MSG-4): one row per (source, ref_id, account, channel), the state of ringing one
account's bell on one channel for one notice (or any other source).

A row snapshots what the push shows (title, sender, time, link) and never the body or a child's data
(NFR-1): the notice itself is read in the inbox, which has it whatever happens to the push. No foreign keys,
so ring() writes rows set-based; PostgreSQL partitions the table by the month of sent_at (core.partitions),
one time per source and ref, so the unique key with it still writes a delivery once."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        HELD = "held", _("Held for quiet hours")  # released at their end
        SENDING = "sending", _("Sending")  # claimed by a worker
        ACCEPTED = "accepted", _("Handed over")  # the channel's later event settles it
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")  # e.g. an SMS to someone who had read the notice meanwhile

    source = models.CharField(max_length=16)  # "notice"
    ref_id = models.BigIntegerField()  # the notice's id
    account_id = models.BigIntegerField()
    channel = models.CharField(max_length=16)
    school_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)  # whose channel configuration applies
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(max_length=100, blank=True, default="")
    reference = models.CharField(max_length=100, blank=True, default="")
    urgent = models.BooleanField(default=False)
    title = models.CharField(max_length=100)
    sender = models.CharField(max_length=100)
    sent_at = models.DateTimeField()
    link = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "ref_id", "account_id", "channel"], name="one_delivery"),
        ]
        # Few indexes: ring() inserts a notice's rows in one statement, and each index costs it time.
        indexes = [
            # Claims: due rows in order, the LIMIT read straight off the index.
            models.Index(fields=["state", "next_attempt_at", "id"], name="push_due"),
            # finish_estimate: a region's pending rows on a channel and their first and last times.
            models.Index(fields=["region_id", "channel", "state", "next_attempt_at"], name="push_region_channel"),
            # The outbox page, newest first per school.
            models.Index(fields=["school_id", "channel", "-created_at"], name="push_school_channel"),
            # settle(): a channel's later event names its reference; only handed-over rows have one.
            models.Index(fields=["channel", "reference"], name="push_reference", condition=~models.Q(reference="")),
        ]


class ChannelPause(models.Model):
    """A channel that cannot send in a region until resume_at (a daily quota ran out): region-level rows,
    region_id 0 for deliveries that name no region. Engines read it before claiming: if the table cannot
    be read nothing is sent (fail closed)."""

    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region-level row
    region_id = models.BigIntegerField()
    channel = models.CharField(max_length=16)
    resume_at = models.DateTimeField()
    reason = models.CharField(max_length=100, blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_id", "channel"], name="one_pause_per_channel")]


class SmsBudgetUse(models.Model):
    """Text messages a region's pushes used in a month ("2026-12"), against Policy.push_sms_monthly_budget."""

    school_id = models.BigIntegerField(null=True, blank=True)  # always None: a region-level row
    region_id = models.BigIntegerField()
    month = models.CharField(max_length=7)
    used = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_id", "month"], name="one_budget_per_month")]


class PushSubscription(models.Model):
    """A browser's Web Push subscription (the Push API's endpoint and keys) for one account."""

    account = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school_id = models.BigIntegerField(null=True, blank=True)
    region_id = models.BigIntegerField(null=True, blank=True)
    endpoint = models.URLField(max_length=500)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=50)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["endpoint"], name="one_subscription_per_endpoint")]
        indexes = [models.Index(fields=["account"], name="push_subscription_account")]
