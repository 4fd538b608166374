"""Following and binding (MSG-2): the callback URL's signature, subscribe/SCAN/unsubscribe, the binding
page's QR code, OAuth snsapi_base inside WeChat."""

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from renrentong.wechat import services
from renrentong.wechat.models import BindingScene, Follower
from tests.factories import as_user
from tests.wechat.conftest import TOKEN

pytestmark = pytest.mark.django_db


def signed(token=TOKEN, timestamp="1733300000", nonce="n0nce"):
    signature = hashlib.sha1("".join(sorted([token, timestamp, nonce])).encode()).hexdigest()
    return f"signature={signature}&timestamp={timestamp}&nonce={nonce}"


def event(kind, openid="o-parent", key="", extra=""):
    return (f"<xml><ToUserName><![CDATA[gh_1]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>1733300000</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{kind}]]></Event><EventKey><![CDATA[{key}]]></EventKey>{extra}</xml>").encode()


def post_event(client, world, body, query=None):
    return client.post(f"/wechat/callback/{world.district_x.code}/?{query or signed()}", body,
                       content_type="text/xml")


def scene_of(client, account):
    page = as_user(client, account).get("/wechat/bind/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'data-testid="bind-qr"' in page.content.decode()
    client.logout()
    return BindingScene.objects.get(account=account)


def test_url_check_echoes_only_with_a_good_signature(client, world, official):
    good = client.get(f"/wechat/callback/{world.district_x.code}/?{signed()}&echostr=hello")
    assert good.status_code == 200 and good.content == b"hello"
    bad = client.get(f"/wechat/callback/{world.district_x.code}/?{signed(token='wrong')}&echostr=hello")
    assert bad.status_code == 403
    assert client.get(f"/wechat/callback/{world.district_x.code}/?echostr=hello").status_code == 403
    assert client.get(f"/wechat/callback/{world.district_x.pk}/?{signed()}&echostr=x").content == b"x"
    assert client.get(f"/wechat/callback/{world.district_y.code}/?{signed()}&echostr=x").status_code == 404
    assert client.get(f"/wechat/callback/99999999999999999999999/?{signed()}").status_code == 404


def test_events_with_a_bad_signature_are_refused(client, world, official):
    scene = scene_of(client, world.parent_a)
    response = post_event(client, world, event("SCAN", key=scene.scene), signed(token="nope"))
    assert response.status_code == 403
    assert not Follower.objects.exists()


def test_subscribe_with_a_scene_binds_and_unsubscribe_unbinds(client, world, official, fake):
    scene = scene_of(client, world.parent_a)
    assert fake.calls("qrcode")[-1]["action_name"] == "QR_STR_SCENE"
    assert fake.calls("qrcode")[-1]["expire_seconds"] <= 2592000
    response = post_event(client, world, event("subscribe", key=f"qrscene_{scene.scene}"))
    assert response.status_code == 200 and response.content == b"success"
    row = Follower.objects.get()
    assert (row.account_id, row.openid, row.following, row.school_id) == (
        world.parent_a.pk, "o-parent", True, world.school_a.pk)
    post_event(client, world, event("unsubscribe"))
    row.refresh_from_db()
    assert not row.following and row.reason == "unsubscribed"
    post_event(client, world, event("subscribe"))  # follows again without a scene: known openid
    row.refresh_from_db()
    assert row.following


def test_scan_binds_the_scene_account_and_moves_an_openid(client, world, official):
    first, second = scene_of(client, world.parent_a), scene_of(client, world.student_a)
    post_event(client, world, event("SCAN", key=first.scene))
    post_event(client, world, event("SCAN", key=second.scene))  # the same WeChat now binds the student
    assert list(Follower.objects.values_list("account_id", "openid")) == [(world.student_a.pk, "o-parent")]


def test_a_code_binds_once(client, world, official):
    scene = scene_of(client, world.parent_a)
    post_event(client, world, event("SCAN", key=scene.scene))
    post_event(client, world, event("SCAN", openid="o-stranger", key=scene.scene))  # a photo of the code
    assert list(Follower.objects.values_list("account_id", "openid")) == [(world.parent_a.pk, "o-parent")]
    assert not BindingScene.objects.exists()


def test_unknown_or_foreign_scenes_bind_nothing(client, world, official):
    post_event(client, world, event("SCAN", key="guessed-scene"))
    post_event(client, world, event("subscribe", key="qrscene_"))
    assert not Follower.objects.exists()


def test_xml_with_a_dtd_or_too_big_is_refused(client, world, official):
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><FromUserName>&a;</FromUserName></xml>'
    assert post_event(client, world, bomb).status_code == 400
    assert post_event(client, world, b"<xml>" + b"a" * 70000 + b"</xml>").status_code == 400
    assert post_event(client, world, b"not xml").status_code == 400
    utf16 = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><xml/>'.encode("utf-16")
    assert post_event(client, world, utf16).status_code == 400


def test_template_job_finished_settles_the_accepted_deliveries(client, world, official):
    from django.utils import timezone

    from renrentong.push.models import Delivery

    def accepted(reference):
        return Delivery.objects.create(source="notice", ref_id=int(reference), account_id=world.parent_a.pk, channel="wechat",
                                       state=Delivery.State.ACCEPTED, reference=reference, title="t", sender="s",
                                       sent_at=timezone.now(), link="/", school_id=world.school_a.pk)

    for reference in ("1000001", "1000002", "1000003"):
        accepted(reference)
    scene = scene_of(client, world.parent_a)
    post_event(client, world, event("SCAN", key=scene.scene))
    post_event(client, world, event("TEMPLATESENDJOBFINISH", extra="<MsgID>1000001</MsgID><Status><![CDATA[success]]></Status>"))
    post_event(client, world, event("TEMPLATESENDJOBFINISH", extra="<MsgID>1000002</MsgID><Status><![CDATA[failed:user block]]></Status>"))
    post_event(client, world, event("TEMPLATESENDJOBFINISH", extra="<MsgID>1000003</MsgID><Status><![CDATA[failed: system failed]]></Status>"))
    states = {d.reference: (d.state, d.reason) for d in Delivery.objects.all()}
    assert states == {
        "1000001": (Delivery.State.DELIVERED, ""),
        "1000002": (Delivery.State.FAILED, "43101"),
        "1000003": (Delivery.State.FAILED, "system_failed"),
    }
    assert not Follower.objects.get().following  # the user blocked the account's messages


def test_job_finished_without_a_waiting_delivery_is_harmless(db):
    assert services.job_finished("", "success") is False
    assert services.job_finished("999", "success") is False


def test_bind_page_reuses_its_code_and_says_when_unconfigured(client, world, official, fake):
    as_user(client, world.parent_a)
    first = client.get("/wechat/bind/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    second = client.get("/wechat/bind/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert len(fake.calls("qrcode")) == 1 and BindingScene.objects.count() == 1
    assert re.search(r'src="data:image/svg\+xml;base64,', first) and first.count("bind-qr") == second.count("bind-qr")
    other = as_user(client, world.parent_b).get("/wechat/bind/", HTTP_ACCEPT_LANGUAGE="en")
    assert other.status_code == 200
    body = other.content.decode()
    assert 'data-code="wechat.not_configured"' in body and "区县管理员" in body


def test_bind_page_shows_bound_state(client, world, official):
    scene = scene_of(client, world.parent_a)
    post_event(client, world, event("SCAN", key=scene.scene))
    body = as_user(client, world.parent_a).get("/wechat/bind/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="following"' in body and "bind-qr" not in body


UA = "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Mobile MicroMessenger/8.0.50"


def test_snsapi_base_inside_wechat_binds_the_logged_in_account(client, world, official, fake):
    as_user(client, world.parent_a)
    first = client.get("/wechat/bind/", HTTP_USER_AGENT=UA)
    assert first.status_code == 302 and first.url == "/wechat/bind/wechat/"
    to_wechat = client.get(first.url, HTTP_USER_AGENT=UA)
    parts = urlsplit(to_wechat.url)
    assert parts.netloc == "open.weixin.qq.com" and parts.path == "/connect/oauth2/authorize"
    assert parts.fragment == "wechat_redirect"
    query = parse_qs(parts.query)
    assert query["scope"] == ["snsapi_base"] and query["appid"] == [official.appid]
    assert query["redirect_uri"][0].endswith("/wechat/oauth/")
    fake.oauth_codes["CODE1"] = "o-in-wechat"
    back = client.get(f"/wechat/oauth/?code=CODE1&state={query['state'][0]}", HTTP_USER_AGENT=UA)
    assert back.status_code == 302 and back.url == "/wechat/bind/?bound=1"
    row = Follower.objects.get()
    assert (row.account_id, row.openid, row.how) == (world.parent_a.pk, "o-in-wechat", "oauth")
    assert fake.calls("oauth")[-1]["grant_type"] == "authorization_code"
    assert client.get("/wechat/bind/", HTTP_USER_AGENT=UA).status_code == 200  # bound: no more redirects


def test_oauth_state_must_match_the_session(client, world, official, fake):
    as_user(client, world.parent_a)
    client.get("/wechat/bind/wechat/")
    fake.oauth_codes["CODE2"] = "o-stranger"
    wrong = client.get("/wechat/oauth/?code=CODE2&state=forged", HTTP_ACCEPT_LANGUAGE="en")
    assert wrong.status_code == 400 and 'data-code="wechat.oauth_failed"' in wrong.content.decode()
    assert not Follower.objects.exists()
    # another session (a stranger who got the link) cannot finish it either
    as_user(client, world.parent_b)
    assert client.get("/wechat/oauth/?code=CODE2&state=anything").status_code == 400
    assert not Follower.objects.exists()


AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


def encrypt(inner: bytes, appid: str) -> str:
    import base64
    import os
    import struct

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    key = base64.b64decode(AES_KEY + "=")
    plain = os.urandom(16) + struct.pack(">I", len(inner)) + inner + appid.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode()


def safe_post(client, world, encrypted, token=TOKEN):
    timestamp, nonce = "1733300001", "nn"
    msg_signature = hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypted])).encode()).hexdigest()
    query = f"{signed(timestamp=timestamp, nonce=nonce)}&encrypt_type=aes&msg_signature={msg_signature}"
    body = f"<xml><ToUserName>gh_1</ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>".encode()
    return post_event(client, world, body, query)


def test_safe_mode_events_are_decrypted_and_checked(client, world, official):
    from tests.wechat.conftest import configure

    assert configure(client, world.district_admin_x, secret="", aes_key=AES_KEY).status_code == 302
    client.logout()
    scene = scene_of(client, world.parent_a)
    good = safe_post(client, world, encrypt(event("SCAN", key=scene.scene), official.appid))
    assert good.status_code == 200 and Follower.objects.get().account_id == world.parent_a.pk
    Follower.objects.all().delete()
    assert safe_post(client, world, encrypt(event("SCAN", key=scene.scene), official.appid), token="bad").status_code == 403
    assert safe_post(client, world, encrypt(event("SCAN", key=scene.scene), "wxffffffffffffffff")).status_code == 400
    assert safe_post(client, world, "bm90IGFlcw==").status_code == 400
    assert not Follower.objects.exists()
