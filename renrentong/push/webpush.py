"""The Web Push channel (MSG-4, optional, off unless a region lists "webpush" in Policy.push_channels):
pywebpush with VAPID (RRT_VAPID_PRIVATE_KEY, RRT_VAPID_SUBJECT from settings or the environment) to each of
the account's PushSubscription rows. The push service answers 201; 404 or 410 means the subscription is gone
and its row is deleted; 429 and 5xx are retried. Chrome's push service (FCM) is unreachable from mainland
China, so this reaches mostly Firefox and Safari users there (docs/push.md)."""

from __future__ import annotations

import base64
import json
import logging
import os

from django.conf import settings

from renrentong.push.channels import Outcome, PushMessage, Result
from renrentong.push.models import PushSubscription
from renrentong.push.text import payload

logger = logging.getLogger(__name__)

TTL_SECONDS = 24 * 3600
TIMEOUT_SECONDS = 10
GONE = (404, 410)


def _setting(name: str) -> str:
    return str(getattr(settings, name, None) or os.environ.get(name, ""))


def vapid_public_key() -> str:
    """The applicationServerKey browsers subscribe with (base64url of the raw public point), or ""."""
    private = _setting("RRT_VAPID_PRIVATE_KEY")
    if not private:
        return ""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    from py_vapid import Vapid

    raw = Vapid.from_string(private).public_key.public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class WebPushChannel:
    name = "webpush"

    def reachable(self, region_id: int | None):
        return PushSubscription.objects.values_list("account_id")

    def send(self, message: PushMessage) -> Result:
        from pywebpush import WebPushException, webpush

        private, subject = _setting("RRT_VAPID_PRIVATE_KEY"), _setting("RRT_VAPID_SUBJECT")
        if not private or not subject:
            return Result(Outcome.FAILED, reason="vapid not configured")
        subscriptions = list(PushSubscription.objects.filter(account_id=message.account_id))
        if not subscriptions:
            return Result(Outcome.FAILED, reason="no subscription")
        data = json.dumps(payload(message), ensure_ascii=False)
        delivered, retry, reasons = 0, False, []
        for subscription in subscriptions:
            info = {"endpoint": subscription.endpoint, "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth}}
            try:
                webpush(info, data=data, vapid_private_key=private, vapid_claims={"sub": subject},
                        ttl=TTL_SECONDS, timeout=TIMEOUT_SECONDS)
                delivered += 1
            except WebPushException as exc:
                status = getattr(exc.response, "status_code", None)
                if status in GONE:
                    subscription.delete()
                    reasons.append(f"HTTP {status}")
                elif status is not None and 400 <= status < 500 and status != 429:
                    reasons.append(f"HTTP {status}")
                else:
                    retry = True
                    reasons.append(f"HTTP {status}" if status else "no answer")
            except Exception as exc:  # network errors (requests) are passing failures
                retry = True
                reasons.append(type(exc).__name__)
        if delivered:
            return Result(Outcome.DELIVERED, reason=", ".join(reasons)[:100])
        if retry:
            return Result(Outcome.RETRY, reason=", ".join(reasons)[:100])
        return Result(Outcome.FAILED, reason=", ".join(reasons)[:100] or "gone")
