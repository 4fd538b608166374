"""Taking a practice paper in Chromium at phone width (360 px, issue 15 item 2): the student answers, each
answer saved as typed; the connection drops (that answer says it is not saved) and the page is lost; the
student comes back, finds the saved answers, submits, and sees each answer graded with the right answer and
the explanation. The teacher reads the class's results at a desk."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from renrentong.resources.models import PracticeAnswer, PracticeAttempt, PracticeGrade

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password
from tests.resources.practice.helpers import published_paper

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 900}


def test_student_answers_loses_the_page_comes_back_submits_and_sees_grading(new_page, world):
    paper_id, ids = published_paper(Client(), world)
    student = give_password(world.student_a)
    phone = new_page(viewport=PHONE)
    log_in(phone, student.number, NEW_PASSWORD)
    phone.goto("/")
    phone.get_by_test_id(f"home-paper-{paper_id}").click()
    phone.get_by_test_id("start").click()
    expect(phone).to_have_url(re.compile(r"/practice/attempts/\d+/"))
    phone.wait_for_load_state("load")  # htmx listens from DOMContentLoaded: a tap before it is saved later

    phone.get_by_test_id("q1-option-B").check()
    expect(phone.get_by_test_id("saved-1").locator("[data-saved=yes]")).to_be_visible()
    phone.get_by_test_id("q2-option-A").check()
    phone.get_by_test_id("q2-option-C").check()
    phone.get_by_test_id("q4-blank-1").fill("  ＣｌａｓｓＲｏｏｍ ")
    phone.get_by_test_id("q5-number").fill("３.１５")
    expect(phone.get_by_test_id("saved-4").locator("[data-saved=yes]")).to_be_visible()
    expect(phone.get_by_test_id("saved-5").locator("[data-saved=yes]")).to_be_visible()
    expect(phone.get_by_test_id("saved-2").locator("[data-saved=yes]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The connection drops: the next answer cannot be saved, and the question says so.
    phone.context.set_offline(True)
    phone.get_by_test_id("q3-true").check()
    expect(phone.get_by_test_id("saved-3")).to_have_class(re.compile("is-failed"))
    phone.context.set_offline(False)
    attempt = PracticeAttempt.objects.get()
    assert PracticeAnswer.objects.filter(attempt=attempt).count() == 4

    # The page is lost; the student comes back later and finds every saved answer.
    phone.close()
    phone = new_page(viewport=PHONE)
    log_in(phone, student.number, NEW_PASSWORD)
    phone.goto("/practice/")
    phone.get_by_test_id(f"paper-{paper_id}").click()
    expect(phone.get_by_test_id("start")).to_have_attribute("data-state", "continue")
    phone.get_by_test_id("start").click()
    expect(phone.get_by_test_id("q1-option-B")).to_be_checked()
    phone.wait_for_load_state("load")
    expect(phone.get_by_test_id("q2-option-C")).to_be_checked()
    expect(phone.get_by_test_id("q4-blank-1")).to_have_value("ＣｌａｓｓＲｏｏｍ")  # as typed, trimmed
    expect(phone.get_by_test_id("q5-number")).to_have_value("３.１５")
    expect(phone.get_by_test_id("q3-true")).not_to_be_checked()
    phone.get_by_test_id("q3-true").check()

    phone.once("dialog", lambda dialog: dialog.accept())
    phone.get_by_test_id("submit").click()
    expect(phone.get_by_test_id("score")).to_contain_text("5")
    for n in range(1, 6):
        expect(phone.get_by_test_id(f"graded-{n}")).to_have_attribute("data-correct", "yes")
    expect(phone.get_by_test_id("right-5")).to_have_text("3.14 ± 0.01")
    expect(phone.get_by_test_id("explanation-1")).to_contain_text("1 分等于 60 秒")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert PracticeGrade.objects.filter(attempt=attempt, correct=True).count() == 5

    # A second submit (the back button and submit again) changes nothing.
    phone.go_back()
    phone.once("dialog", lambda dialog: dialog.accept())
    if phone.get_by_test_id("submit").count():
        phone.get_by_test_id("submit").click()
    assert PracticeGrade.objects.filter(attempt=attempt).count() == 5
    assert PracticeAttempt.objects.get().state == "submitted"

    teacher = give_password(world.teacher_a)
    desk = new_page(viewport=DESK)
    log_in(desk, teacher.phone, NEW_PASSWORD)
    desk.goto("/practice/manage/")
    desk.get_by_test_id(f"results-{paper_id}-{world.class_a1.pk}").click()
    expect(desk.get_by_test_id("rate-1")).to_have_text("100%")
