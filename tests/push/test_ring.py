"""ring() (MSG-4): one delivery per account and enabled channel, written set-based, whatever the audience."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renrentong.notices.models import InboxItem
from renrentong.push import services
from renrentong.push.models import Delivery
from tests.factories import make_parent, make_phone
from tests.push.helpers import LINK, ring_notice, send, set_policy


def test_ring_writes_one_row_per_account_and_channel_in_a_few_statements_for_many_accounts(pworld):
    notice = send(pworld)
    many = 3000
    InboxItem.objects.bulk_create([
        InboxItem(notice_id=notice.pk, school_id=notice.school_id, account_id=10_000_000 + i, sort_at=timezone.now(),
                  notice_at=notice.send_at)
        for i in range(many)])
    audience = InboxItem.objects.filter(notice_id=notice.pk).values_list("account_id")
    with CaptureQueriesContext(connection) as queries:
        created = services.ring(source="notice", ref_id=notice.pk, account_ids=audience, region_id=None,
                                school_id=notice.school_id, title=notice.title, sender=notice.sender_label,
                                sent_at=notice.send_at, link=LINK)
    readers = audience.count()
    assert created == readers > many
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT INTO \"push_delivery\"")]
    assert len(inserts) == 1 and len(queries) < 25  # one statement per channel, whatever the audience
    assert Delivery.objects.filter(ref_id=notice.pk, channel="outbox").count() == readers
    row = Delivery.objects.filter(ref_id=notice.pk).first()
    assert row.region_id == pworld.district_x.pk and row.school_id == pworld.school_a.pk
    assert row.state == Delivery.State.QUEUED and row.title == notice.title and row.link == LINK
    # Ringing again (a resumed caller) adds nothing.
    assert ring_notice(notice) == 0
    assert Delivery.objects.filter(ref_id=notice.pk).count() == readers


def test_each_enabled_channel_rings_only_the_accounts_it_reaches(pworld, settings):
    settings.RRT_PUSH_CHANNELS = {**settings.RRT_PUSH_CHANNELS, "wechat": "renrentong.wechat.missing.WeChatChannel"}
    set_policy(pworld.district_x, push_channels="outbox,email,sms,webpush,wechat", push_sms_delay_minutes=120)
    pworld.parent_a.email = "parent@example.cn"
    pworld.parent_a.save(update_fields=["email"])
    notice = send(pworld)
    before = timezone.now()
    ring_notice(notice)
    by_channel = {c: set(Delivery.objects.filter(ref_id=notice.pk, channel=c).values_list("account_id", flat=True))
                  for c in ("outbox", "email", "sms", "webpush", "wechat")}
    readers = set(InboxItem.objects.filter(notice_id=notice.pk).values_list("account_id", flat=True))
    assert by_channel["outbox"] == readers
    assert by_channel["email"] == {pworld.parent_a.pk}
    assert by_channel["sms"] == {a for a in readers if type(pworld.parent_a).objects.get(pk=a).phone}
    assert pworld.parent_a.pk in by_channel["sms"]
    assert by_channel["webpush"] == set()  # nobody subscribed
    assert by_channel["wechat"] == set()  # its module is missing: tolerated, nothing rung
    sms = Delivery.objects.get(ref_id=notice.pk, channel="sms", account_id=pworld.parent_a.pk)
    assert sms.next_attempt_at >= before + timedelta(minutes=119)


def test_a_region_without_a_channel_in_its_policy_gets_no_rows_for_it(pworld):
    set_policy(pworld.district_x, push_channels="email")
    notice = send(pworld)
    assert ring_notice(notice) == 0
    parent = make_parent(pworld.student_a2, name="周妈妈", phone=make_phone())
    assert parent
    assert not Delivery.objects.exists()
