"""The channels (MSG-4): SMS only to the still-unread after the delay and within the budget, email over SMTP
(aiosmtpd on loopback), Web Push against a local fake push service; none carries the body or a child's data."""

from __future__ import annotations

import base64
import json
import os
import socket
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from aiosmtpd.controller import Controller
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.utils import timezone

from renrentong.notices.models import InboxItem
from renrentong.push import engine
from renrentong.push.models import Delivery, PushSubscription, SmsBudgetUse
from renrentong.push.services import subscribe
from renrentong.push.text import SMS_LIMIT
from renrentong.verification.models import OutboxMessage
from tests.factories import make_parent, make_phone
from tests.push.helpers import LINK, SECRET_BODY, actor, drain_all, ring_notice, send, set_policy

CHILD = "李小明"  # a child's name: it is in the body, never in a push


def _no_secret(text: str) -> None:
    assert SECRET_BODY not in text and "38.5" not in text and CHILD not in text


# SMS ------------------------------------------------------------------------------------------------

def test_sms_goes_only_to_the_still_unread_after_the_delay_within_the_monthly_budget(pworld, freezer):
    set_policy(pworld.district_x, push_channels="sms", push_sms_delay_minutes=120, push_sms_monthly_budget=2)
    second = make_parent(pworld.student_a2, name="周妈妈", phone=make_phone())
    third = make_parent(pworld.student_a2, name="周爸爸", phone=make_phone())
    notice = send(pworld, roles=["parent"])
    assert ring_notice(notice) == 3
    assert drain_all() == 0  # the delay has not passed
    freezer.tick(timedelta(minutes=60))
    InboxItem.objects.filter(notice_id=notice.pk, account_id=second.pk).update(read_at=timezone.now())
    freezer.tick(timedelta(minutes=61))
    assert drain_all() == 3
    rows = {r.account_id: r for r in Delivery.objects.filter(ref_id=notice.pk, channel="sms")}
    assert rows[second.pk].state == "cancelled" and rows[second.pk].reason == "read"
    assert rows[pworld.parent_a.pk].state == "delivered" and rows[third.pk].state == "delivered"
    messages = list(OutboxMessage.objects.filter(purpose="notice_push"))
    assert {m.account_id for m in messages} == {pworld.parent_a.pk, third.pk}
    for message in messages:
        assert message.body.startswith("【人人通】") and notice.title in message.body and LINK in message.body
        assert len(message.body) <= SMS_LIMIT
        _no_secret(message.body)
    assert SmsBudgetUse.objects.get(region_id=pworld.district_x.pk).used == 2
    # The month's budget is spent: the next notice's text messages fail with reason "budget".
    later = send(pworld, title="家长会", roles=["parent"])
    ring_notice(later)
    freezer.tick(timedelta(minutes=121))
    drain_all()
    assert set(Delivery.objects.filter(ref_id=later.pk).values_list("state", "reason")) == {("failed", "budget")}
    assert OutboxMessage.objects.filter(purpose="notice_push").count() == 2


def test_sms_without_a_budget_fails_closed_and_a_long_title_is_cut(pworld, monkeypatch):
    monkeypatch.setattr("renrentong.push.text.SMS_LIMIT", 90)
    set_policy(pworld.district_x, push_channels="sms", push_sms_delay_minutes=0)
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)
    drain_all()
    assert Delivery.objects.get().reason == "budget"
    set_policy(pworld.district_x, push_sms_monthly_budget=10)
    long = send(pworld, title="关于二〇二六年寒假期间学生安全教育及假期作业安排的重要通知请全体家长务必认真阅读并回执确认", roles=["parent"],
                class_ids=[pworld.class_a1.pk])
    ring_notice(long)
    drain_all()
    body = OutboxMessage.objects.get(purpose="notice_push").body
    assert len(body) <= 90 and body.endswith(LINK) and "…" in body and body.startswith("【人人通】")


def test_sms_is_cancelled_when_no_source_says_who_has_not_read(pworld, settings):
    settings.RRT_PUSH_SOURCES = {}
    set_policy(pworld.district_x, push_channels="sms", push_sms_delay_minutes=0, push_sms_monthly_budget=10)
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)
    drain_all()
    assert Delivery.objects.get().state == "cancelled"
    assert not OutboxMessage.objects.exists()


# Email ----------------------------------------------------------------------------------------------

class Mailbox:
    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("refused"):
            return "550 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


def test_email_goes_over_smtp_with_title_sender_time_and_link_only(pworld, smtp):
    set_policy(pworld.district_x, push_channels="email")
    pworld.parent_a.email = "parent@example.cn"
    pworld.parent_a.save(update_fields=["email"])
    refused = make_parent(pworld.student_a2, name="周妈妈")
    refused.email = "refused@example.cn"
    refused.save(update_fields=["email"])
    notice = send(pworld, roles=["parent"])
    assert ring_notice(notice) == 2
    assert drain_all() == 2
    rows = {r.account_id: r for r in Delivery.objects.all()}
    assert rows[pworld.parent_a.pk].state == "delivered"
    assert rows[refused.pk].state == "failed" and rows[refused.pk].reason == "address refused"
    [(to, content)] = smtp.messages
    assert to == ["parent@example.cn"]
    import email
    from email import policy

    parsed = email.message_from_bytes(content, policy=policy.default)
    text = parsed.get_body().get_content()
    assert notice.title in parsed["Subject"] and notice.title in text and LINK in text
    assert notice.sender_label in text
    _no_secret(text)
    assert SECRET_BODY.encode() not in content


def test_email_retries_when_the_server_is_down(pworld, settings):
    set_policy(pworld.district_x, push_channels="email")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", _free_port(), 2
    pworld.parent_a.email = "parent@example.cn"
    pworld.parent_a.save(update_fields=["email"])
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)
    assert engine.drain() == 1
    row = Delivery.objects.get()
    assert row.state == "queued" and row.attempts == 1 and row.reason == "ConnectionRefusedError"


# Web Push -------------------------------------------------------------------------------------------

def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


class FakePushService:
    """A push service on loopback: records each request and answers with the status set for its path."""

    def __init__(self):
        self.requests: list[dict] = []
        self.status: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                headers = {k.lower(): v for k, v in self.headers.items()}
                service.requests.append({"path": self.path, "headers": headers, "body": body})
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service(settings):
    from py_vapid import Vapid

    vapid = Vapid()
    vapid.generate_keys()
    settings.RRT_VAPID_PRIVATE_KEY = _b64(vapid.private_key.private_numbers().private_value.to_bytes(32, "big"))
    settings.RRT_VAPID_SUBJECT = "mailto:ops@rrt.example.cn"
    settings.RRT_WEBPUSH_ALLOW_LOOPBACK_HTTP = True
    service = FakePushService()
    yield service
    service.close()


def _browser(account, service, path):
    """A browser's subscription: its own keys, registered through the service as the API does."""
    key = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    public = key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    subscribe(actor(account), endpoint=f"{service.url}{path}", p256dh=_b64(public), auth=_b64(auth))
    return key, auth


def test_web_push_sends_an_encrypted_payload_without_the_body_and_drops_gone_subscriptions(pworld, push_service):
    set_policy(pworld.district_x, push_channels="webpush")
    key, auth = _browser(pworld.parent_a, push_service, "/sub/parent")
    _browser(pworld.student_a, push_service, "/sub/gone")
    _browser(pworld.student_a2, push_service, "/sub/busy")
    push_service.status = {"/sub/gone": 410, "/sub/busy": 429}
    notice = send(pworld)
    assert ring_notice(notice) == 3
    assert drain_all() == 3
    rows = {r.account_id: r for r in Delivery.objects.all()}
    assert rows[pworld.parent_a.pk].state == "delivered"
    assert rows[pworld.student_a.pk].state == "failed" and rows[pworld.student_a.pk].reason == "HTTP 410"
    assert rows[pworld.student_a2.pk].state == "queued" and rows[pworld.student_a2.pk].attempts == 1
    assert not PushSubscription.objects.filter(account=pworld.student_a).exists()  # 410 drops it
    assert PushSubscription.objects.filter(account=pworld.student_a2).exists()  # 429 keeps it
    sent = next(r for r in push_service.requests if r["path"] == "/sub/parent")
    assert sent["headers"]["authorization"].startswith("vapid ") and sent["headers"]["content-encoding"] == "aes128gcm"
    plain = json.loads(http_ece.decrypt(sent["body"], private_key=key, auth_secret=auth, version="aes128gcm"))
    assert plain == {"title": notice.title, "sender": notice.sender_label, "sent_at": notice.send_at.isoformat(),
                     "link": LINK}
    _no_secret(json.dumps(plain, ensure_ascii=False))


def test_web_push_404_drops_the_subscription_and_500_is_retried(pworld, push_service):
    set_policy(pworld.district_x, push_channels="webpush")
    _browser(pworld.parent_a, push_service, "/a")
    _browser(pworld.parent_a, push_service, "/b")
    push_service.status = {"/a": 404, "/b": 500}
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)
    assert engine.drain() == 1
    row = Delivery.objects.get()
    assert row.state == "queued" and "HTTP 404" in row.reason and "HTTP 500" in row.reason
    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [f"{push_service.url}/b"]


def test_web_push_without_vapid_keys_fails_with_the_reason(pworld, settings, push_service):
    set_policy(pworld.district_x, push_channels="webpush")
    _browser(pworld.parent_a, push_service, "/a")
    settings.RRT_VAPID_PRIVATE_KEY = ""
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)
    drain_all()
    assert Delivery.objects.get().reason == "vapid not configured"
    assert push_service.requests == []


# The outbox -----------------------------------------------------------------------------------------

def test_outbox_rows_snapshot_title_sender_time_and_link_only(pworld):
    notice = send(pworld)
    ring_notice(notice)
    drain_all()
    for row in Delivery.objects.values():
        _no_secret(json.dumps(row, default=str, ensure_ascii=False))


def test_sms_provider_busy_pauses_the_channel_and_gives_the_budget_back(pworld, monkeypatch):
    from renrentong.push.models import ChannelPause
    from renrentong.verification.providers import ProviderError

    class Busy:
        name = "aliyun"

        def send(self, message):
            raise ProviderError("verification.provider_busy", "isv.DAY_LIMIT_CONTROL")

    monkeypatch.setattr("renrentong.push.sms.sms_provider", lambda: Busy())
    set_policy(pworld.district_x, push_channels="sms", push_sms_delay_minutes=0, push_sms_monthly_budget=5)
    make_parent(pworld.student_a, name="李妈妈", phone=make_phone())
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    assert ring_notice(notice) == 2
    assert engine.drain() == 2
    assert set(Delivery.objects.values_list("state", "attempts")) == {("queued", 0)}
    pause = ChannelPause.objects.get(channel="sms", region_id=pworld.district_x.pk)
    assert timezone.localtime(pause.resume_at).strftime("%H:%M") == "00:00"
    assert SmsBudgetUse.objects.get().used == 0
    assert engine.drain() == 0  # paused: nothing is claimed


def test_a_recalled_notice_cancels_its_waiting_pushes_and_an_accepted_push_is_settled_later(pworld):
    from renrentong.push.services import cancel, settle

    set_policy(pworld.district_x, push_channels="outbox,sms", push_sms_delay_minutes=60, push_sms_monthly_budget=5)
    notice = send(pworld, roles=["parent"], class_ids=[pworld.class_a1.pk])
    ring_notice(notice)
    assert cancel(source="notice", ref_id=notice.pk) == 2
    assert drain_all() == 0
    assert set(Delivery.objects.values_list("state", "reason")) == {("cancelled", "recalled")}
    Delivery.objects.filter(channel="outbox").update(state="accepted", reference="msg-1")
    assert settle(channel="outbox", reference="msg-1", delivered=False, reason="user block") == 1
    assert Delivery.objects.get(channel="outbox").state == "failed"
    assert settle(channel="outbox", reference="", delivered=True) == 0
