"""WeChat template messages as a push channel (MSG-4), plugged into the delivery engine by dotted path
(settings.RRT_PUSH_CHANNELS["wechat"] = "renrentong.wechat.channel.WeChatChannel").

Each WeChat answer becomes a Result: -1 and HTTP trouble RETRY; a token WeChat calls invalid is refreshed
once and the send repeated at once (client.with_token), and RETRY if it fails again; 45009 (the daily quota)
PAUSED until the quota resets at midnight Beijing time, using no attempt, and the channel stays paused
for that official account without asking WeChat again; 43004/43101 FAILED with the follow state turned
off; 40037/47003 FAILED with the configuration error recorded for the district admin's page. The inbox
never depends on any of it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import groupby
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone

from renrentong.push.channels import Outcome, PushMessage, Result

from renrentong.wechat import selectors, services
from renrentong.wechat.client import TOKEN_ERRORS, TokenRefused, WeChatUnavailable
from renrentong.wechat.errors import CONFIG_FIXES
from renrentong.wechat.models import Follower

BEIJING = ZoneInfo("Asia/Shanghai")
NOT_FOLLOWING = {43004, 43101}
CONFIG_ERRORS = {40037, 47003}
QUOTA = 45009


def next_quota_reset(now: datetime | None = None) -> datetime:
    """WeChat's daily quotas reset at midnight Beijing time."""
    local = (now or timezone.now()).astimezone(BEIJING)
    return datetime.combine(local.date() + timedelta(days=1), time(0, 0), tzinfo=BEIJING)


def _pause_key(official_id: int) -> str:
    return f"wechat:paused:{official_id}"


def paused_until(region_id: int | None) -> datetime | None:
    """When WeChat pushes resume for the region after its official account hit the daily quota (45009),
    or None: for the sender's "pushes will finish after ..." before sending."""
    official = selectors.official_account_for_region(region_id)
    paused = cache.get(_pause_key(official.pk)) if official is not None else None
    if paused and paused > timezone.now().timestamp():
        return datetime.fromtimestamp(paused, tz=BEIJING)
    return None


class WeChatChannel:
    name = "wechat"

    def reachable(self, region_id: int | None) -> QuerySet:
        """Accounts following the official account that serves the region (bound and still following)."""
        official = selectors.official_account_for_region(region_id)
        if official is None:
            return Follower.objects.none().values_list("account_id", flat=True)
        return Follower.objects.filter(official_account=official, following=True).values_list("account_id", flat=True)

    def send(self, message: PushMessage) -> Result:
        return next(iter(self.send_many([message])))

    def send_many(self, messages: list[PushMessage]) -> Iterator[Result]:
        """The engine's batch: per region, the official account, its pause and the followers' openids are
        read once, then each message is one template send (the token is the client's, held in memory)."""
        for region_id, group in groupby(messages, key=lambda m: m.region_id):
            yield from self._send_region(region_id, list(group))

    def _send_region(self, region_id: int | None, messages: list[PushMessage]) -> Iterator[Result]:
        official = selectors.official_account_for_region(region_id)
        if official is None:
            for _ in messages:
                yield Result(Outcome.FAILED, "not_configured")
            return
        resume_at = paused_until(region_id)
        if resume_at is not None:
            yield Result(Outcome.PAUSED, str(QUOTA), resume_at=resume_at)
            return
        openids = dict(Follower.objects.filter(
            official_account=official, following=True, account_id__in={m.account_id for m in messages},
        ).values_list("account_id", "openid"))
        client = selectors.client_for(official)
        for message in messages:
            openid = openids.get(message.account_id)
            if openid is None:
                yield Result(Outcome.FAILED, "not_following")
                continue
            sent_at = timezone.localtime(message.sent_at, BEIJING).strftime("%Y-%m-%d %H:%M")
            try:
                answer = client.send_template(openid, official.template_id, message.link, message.title,
                                              message.sender, sent_at)
            except WeChatUnavailable as exc:
                yield Result(Outcome.RETRY, "unavailable:" + str(exc)[:40])
                continue
            except TokenRefused as exc:
                if str(exc.errcode) in CONFIG_FIXES:
                    services.record_config_error(official, exc.errcode)
                yield Result(Outcome.RETRY, f"token:{exc.errcode}")
                continue
            yield self._result(official, message, int(answer["errcode"]), answer)

    def _result(self, official, message: PushMessage, errcode: int, answer: dict) -> Result:
        if errcode == 0:
            if official.config_error:
                type(official).objects.filter(pk=official.pk).update(config_error="", config_error_at=None)
                official.config_error = ""  # once, not per message of the batch
            return Result(Outcome.ACCEPTED, reference=str(answer.get("msgid", "")))
        if errcode == -1 or errcode in TOKEN_ERRORS:
            return Result(Outcome.RETRY, str(errcode))
        if errcode == QUOTA:
            resume_at = next_quota_reset()
            seconds = max(int(resume_at.timestamp() - timezone.now().timestamp()), 1)
            cache.set(_pause_key(official.pk), resume_at.timestamp(), seconds)
            return Result(Outcome.PAUSED, str(errcode), resume_at=resume_at)
        if errcode in NOT_FOLLOWING:
            services.set_following(official, account_id=message.account_id, following=False, reason=str(errcode))
            return Result(Outcome.FAILED, str(errcode))
        if errcode in CONFIG_ERRORS:
            services.record_config_error(official, errcode)
            return Result(Outcome.FAILED, str(errcode))
        return Result(Outcome.FAILED, str(errcode))
