"""Verification codes (SMS-1..SMS-3), the development SMS outbox, and TOTP second factors.

A code is never stored, only a keyed digest of it bound to its challenge's token; the outbox body,
which is the development "phone", is the one place a code is kept in clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Challenge(models.Model):
    """One code sent to one phone or email address for one purpose, tied to the request that asked for it.

    Rows are also the durable quota counters: the sends to a target, from a source address and for an
    account in the last 24 hours are counted here, in the database, so limits survive a restart and
    hold across web workers. A send the provider refused is rolled back and never counts.
    """

    class Channel(models.TextChoices):
        SMS = "sms", "SMS"
        EMAIL = "email", "Email"

    token = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=32)
    binding_digest = models.CharField(max_length=64)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    target = models.CharField(max_length=254)
    masked_target = models.CharField(max_length=254)
    account_id = models.BigIntegerField(null=True, blank=True)
    source = models.GenericIPAddressField(null=True, blank=True)
    code_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    resend_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    used_at = models.DateTimeField(null=True, blank=True)
    provider = models.CharField(max_length=16, blank=True)
    provider_reference = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["target", "created_at"]),
            models.Index(fields=["source", "created_at"]),
            models.Index(fields=["account_id", "created_at"]),
        ]

    @property
    def voided(self) -> bool:
        return self.attempts >= self.max_attempts


class SendLock(models.Model):
    """One row per target, locked (SELECT ... FOR UPDATE) while a send is decided, so that two web
    workers cannot both pass the quota check for the same phone at the same moment."""

    key = models.CharField(max_length=64, unique=True)


class OutboxMessage(models.Model):
    """A text message the development backend "sent": admins read it on /verification/outbox/.

    school_id and district_id place the message in admins' scopes (the recipient account's school)."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    target = models.CharField(max_length=254, db_index=True)
    body = models.TextField()
    purpose = models.CharField(max_length=32, blank=True)
    account_id = models.BigIntegerField(null=True, blank=True)
    school_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    district_id = models.BigIntegerField(null=True, blank=True, db_index=True)


class TotpDevice(models.Model):
    """An authenticator app enrolled for an account (RFC 6238). Secrets are sealed (AES-GCM).

    A new secret waits in `pending_*` until the user proves the app has it; until then the confirmed
    one, if any, stays in force."""

    account = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    school_id = models.BigIntegerField(null=True, blank=True)  # the account's home school when enrolled
    key_id = models.CharField(max_length=16, blank=True)
    secret_sealed = models.BinaryField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    pending_key_id = models.CharField(max_length=16, blank=True)
    pending_sealed = models.BinaryField(null=True, blank=True)
    # The newest time step accepted, so that a code cannot be replayed within its window.
    last_step = models.BigIntegerField(default=0)
