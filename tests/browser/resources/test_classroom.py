"""The smart classroom in Chromium at phone width (360): a student browses their grade's resources by subject
and chapter and opens one, a grade-1 student gets the page saying none are set for their grade, a parent is
sent to switch identity, and a teacher adds a free link and uploads a lesson plan with the picker."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from renrentong.resources.models import Resource
from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, bearer, give_password, make_class, make_student
from tests.resources.classroom.helpers import body, math_book
from tests.uploads import files

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


def fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_student_browses_by_chapter_and_opens_a_resource_at_phone_width(new_page, world):
    _, chapter, section = math_book(world)
    for title, chapter_id in (("测量 微课", section.pk), ("时分秒 练习", None)):
        made = Client().post("/api/v1/resources/classroom/", json.dumps(body(title=title, chapter_id=chapter_id,
                                                                             term=_term())),
                             content_type="application/json", **bearer(world.teacher_a))
        assert made.status_code == 201, made.content
    student = give_password(world.student_a)
    page = new_page(viewport=PHONE)
    log_in(page, student.number, NEW_PASSWORD)
    page.goto("/")
    page.get_by_test_id("classroom-entry").click()
    expect(page).to_have_url(re.compile(r"/resources/classroom/"))
    expect(page.get_by_test_id("module-review")).to_be_visible()
    expect(page.get_by_test_id("resources")).to_contain_text("时分秒 练习")
    fits(page)
    page.get_by_test_id("filters-toggle").click()
    page.get_by_test_id("filter-subject").select_option("数学")
    page.get_by_test_id("filter-apply").click()
    page.get_by_test_id("filters-toggle").click()
    page.get_by_test_id("filter-chapter").select_option(str(chapter.pk))
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("resources")).to_contain_text("测量 微课")
    expect(page.get_by_test_id("resources")).not_to_contain_text("时分秒 练习")
    fits(page)
    page.get_by_test_id("resources").get_by_text("测量 微课").click()
    expect(page.get_by_test_id("open-resource")).to_have_attribute("href", "https://example.org/lesson/1")
    fits(page)


def _term() -> str:
    from renrentong.resources.classroom.selectors import current_term

    return current_term()


def test_grade_one_student_and_a_parent_get_their_pages(new_page, world):
    young = give_password(make_student(make_class(world.school_a, 7, enrollment_year=2026), "小一"))
    page = new_page(viewport=PHONE)
    log_in(page, young.number, NEW_PASSWORD)
    page.goto("/resources/classroom/")
    expect(page.get_by_test_id("none-for-grade")).to_contain_text("一、二年级")
    expect(page.get_by_test_id("resources")).to_have_count(0)
    fits(page)
    parent = give_password(world.parent_a)
    other = new_page(viewport=PHONE)
    log_in(other, parent.phone, NEW_PASSWORD)
    other.goto("/resources/classroom/")
    expect(other.get_by_test_id("classroom-closed")).to_have_attribute("data-code", "classroom.switch_to_child")
    expect(other.get_by_test_id("switch-identity")).to_be_visible()
    fits(other)


def test_teacher_adds_a_link_and_uploads_a_lesson_plan_at_phone_width(new_page, world, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    teacher = give_password(world.teacher_a)
    page = new_page(viewport=PHONE)
    log_in(page, teacher.phone, NEW_PASSWORD)
    page.goto("/resources/classroom/mine/")
    page.get_by_test_id("new-link").click()
    page.fill("#title", "免费的测量微课")
    page.select_option("#stage", "primary")
    page.fill("#subject", "数学")
    page.select_option("#grade", "3")
    page.fill("#url", "javascript:alert(1)")
    page.check("input[name=sharing][value=school]")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "classroom.url_invalid")
    page.fill("#url", "https://example.org/free")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("resource-title")).to_have_text("免费的测量微课")
    fits(page)

    page.goto("/resources/classroom/mine/")
    page.get_by_test_id("new-lesson-plan").click()
    page.fill("#title", "测量 教案")
    page.fill("#subject", "数学")
    page.select_option("#grade", "3")
    page.get_by_test_id("picker-input-file_ids").set_input_files(
        [{"name": "教案.pdf", "mimeType": "application/pdf", "buffer": files.pdf()}])
    expect(page.locator("[data-uploaded-file]")).to_have_count(1, timeout=30_000)  # the upload is checked on the server
    fits(page)
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("open-resource")).to_contain_text(".pdf")
    plan = Resource.objects.get(title="测量 教案")
    assert plan.kind == "lesson_plan" and plan.file_id is not None and plan.sharing == "me"
    page.goto("/resources/classroom/mine/")
    expect(page.get_by_test_id("my-resources")).to_contain_text("测量 教案")
    fits(page)
