"""An activity in Chromium (ACT-1): a parent reads the details and signs the child up at phone width (360), the
school admin approves at desk width, and the parent sees the approval in "my children's sign-ups"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.activities.models import SignUp

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_activity

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 900}


def test_parent_signs_up_at_phone_width_and_the_school_admin_approves_at_a_desk(new_page, world):
    activity = make_activity(world.school_admin_a, approval="school", title="湘江博物馆研学")
    parent, admin = give_password(world.parent_a), give_password(world.school_admin_a)
    child = world.student_a.person_id

    phone = new_page(viewport=PHONE)
    log_in(phone, parent.phone, NEW_PASSWORD)
    phone.get_by_test_id(f"home-activity-{activity.pk}").click()
    expect(phone).to_have_url(re.compile(rf"/activities/{activity.pk}/$"))
    expect(phone.get_by_test_id("activity-place")).to_contain_text("长沙市科技馆")
    expect(phone.get_by_test_id("activity-programme")).to_contain_text("9:30 参观")
    expect(phone.get_by_test_id("activity-bring")).to_contain_text("水杯")
    phone.get_by_test_id(f"sign-up-{child}").click()
    expect(phone.get_by_test_id(f"status-{child}")).to_have_attribute("data-status", "pending")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = new_page(viewport=DESK)
    log_in(desk, admin.phone, NEW_PASSWORD)
    desk.get_by_test_id("nav-activities").click()
    desk.get_by_test_id(f"sign-ups-{activity.pk}").click()
    sign_up = SignUp.objects.get()
    expect(desk.get_by_test_id(f"status-{sign_up.pk}")).to_contain_text("待学校审核")
    desk.get_by_test_id(f"approve-{sign_up.pk}").click()
    expect(desk.get_by_test_id(f"sign-up-{sign_up.pk}")).to_have_attribute("data-status", "accepted")

    phone.goto("/activities/mine/")
    expect(phone.get_by_test_id(f"sign-up-{sign_up.pk}")).to_have_attribute("data-status", "accepted")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
