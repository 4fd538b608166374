"""Transfer pages in Chromium (ADM-5): a student applies on a phone, both schools approve from their
queues, the student sees the outcome on the home page; refusals with reasons; the admin-role rule.

Assertions stick to data-testid, data-status, data-code, names and the Chinese text of the error
catalogue, never to template strings the gettext catalogue may not cover yet.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Enrollment
from renrentong.schooladmin.errors import ENTRIES
from renrentong.schooladmin.models import TransferRequest

from tests.factories import NEW_PASSWORD, give_password, make_school_admin
from tests.browser.helpers import chinese, log_in

pytestmark = pytest.mark.browser


def log_out(page: Page) -> None:
    page.context.clear_cookies()


def test_student_applies_both_schools_approve_and_the_home_page_shows_the_move(new_page, world):
    student = give_password(world.student_b)
    phone = new_page(viewport={"width": 375, "height": 667})
    log_in(phone, student.number, NEW_PASSWORD)
    phone.get_by_test_id("transfer-link").click()
    phone.fill("#q", "芙蓉")
    phone.locator("[data-testid=school-search] button[type=submit]").click()
    schools = phone.get_by_test_id("schools")
    expect(schools).to_contain_text(world.school_a.name)
    schools.locator(f"input[value='{world.school_a.pk}']").check()
    phone.get_by_test_id("apply").click()
    request = TransferRequest.objects.get(person=student.person)
    expect(phone.get_by_test_id(f"transfer-{request.pk}")).to_have_attribute("data-status", "pending")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.goto("/")
    expect(phone.get_by_test_id(f"home-transfer-{request.pk}")).to_have_attribute("data-status", "pending")

    # The new school: the request is in its incoming queue; a class must be chosen.
    admin_a = give_password(world.school_admin_a)
    page = new_page()
    log_in(page, admin_a.phone, NEW_PASSWORD)
    expect(page.get_by_test_id("transfers-waiting")).to_have_text("1")
    page.get_by_test_id("transfers-link").click()
    item = page.get_by_test_id("incoming").get_by_test_id(f"transfer-{request.pk}")
    expect(item).to_contain_text(student.person.name)
    item.get_by_test_id(f"approve-{request.pk}").click()
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "transfer.class_required")
    expect(error).to_contain_text(ENTRIES["transfer.class_required"].zh)
    page.select_option(f"[data-testid=class-{request.pk}]", str(world.class_a2.pk))
    page.get_by_test_id(f"approve-{request.pk}").click()
    expect(page.get_by_test_id("elsewhere").get_by_test_id(f"transfer-{request.pk}")).to_be_visible()

    # The old school approves from its outgoing queue; the student moves.
    log_out(page)
    admin_b = give_password(world.school_admin_b)
    log_in(page, admin_b.phone, NEW_PASSWORD)
    page.get_by_test_id("transfers-link").click()
    page.get_by_test_id("outgoing").get_by_test_id(f"approve-{request.pk}").click()
    expect(page.get_by_test_id("decided").get_by_test_id(f"transfer-{request.pk}")).to_have_attribute(
        "data-status", "approved")

    phone.goto("/")
    expect(phone.get_by_test_id(f"home-transfer-{request.pk}")).to_have_attribute("data-status", "approved")
    expect(phone.get_by_test_id(f"home-transfer-{request.pk}")).to_contain_text(chinese(world.class_a2.display_name))
    expect(phone.get_by_test_id("my-class")).to_contain_text(world.school_a.name)
    assert Enrollment.objects.get(person=student.person, ended_on=None).school_class == world.class_a2


def test_refusal_reason_reaches_the_student(new_page, world):
    student = give_password(world.student_b)
    request = TransferRequest.objects.create(person=student.person, from_school=world.school_b,
                                             to_school=world.school_a, source="self", requested_by=student)
    admin = give_password(world.school_admin_b)
    page = new_page()
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto("/school/transfers/")
    item = page.get_by_test_id("outgoing").get_by_test_id(f"transfer-{request.pk}")
    item.locator("summary").click()
    page.fill(f"[data-testid=reason-{request.pk}]", "请先到教务处办理学籍转出")
    page.get_by_test_id(f"refuse-{request.pk}").click()
    expect(page.get_by_test_id("decided").get_by_test_id(f"transfer-{request.pk}")).to_have_attribute(
        "data-status", "refused")

    other = new_page()
    log_in(other, student.number, NEW_PASSWORD)
    home = other.get_by_test_id(f"home-transfer-{request.pk}")
    expect(home).to_have_attribute("data-status", "refused")
    expect(home).to_contain_text("请先到教务处办理学籍转出")


def test_school_admin_teacher_is_told_to_ask_the_district_first(new_page, world):
    teacher = give_password(world.teacher_b)
    make_school_admin(world.school_b, account=teacher)
    page = new_page()
    log_in(page, teacher.phone, NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/identities/$"))
    page.get_by_test_id("identity-teacher").click()
    expect(page.get_by_test_id("transfer-link")).to_be_visible()
    page.goto(f"/school/transfers/?q={world.school_a.code}")
    page.locator(f"input[value='{world.school_a.pk}']").check()
    page.get_by_test_id("apply").click()
    error = page.get_by_test_id("error")
    expect(error).to_have_attribute("data-code", "transfer.admin_must_resign")
    expect(error).to_contain_text("区县管理员")
    expect(error).to_contain_text(world.school_b.name)
    assert not TransferRequest.objects.filter(person=teacher.person).exists()


def test_another_schools_request_is_not_found_on_the_pages(page, world):
    request = TransferRequest.objects.create(person=world.student_b.person, from_school=world.school_b,
                                             to_school=world.school_b, source="self")
    admin = give_password(world.school_admin_a)
    log_in(page, admin.phone, NEW_PASSWORD)
    page.goto("/school/transfers/")
    page.evaluate(
        """([url, token]) => { const f = document.createElement('form'); f.method = 'post'; f.action = url;
           const i = document.createElement('input'); i.name = 'csrfmiddlewaretoken'; i.value = token; f.appendChild(i);
           document.body.appendChild(f); f.submit(); }""",
        [f"/school/transfers/{request.pk}/approve/",
         page.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")])
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "scope.not_found")
    assert TransferRequest.objects.get(pk=request.pk).source_approved_at is None


def test_teacher_applies_then_withdraws(page, world):
    teacher = give_password(world.teacher_b)
    log_in(page, teacher.phone, NEW_PASSWORD)
    page.get_by_test_id("transfer-link").click()
    page.fill("#q", world.school_a.code)
    page.locator("[data-testid=school-search] button[type=submit]").click()
    page.locator(f"input[value='{world.school_a.pk}']").check()
    page.get_by_test_id("apply").click()
    request = TransferRequest.objects.get(person=teacher.person)
    assert request.kind == "teacher" and not request.needs_source_approval
    page.get_by_test_id(f"withdraw-{request.pk}").click()
    expect(page.get_by_test_id(f"transfer-{request.pk}")).to_have_attribute("data-status", "withdrawn")
    expect(page.get_by_test_id(f"withdraw-{request.pk}")).to_have_count(0)
