"""The rollover page in Chromium (ORG-7): the preview per school, running it, the alumni list, undo; a
phone-sized screen; a teacher is refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from renrentong.accounts.models import Account
from renrentong.orgs.models import School

from tests.factories import (
    NEW_PASSWORD, give_password, make_class, make_rollover_due, make_student, set_rollover_window,
)
from tests.browser.helpers import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def due(world):  # noqa: F811
    set_rollover_window(world)
    year = make_rollover_due(world)
    final = make_class(world.school_a, 3, enrollment_year=year - 5)
    leavers = [make_student(final, name) for name in ("毕业甲", "毕业乙")]
    return {"year": year, "final": final, "leavers": leavers}


def test_school_admin_previews_runs_sees_alumni_and_undoes(page, world, due):  # noqa: F811
    admin = give_password(world.school_admin_a)
    log_in(page, admin.number, NEW_PASSWORD)
    page.goto("/rollover/")
    plan = page.get_by_test_id("plan").filter(has_text=world.school_a.name)
    expect(plan).to_have_attribute("data-state", "ready")
    expect(plan.get_by_test_id("graduating")).to_contain_text("2")
    expect(page.get_by_test_id("plan")).to_have_count(1)  # only the admin's own school

    page.get_by_test_id("run").click()
    expect(page.get_by_test_id("done")).to_be_visible()
    expect(page.get_by_test_id("plan").first).to_have_attribute("data-state", "done")
    run = page.get_by_test_id("run-row").first
    expect(run).to_have_attribute("data-status", "done")
    assert School.objects.get(pk=world.school_a.pk).school_year == due["year"] + 1
    assert Account.objects.get(pk=due["leavers"][0].pk).status == "graduated"

    page.get_by_test_id("alumni-link").click()
    alumni = page.get_by_test_id("alumni-class").first
    alumni.locator("summary").click()
    expect(alumni).to_contain_text("毕业甲")
    expect(alumni).to_contain_text("毕业乙")

    page.go_back()
    page.once("dialog", lambda dialog: dialog.accept())  # undoing asks first
    page.get_by_test_id("run-row").first.get_by_test_id("undo").click()
    expect(page.get_by_test_id("run-row").first).to_have_attribute("data-status", "undone")
    expect(page.get_by_test_id("plan").first).to_have_attribute("data-state", "ready")
    assert School.objects.get(pk=world.school_a.pk).school_year == due["year"]


def test_rollover_page_on_a_phone(new_page, world, due):  # noqa: F811
    page = new_page(viewport={"width": 375, "height": 740})
    admin = give_password(world.school_admin_a)
    log_in(page, admin.number, NEW_PASSWORD)
    page.goto("/rollover/")
    expect(page.get_by_test_id("run")).to_be_visible()
    expect(page.get_by_test_id("plan").first).to_be_visible()


def test_teacher_is_refused(page, world, due):  # noqa: F811
    teacher = give_password(world.teacher_a)
    log_in(page, teacher.number, NEW_PASSWORD)
    page.goto("/rollover/")
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "rollover.not_allowed")
