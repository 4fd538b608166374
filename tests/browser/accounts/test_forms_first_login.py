"""First login on a phone (issue 12): the initial password is typed once, the new one is chosen while the
region's checklist turns green, and the user lands home with "密码已修改"; the show-password toggle."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
HOME = re.compile(r"^http://[^/]+/$")


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_first_login_asks_only_for_the_new_password_and_ends_home_with_password_changed(new_page, world):
    page = new_page(viewport=PHONE)
    student = world.student_a
    log_in(page, student.number, f"Pw{student.number[-6:]}@")
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.get_by_test_id("forced-change")).to_be_visible()
    # The login has just proved the initial password: it is not asked again.
    expect(page.locator("#current_password")).to_have_count(0)

    rules = page.get_by_test_id("password-rules")
    expect(rules.locator("li")).to_have_count(4)
    expect(rules.locator("li.is-met")).to_have_count(0)
    page.locator("#new_password").press_sequentially("abcdefgh")
    expect(page.get_by_test_id("rule-length")).to_have_class(re.compile(r"\bis-met\b"))
    expect(page.get_by_test_id("rule-classes")).not_to_have_class(re.compile(r"\bis-met\b"))
    page.locator("#new_password").fill("")
    page.locator("#new_password").press_sequentially(NEW_PASSWORD)
    page.locator("#repeat_password").press_sequentially(NEW_PASSWORD)
    expect(rules.locator("li.is-met")).to_have_count(4)
    assert no_horizontal_overflow(page)
    save = page.get_by_test_id("save")
    box = save.bounding_box()
    assert box["height"] >= 44 and box["width"] >= PHONE["width"] - 80  # full width on the phone

    save.click()
    expect(page).to_have_url(HOME)
    expect(page.get_by_test_id("flash")).to_contain_text("密码已修改")


def test_a_refused_new_password_is_shown_beside_its_field_and_keeps_the_page(new_page, world):
    page = new_page(viewport=PHONE)
    student = world.student_a
    log_in(page, student.number, f"Pw{student.number[-6:]}@")
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    page.fill("#new_password", "abcdefgh")
    page.fill("#repeat_password", "abcdefgh")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "password.classes")
    field = page.get_by_test_id("field-new_password")
    expect(field.get_by_test_id("field-error")).to_contain_text("密码须至少包含大写字母、小写字母、数字、符号中的 3 类。")
    expect(page.locator("#new_password")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#new_password")).to_have_value("")  # a password is never sent back
    expect(page.get_by_test_id("forced-change")).to_be_visible()


def test_show_password_toggle_reveals_and_hides_the_password(page, world):
    page.goto("/accounts/login/")
    page.fill("#password", "Secret#123")
    toggle = page.get_by_test_id("reveal-password")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(toggle).to_have_text("显示")
    toggle.click()
    expect(page.locator("#password")).to_have_attribute("type", "text")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("隐藏")
    toggle.click()
    expect(page.locator("#password")).to_have_attribute("type", "password")
    expect(toggle).to_have_attribute("aria-pressed", "false")


PUBLIC_PAGES = ["/accounts/login/", "/accounts/code-login/", "/accounts/recover/", "/accounts/recover/student/",
                "/accounts/register/", "/accounts/register/status/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_form_pages_fit_a_360_px_phone_with_thumb_sized_controls(new_page, world, path):
    page = new_page(viewport=PHONE)
    page.goto(path)
    expect(page.locator("main form").first).to_be_visible()
    assert no_horizontal_overflow(page)
    small = page.evaluate("""() => [...document.querySelectorAll('main input:not([type=hidden]):not([type=checkbox]):not([type=radio]), main select, main button')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 44)
        .map(e => e.outerHTML.slice(0, 80))""")
    assert small == []
