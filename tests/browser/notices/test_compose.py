"""Composing notices in Chromium (MSG-1): a teacher on a phone at 360x740 sends a homework notice with a photo;
a school admin at a desk (1366x768) picks a grade, sees the audience size and sends, then recalls it."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from renrentong.notices.models import InboxItem, Notice

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}
ANDROID_WECHAT = ("Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0")


@pytest.fixture
def run_tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def files_in_tmp(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def phone_page(browser, live_server):
    """A phone with WeChat's user agent (so a teacher gets the phone shell), failing on CSP violations."""
    violations: list[str] = []
    context = browser.new_context(base_url=live_server.url, locale="en-US", viewport=PHONE, user_agent=ANDROID_WECHAT,
                                  is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    context.on("console", lambda message: violations.append(message.text)
               if "Content Security Policy" in message.text else None)
    yield context.new_page()
    context.close()
    assert not violations, f"CSP violations: {violations}"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(out, "PNG")
    return out.getvalue()


def no_sideways_scroll(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_teacher_sends_a_homework_notice_on_a_phone(phone_page, world, run_tasks_now, files_in_tmp):
    page = phone_page
    teacher = give_password(world.teacher_a)
    log_in(page, teacher.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("tab-me")).to_be_visible()  # the phone shell
    page.get_by_test_id("action-compose").click()
    expect(page).to_have_url(re.compile(r"/notices/compose/$"))
    expect(page.get_by_test_id(f"pick-class-{world.class_a2.pk}")).to_have_count(0)
    page.get_by_test_id(f"pick-class-{world.class_a1.pk}").check()
    counts = page.get_by_test_id("audience-counts")
    expect(counts).to_have_attribute("data-parent", "1")
    expect(counts).to_contain_text("约 1 位家长")
    page.fill("#title", "数学作业")
    page.fill("#body", "练习册第 5 页，明天交。")
    page.get_by_test_id("file-input").set_input_files([{"name": "作业.png", "mimeType": "image/png", "buffer": _png()}])
    page.check("#confirm_required")
    no_sideways_scroll(page, PHONE["width"])
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("just-sent")).to_be_visible()
    notice = Notice.objects.get()
    expect(page.get_by_test_id("notice")).to_have_attribute("data-status", "sent")
    expect(page.get_by_test_id("attachment")).to_have_text("作业.png")
    expect(page.get_by_test_id("audience-places")).to_contain_text(world.class_a1.display_name())
    assert notice.kind == "homework" and notice.confirm_required
    assert InboxItem.objects.filter(notice=notice, account_id=world.parent_a.pk).exists()
    no_sideways_scroll(page, PHONE["width"])
    page.get_by_test_id("to-sent").click()
    expect(page.get_by_test_id(f"sent-{notice.pk}")).to_have_attribute("data-status", "sent")


def test_school_admin_sends_to_a_grade_at_a_desk_and_recalls_it(new_page, world, run_tasks_now):
    page = new_page(viewport=DESK, locale="en-US")
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.get_by_test_id("nav-compose").click()
    expect(page).to_have_url(re.compile(r"/notices/compose/$"))
    page.get_by_test_id("role-student").check()
    page.get_by_test_id(f"pick-grade-{world.class_a1.cohort_id}").check()
    counts = page.get_by_test_id("audience-counts")
    expect(counts).to_have_attribute("data-parent", "1")
    expect(counts).to_have_attribute("data-student", "2")
    page.fill("#title", "运动会")
    page.fill("#body", "周五上午举行。")
    page.check("#urgent")
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("just-sent")).to_be_visible()
    notice = Notice.objects.get()
    assert notice.urgent and notice.kind == "school"
    assert set(notice.audience["class_ids"]) == {world.class_a1.pk, world.class_a2.pk}
    expect(page.get_by_test_id("urgent")).to_be_visible()
    no_sideways_scroll(page, DESK["width"])
    page.get_by_test_id("recall").click()
    expect(page.get_by_test_id("notice")).to_have_attribute("data-status", "recalled")
    expect(page.get_by_test_id("recall")).to_have_count(0)


def test_a_refusal_is_shown_beside_the_form_with_who_fixes_it(new_page, world):
    page = new_page(viewport=DESK, locale="en-US")
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto("/notices/compose/")
    page.get_by_test_id(f"pick-class-{world.class_a1.pk}").check()
    page.get_by_test_id("send").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "notices.title_required")
    expect(page.get_by_test_id(f"pick-class-{world.class_a1.pk}")).to_be_checked()
