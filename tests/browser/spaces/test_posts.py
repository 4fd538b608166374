"""Posts in Chromium (SPC-1): a student posts from the phone (360x740) with an image, a classmate's parent
reads it in the class feed with the image loaded, and the class head teacher removes it with a reason the
student then reads."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_parent, make_student
from tests.spaces.helpers import png

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}


def test_student_posts_with_an_image_a_classmates_parent_reads_it_and_the_head_teacher_removes_it(new_page, world):
    classmate = make_student(world.class_a1, "王小丽")
    classmate_parent = give_password(make_parent(classmate, name="王妈妈"))
    student = give_password(world.student_a)
    head_teacher = give_password(world.head_teacher_a)

    page = new_page(viewport=PHONE, locale="en-US")
    log_in(page, student.number, NEW_PASSWORD)
    page.get_by_test_id("nav-feeds").click()
    expect(page.get_by_test_id("feed")).to_have_attribute("data-feed", "class")
    page.get_by_test_id("compose").click()
    page.fill("#text", "Spring outing today")
    page.select_option("#kind", "news")
    page.select_option("#visibility", "class")
    page.set_input_files("#images", files=[{"name": "outing.png", "mimeType": "image/png", "buffer": png()}])
    page.get_by_test_id("post-submit").click()
    expect(page).to_have_url(re.compile(r"/spaces/posts/\d+/$"))
    expect(page.get_by_test_id("post-text")).to_have_text("Spring outing today")
    expect(page.get_by_test_id("post-image")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    reader = new_page(viewport=PHONE, locale="en-US")
    log_in(reader, classmate_parent.phone, NEW_PASSWORD)
    reader.goto("/spaces/?feed=class")
    post = reader.get_by_test_id("post").filter(has_text="Spring outing today")
    expect(post).to_be_visible()
    image = post.get_by_test_id("post-image")
    expect(image).to_be_visible()
    reader.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    assert reader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = new_page(viewport=DESK, locale="en-US")
    log_in(desk, head_teacher.phone, NEW_PASSWORD)
    desk.goto("/spaces/?feed=class")
    desk.get_by_test_id("post").filter(has_text="Spring outing today").get_by_test_id("post-open").click()
    desk.fill("#remove-reason", "Photos of other children need their parents' consent")
    desk.get_by_test_id("post-remove").click()
    expect(desk.get_by_test_id("post")).to_have_attribute("data-status", "removed")

    reader.reload()
    expect(reader.get_by_test_id("post").filter(has_text="Spring outing today")).to_have_count(0)
    page.reload()
    expect(page.get_by_test_id("post-removed")).to_contain_text(
        "已被移除：Photos of other children need their parents' consent")
