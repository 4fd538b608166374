"""The push channel protocol (MSG-4): what the delivery engine (push.engine) asks of a channel.

A push only rings the bell: title, sender, time and a link, never the body or a child's data (NFR-1);
the notice itself is read in the inbox. Channels are named in settings.RRT_PUSH_CHANNELS
({name: dotted path of the class}), so a channel in another app (wechat) plugs in without an import."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from django.db.models import QuerySet


@dataclass(frozen=True)
class PushMessage:
    delivery_id: int
    account_id: int
    region_id: int | None  # whose channel configuration applies
    title: str
    sender: str
    sent_at: datetime
    link: str  # absolute URL of the notice in the inbox


class Outcome(StrEnum):
    DELIVERED = "delivered"  # the channel confirmed delivery
    ACCEPTED = "accepted"  # handed over; a later event (WeChat's TEMPLATESENDJOBFINISH) says delivered or not
    RETRY = "retry"  # a passing failure: try again later, backing off
    FAILED = "failed"  # final: not following, refused, bad address; `reason` says which
    PAUSED = "paused"  # the channel cannot send until `resume_at` (a daily quota): no attempt used up


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    reason: str = ""  # the provider's code or a short word, shown to admins
    reference: str = ""  # the provider's message id, to match its later event
    resume_at: datetime | None = None


class Channel(Protocol):
    name: str

    def reachable(self, region_id: int | None) -> QuerySet:
        """Account ids this channel can reach in the region (following the official account, with a bound
        phone, with a push subscription...), as a values_list queryset the engine joins against set-based."""

    def send(self, message: PushMessage) -> Result:
        """Deliver one message; never raises for a provider's answer (it becomes a Result)."""

    # Optional: `send_many(messages) -> Iterable[Result]`, one Result per message in order, yielded as each
    # is sent. The engine prefers it, so a channel reads once per batch what each message would ask the
    # database for; it stops iterating after a PAUSED result.
