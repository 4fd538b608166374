"""The school's review in Chromium (issue 14 item 4): the school admin opens 综评审核 from the console menu,
passes one record, passes the chosen ones in bulk, and fails one: without a reason the form says so beside
the row, with one the record fails and its student sees the reason. On a phone (360x740) a parent reads the
public display (公示) and lodges an objection, which the school admin then finds."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from renrentong.evaluation.models import DisplayObjection, WrittenRecord

from tests.browser.helpers import log_in, open_menu_link
from tests.evaluation.helpers import call, item, write
from tests.factories import (
    NEW_PASSWORD, give_password, make_evaluation_catalogue, make_student, open_evaluation_windows,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 768}


def submitted(account, code, text) -> int:
    record = write(account, text, item_id=item(code).pk)
    assert call("post", "/submissions", account, {"record_ids": [record["id"]]}).status_code == 200
    return record["id"]


@pytest.fixture
def queue(world):
    make_evaluation_catalogue(world.city)
    open_evaluation_windows(world)
    third = make_student(world.class_a2, "吴小燕", "F")
    return {"one": submitted(world.student_a, "volunteer_service", "社区志愿服务三次"),
            "two": submitted(world.student_a2, "reading", "读完《草房子》"),
            "three": submitted(third, "reading", "读完《城南旧事》"),
            "four": submitted(world.parent_a, "art_works", "画了一幅国画")}


def test_the_school_admin_passes_one_passes_in_bulk_and_fails_with_a_reason(new_page, world, queue):
    admin = give_password(world.school_admin_a)
    page = new_page(viewport=DESK)
    log_in(page, admin.number, NEW_PASSWORD)
    open_menu_link(page, "nav-evaluation-review")
    expect(page).to_have_url(re.compile(r"/evaluation/review/$"))
    expect(page.get_by_test_id("review-row")).to_have_count(4)
    # Filter by item, then back.
    page.get_by_test_id("filter-item").select_option(label="学业水平 · 阅读积累")
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("review-row")).to_have_count(2)
    page.get_by_test_id("filter-item").select_option("")
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id("review-row")).to_have_count(4)

    page.get_by_test_id(f"approve-{queue['one']}").click()
    expect(page.locator(f'[data-testid="review-row"][data-record-id="{queue["one"]}"]')).to_have_count(0)

    page.get_by_test_id(f"pick-{queue['two']}").check()
    page.get_by_test_id(f"pick-{queue['three']}").check()
    page.get_by_test_id("bulk-approve").click()
    expect(page.get_by_test_id("review-row")).to_have_count(1)

    page.get_by_test_id(f"fail-{queue['four']}").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "evaluation.reason_required")
    expect(page.get_by_test_id(f"reason-{queue['four']}")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("reason-error")).to_be_visible()
    page.get_by_test_id(f"reason-{queue['four']}").fill("照片与“艺术作品”不符，请上传作品照片")
    page.get_by_test_id(f"fail-{queue['four']}").click()
    expect(page.get_by_test_id("no-records")).to_be_visible()

    states = dict(WrittenRecord.objects.values_list("pk", "state"))
    assert [states[queue[k]] for k in ("one", "two", "three", "four")] == ["approved", "approved", "approved", "failed"]
    page.get_by_test_id("filter-state").select_option("failed")
    page.get_by_test_id("filter-apply").click()
    expect(page.get_by_test_id(f"decided-by-{queue['four']}")).to_have_text(admin.person.name)

    # The parent sees the reason with the way forward on the phone.
    parent = give_password(world.parent_a)
    phone = new_page(viewport=PHONE)
    log_in(phone, parent.phone, NEW_PASSWORD)
    phone.goto("/evaluation/growth/")
    reason = phone.get_by_test_id("record-reason")
    expect(reason).to_contain_text("请上传作品照片")
    expect(reason).to_contain_text("可重新提供")


def test_a_parent_objects_to_displayed_material_on_a_phone(new_page, world, queue):
    call("post", "/review/decisions", world.school_admin_a, {"record_ids": [queue["one"], queue["two"]], "approve": True})
    today = timezone.localdate()
    opened = call("post", "/review/displays", world.school_admin_a, {
        "title": "材料公示", "starts_on": str(today), "ends_on": str(today + timedelta(days=5))})
    assert opened.status_code == 201, opened.content
    parent = give_password(world.parent_a)
    phone = new_page(viewport=PHONE)
    log_in(phone, parent.phone, NEW_PASSWORD)
    phone.goto("/evaluation/growth/")
    phone.get_by_test_id("to-display").click()
    expect(phone).to_have_url(re.compile(r"/evaluation/display/$"))
    expect(phone.get_by_test_id("displayed")).to_have_count(2)
    phone.get_by_test_id(f"object-{queue['two']}").click()
    phone.get_by_test_id(f"objection-send-{queue['two']}").click()
    expect(phone.get_by_test_id("error")).to_have_attribute("data-code", "evaluation.objection_reason_required")
    # The refused form stays open beside the record it was about.
    expect(phone.get_by_test_id(f"objection-reason-{queue['two']}")).to_have_attribute("aria-invalid", "true")
    phone.get_by_test_id(f"objection-reason-{queue['two']}").fill("这本书是上学期读的")
    phone.get_by_test_id(f"objection-send-{queue['two']}").click()
    expect(phone.get_by_test_id("my-objection")).to_contain_text("这本书是上学期读的")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    objection = DisplayObjection.objects.get()
    assert (objection.record_id, objection.lodged_by_id, objection.state) == (queue["two"], parent.pk, "open")

    admin = give_password(world.school_admin_a)
    desk = new_page(viewport=DESK)
    log_in(desk, admin.number, NEW_PASSWORD)
    open_menu_link(desk, "nav-evaluation-displays")
    row = desk.get_by_test_id(f"objection-{objection.pk}")
    expect(row).to_contain_text("这本书是上学期读的")
    desk.get_by_test_id(f"note-{objection.pk}").fill("材料不在本学年，请补充本学年的阅读材料")
    desk.get_by_test_id(f"uphold-{objection.pk}").click()
    expect(desk.get_by_test_id(f"objection-{objection.pk}")).to_have_attribute("data-state", "upheld")
    assert WrittenRecord.objects.get(pk=queue["two"]).state == "failed"
