"""Real-name verification and the registry in Chromium (RN-1..RN-4): a school admin adds, imports, searches,
corrects and replaces records and finds who holds an ID number; a teacher on a phone verifies, meets the
seed-003 failures, undoes a parent verification made by mistake and verifies as a teacher."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Account
from renrentong.core.models import AuditEvent

from tests.browser.helpers import open_menu_link
from tests.factories import make_id_number

pytestmark = pytest.mark.browser

PHONE_SCREEN = {"width": 390, "height": 844}
PASSWORD = "Rn#2026pass"


@cache
def password_hash() -> str:
    return make_password(PASSWORD)


def log_in(page: Page, account: Account) -> None:
    Account.objects.filter(pk=account.pk).update(password=password_hash(), initial_password_rule="",
                                                 initial_password_digest="", initial_password_issued_at=None)
    page.goto("/accounts/login/")
    page.fill("#identifier", account.number)
    page.fill("#password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))


def add_entry(page: Page, *, role: str, name: str, id_number: str, number: str = "", class_name: str = "") -> None:
    form = page.get_by_test_id("add-form")
    form.locator("#add-role").select_option(role)
    form.locator("#add-name").fill(name)
    form.locator("#add-id").fill(id_number)
    form.locator("#add-number").fill(number)
    form.locator("#add-class").fill(class_name)
    page.get_by_test_id("add").click()


def verify(page: Page, *, role: str, name: str, id_number: str, number: str = "") -> None:
    page.locator("#role").select_option(role)
    page.fill("#name", name)
    page.fill("#id_number", id_number)
    page.fill("#number", number)
    page.get_by_test_id("verify").click()


def test_admin_keeps_the_registry_and_a_teacher_verifies_on_a_phone(new_page, world):
    teacher_id = world.teacher_a.person.reveal_id_number()
    student_id = world.student_a.person.reveal_id_number()
    admin = new_page()
    log_in(admin, world.school_admin_a)
    admin.get_by_test_id("nav-registry").click()
    expect(admin).to_have_url(re.compile(r"/realname/registry/$"))
    add_entry(admin, role="teacher", name="王老师", id_number=teacher_id, number="20184300001")
    expect(admin.get_by_test_id("added")).to_contain_text("王老师")
    add_entry(admin, role="student", name="李小明", id_number=student_id, class_name="三年级1班")
    expect(admin.get_by_test_id("entry")).to_have_count(2)
    # A student whose class is not created yet is listed with a warning.
    add_entry(admin, role="student", name="吴小三", id_number=make_id_number(date(2018, 2, 2)), class_name="三年级9班")
    expect(admin.get_by_test_id("added")).to_contain_text("三年级9班")
    expect(admin.get_by_test_id("class-missing")).to_have_count(1)
    # Search by class.
    admin.locator("#search-class").select_option(str(world.class_a1.pk))
    admin.get_by_test_id("search-form").locator("button").click()
    expect(admin.get_by_test_id("entry")).to_have_count(1)
    expect(admin.get_by_test_id("entry")).to_contain_text("李小明")
    admin.goto("/realname/registry/")
    # The same ID number twice says where it is.
    add_entry(admin, role="teacher", name="王老师", id_number=teacher_id)
    expect(admin.get_by_test_id("error")).to_have_attribute("data-code", "realname.exists_here")
    expect(admin.locator("#add-id")).to_have_value(teacher_id)

    page = new_page(viewport=PHONE_SCREEN)
    log_in(page, world.teacher_a)
    open_menu_link(page, "nav-realname")
    expect(page).to_have_url(re.compile(r"/realname/verify/$"))
    verify(page, role="teacher", name="王老帅", id_number=teacher_id, number="20184300001")
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "realname.not_found")
    expect(error).to_contain_text("核实身份证号和姓名是否输入正确")
    # By mistake, as a parent of a student: it works (the link waits for confirmation), and shows an "undo".
    verify(page, role="parent", name="李小明", id_number=student_id)
    expect(page.get_by_test_id("verified")).to_contain_text("李小明")
    expect(page.get_by_test_id("link-waits")).to_be_visible()
    page.get_by_test_id("unbind").click()
    expect(page.get_by_test_id("unbound")).to_be_visible()
    expect(page.locator("[data-testid=binding][data-ended='0']")).to_have_count(0)
    verify(page, role="teacher", name="王 老师", id_number=teacher_id, number="20184300001")
    expect(page.get_by_test_id("verified")).to_contain_text("王老师")
    expect(page.locator("[data-testid=binding][data-ended='0']")).to_have_attribute("data-role", "teacher")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SCREEN["width"]

    # The admin sees who verified, and finds the account by the ID number.
    admin.goto("/realname/registry/")
    expect(admin.get_by_test_id("entry").filter(has_text="王老师")).to_contain_text(world.teacher_a.number)
    admin.fill("#holder-id", teacher_id)
    admin.get_by_test_id("holder-form").locator("button").click()
    expect(admin.get_by_test_id("holder")).to_contain_text(world.teacher_a.number)


def test_another_account_meets_the_masked_holder_and_the_class_that_is_missing(new_page, world):
    teacher_id = world.teacher_a.person.reveal_id_number()
    admin = new_page()
    log_in(admin, world.school_admin_a)
    admin.goto("/realname/registry/")
    add_entry(admin, role="teacher", name="王老师", id_number=teacher_id)
    page = new_page(viewport=PHONE_SCREEN)
    log_in(page, world.teacher_a)
    page.goto("/realname/verify/")
    verify(page, role="teacher", name="王老师", id_number=teacher_id)
    expect(page.get_by_test_id("verified")).to_be_visible()

    other = new_page(viewport=PHONE_SCREEN)
    log_in(other, world.head_teacher_a)
    other.goto("/realname/verify/")
    verify(other, role="teacher", name="王老师", id_number=teacher_id)
    error = other.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "realname.already_verified")
    number = world.teacher_a.number
    expect(error).to_contain_text(number[:2] + "*" * (len(number) - 4) + number[-2:])


def test_record_at_another_school_asks_to_continue_there(new_page, world):
    teacher_id = world.teacher_a.person.reveal_id_number()
    admin_b = new_page()
    log_in(admin_b, world.school_admin_b)
    admin_b.goto("/realname/registry/")
    add_entry(admin_b, role="teacher", name="王老师", id_number=teacher_id)
    page = new_page(viewport=PHONE_SCREEN)
    log_in(page, world.teacher_a)
    page.goto("/realname/verify/")
    verify(page, role="teacher", name="王老师", id_number=teacher_id)
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "realname.other_school")
    expect(page.get_by_test_id("error")).to_contain_text(world.school_b.name)
    page.get_by_test_id("continue").check()
    page.get_by_test_id("verify").click()
    expect(page.get_by_test_id("verified")).to_contain_text(world.school_b.name)
    expect(page.get_by_test_id("verified")).to_contain_text("转校")


def test_admin_corrects_a_name_replaces_a_wrong_id_reveals_with_audit_and_imports(new_page, world, tmp_path: Path):
    admin = new_page()
    log_in(admin, world.school_admin_a)
    admin.goto("/realname/registry/")
    wrong_id = make_id_number(date(1985, 1, 1))
    right_id = make_id_number(date(1985, 1, 2))
    add_entry(admin, role="teacher", name="张老帅", id_number=wrong_id)
    row = admin.get_by_test_id("entry").filter(has_text="张老帅")
    row.get_by_test_id("entry-actions").click()
    row.locator("input[name=name]").fill("张老师")
    row.get_by_test_id("correct").click()
    expect(admin.get_by_test_id("corrected")).to_contain_text("张老师")

    row = admin.get_by_test_id("entry").filter(has_text="张老师")
    row.get_by_test_id("entry-actions").click()
    row.locator("input[name=id_number]").fill(right_id)
    row.get_by_test_id("replace").click()
    expect(admin.get_by_test_id("replaced")).to_contain_text(right_id[:3])
    expect(admin.get_by_test_id("entry").filter(has_text="张老师")).to_contain_text(right_id[-4:])

    row = admin.get_by_test_id("entry").filter(has_text="张老师")
    row.get_by_test_id("entry-actions").click()
    row.get_by_test_id("reveal").click()
    expect(admin.get_by_test_id("full-id")).to_have_text(right_id)
    assert AuditEvent.objects.filter(verb="realname.reveal_id_number").count() == 1

    csv = tmp_path / "实名库.csv"
    csv.write_text("\n".join([
        "姓名,身份证号,身份,编号,年级,班级",
        f"钱小二,{make_id_number(date(2018, 3, 3))},学生,L0001,三年级,1班",
        f"重复,{right_id},教师,,,",
        "坏号,430102198001011234,教师,,,",
    ]), encoding="utf-8")
    admin.locator("#import-file").set_input_files(str(csv))
    admin.get_by_test_id("import").click()
    expect(admin.get_by_test_id("import-report")).to_contain_text("1")
    expect(admin.locator("[data-testid=problem][data-code='realname.exists_here']")).to_contain_text("张老师")
    expect(admin.locator("[data-testid=problem][data-code='realname.invalid_id_number']")).to_have_count(1)


def test_teachers_and_parents_cannot_open_the_registry(new_page, world):
    page = new_page()
    log_in(page, world.parent_a)
    expect(page.get_by_test_id("nav-registry")).to_have_count(0)
    page.goto("/realname/registry/")
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "realname.not_allowed")
    page.goto("/realname/applications/")
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "registration.not_allowed")
