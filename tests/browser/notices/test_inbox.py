"""A parent reads and confirms a notice on a phone (360x740): the unread badge on the 消息 tab, the inbox
newest first, the opened notice, the receipt button; the badge goes when it is read."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password
from tests.notices.helpers import send

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def test_parent_reads_and_confirms_on_a_phone(new_page, world):
    older = send(world.school_admin_a, class_ids=[world.class_a1.pk], title="家长会", body="周三晚上七点开家长会。")
    notice = send(world.teacher_a, class_ids=[world.class_a1.pk], title="数学作业", body="完成练习册第12页。",
                  confirm=True)
    page = new_page(viewport=PHONE)
    parent = give_password(world.parent_a)
    log_in(page, parent.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("tab-messages-badge")).to_contain_text("2")
    page.get_by_test_id("tab-messages").click()
    items = page.get_by_test_id("inbox-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_have_attribute("data-notice-id", str(notice.pk))
    expect(items.nth(1)).to_have_attribute("data-notice-id", str(older.pk))
    expect(items.nth(0).get_by_test_id("inbox-awaits-receipt")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    items.nth(0).click()
    expect(page).to_have_url(re.compile(rf"/notices/inbox/{notice.pk}/$"))
    expect(page.get_by_test_id("notice-body")).to_contain_text("完成练习册第12页。")
    expect(page.get_by_test_id("tab-messages-badge")).to_contain_text("1")
    page.get_by_test_id("notice-confirm").click()
    expect(page.get_by_test_id("notice-confirmed")).to_be_visible()
    page.get_by_test_id("back-to-inbox").click()
    expect(page.get_by_test_id("inbox-item").nth(0)).to_have_attribute("data-unread", "0")
    expect(page.get_by_test_id("inbox-item").nth(1)).to_have_attribute("data-unread", "1")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
