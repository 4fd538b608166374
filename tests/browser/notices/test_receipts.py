"""A class head teacher at a desk follows a notice's receipts: the class figures, the unread by name with
phones masked, one click reminds them; the reminded notice comes back on top of the parent's inbox."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from renrentong.notices.models import InboxItem, Reminder
from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, give_password
from tests.notices.helpers import send

pytestmark = pytest.mark.browser

DESK = {"width": 1366, "height": 768}


def test_head_teacher_sees_receipts_and_reminds_the_unread(new_page, world):
    notice = send(world.school_admin_a, class_ids=[world.class_a1.pk, world.class_a2.pk], roles=("parent", "student"),
                  title="春游通知")
    page = new_page(viewport=DESK)
    teacher = give_password(world.head_teacher_a)
    log_in(page, teacher.phone, NEW_PASSWORD)
    page.get_by_test_id("nav-receipts").click()
    page.get_by_test_id("receipts-row").filter(has_text="春游通知").get_by_role("link").click()
    group = page.get_by_test_id("receipts-group")
    expect(group).to_have_count(1)
    expect(group).to_have_attribute("data-group-id", str(world.class_a1.pk))
    expect(group).to_have_attribute("data-addressed", "2")
    group.get_by_test_id("receipts-class-link").click()
    readers = page.get_by_test_id("unread-reader")
    expect(readers).to_have_count(2)
    expect(page.get_by_test_id("unread-list")).to_contain_text("李小明")
    phone = world.parent_a.phone
    expect(page.get_by_test_id("unread-list")).to_contain_text(f"{phone[:3]}****{phone[-4:]}")
    expect(page.get_by_test_id("unread-list")).not_to_contain_text(phone)
    page.get_by_test_id("remind-class").click()
    expect(page.get_by_test_id("unread-count")).to_be_visible()
    assert Reminder.objects.filter(notice=notice, class_id=world.class_a1.pk, reminded=2).exists()
    assert set(InboxItem.objects.filter(notice=notice, reminded_count=1).values_list("account_id", flat=True)) == {
        world.parent_a.pk, world.student_a.pk}
    page.get_by_test_id("remind-class").click()
    expect(page.get_by_test_id("error")).to_have_attribute("data-code", "receipts.remind_too_soon")
