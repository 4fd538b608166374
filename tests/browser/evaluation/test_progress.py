"""Evaluation progress in Chromium (EVA-4): the school admin drills down at a desk from the school's classes to
a class's students, one student and back; a student sees their compact progress block with the reason on the
phone's growth page (360x740), within the screen's width."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_evaluation_catalogue, make_written_records

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}


@pytest.fixture
def material(world):
    make_evaluation_catalogue(world.city)
    make_written_records(world.student_a, draft=1, pending=1, approved=2)
    make_written_records(world.student_a2, draft=12)


def test_school_admin_drills_down_from_classes_to_a_student(new_page, world, material):
    admin = give_password(world.school_admin_a)
    desk = new_page(viewport=DESK)
    log_in(desk, admin.number, NEW_PASSWORD)
    desk.get_by_test_id("nav-evaluation-progress").click()
    table = desk.get_by_test_id("progress-table")
    expect(table).to_have_attribute("data-level", "classes")
    a2 = desk.locator(f'[data-testid="progress-class"][data-class-id="{world.class_a2.pk}"]')
    expect(a2.get_by_test_id("uploaded")).to_have_text("12")
    expect(a2.get_by_test_id("nothing")).to_have_text("1")
    a2.get_by_test_id("class-link").click()
    expect(table).to_have_attribute("data-level", "students")
    row = desk.get_by_test_id("progress-student")
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("reason")).to_have_text("已上传 12 条，已上报 0 条：请先分类再上报。")
    row.get_by_test_id("student-link").click()
    expect(desk).to_have_url(re.compile(rf"/evaluation/progress/students/{world.student_a2.person_id}/$"))
    expect(desk.get_by_test_id("progress-uploaded")).to_have_text("12")
    desk.go_back()
    desk.get_by_test_id("to-classes").click()
    expect(table).to_have_attribute("data-level", "classes")
    # The filter "only students with nothing submitted" across the school.
    desk.get_by_test_id("to-nothing-list").click()
    expect(desk.get_by_test_id("progress-student")).to_have_count(1)
    expect(desk.get_by_test_id("remind-form")).to_be_visible()


def test_a_student_sees_the_progress_block_on_the_phone(new_page, world, material):
    student = give_password(world.student_a2)
    phone = new_page(viewport=PHONE)
    log_in(phone, student.number, NEW_PASSWORD)
    phone.get_by_test_id("tab-growth").click()
    block = phone.get_by_test_id("progress-block")
    expect(block).to_be_visible()
    expect(block.get_by_test_id("progress-uploaded")).to_have_text("12")
    expect(block.get_by_test_id("progress-submitted")).to_have_text("0")
    expect(block.get_by_test_id("progress-reason")).to_have_text("已上传 12 条，已上报 0 条：请先分类再上报。")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = block.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
