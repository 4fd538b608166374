"""API types of push (MSG-4): Web Push subscriptions, the outbox and delivery summaries."""

from __future__ import annotations

from datetime import datetime


from pydantic import Field

from renrentong.core.schemas import Schema


# What browsers give: base64url keys, and an https endpoint of their push service.
BASE64URL = r"^[A-Za-z0-9_-]+={0,2}$"
HTTPS_URL = r"^https://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[!-~]*)?$"


class SubscriptionKeysIn(Schema):
    p256dh: str = Field(min_length=20, max_length=200, pattern=BASE64URL)
    auth: str = Field(min_length=8, max_length=50, pattern=BASE64URL)


class SubscriptionIn(Schema):
    """A PushSubscription as the browser's PushSubscription.toJSON() gives it."""

    endpoint: str = Field(min_length=9, max_length=500, pattern=HTTPS_URL)
    keys: SubscriptionKeysIn


class SubscriptionEndpointIn(Schema):
    endpoint: str = Field(min_length=1, max_length=500)


class SubscriptionOut(Schema):
    endpoint: str
    created_at: datetime


class VapidKeyOut(Schema):
    public_key: str


class PushOutboxOut(Schema):
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
