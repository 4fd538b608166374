"""Each identity's home page in Chromium: phones at 360x740 (students, parents), the console at 1366x768
(teachers at a desk, school and region admins). What to do now, with numbers that lead to the table
behind them; the school admin's activation chart is drawn from our own ECharts under the CSP."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Account

from tests.browser.helpers import log_in, pass_second_factor
from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}


def no_sideways_scroll(page: Page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_student_home_on_a_phone_says_what_to_do(new_page, world):
    page = new_page(viewport=PHONE)
    student = give_password(world.student_a)
    log_in(page, student.number, NEW_PASSWORD)
    expect(page.get_by_test_id("my-class")).to_have_text(f"芙蓉第一小学 · {world.class_a1.display_name()}")
    expect(page.get_by_test_id("head-teacher")).to_contain_text("刘班主任")
    expect(page.get_by_test_id("head-teacher")).not_to_contain_text(world.head_teacher_a.phone)
    expect(page.get_by_test_id("task-phone")).to_be_visible()
    expect(page.get_by_test_id("task-password")).to_have_count(0)  # changed at the first login
    no_sideways_scroll(page, PHONE["width"])
    page.get_by_test_id("task-phone").click()
    expect(page).to_have_url(re.compile(r"/accounts/phone/$"))


def test_parent_home_on_a_phone_shows_a_card_per_child(new_page, world):
    page = new_page(viewport=PHONE)
    parent = give_password(world.parent_a)
    log_in(page, parent.phone, NEW_PASSWORD)
    card = page.get_by_test_id(f"child-{world.student_a.person.pk}")
    expect(card).to_contain_text("李小明")
    expect(card.get_by_test_id("child-head-teacher")).to_contain_text("刘班主任")
    expect(card.get_by_test_id("current-child")).to_be_visible()
    no_sideways_scroll(page, PHONE["width"])
    card.get_by_test_id(f"child-password-{world.student_a.person.pk}").click()
    expect(page).to_have_url(re.compile(rf"/family/children/{world.student_a.person.pk}/password/$"))


def test_head_teacher_at_a_desk_sees_their_class_figures(new_page, world):
    Account.objects.filter(pk=world.student_a.pk).update(last_login=timezone.now())
    page = new_page(viewport=DESK)
    teacher = give_password(world.head_teacher_a)
    log_in(page, teacher.phone, NEW_PASSWORD)
    a1 = world.class_a1.pk
    expect(page.get_by_test_id(f"head-students-{a1}")).to_have_text("1")
    expect(page.get_by_test_id(f"head-activated-{a1}")).to_have_text("1")
    expect(page.get_by_test_id(f"slips-{a1}")).to_be_visible()
    page.get_by_test_id("action-resets").click()
    expect(page).to_have_url(re.compile(r"/resets/$"))


def test_school_admin_dashboard_draws_the_activation_chart_and_links_its_numbers(new_page, world):
    Account.objects.filter(pk=world.student_a.pk).update(last_login=timezone.now())
    page = new_page(viewport=DESK)
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    chart = page.get_by_test_id("activation-chart")
    expect(chart).to_have_attribute("data-drawn", "true")
    expect(chart.locator("svg")).to_have_count(1)
    table = page.get_by_test_id("activation-table")
    expect(table.get_by_test_id(f"class-activated-{world.class_a1.pk}")).to_have_text("1")
    expect(page.get_by_test_id("count-students")).to_have_text("2")
    no_sideways_scroll(page, DESK["width"])
    page.get_by_test_id("count-students-active").click()
    expect(page).to_have_url(re.compile(r"/school/users/\?kind=students&state=active$"))


def test_district_admin_searches_their_schools_figures(new_page, world):
    page = new_page(viewport=DESK)
    admin = give_password(world.district_admin_x)
    log_in(page, admin.phone, NEW_PASSWORD)
    pass_second_factor(page, admin)
    a = world.school_a.pk
    expect(page.get_by_test_id(f"school-{a}-students-count")).to_have_text("2")
    expect(page.get_by_test_id("schools")).not_to_contain_text("天心第一小学")
    page.get_by_test_id("school-q").fill("没有这所学校")
    page.get_by_test_id("school-search-submit").click()
    expect(page.get_by_test_id("no-schools")).to_be_visible()
    page.get_by_test_id("school-q").fill("A0001")
    page.get_by_test_id("school-search-submit").click()
    page.get_by_test_id(f"school-link-{a}").click()
    expect(page).to_have_url(re.compile(rf"/orgs/schools/{a}/$"))
