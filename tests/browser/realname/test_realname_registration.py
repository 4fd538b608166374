"""Teacher self-registration in Chromium, on a phone-sized screen: the form with its text-message code,
the school admin's approval queue, a refusal the applicant reads, and the seed-002 errors (ACC-4)."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Account

from tests.browser.helpers import open_personal_menu
from tests.factories import make_id_number, make_phone
from tests.verification_helpers import last_code

pytestmark = pytest.mark.browser

PHONE_SCREEN = {"width": 390, "height": 844}
ADMIN_PASSWORD = "Adm#2026pass"
TEACHER_PASSWORD = "Teach#2026ok"


@cache
def admin_hash() -> str:
    return make_password(ADMIN_PASSWORD)


def log_in(page: Page, account: Account) -> None:
    """Logs in as an account given a password of its own (past the forced first change)."""
    Account.objects.filter(pk=account.pk).update(password=admin_hash(), initial_password_rule="",
                                                 initial_password_digest="", initial_password_issued_at=None)
    page.goto("/accounts/login/")
    page.fill("#identifier", account.number)
    page.fill("#password", ADMIN_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def fill_form(page: Page, world, *, account_name: str, id_number: str, phone: str) -> None:
    page.fill("#school", world.school_a.code)
    page.fill("#account_name", account_name)
    page.fill("#name", "王丽")
    page.fill("#id_number", id_number)
    page.fill("#phone", phone)


def send_code_and_register(page: Page, phone: str) -> None:
    page.get_by_test_id("send-code").click()
    expect(page.get_by_test_id("code-sent")).to_contain_text(phone[:3] + "****" + phone[-4:])
    page.fill("#code", last_code(phone))
    page.fill("#password", TEACHER_PASSWORD)
    page.fill("#repeat_password", TEACHER_PASSWORD)
    page.get_by_test_id("register").click()


def test_teacher_registers_on_a_phone_and_the_school_admin_approves(new_page, world):
    page = new_page(viewport=PHONE_SCREEN)
    page.goto("/")
    page.get_by_test_id("nav-register").click()
    expect(page).to_have_url(re.compile(r"/accounts/register/$"))
    # The school field suggests schools as the applicant types. htmx (a deferred script) must have wired the
    # field first, or the typing sends nothing: a user types slower than that, a test does not.
    # The page may still be loading when the URL matches, so the field may not exist yet either.
    page.wait_for_function(
        "() => { const field = document.querySelector('#school'); "
        "return field !== null && field['htmx-internal-data'] !== undefined; }")
    page.fill("#school", "芙蓉")
    expect(page.locator("#school-options option")).to_have_count(1)
    expect(page.locator("#school-options option")).to_have_attribute("value", world.school_a.code)

    phone = make_phone()
    fill_form(page, world, account_name="WangLi2026", id_number=make_id_number(date(1988, 8, 8), sex="F"),
              phone=phone)
    send_code_and_register(page, phone)
    expect(page.get_by_test_id("register-done")).to_contain_text(world.school_a.name)
    expect(page.get_by_test_id("account-name")).to_have_text("wangli2026")
    # Nothing overflows the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]

    # Before approval the login says it is waiting for the school admin.
    page.goto("/accounts/login/")
    page.fill("#identifier", "wangli2026")
    page.fill("#password", TEACHER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "login.pending")

    admin = new_page()
    log_in(admin, world.school_admin_a)
    admin.get_by_test_id("nav-registrations").click()
    row = admin.get_by_test_id("application").filter(has_text="wangli2026")
    expect(row).to_contain_text("王丽")
    row.get_by_test_id("approve").click()
    expect(admin.get_by_test_id("application")).to_have_count(0)

    page.goto("/accounts/login/")
    page.fill("#identifier", "wangli2026")
    page.fill("#password", TEACHER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    open_personal_menu(page)
    expect(page.get_by_test_id("personal-menu-items")).to_contain_text(world.school_a.name)


def test_taken_account_name_shows_the_suggestion_and_keeps_what_was_typed(new_page, world):
    Account.objects.filter(pk=world.teacher_b.pk).update(number="wangli2026")
    page = new_page(viewport=PHONE_SCREEN)
    page.goto("/accounts/register/")
    phone = make_phone()
    id_number = make_id_number(date(1988, 8, 8), sex="F")
    fill_form(page, world, account_name="wangli2026", id_number=id_number, phone=phone)
    send_code_and_register(page, phone)
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "registration.account_name_taken")
    expect(error).to_contain_text(f"wangli{id_number[-4:].lower()}")
    expect(page.locator("#account_name")).to_have_value("wangli2026")
    expect(page.locator("#id_number")).to_have_value(id_number)
    expect(page.locator("#password")).to_have_value("")


def test_id_number_of_a_student_account_is_refused_with_who_to_call(new_page, world):
    page = new_page(viewport=PHONE_SCREEN)
    page.goto("/accounts/register/")
    phone = make_phone()
    fill_form(page, world, account_name="lixiaoming1", id_number=world.student_a.person.reveal_id_number(),
              phone=phone)
    page.fill("#name", "李小明")
    send_code_and_register(page, phone)
    error = page.get_by_test_id("error")
    # The student's school can act: its admin is named, with the account masked (issue 10 #10).
    expect(error).to_have_attribute("data-code", "registration.id_held_by_student_at")
    expect(error.locator(".error-who")).to_contain_text("学校管理员")
    expect(error).to_contain_text(world.school_a.name)
    expect(error).not_to_contain_text(world.student_a.number)


def test_phone_already_registered_is_said_when_asking_for_the_code(new_page, world):
    page = new_page(viewport=PHONE_SCREEN)
    page.goto("/accounts/register/")
    page.fill("#phone", world.parent_a.phone)
    page.get_by_test_id("send-code").click()
    # A parent account's phone: the message offers the two ways forward, including the school's unbind.
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "registration.phone_held_by_parent")
    expect(error).to_contain_text("解绑手机号")
    expect(page.get_by_test_id("code-sent")).to_have_count(0)


def test_refused_applicant_reads_the_reason_and_applies_again(new_page, world):
    page = new_page(viewport=PHONE_SCREEN)
    page.goto("/accounts/register/")
    phone = make_phone()
    fill_form(page, world, account_name="wangli2026", id_number=make_id_number(date(1988, 8, 8), sex="F"),
              phone=phone)
    send_code_and_register(page, phone)
    expect(page.get_by_test_id("register-done")).to_be_visible()

    admin = new_page()
    log_in(admin, world.school_admin_a)
    admin.goto("/realname/applications/")
    row = admin.get_by_test_id("application").filter(has_text="wangli2026")
    row.get_by_test_id("refuse").click()
    expect(admin.get_by_test_id("error")).to_have_attribute("data-code", "registration.reason_required")
    row = admin.get_by_test_id("application").filter(has_text="wangli2026")
    row.get_by_test_id("reason").fill("请使用本人手机号注册")
    row.get_by_test_id("refuse").click()
    expect(admin.get_by_test_id("application")).to_have_count(0)

    page.goto("/accounts/register/status/")
    page.fill("#identifier", phone)
    page.fill("#password", TEACHER_PASSWORD)
    page.locator("[data-testid=status-form] button[type=submit]").click()
    expect(page.get_by_test_id("application")).to_have_attribute("data-status", "refused")
    expect(page.get_by_test_id("reason")).to_contain_text("请使用本人手机号注册")
    page.fill("#reapply-school", world.school_b.code)
    page.fill("#reapply-password", TEACHER_PASSWORD)
    page.locator("[data-testid=reapply-form] button[type=submit]").click()
    expect(page.get_by_test_id("application")).to_have_attribute("data-status", "pending")
    expect(page.get_by_test_id("application")).to_contain_text(world.school_b.name)
