"""The pages as a user meets them in Chromium: login, first password, identities, trees, language, phone.

Assertions stick to data (names, account numbers, data-testid, error codes) and to the Chinese text of
renrentong/core/errors.py, so they hold whatever state the gettext catalogue is in.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from renrentong.accounts.models import Identity

from tests.browser.helpers import chinese, log_in, open_class, open_personal_menu, pass_second_factor, switch_identity
from tests.factories import NEW_PASSWORD, give_password, make_school_admin

pytestmark = pytest.mark.browser

HOME = re.compile(r"^http://[^/]+/$")


def test_first_login_forces_a_password_change_then_shows_the_student_home(page, world):
    student = world.student_a
    initial = f"Pw{student.number[-6:]}@"
    expected_class = chinese(world.class_a1.display_name)

    log_in(page, student.number, initial)
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))
    expect(page.get_by_test_id("forced-change")).to_be_visible()

    # The home page stays out of reach until the initial password is changed.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/password/$"))

    # The login has just proved the initial password: the change asks only for the new one (issue 12).
    page.fill("#new_password", "abcdefgh")
    page.fill("#repeat_password", "abcdefgh")
    page.locator("main form button[type=submit]").click()
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "password.classes")
    expect(error).to_contain_text("密码须至少包含大写字母、小写字母、数字、符号中的 3 类。")
    expect(page.get_by_test_id("forced-change")).to_be_visible()

    page.fill("#new_password", NEW_PASSWORD)
    page.fill("#repeat_password", NEW_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(HOME)
    who = page.get_by_test_id("who")
    expect(who.locator("h1")).to_have_text("李小明")
    expect(page.get_by_test_id("account-number")).to_have_text(student.number)
    expect(page.get_by_test_id("my-class")).to_have_text(f"芙蓉第一小学 · {expected_class}")
    expect(page.get_by_test_id("error")).to_have_count(0)


def test_unknown_account_names_the_school_admin_and_the_contact(page, world):
    log_in(page, "99999999", "Whatever1!")
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "login.unknown_account")
    expect(error.locator(".error-message")).to_contain_text("请联系学校管理员核实是否导入或导入有误")
    expect(error.locator(".error-who")).to_contain_text("学校管理员")
    expect(error.locator(".error-who")).to_contain_text("400-800-1234")
    expect(page.locator("#identifier")).to_have_value("99999999")
    expect(page.locator("#password")).to_have_value("")


def test_wrong_password_says_how_many_tries_are_left(page, world):
    student = world.student_a
    log_in(page, student.number, "Wrong-pass-1")
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "login.wrong_password")
    expect(error.locator(".error-message")).to_contain_text("密码不正确(密码区分大小写)。再错 2 次后,登录需先完成一次安全验证")
    expect(error.locator(".error-who")).to_contain_text("本人")
    # The school's own contact, not the platform's.
    expect(error.locator(".error-who")).to_contain_text("0731-1111-0000")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def test_account_with_two_identities_picks_one_and_switches_from_the_top_bar(page, world):
    account = make_school_admin(world.school_a, account=world.teacher_a)
    give_password(account)
    teacher = account.identities.get(kind=Identity.Kind.TEACHER)
    admin = account.identities.get(kind=Identity.Kind.SCHOOL_ADMIN)

    log_in(page, account.number, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/identities/$"))
    expect(page.locator("button.choice")).to_have_count(2)
    page.get_by_test_id("identity-teacher").click()

    expect(page).to_have_url(HOME)
    expect(page.get_by_test_id("classes")).to_contain_text(chinese(world.class_a1.display_name))
    expect(page.get_by_test_id("school-tree")).to_have_count(0)
    open_personal_menu(page)
    expect(page.get_by_test_id(f"identity-{teacher.pk}")).to_have_attribute("aria-current", "true")
    expect(page.get_by_test_id("personal-menu-items").locator("[data-testid^=identity-]")).to_have_count(2)

    switch_identity(page, admin.pk)
    expect(page.get_by_test_id("school-tree")).to_be_visible()
    expect(page.get_by_test_id("password-settings")).to_be_visible()
    expect(page.get_by_test_id("classes")).to_have_count(0)
    open_personal_menu(page)
    expect(page.get_by_test_id(f"identity-{admin.pk}")).to_have_attribute("aria-current", "true")

    # The choice lasts for the session.
    page.reload()
    expect(page.get_by_test_id("school-tree")).to_be_visible()


def test_school_admin_opens_a_class_in_the_tree_and_sees_its_students(page, world):
    admin = give_password(world.school_admin_a)
    class_a1, class_a2 = world.class_a1, world.class_a2

    log_in(page, admin.number, NEW_PASSWORD)
    tree = page.get_by_test_id("school-tree")
    expect(tree).to_be_visible()
    expect(tree.get_by_test_id("campus")).to_have_text("本部")
    expect(tree.get_by_test_id("class")).to_have_count(2)

    tree.get_by_test_id("grade").click()
    first = open_class(page, class_a1.code)
    members = first.get_by_test_id("class-members")
    expect(members).to_contain_text("李小明")
    expect(members).to_contain_text(world.student_a.number)
    expect(members).not_to_contain_text("周小刚")

    second = open_class(page, class_a2.code)
    expect(second.get_by_test_id("class-members")).to_contain_text("周小刚")
    expect(members).to_be_visible()


def test_district_admin_sees_only_their_schools_and_opens_one(page, world):
    admin = give_password(world.district_admin_x)

    log_in(page, admin.number, NEW_PASSWORD)
    pass_second_factor(page, admin)
    schools = page.get_by_test_id("schools")
    expect(schools).to_contain_text("芙蓉第一小学")
    expect(schools).to_contain_text("芙蓉区")
    expect(schools).not_to_contain_text("天心第一小学")
    expect(schools.locator("tbody tr")).to_have_count(1)

    schools.get_by_role("link", name="芙蓉第一小学").click()
    expect(page).to_have_url(re.compile(rf"/orgs/schools/{world.school_a.pk}/$"))
    expect(page.locator("main h1")).to_have_text("芙蓉第一小学")
    tree = page.get_by_test_id("school-tree")
    expect(tree.get_by_test_id("class")).to_have_count(2)
    tree.get_by_test_id("grade").click()
    expect(open_class(page, world.class_a1.code).get_by_test_id("class-members")).to_contain_text("李小明")

    # Another district's school is out of scope even by its address.
    response = page.goto(f"/orgs/schools/{world.school_b.pk}/")
    assert response.status == 404
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "scope.not_found")
    expect(page.locator("main")).not_to_contain_text("天心第一小学")


def test_language_switch_shows_the_login_page_in_english(page, world):
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # Each language is offered in its own words, so that whoever needs it can read it.
    expect(page.get_by_test_id("language-en")).to_have_text("English")
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("main h1")).to_have_text("Log in")
    expect(page.locator("main form button[type=submit]")).to_have_text("Log in")
    expect(page.get_by_test_id("language-zh-hans")).to_have_text("中文")

    # Errors follow the chosen language too.
    page.fill("#identifier", "99999999")
    page.fill("#password", "Whatever1!")
    page.locator("main form button[type=submit]").click()
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "login.unknown_account")
    expect(error.locator(".error-message")).to_contain_text("No such account")
    expect(error.locator(".error-who")).to_contain_text("the school admin")


def test_parent_home_on_a_phone_shows_the_child(new_page, world):
    page = new_page(viewport={"width": 375, "height": 667})
    parent = give_password(world.parent_a)

    log_in(page, parent.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("who").locator("h1")).to_have_text("李大明")
    children = page.get_by_test_id("children")
    expect(children.locator("li")).to_have_count(1)
    expect(children).to_contain_text("李小明")
    expect(children).to_contain_text("芙蓉第一小学")
    expect(children).to_contain_text(world.student_a.number)
    expect(children).not_to_contain_text("陈小红")
    # Nothing wider than the phone's screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_school_admin_changes_the_initial_password_rule_in_settings(page, world):
    from renrentong.orgs.models import Policy

    # A region that chose a derived rule (a new one draws random passwords, issue 10).
    Policy.objects.create(region=world.province, values={"student_initial_rule": "pw_account_last6"})
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("weak-rule-warning")).to_be_visible()
    page.get_by_test_id("settings-link").click()
    expect(page).to_have_url(re.compile(r"/orgs/settings/$"))
    expect(page.locator("#password_rule")).to_have_count(0)  # the district decides the password policy
    page.select_option("#student_initial_rule", "random")
    page.select_option("#parent_initial_rule", "random")
    page.select_option("#teacher_initial_rule", "random")
    page.select_option("#teacher_initial_rule", "school_default")
    page.fill("#school_default_password", "123456")
    page.locator("[data-testid=settings-form] button[type=submit]").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "policy.weak_default_password")
    page.select_option("#teacher_initial_rule", "random")
    page.fill("#initial_password_days", "14")
    page.locator("[data-testid=settings-form] button[type=submit]").click()
    expect(page.get_by_test_id("weak-rule-warning")).to_have_count(0)
    expect(page.locator("#initial_password_days")).to_have_value("14")


def test_city_admin_sets_where_codes_go_and_when_the_rollover_runs(page, world):
    admin = give_password(world.city_admin)
    log_in(page, admin.number, NEW_PASSWORD)
    pass_second_factor(page, admin)
    page.goto("/orgs/settings/")
    page.fill("#sms_code_minutes", "30")
    page.select_option("#sms_province", "湖南省")
    page.fill("#rollover_auto_date", "02-30")
    page.locator("[data-testid=settings-form] button[type=submit]").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "policy.invalid_value")
    expect(page.locator("#sms_province")).to_have_value("湖南省")  # what was typed comes back
    page.fill("#rollover_auto_date", "09-01")
    page.locator("[data-testid=settings-form] button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/orgs/settings/$"))
    expect(page.get_by_test_id("error")).to_have_count(0)
    expect(page.locator("#rollover_auto_date")).to_have_value("09-01")
    expect(page.locator("#sms_code_minutes")).to_have_value("30")
    expect(page.locator("#sms_province")).to_have_value("湖南省")
