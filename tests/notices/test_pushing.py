"""Pushes ring readers' bells after fan-out and after a reminder (MSG-4), never carrying the body (NFR-1);
recalling a notice cancels those not yet gone out."""

import json
import re

import pytest
from django.utils import timezone

from renrentong.push.models import Delivery

from tests.factories import bearer


@pytest.fixture
def run_tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.RRT_PUBLIC_URL = "https://rrt.example.cn"


def send(client, world, django_capture_on_commit_callbacks, **extra):
    body = {"title": "明天春游", "body": "请带好水壶和午餐，家长电话 13812345678", "roles": ["parent", "student"],
            "class_ids": [world.class_a1.pk], **extra}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/notices", json.dumps(body), content_type="application/json",
                               **bearer(world.school_admin_a))
    assert response.status_code == 201, response.content
    return response.json()["id"]


def test_every_reader_gets_one_outbox_push_with_title_sender_and_link_only(client, world, run_tasks_now,
                                                                          django_capture_on_commit_callbacks):
    notice_id = send(client, world, django_capture_on_commit_callbacks)
    rows = list(Delivery.objects.filter(source="notice", ref_id=notice_id))
    assert {r.account_id for r in rows} == {world.parent_a.pk, world.student_a.pk}
    assert {r.channel for r in rows} == {"outbox"}
    for row in rows:
        assert row.title == "明天春游"
        assert row.link == f"https://rrt.example.cn/notices/inbox/{notice_id}/"
        assert "水壶" not in f"{row.title}{row.sender}{row.link}" and "13812345678" not in row.sender
        assert row.school_id == world.school_a.pk and row.region_id == world.district_x.pk


def test_recall_cancels_pushes_that_have_not_gone_out(client, world, run_tasks_now, django_capture_on_commit_callbacks,
                                                      settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    notice_id = send(client, world, django_capture_on_commit_callbacks)
    from renrentong.notices import fanout, pushing

    fanout.fan_out(notice_id)
    assert pushing.ring_notice(notice_id) == 2
    response = client.post(f"/api/v1/notices/{notice_id}/recall", content_type="application/json",
                           **bearer(world.school_admin_a))
    assert response.status_code == 200, response.content
    assert set(Delivery.objects.filter(ref_id=notice_id).values_list("state", flat=True)) == {Delivery.State.CANCELLED}
    assert pushing.ring_notice(notice_id) == 0  # a recalled notice rings nobody


def test_a_reminder_rings_only_the_still_unread_again(client, world, run_tasks_now, django_capture_on_commit_callbacks,
                                                     freezer):
    notice_id = send(client, world, django_capture_on_commit_callbacks)
    opened = client.get(f"/api/v1/inbox/{notice_id}", **bearer(world.student_a))
    assert opened.status_code == 200, opened.content
    freezer.move_to(timezone.now() + timezone.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        reminded = client.post(f"/api/v1/receipts/{notice_id}/remind", "{}", content_type="application/json",
                               **bearer(world.school_admin_a))
    assert reminded.status_code in (200, 201), reminded.content
    rows = Delivery.objects.filter(source="reminder")
    assert {r.account_id for r in rows} == {world.parent_a.pk}


def test_the_sender_sees_the_pushes_per_channel_beside_the_notice(client, world, run_tasks_now,
                                                                django_capture_on_commit_callbacks):
    from tests.factories import as_user

    notice_id = send(client, world, django_capture_on_commit_callbacks)
    from django.conf import settings

    as_user(client, world.school_admin_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/notices/sent/{notice_id}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="push-outbox"' in text
    # Delivered, or held until the region's quiet hours end (21:30-07:00), depending on the time of the run.
    found = re.search(r"Outbox: (\d+) delivered, (\d+) waiting, 0 not delivered", text)
    assert found and int(found[1]) + int(found[2]) == 2



def test_before_sending_the_sender_is_told_that_wechat_pushes_wait_for_the_quota(client, world):
    from django.conf import settings

    from renrentong.push import engine

    from tests.factories import as_user

    engine.pause(world.district_x.pk, "wechat", timezone.now() + timezone.timedelta(hours=3), "45009")
    as_user(client, world.teacher_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/notices/compose/").content.decode()
    assert 'data-testid="paused-wechat"' in page and "WeChat pushes are paused until" in page
    as_user(client, world.teacher_b)  # another district's sender: its WeChat is not paused
    assert 'data-testid="paused-wechat"' not in client.get("/notices/compose/").content.decode()
