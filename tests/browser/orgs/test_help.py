"""HELP-2 in Chromium: a district admin adds a question and the district's contact in the console; a
visitor on a phone finds both on the public help page, linked from the login page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.orgs.models import FaqEntry

from tests.browser.helpers import log_in, open_menu_link, pass_second_factor
from tests.factories import NEW_PASSWORD, give_password

pytestmark = pytest.mark.browser


def test_a_district_admin_keeps_the_faq_and_a_visitor_reads_it_on_a_phone(new_page, world):
    FaqEntry.objects.create(region=world.province, category="用户登录", question="忘记账号怎么办？",
                            answer="学生的账号印在开通单上。")
    admin = give_password(world.district_admin_x)
    page = new_page(viewport={"width": 1366, "height": 768})
    log_in(page, admin.number, NEW_PASSWORD)
    pass_second_factor(page, admin)
    open_menu_link(page, "nav-help-edit")
    expect(page).to_have_url(re.compile(r"/help/edit/"))
    page.fill("#contact", "0731-84001234 (工作日 8:30-17:00)")
    page.get_by_test_id("contact-save").click()
    expect(page.locator("#contact")).to_have_value("0731-84001234 (工作日 8:30-17:00)")
    # A blank question is refused, naming what to fill in; what was typed stays.
    page.fill("#answer-new", "在学校发的开通单上。")
    page.get_by_test_id("entry-add").click()
    expect(page.get_by_test_id("error")).to_contain_text("请填写问题和回答")
    expect(page.locator("#answer-new")).to_have_value("在学校发的开通单上。")
    page.fill("#category-new", "用户登录")
    page.fill("#question-new", "学生的初始密码在哪里？")
    page.get_by_test_id("entry-add").click()
    entry = FaqEntry.objects.get(question="学生的初始密码在哪里？")
    expect(page.get_by_test_id(f"entry-{entry.pk}")).to_be_visible()

    phone = new_page(viewport={"width": 360, "height": 740})
    phone.goto("/accounts/login/")
    phone.get_by_test_id("help-link").click()
    phone.select_option("#help-region", str(world.district_x.pk))
    phone.locator("[data-testid=help-region-form] button").click()
    expect(phone.get_by_test_id("help-contact")).to_contain_text("0731-84001234")
    question = phone.get_by_test_id(f"help-entry-{entry.pk}")
    question.locator("summary").click()
    expect(question).to_contain_text("在学校发的开通单上。")
    # The district's question comes before the province's.
    sections = phone.locator("[data-testid^=help-section-]")
    expect(sections.first).to_contain_text("学生的初始密码在哪里？")
    expect(sections.nth(1)).to_contain_text("忘记账号怎么办？")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
