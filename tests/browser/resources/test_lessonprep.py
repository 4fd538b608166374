"""Lesson preparation in Chromium (RES-4): a teacher prepares a chapter with courseware on a phone (360 px), the
school admin names a prep checker who sees the teacher's figure at a desk, and the teacher reports a missing
textbook with photos of its cover, copyright page and contents."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.demo.textbooks import install_demo_textbooks
from renrentong.resources.models import MissingTextbookReport, PreparedLesson

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_teacher
from tests.uploads import files

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}
# A teacher gets the phone shell on a phone (home.access.shell_for reads the user agent).
PHONE_AGENT = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
               "Chrome/130.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.50")


@pytest.fixture
def phone_page(browser, live_server):
    """A phone (360 px, a phone's user agent); fails the test on any Content Security Policy violation."""
    contexts, violations = [], []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=PHONE,
                                      user_agent=PHONE_AGENT)
        context.route("**/favicon.ico", lambda route: route.fulfill(status=204))
        context.on("console", lambda message: violations.append(message.text)
                   if "Content Security Policy" in message.text else None)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    assert not violations


@pytest.fixture
def stored(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


def test_teacher_prepares_a_chapter_and_the_checker_sees_the_figure(new_page, phone_page, world, stored):
    install_demo_textbooks(world.province)
    teacher = give_password(world.teacher_a)
    phone = phone_page()
    log_in(phone, teacher.phone, NEW_PASSWORD)
    phone.get_by_test_id("action-lessonprep").click()
    expect(phone.get_by_test_id("tab-class")).to_be_visible()  # the phone shell, its 班级 tab
    phone.get_by_test_id("books").get_by_role("link").first.click()
    expect(phone).to_have_url(re.compile(r"/lessonprep/books/\d+/$"))
    phone.get_by_test_id("chapter-1").click()
    phone.get_by_test_id("design").fill("教学目标：会认读钟面上的时间。")
    phone.get_by_test_id("picker-input-courseware_ids").set_input_files(
        [{"name": "时分秒.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}])
    expect(phone.locator("[data-uploaded-file]")).to_have_count(1, timeout=30_000)
    phone.get_by_test_id("mark-done").click()
    expect(phone.get_by_test_id("saved")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    lesson = PreparedLesson.objects.get()
    assert lesson.state == "done" and lesson.files.count() == 1

    checker = give_password(make_teacher(world.school_a, name="检查员老师"))
    admin = give_password(world.school_admin_a)
    desk = new_page(viewport=DESK)
    log_in(desk, admin.phone, NEW_PASSWORD)
    desk.goto("/lessonprep/checkers/")
    desk.get_by_test_id("teacher").select_option(label="检查员老师")
    desk.get_by_test_id("name-checker").click()
    expect(desk.get_by_test_id(f"checker-{checker.identities.get().pk}")).to_be_visible()

    checking = new_page(viewport=DESK)
    log_in(checking, checker.phone, NEW_PASSWORD)
    checking.goto("/lessonprep/checking/")
    expect(checking.get_by_test_id(f"prepared-{teacher.identities.get().pk}")).to_have_text("1 / 11")


def test_teacher_reports_a_missing_textbook_on_the_phone(phone_page, world, stored):
    install_demo_textbooks(world.province)
    teacher = give_password(world.teacher_a)
    phone = phone_page()
    log_in(phone, teacher.phone, NEW_PASSWORD)
    phone.goto("/lessonprep/missing/")
    phone.get_by_test_id("m-subject").fill("数学")
    phone.get_by_test_id("m-grade").fill("3")
    phone.get_by_test_id("m-edition").fill("苏教版")
    phone.get_by_test_id("m-publisher").fill("江苏凤凰教育出版社")
    for name in ("cover_ids", "copyright_ids", "contents_ids"):
        phone.get_by_test_id(f"picker-input-{name}").set_input_files(
            [{"name": f"{name}.jpg", "mimeType": "image/jpeg", "buffer": files.image()}])
        expect(phone.get_by_test_id(f"picker-{name}").locator("[data-uploaded-file]")).to_have_count(1, timeout=30_000)
    phone.get_by_test_id("m-submit").click()
    report = phone.get_by_test_id("reports").locator("li[data-testid^=report-]")
    expect(report).to_have_count(1)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    made = MissingTextbookReport.objects.get()
    assert made.status == "open" and made.photos.count() == 3
