"""The binding page on a phone (MSG-2): the QR code shows and fits; after the scan the page says bound."""

from __future__ import annotations

import hashlib

import pytest
from django.test import Client
from playwright.sync_api import expect

from renrentong.accounts.access import actor_for
from renrentong.wechat import selectors, services
from renrentong.wechat.models import BindingScene
from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password
from tests.wechat.fake_server import FakeWeChat

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def fake(settings):
    with FakeWeChat() as server:
        settings.RRT_WECHAT_API = server.url
        selectors.forget_memo()
        yield server
    selectors.forget_memo()


def set_up_account(world):
    admin = world.district_admin_x
    services.save_config(actor_for(admin, admin.identities.get()), services.ConfigInput(
        appid="wx0123456789abcdef", secret="s" * 32, template_id="TPL-1", callback_token="cbtoken123"))


def test_the_bind_page_on_a_phone_shows_the_qr_code_and_then_the_bound_state(new_page, world, fake):
    set_up_account(world)
    page = new_page(viewport=PHONE)
    parent = give_password(world.parent_a)
    log_in(page, parent.phone, NEW_PASSWORD)
    page.goto("/wechat/bind/")
    qr = page.get_by_test_id("bind-qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] >= 200 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert qr.evaluate("img => img.naturalWidth") > 0
    # WeChat reports the scan; the page then says the account is bound.
    scene = BindingScene.objects.get(account=parent).scene
    timestamp, nonce = "1733300000", "n1"
    signature = hashlib.sha1("".join(sorted(["cbtoken123", timestamp, nonce])).encode()).hexdigest()
    body = (f"<xml><FromUserName>o-1</FromUserName><MsgType>event</MsgType><Event>SCAN</Event>"
            f"<EventKey>{scene}</EventKey></xml>")
    answer = Client().post(f"/wechat/callback/{world.district_x.code}/?signature={signature}&timestamp={timestamp}"
                           f"&nonce={nonce}", body, content_type="text/xml")
    assert answer.content == b"success"
    page.reload()
    expect(page.get_by_test_id("following")).to_be_visible()


@pytest.mark.parametrize("width", ["phone", "desk"])
def test_wechat_pages_pass_the_platform_checks_in_english(browser, live_server, world, fake, width):
    """The checks of tests/browser/platform/test_every_page.py (axe, overflow, focus, one language) on the
    WeChat pages with an official account set up, a follower and the binding code shown. English only:
    the Chinese strings exist once the lead compiles locale/maps/wechat.json."""
    from tests.browser.platform.test_every_page import check_page, data_names, signed_in_context
    from tests.wechat.test_wechat_client import follow

    set_up_account(world)
    from renrentong.wechat.models import OfficialAccount

    follow(OfficialAccount.objects.get(), world.parent_a)
    pages = {
        "district_admin_x": ["/wechat/config/", "/wechat/follows/", f"/wechat/follows/?school={world.school_a.pk}",
                             f"/wechat/follows/class/{world.class_a1.pk}/?show=all"],
        "head_teacher_a": ["/wechat/follows/", f"/wechat/follows/class/{world.class_a1.pk}/", "/wechat/bind/?qr=1"],
        "parent_a": ["/wechat/bind/"],
        "student_a": ["/wechat/bind/?qr=1"],
    }
    names = data_names()
    findings = {}
    for who, urls in pages.items():
        context = signed_in_context(browser, live_server, getattr(world, who), width=width, language="en")
        page = context.new_page()
        for url in urls:
            found = check_page(page, url, "en", names)
            if found:
                findings[(who, url)] = found
        context.close()
    assert not findings, findings
