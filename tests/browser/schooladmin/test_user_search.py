"""Searching the users table by pinyin initials in Chromium (issue 12): a school admin types "dlj" and
finds 丁丽佳. The page is the users table's; its search box calls accounts.selectors.account_search."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_student

pytestmark = pytest.mark.browser


def test_admin_finds_a_student_by_initials(new_page, world):
    ding = make_student(world.class_a2, "丁丽佳", "F")
    make_student(world.class_a2, "丁力")
    page = new_page()
    log_in(page, give_password(world.school_admin_a).phone, NEW_PASSWORD)
    page.goto("/school/users/")
    page.fill("#q", "dlj")
    page.get_by_test_id("search-submit").click()
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    expect(page.get_by_test_id("user-row")).to_contain_text("丁丽佳")
    expect(page.get_by_test_id("user-row")).to_contain_text(ding.number)
    page.fill("#q", "dinglijia")
    page.get_by_test_id("search-submit").click()
    expect(page.get_by_test_id("user-row")).to_have_count(1)
    expect(page.get_by_test_id("user-row")).to_contain_text("丁丽佳")
