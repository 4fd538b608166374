"""Which channels exist (settings.RRT_PUSH_CHANNELS, dotted paths loaded lazily, so a channel in an app above
push, such as wechat's, plugs in without an import) and which a region enables (Policy.push_channels)."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from renrentong.orgs.models import Region, School
from renrentong.orgs.policy import EffectivePolicy, policy_for
from renrentong.push.channels import Channel

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = {"outbox": "renrentong.push.outbox.OutboxChannel"}


def configured() -> dict[str, str]:
    return dict(getattr(settings, "RRT_PUSH_CHANNELS", None) or DEFAULT_CHANNELS)


def load_channel(name: str) -> Channel | None:
    """The channel's instance, or None when it is not configured or its module is missing (logged)."""
    path = configured().get(name)
    if not path:
        return None
    module, _, cls = path.rpartition(".")
    try:
        return getattr(import_module(module), cls)()
    except (ImportError, AttributeError):
        logger.warning("push channel %s (%s) cannot be loaded", name, path)
        return None


def load_from_path(path: str):
    module, _, name = path.rpartition(".")
    return getattr(import_module(module), name)


def config_region(region_id: int | None, school_id: int | None) -> int | None:
    """The region whose push configuration (channels, official account, pauses) applies: the one given,
    else the school's district."""
    if region_id is None and school_id:
        return School.objects.filter(pk=school_id).values_list("district_id", flat=True).first()
    return region_id


def policy_of(school_id: int | None, region_id: int | None) -> EffectivePolicy:
    school = School.objects.select_related("district").filter(pk=school_id).first() if school_id else None
    region = Region.objects.filter(pk=region_id).first() if region_id and school is None else None
    return policy_for(school=school, region=region)


def enabled_channels(policy: EffectivePolicy) -> dict[str, Channel]:
    """The region's channels that are configured and load, in the order the policy names them."""
    found: dict[str, Channel] = {}
    for name in (n.strip() for n in policy.push_channels.split(",")):
        if name and name not in found:
            channel = load_channel(name)
            if channel is not None:
                found[name] = channel
    return found


def _clock(value: str) -> time | None:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except (ValueError, AttributeError):
        return None


def quiet_until(policy: EffectivePolicy, now: datetime | None = None) -> datetime | None:
    """The end of the quiet hours `now` falls in (local time), or None outside them. "21:30"-"07:00" spans
    midnight; equal or unreadable times mean no quiet hours."""
    start, end = _clock(policy.push_quiet_start), _clock(policy.push_quiet_end)
    if start is None or end is None or start == end:
        return None
    local = timezone.localtime(now or timezone.now())
    at = local.time()
    inside = (start <= at < end) if start < end else (at >= start or at < end)
    if not inside:
        return None
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return ends
