"""Reading the codes a test "received": the outbox (SMS) or Django's locmem mailbox (email)."""

from __future__ import annotations

import re

from django.core import mail

from renrentong.verification.models import OutboxMessage
from renrentong.verification.services import normalize_target

_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def last_code(target: str) -> str:
    """The code in the newest message to that phone or email address; fails the test if there is none."""
    value, channel = normalize_target(target)
    if channel == "email":
        for message in reversed(mail.outbox):
            if value in [address.lower() for address in message.to]:
                return _CODE.search(message.body).group(1)
        raise AssertionError(f"no email to {value}")
    message = OutboxMessage.objects.filter(target=value).order_by("-created_at", "-pk").first()
    assert message is not None, f"no text message to {value}"
    return _CODE.search(message.body).group(1)


def recipient(account=None):
    """What the accounts side passes to send_code for an account (or an account id, or nobody)."""
    from renrentong.accounts.models import Account
    from renrentong.accounts.selectors import code_recipient

    if isinstance(account, int):
        account = Account.objects.get(pk=account)
    return code_recipient(account)
