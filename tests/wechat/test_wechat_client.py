"""The API client and the channel against the fake WeChat server: each reply's handling (MSG-4)."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from renrentong.push.channels import Outcome, PushMessage
from renrentong.wechat.channel import WeChatChannel, next_quota_reset, paused_until
from renrentong.wechat.client import WeChatClient, cut
from renrentong.wechat.models import Follower, OfficialAccount
from tests.wechat.conftest import APPID, SECRET

pytestmark = pytest.mark.django_db


def follow(official, account, openid="openid-1"):
    return Follower.objects.create(official_account=official, region_id=official.region_id, account=account,
                                   openid=openid, school_id=account.home_school_id)


def message(world, account=None, title="期中考试安排", region=None):
    return PushMessage(delivery_id=1, account_id=(account or world.parent_a).pk,
                       region_id=(region or world.district_x).pk, title=title, sender="芙蓉第一小学 王老师",
                       sent_at=datetime(2026, 12, 4, 12, 30, tzinfo=ZoneInfo("UTC")), link="https://rrt.example/n/1/")


def test_cut_to_twenty_characters_with_an_ellipsis():
    assert cut("一" * 20) == "一" * 20
    assert cut("一" * 21) == "一" * 19 + "…"
    assert len(cut("x" * 100)) == 20


def test_template_send_is_accepted_with_its_msgid_and_fields_cut(world, official, fake):
    follow(official, world.parent_a)
    result = WeChatChannel().send(message(world, title="关于本学期期末考试安排及寒假放假时间的重要通知"))
    assert result.outcome == Outcome.ACCEPTED and result.reference.isdigit()
    body = fake.calls("template")[-1]
    assert body["touser"] == "openid-1" and body["template_id"] == "TPL-1" and body["url"] == "https://rrt.example/n/1/"
    title = body["data"]["thing1"]["value"]
    assert len(title) == 20 and title.endswith("…")
    assert body["data"]["time3"]["value"] == "2026-12-04 20:30"  # Beijing time
    assert "first" not in body["data"] and "remark" not in body["data"]


def test_minus_one_is_retried(world, official, fake):
    follow(official, world.parent_a)
    fake.script("template", [-1])
    assert WeChatChannel().send(message(world)).outcome == Outcome.RETRY


@pytest.mark.parametrize("errcode", [40001, 40014, 42001])
def test_token_error_refreshes_once_and_sends_again_at_once(world, official, fake, errcode):
    follow(official, world.parent_a)
    WeChatClient(APPID, SECRET).token()
    fake.script("template", [errcode])
    result = WeChatChannel().send(message(world))
    assert result.outcome == Outcome.ACCEPTED
    tokens = fake.calls("token")
    assert len(tokens) == 2 and tokens[-1]["force_refresh"] is True
    assert len(fake.calls("template")) == 2


def test_token_error_twice_is_retried_later(world, official, fake):
    follow(official, world.parent_a)
    fake.script("template", [40001, 40001])
    assert WeChatChannel().send(message(world)).outcome == Outcome.RETRY
    assert len(fake.calls("template")) == 2


def test_expired_token_is_replaced(world, official, fake):
    follow(official, world.parent_a)
    assert WeChatChannel().send(message(world)).outcome == Outcome.ACCEPTED
    fake.expire_tokens()  # WeChat answers 40001 to the held token
    assert WeChatChannel().send(message(world)).outcome == Outcome.ACCEPTED
    assert len(fake.calls("token")) == 2


def test_daily_quota_pauses_until_midnight_beijing_without_asking_again(world, official, fake):
    follow(official, world.parent_a)
    fake.quota = 0
    result = WeChatChannel().send(message(world))
    assert result.outcome == Outcome.PAUSED and result.reason == "45009"
    local = result.resume_at.astimezone(ZoneInfo("Asia/Shanghai"))
    assert (local.hour, local.minute) == (0, 0) and local > timezone.now()
    assert local - timezone.now() <= timedelta(days=1)
    again = WeChatChannel().send(message(world))
    assert again.outcome == Outcome.PAUSED and len(fake.calls("template")) == 1
    assert paused_until(world.district_x.pk) == result.resume_at and paused_until(world.district_y.pk) is None


def test_next_quota_reset_is_the_next_beijing_midnight():
    now = datetime(2026, 12, 4, 16, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on the 5th in Beijing
    assert next_quota_reset(now) == datetime(2026, 12, 6, 0, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize("errcode", [43004, 43101])
def test_not_following_fails_and_turns_following_off(world, official, fake, errcode):
    follow(official, world.parent_a)
    fake.script("template", [errcode])
    result = WeChatChannel().send(message(world))
    assert result.outcome == Outcome.FAILED and result.reason == str(errcode)
    row = Follower.objects.get(account=world.parent_a)
    assert not row.following and row.reason == str(errcode)
    assert world.parent_a.pk not in set(WeChatChannel().reachable(world.district_x.pk))


@pytest.mark.parametrize("errcode", [40037, 47003])
def test_configuration_error_fails_and_is_recorded_for_the_region(world, official, fake, errcode):
    follow(official, world.parent_a)
    fake.script("template", [errcode])
    result = WeChatChannel().send(message(world))
    assert result.outcome == Outcome.FAILED
    assert OfficialAccount.objects.get(pk=official.pk).config_error == str(errcode)


def test_http_errors_and_timeouts_are_retried(world, official, fake, settings, monkeypatch):
    follow(official, world.parent_a)
    fake.http_status = 502
    assert WeChatChannel().send(message(world)).outcome == Outcome.RETRY
    fake.http_status = None
    WeChatClient(APPID, SECRET).token()
    monkeypatch.setattr("renrentong.wechat.client.TIMEOUT", 0.2)
    fake.delay = 0.5
    assert WeChatChannel().send(message(world)).outcome == Outcome.RETRY
    settings.RRT_WECHAT_API = "http://127.0.0.1:9"  # nothing listens there
    assert WeChatChannel().send(message(world)).outcome == Outcome.RETRY


def test_not_bound_or_unconfigured_fails_without_a_call(world, official, fake):
    assert WeChatChannel().send(message(world)).reason == "not_following"
    assert WeChatChannel().send(message(world, world.parent_b, region=world.district_y)).reason == "not_configured"
    assert fake.calls("template") == []


def test_reachable_lists_followers_of_the_account_serving_the_region(world, official, fake):
    follow(official, world.parent_a)
    follow(official, world.student_a, openid="openid-2")
    Follower.objects.filter(account=world.student_a).update(following=False)
    assert set(WeChatChannel().reachable(world.district_x.pk)) == {world.parent_a.pk}
    assert list(WeChatChannel().reachable(world.district_y.pk)) == []


def test_a_city_account_serves_its_districts(world, fake, client):
    from tests.wechat.conftest import configure

    assert configure(client, world.city_admin).status_code == 302
    assert set(WeChatChannel().reachable(world.district_y.pk)) == set()
    official = OfficialAccount.objects.get(region=world.city)
    follow(official, world.parent_b)
    assert WeChatChannel().send(message(world, world.parent_b, region=world.district_y)).outcome == Outcome.ACCEPTED


def test_token_is_shared_by_workers_and_refreshed_before_expiry(world, fake, freezer):
    first, second = WeChatClient(APPID, SECRET), WeChatClient(APPID, SECRET)
    token = first.token()
    assert second.token() == token and len(fake.calls("token")) == 1
    freezer.tick(7200 - 400)
    assert second.token() == token and len(fake.calls("token")) == 1
    freezer.tick(200)  # within the 5-minute margin before expiry
    fake.expire_tokens()
    assert first.token() != token and len(fake.calls("token")) == 2


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "wx"}})
def test_concurrent_workers_refresh_the_token_once(fake):
    cache.clear()
    fake.token_delay = 0.3
    tokens = []
    threads = [threading.Thread(target=lambda: tokens.append(WeChatClient(APPID, SECRET).token())) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(tokens)) == 1 and len(tokens) == 6
    assert len(fake.calls("token")) == 1


def test_a_batch_reads_the_followers_once_and_each_message_is_one_send(world, official, fake):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renrentong.accounts.models import Account

    accounts = list(Account.objects.order_by("pk")[:6])
    for index, account in enumerate(accounts[:5]):
        follow(official, account, openid=f"openid-{index}")
    messages = [message(world, account) for account in accounts]
    with CaptureQueriesContext(connection) as one:
        WeChatChannel().send(messages[0])
    before = len(fake.calls("template"))
    with CaptureQueriesContext(connection) as six:
        results = list(WeChatChannel().send_many(messages))
    # The account, its pause and the openids are read per batch (the cache reads are queries on the
    # database cache the tests use), not per message.
    assert len(six.captured_queries) <= len(one.captured_queries)
    assert [r.outcome for r in results] == [Outcome.ACCEPTED] * 5 + [Outcome.FAILED]
    assert results[-1].reason == "not_following"
    sent = fake.calls("template")[before:]
    assert [b["touser"] for b in sent] == [f"openid-{i}" for i in range(5)]


def test_a_worker_keeps_the_token_in_memory_and_takes_a_replaced_one_from_the_cache(world, official, fake):
    follow(official, world.parent_a)
    channel = WeChatChannel()
    assert channel.send(message(world)).outcome == Outcome.ACCEPTED
    reads = []
    original = cache.get
    try:
        cache.get = lambda *a, **kw: reads.append(a[0]) or original(*a, **kw)
        for _ in range(3):
            assert channel.send(message(world)).outcome == Outcome.ACCEPTED
    finally:
        cache.get = original
    assert not [key for key in reads if key.startswith("wechat:token")]  # held in memory, not read per push
    # Another worker forces a new token: WeChat refuses the held one once; the new one comes from the cache.
    stale = WeChatClient(APPID, SECRET).token()
    WeChatClient(APPID, SECRET).refresh(stale)
    fake.valid_tokens.discard(stale)
    assert channel.send(message(world)).outcome == Outcome.ACCEPTED
    assert len(fake.calls("token")) == 2  # the first and the other worker's; not a third
