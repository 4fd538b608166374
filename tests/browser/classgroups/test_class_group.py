"""A class group in Chromium on a phone (360x740): a parent asks to join with the class code, the class
head teacher approves, a teacher posts, and the message is in the parent's inbox and group page (SPC-3)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.accounts.access import actor_for
from renrentong.classgroups import services
from renrentong.notices.models import InboxItem, Notice

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def run_tasks_now(settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(tmp_path)


def test_parent_joins_by_class_code_head_teacher_approves_and_a_teacher_message_reaches_the_inbox(
        new_page, world, run_tasks_now):
    a1 = world.class_a1
    head, parent, teacher = (give_password(a) for a in (world.head_teacher_a, world.parent_a, world.teacher_a))
    # The head teacher took this parent out earlier (请出班级): only an approved request lets them back.
    services.remove_member(actor_for(head, head.identities.get()), a1.pk, parent.pk, "parent")

    phone = new_page(viewport=PHONE)
    log_in(phone, parent.phone, NEW_PASSWORD)
    phone.get_by_test_id("class-groups-join").click()
    expect(phone).to_have_url(re.compile(r"/class-groups/$"))
    expect(phone.get_by_test_id(f"group-{a1.pk}")).to_have_count(0)
    phone.get_by_test_id("join-code").fill(a1.code)
    phone.get_by_test_id("join-submit").click()
    expect(phone.get_by_test_id("join-outcome")).to_have_attribute("data-state", "pending")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = new_page(viewport=PHONE)
    log_in(desk, head.number, NEW_PASSWORD)
    desk.goto(f"/class-groups/{a1.pk}/")
    desk.get_by_test_id("manage").click()
    approve = desk.get_by_test_id("requests").locator("[data-testid^=approve-]")
    expect(approve).to_have_count(1)
    approve.click()
    expect(desk.get_by_test_id("no-requests")).to_be_visible()

    teaching = new_page(viewport=PHONE)
    log_in(teaching, teacher.number, NEW_PASSWORD)
    teaching.goto(f"/class-groups/{a1.pk}/")
    teaching.get_by_test_id("post-text").fill("明天上午带好尺子和圆规")
    teaching.get_by_test_id("post-submit").click()
    expect(teaching.get_by_test_id("messages")).to_contain_text("明天上午带好尺子和圆规")

    notice = Notice.objects.get(kind=Notice.Kind.CLASS_MESSAGE)
    assert InboxItem.objects.filter(notice=notice, account_id=parent.pk, read_at__isnull=True).exists()

    phone.goto("/")
    phone.get_by_test_id(f"class-group-{a1.pk}").click()
    expect(phone.get_by_test_id("tab-class")).to_have_attribute("aria-current", "page")
    expect(phone.get_by_test_id("count-parents")).to_have_attribute("data-count", "1")
    expect(phone.get_by_test_id("messages")).to_contain_text("明天上午带好尺子和圆规")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
