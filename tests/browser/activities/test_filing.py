"""Filing an attended activity as evaluation material in Chromium (issue 14 item 9): at phone width (360) the
parent taps "存入成长档案" once, the page then links to the growth record, where the draft is listed; the
school admin files the rest at a desk. The archive page offers the child's PDF."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from renrentong.activities.models import Activity, SignUp
from renrentong.evaluation.models import WrittenRecord

from tests.browser.helpers import log_in
from tests.factories import NEW_PASSWORD, bearer, give_password, make_activity, make_parent, make_student

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
DESK = {"width": 1366, "height": 900}


def attended(world, activity, *children):
    for child, parent in children:
        response = Client().post(f"/api/v1/activities/{activity.pk}/sign-ups", json.dumps(
            {"child_id": child.person_id}), content_type="application/json", **bearer(parent))
        assert response.status_code == 201, response.content
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=3),
                                                   ends_at=timezone.now() - timedelta(hours=1))
    done = Client().post(f"/api/v1/activities/{activity.pk}/attendance", json.dumps(
        {"attended": list(SignUp.objects.values_list("pk", flat=True))}), content_type="application/json",
        **bearer(world.school_admin_a))
    assert done.status_code == 200, done.content


def test_parent_files_once_at_phone_width_and_the_school_files_the_rest(new_page, world):
    activity = make_activity(world.school_admin_a, title="湘江博物馆研学")
    other = make_student(world.class_a1, "王小华")
    attended(world, activity, (world.student_a, world.parent_a), (other, make_parent(other, name="王大华")))
    mine = SignUp.objects.get(child=world.student_a.person)
    parent, admin = give_password(world.parent_a), give_password(world.school_admin_a)

    phone = new_page(viewport=PHONE)
    log_in(phone, parent.phone, NEW_PASSWORD)
    phone.goto("/activities/mine/")
    phone.get_by_test_id(f"file-{mine.pk}").click()
    expect(phone.get_by_test_id(f"filed-{mine.pk}")).to_be_visible()
    expect(phone.get_by_test_id(f"file-{mine.pk}")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.get_by_test_id(f"filed-{mine.pk}").click()
    expect(phone).to_have_url(re.compile(r"/evaluation/growth/"))
    expect(phone.get_by_test_id("records")).to_contain_text("湘江博物馆研学")
    assert WrittenRecord.objects.filter(student=world.student_a.person).count() == 1

    phone.goto("/evaluation/archive/")
    expect(phone.get_by_test_id(f"archive-pdf-{world.student_a.person_id}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desk = new_page(viewport=DESK)
    log_in(desk, admin.phone, NEW_PASSWORD)
    desk.goto(f"/activities/manage/{activity.pk}/sign-ups/")
    desk.get_by_test_id("file-attended").click()
    expect(desk.get_by_test_id("flash")).to_contain_text("1")
    assert sorted(WrittenRecord.objects.values_list("student__name", flat=True)) == ["李小明", "王小华"]
