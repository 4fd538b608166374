"""ORG-2, ORG-4..ORG-6, ADM-6 in Chromium: building a school's structure, the school system request and
its approval, registering a school, appointing admins, and a teacher's application with its outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from renrentong.accounts.models import Identity
from renrentong.orgs.models import Campus, School, SchoolClass

from tests.factories import NEW_PASSWORD, give_password, make_class
from tests.browser.helpers import log_in, open_class, pass_second_factor, switch_identity

pytestmark = pytest.mark.browser


def as_school_admin(page: Page, world) -> None:
    admin = give_password(world.school_admin_a)
    log_in(page, admin.number, NEW_PASSWORD)
    expect(page.get_by_test_id("nav-structure")).to_be_visible()
    page.get_by_test_id("nav-structure").click()
    expect(page).to_have_url(re.compile(rf"/orgs/schools/{world.school_a.pk}/$"))


def as_district_admin(page: Page, world) -> None:
    admin = give_password(world.district_admin_x)
    log_in(page, admin.number, NEW_PASSWORD)
    pass_second_factor(page, admin)


def open_grade(page: Page, cohort_id: int, name: str = ""):
    grade = page.locator(f"details[data-cohort='{cohort_id}']")
    summary = grade.get_by_test_id("grade")
    if name:
        expect(summary).to_contain_text(name)
    summary.click()
    expect(grade).to_have_attribute("open", "")
    return grade


def test_school_admin_builds_a_campus_adds_classes_renames_and_deletes(page, world):
    School.objects.filter(pk=world.school_a.pk).update(levels=["primary", "junior"])
    as_school_admin(page, world)
    expect(page.get_by_test_id("school-system")).to_contain_text("小学")

    page.get_by_test_id("campus-new").click()
    page.fill("#name", "本部")  # the world's campus: taken
    page.get_by_test_id("primary-on").check()
    page.get_by_test_id("primary-n").fill("2")
    page.get_by_test_id("stage-primary").locator("summary").click()
    page.get_by_test_id("primary-g0").fill("3")  # three classes in grade 1, two in the others
    page.get_by_test_id("campus-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "structure.campus_exists")
    expect(page.get_by_test_id("primary-n")).to_have_value("2")  # what was typed comes back
    expect(page.get_by_test_id("primary-g0")).to_have_value("3")
    expect(page.get_by_test_id("primary-on")).to_be_checked()
    page.fill("#name", "东校区")
    page.get_by_test_id("campus-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("flash")).to_contain_text("13")
    campus = Campus.objects.get(school=world.school_a, name="东校区")
    assert SchoolClass.objects.filter(cohort__stage__campus=campus).count() == 13
    tree = page.get_by_test_id("school-tree")
    expect(tree.get_by_test_id("campus").filter(has_text="东校区")).to_be_visible()
    first_cohort = SchoolClass.objects.filter(cohort__stage__campus=campus, cohort__enrollment_year=2026).first()
    grade_one = open_grade(page, first_cohort.cohort_id, "一年级2026级")
    expect(grade_one.get_by_test_id("class")).to_have_count(3)

    # Classes 2-4 in the world's grade 3 (enrolled 2024): 2 exists and is left alone.
    cohort = world.class_a1.cohort
    open_grade(page, cohort.pk, "三年级2024级")
    page.get_by_test_id(f"add-classes-{cohort.pk}").click()
    page.fill("#first", "2")
    page.fill("#last", "4")
    page.get_by_test_id("classes-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("flash")).to_contain_text("2")
    assert sorted(cohort.classes.values_list("number", flat=True)) == [1, 2, 3, 4]

    # Naming: "{grade}({n})班" for the primary stage of the first campus.
    page.get_by_test_id(f"naming-{cohort.stage_id}").click()
    page.fill("#class_pattern", "{grade}")
    page.get_by_test_id("naming-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "structure.class_pattern")
    page.fill("#grade-3", "小三")
    page.fill("#class_pattern", "{grade}({n})班")
    page.get_by_test_id("naming-form").locator("button[type=submit]").click()
    grade = open_grade(page, cohort.pk, "小三2024级")
    expect(grade.get_by_test_id("class").first).to_contain_text("小三(1)班")

    # Deleting a class with a student says to move the students first; an empty one goes.
    open_class(page, world.class_a1.code)  # its grade is open from above
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"delete-class-{world.class_a1.pk}").click()
    expect(page.get_by_test_id("flash")).to_contain_text("调到其他班级")
    assert SchoolClass.objects.filter(pk=world.class_a1.pk).exists()
    empty = cohort.classes.get(number=4)
    open_grade(page, cohort.pk)
    open_class(page, empty.code)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"delete-class-{empty.pk}").click()
    expect(page.get_by_test_id("flash")).to_be_visible()
    assert not SchoolClass.objects.filter(pk=empty.pk).exists()


def test_a_stage_the_school_is_not_registered_with_sends_the_admin_to_the_district(page, world):
    School.objects.filter(pk=world.school_a.pk).update(levels=["primary"])
    as_school_admin(page, world)
    campus = Campus.objects.get(school=world.school_a)
    page.get_by_test_id(f"add-stage-{campus.pk}").click()
    expect(page.get_by_test_id("no-stage-left")).to_contain_text("区县管理员")


def test_system_change_request_is_approved_by_the_district_admin(page, new_page, world):
    as_school_admin(page, world)
    page.get_by_test_id("system-link").click()
    page.get_by_test_id("system-select").select_option("5-4")
    page.fill("#reason", "全区改为五四制")
    page.get_by_test_id("system-request-form").locator("button[type=submit]").click()
    requests = page.get_by_test_id("system-requests")
    expect(requests.locator("tbody tr")).to_have_count(1)
    request_id = world.school_a.system_requests.get().pk

    district = new_page()
    as_district_admin(district, world)
    district.get_by_test_id("nav-approvals").click()
    card = district.get_by_test_id(f"system-request-{request_id}")
    expect(card).to_contain_text("芙蓉第一小学")
    expect(card).to_contain_text("全区改为五四制")
    card.get_by_test_id("approve").click()
    expect(district.get_by_test_id("no-system-requests")).to_be_visible()
    assert School.objects.get(pk=world.school_a.pk).system == "5-4"

    page.goto("/")
    expect(page.get_by_test_id("system-request-status")).to_have_attribute("data-status", "approved")
    page.goto(f"/orgs/schools/{world.school_a.pk}/system/")
    row = page.get_by_test_id(f"system-request-{request_id}")
    expect(row).to_contain_text(str(world.school_a.system_requests.get().get_status_display()))
    expect(page.get_by_test_id("school-system")).to_contain_text("五四制")


def test_refusing_without_a_reason_is_refused(page, world):
    from renrentong.accounts.access import actor_for
    from renrentong.orgs.tenants import services as tenants
    admin = world.school_admin_a
    tenants.request_system_change(actor_for(admin, admin.identities.get()), world.school_a.pk, "5-4", ["primary"])
    as_district_admin(page, world)
    page.goto("/orgs/approvals/")
    request_id = world.school_a.system_requests.get().pk
    page.get_by_test_id(f"system-request-{request_id}").get_by_test_id("refuse").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "tenant.refusal_needs_reason")
    card = page.get_by_test_id(f"system-request-{request_id}")
    card.locator("input[name=note]").fill("请先与教育局确认")
    card.get_by_test_id("refuse").click()
    expect(page.get_by_test_id("no-system-requests")).to_be_visible()
    assert world.school_a.system_requests.get().status == "refused"


def test_district_admin_registers_a_school_and_appoints_its_admin(page, world):
    as_district_admin(page, world)
    page.get_by_test_id("nav-tenants").click()
    expect(page.get_by_test_id("tenants")).to_contain_text("芙蓉第一小学")
    expect(page.get_by_test_id("tenants")).not_to_contain_text("天心第一小学")
    form = page.get_by_test_id("register-form")
    form.locator("#name").fill("芙蓉第一小学")
    form.locator("#code").fill("4301029001")
    form.get_by_test_id("level-primary").check()
    form.locator("button[type=submit]").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "tenant.name_taken")
    expect(page.locator("#code")).to_have_value("4301029001")  # what was typed stays
    page.fill("#name", "芙蓉实验中学")
    page.get_by_test_id("level-junior").check()
    page.get_by_test_id("register-form").locator("button[type=submit]").click()
    expect(page.locator("main h1")).to_contain_text("芙蓉实验中学")
    school = School.objects.get(code="4301029001")
    assert school.registered and school.levels == ["primary", "junior"]

    # Appoint the teacher of school A as its school admin, then remove the role.
    page.goto(f"/orgs/tenants/{world.school_a.pk}/")
    page.get_by_test_id("appoint-form").locator("select").select_option(str(world.teacher_a.pk))
    page.get_by_test_id("appoint-form").locator("button[type=submit]").click()
    expect(page.get_by_test_id("school-admins")).to_contain_text("王老师")
    assert world.teacher_a.identities.filter(kind="school_admin").exists()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id(f"remove-admin-{world.teacher_a.pk}").click()
    expect(page.get_by_test_id("school-admins")).not_to_contain_text("王老师")
    assert not world.teacher_a.identities.filter(kind="school_admin").exists()

    # Suspending the school keeps its users out; another district's school is not found.
    page.get_by_test_id("unregister").click()
    expect(page.get_by_test_id("register")).to_be_visible()
    assert not School.objects.get(pk=world.school_a.pk).registered
    response = page.goto(f"/orgs/tenants/{world.school_b.pk}/")
    assert response.status == 404


def test_teacher_applies_and_sees_the_outcome_on_the_home_page(page, new_page, world):
    teacher = give_password(world.teacher_a)
    log_in(page, teacher.number, NEW_PASSWORD)
    page.get_by_test_id("apply-admin-link").click()
    page.fill("#reason", "负责信息化")
    page.get_by_test_id("apply-form").locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/$"))
    status = page.get_by_test_id("application-status")
    expect(status).to_have_attribute("data-status", "pending")

    district = new_page()
    as_district_admin(district, world)
    district.goto("/orgs/approvals/")
    application = district.locator("[data-testid^=application-]").first
    expect(application).to_contain_text("王老师")
    application.get_by_test_id("approve").click()
    expect(district.get_by_test_id("no-applications")).to_be_visible()

    page.reload()
    expect(page.get_by_test_id("application-status")).to_have_attribute("data-status", "approved")
    admin_identity = Identity.objects.get(account=world.teacher_a, kind="school_admin")
    switch_identity(page, admin_identity.pk)
    expect(page.get_by_test_id("nav-structure")).to_be_visible()


def test_other_schools_pages_are_not_found_for_a_school_admin(page, world):
    other = make_class(world.school_b, 5)
    as_school_admin(page, world)
    for url in (f"/orgs/schools/{world.school_b.pk}/campuses/new/", f"/orgs/cohorts/{other.cohort_id}/classes/new/",
                f"/orgs/stages/{other.cohort.stage_id}/naming/", f"/orgs/schools/{world.school_b.pk}/system/"):
        response = page.goto(url)
        assert response.status == 404, url
        expect(page.get_by_test_id("error")).to_have_attribute("data-code", "scope.not_found")
    response = page.goto("/orgs/approvals/")
    assert response.status == 403
