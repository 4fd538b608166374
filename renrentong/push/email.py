"""The email channel (MSG-4): Django's configured email backend (SMTP in production: EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS; DEFAULT_FROM_EMAIL) to Account.email."""

from __future__ import annotations

import smtplib

from django.core.mail import EmailMessage

from renrentong.accounts.models import Account
from renrentong.push.channels import Outcome, PushMessage, Result
from renrentong.push.text import plain_text, subject


class EmailChannel:
    name = "email"

    def reachable(self, region_id: int | None):
        return Account.objects.filter(email__isnull=False).exclude(email="").values_list("pk")

    def send(self, message: PushMessage) -> Result:
        address = Account.objects.filter(pk=message.account_id).values_list("email", flat=True).first()
        if not address:
            return Result(Outcome.FAILED, reason="no email")
        try:
            EmailMessage(subject(message), plain_text(message), to=[address]).send(fail_silently=False)
        except smtplib.SMTPRecipientsRefused:
            return Result(Outcome.FAILED, reason="address refused")
        except (smtplib.SMTPException, OSError) as exc:
            return Result(Outcome.RETRY, reason=type(exc).__name__)
        return Result(Outcome.DELIVERED)
