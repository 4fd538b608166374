"""The outbox channel (MSG-4, the default and the demo's): a push "sent" here is its delivery row, which
admins read on /push/outbox/. Like the SMS outbox (verification.providers.OutboxProvider) it refuses with
DEBUG off unless RRT_SMS_OUTBOX_ALLOWED=1 says a demo server may use it."""

from __future__ import annotations

import logging

from django.conf import settings

from renrentong.push.channels import Outcome, PushMessage, Result

logger = logging.getLogger(__name__)


class OutboxChannel:
    name = "outbox"

    def reachable(self, region_id: int | None):
        return None  # every account: the row itself is the message

    def send(self, message: PushMessage) -> Result:
        if not getattr(settings, "RRT_SMS_OUTBOX_ALLOWED", False):
            logger.error("push outbox refused: DEBUG is off and RRT_SMS_OUTBOX_ALLOWED is not set")
            return Result(Outcome.FAILED, reason="outbox_disabled")
        return Result(Outcome.DELIVERED, reference=f"outbox:{message.delivery_id}")
