"""The users table in Chromium at a desk (1366 wide) and on a phone (360 wide): sorting by a header,
page size, jumping to a page, choosing rows with select-all for a batch, and a table that scrolls in
its own box while the page itself never overflows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Account

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password, make_student

pytestmark = pytest.mark.browser


def admin_page(new_page, world, width: int) -> Page:
    page = new_page(viewport={"width": width, "height": 800})
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, give_password(world.school_admin_a).phone, NEW_PASSWORD)
    return page


def test_sort_size_jump_and_batch_at_a_desk(new_page, world):
    for i in range(43):
        make_student(world.class_a2, f"学生{i:02d}")
    page = admin_page(new_page, world, 1366)
    page.goto("/school/users/")
    expect(page.get_by_test_id("user-row")).to_have_count(20)
    page.get_by_test_id("users-sort-number").click()
    expect(page.get_by_test_id("users-col-number")).to_have_attribute("aria-sort", "ascending")
    first = page.get_by_test_id("user-row").first.get_attribute("data-account")
    page.get_by_test_id("users-sort-number").click()
    expect(page.get_by_test_id("users-col-number")).to_have_attribute("aria-sort", "descending")
    assert page.get_by_test_id("user-row").first.get_attribute("data-account") > first

    page.get_by_test_id("users-jump-page").fill("3")
    page.get_by_test_id("users-jump-go").click()
    expect(page.get_by_test_id("page-current")).to_have_text("3")
    expect(page.get_by_test_id("user-row")).to_have_count(5)
    expect(page.get_by_test_id("users-col-number")).to_have_attribute("aria-sort", "descending")  # kept

    page.select_option("[data-testid=users-size]", "50")
    page.get_by_test_id("users-size-apply").click()
    expect(page.get_by_test_id("user-row")).to_have_count(45)
    expect(page.get_by_test_id("users-pager")).to_have_count(0)

    page.get_by_test_id("users-pick-all").check()
    expect(page.locator("[data-pick=users]:checked")).to_have_count(45)
    page.get_by_test_id("users-pick-all").uncheck()
    page.get_by_test_id(f"pick-{world.student_a.number}").check()
    page.get_by_test_id(f"pick-{world.student_a2.number}").check()
    page.get_by_test_id("batch-freeze").click()
    expect(page.get_by_test_id("done")).to_be_visible()
    assert set(Account.objects.filter(pk__in=[world.student_a.pk, world.student_a2.pk]).values_list(
        "status", flat=True)) == {"frozen"}
    # Frozen already: the batch refuses as a whole, naming the row.
    page.get_by_test_id(f"pick-{world.student_a.number}").check()
    page.get_by_test_id("batch-freeze").click()
    expect(page.locator("[data-code='users.batch_refused']")).to_contain_text(world.student_a.number)


def test_table_scrolls_in_its_box_on_a_phone(new_page, world):
    page = admin_page(new_page, world, 360)
    page.goto("/school/users/")
    expect(page.get_by_test_id("user-row")).to_have_count(2)
    wrap = page.get_by_test_id("users-wrap")
    assert wrap.evaluate("el => el.scrollWidth > el.clientWidth")  # the table is wider than its box
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_audit_log_scrolls_in_its_box_on_a_phone(new_page, world):
    page = admin_page(new_page, world, 360)
    page.goto("/school/users/")
    page.get_by_test_id(f"freeze-{world.student_a.number}").click()
    page.goto("/audit/")
    expect(page.get_by_test_id("audit-row").first).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
