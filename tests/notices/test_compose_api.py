"""The sender's notice API (MSG-1): send, the audience size, the sent list, one notice, recall, correct; scope."""

import json

import pytest
from django.test import Client

from renrentong.notices.models import InboxItem, Notice
from tests.factories import bearer


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    # Uploaded objects go to a temporary directory, not the working tree.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def run_tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _post(client, url, body, account, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE="en",
                                   **bearer(account))


def _send(client, world, account=None, **body):
    body = {"title": "作业", "body": "第 5 页", "roles": ["parent"], "class_ids": [world.class_a1.pk], **body}
    return _post(client, "/api/v1/notices", body, account or world.teacher_a)


def test_teacher_sends_through_the_api_and_the_parent_gets_it(world, run_tasks_now, django_capture_on_commit_callbacks):
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = _send(client, world, confirm_required=True)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "homework" and data["confirm_required"] and data["class_ids"] == [world.class_a1.pk]
    assert InboxItem.objects.filter(notice_id=data["id"], account_id=world.parent_a.pk).exists()
    shown = client.get(f"/api/v1/notices/{data['id']}", **bearer(world.teacher_a)).json()
    assert shown["status"] == "sent" and shown["progress"]["addressed"] == 1


def test_refusals_name_who_fixes_them(world):
    client = Client()
    response = _send(client, world, class_ids=[world.class_a2.pk])
    assert response.status_code == 403
    assert response.json()["code"] == "notices.class_not_taught"
    assert response.json()["who_can_fix"] == "the school admin"
    response = _send(client, world, file_ids=list(range(1, 11)))
    assert response.status_code == 400 and response.json()["code"] == "notices.too_many_files"
    response = _send(client, world, class_ids=[2**63])
    assert response.status_code == 400
    assert not Notice.objects.exists()


def test_region_admin_sends_to_a_district_and_not_below_is_404(world):
    client = Client()
    ok = _post(client, "/api/v1/notices", {"title": "安全", "roles": ["parent"], "district_ids": [world.district_x.pk]},
               world.district_admin_x)
    assert ok.status_code == 201, ok.content
    refused = _post(client, "/api/v1/notices", {"title": "安全", "roles": ["parent"], "school_ids": [world.school_b.pk]},
                    world.district_admin_x)
    assert refused.status_code == 404 and refused.json()["code"] == "notices.school_not_below"


def test_audience_size_before_sending(world):
    response = _post(Client(), "/api/v1/notices/audience",
                     {"roles": ["parent", "student"], "grade_ids": [world.class_a1.cohort_id]}, world.school_admin_a)
    assert response.status_code == 200, response.content
    assert response.json() == {"parent": 1, "student": 2, "teacher": None, "classes": 2, "schools": 0}


def test_sent_list_pages_newest_first(world):
    client = Client()
    ids = [_send(client, world, title=f"作业{i}").json()["id"] for i in range(3)]
    first = client.get("/api/v1/notices/sent?limit=2", **bearer(world.teacher_a)).json()
    assert [i["id"] for i in first["items"]] == ids[::-1][:2] and first["next_before"] == ids[1]
    second = client.get(f"/api/v1/notices/sent?limit=2&before={first['next_before']}", **bearer(world.teacher_a)).json()
    assert [i["id"] for i in second["items"]] == [ids[0]] and second["next_before"] is None
    assert client.get("/api/v1/notices/sent", **bearer(world.teacher_b)).json()["items"] == []
    assert client.get(f"/api/v1/notices/sent?before={2**64}", **bearer(world.teacher_a)).status_code == 400


def test_recall_and_correct(world):
    client = Client()
    notice_id = _send(client, world).json()["id"]
    corrected = _post(client, f"/api/v1/notices/{notice_id}", {"body": "第 6 页"}, world.teacher_a, method="patch")
    assert corrected.status_code == 200, corrected.content
    assert corrected.json()["body"] == "第 6 页" and corrected.json()["edited_at"]
    assert _post(client, f"/api/v1/notices/{notice_id}", [], world.teacher_a, method="patch").status_code == 400
    recalled = _post(client, f"/api/v1/notices/{notice_id}/recall", {}, world.teacher_a)
    assert recalled.status_code == 200 and recalled.json()["status"] == "recalled"
    again = _post(client, f"/api/v1/notices/{notice_id}/recall", {}, world.teacher_a)
    assert again.status_code == 409 and again.json()["code"] == "notices.recalled"


def test_school_admin_of_the_school_sees_a_teachers_notice(world):
    client = Client()
    notice_id = _send(client, world).json()["id"]
    assert client.get(f"/api/v1/notices/{notice_id}", **bearer(world.school_admin_a)).status_code == 200
    assert _post(client, f"/api/v1/notices/{notice_id}", {"title": "改"}, world.school_admin_a,
                 method="patch").status_code == 403


@pytest.mark.parametrize("who", ["teacher_b", "school_admin_b", "head_teacher_a", "parent_a", "student_a",
                                 "district_admin_x", "city_admin"])
def test_a_notice_is_404_to_everyone_else(world, who):
    client = Client()
    notice_id = _send(client, world).json()["id"]
    account = getattr(world, who)
    assert client.get(f"/api/v1/notices/{notice_id}", **bearer(account)).status_code == 404
    assert _post(client, f"/api/v1/notices/{notice_id}/recall", {}, account).status_code == 404
    assert _post(client, f"/api/v1/notices/{notice_id}", {"title": "改"}, account, method="patch").status_code == 404
    assert Notice.objects.get(pk=notice_id).status == Notice.Status.SENDING


def test_unknown_and_huge_ids(world):
    client = Client()
    assert client.get("/api/v1/notices/999999", **bearer(world.teacher_a)).status_code == 404
    assert client.get(f"/api/v1/notices/{2**63}", **bearer(world.teacher_a)).status_code in (400, 404)
    assert _post(client, f"/api/v1/notices/{2**64}/recall", {}, world.teacher_a).status_code in (400, 404)


def test_parents_cannot_send(world):
    response = _send(Client(), world, account=world.parent_a)
    assert response.status_code == 403 and response.json()["code"] == "notices.not_allowed"


def test_a_send_time_without_an_offset_is_local_time(world):
    from django.utils import timezone

    at = (timezone.localtime() + timezone.timedelta(days=1)).replace(tzinfo=None).isoformat(timespec="minutes")
    response = _send(Client(), world, send_at=at)
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "scheduled"


def test_control_characters_are_dropped_not_a_500(world):
    response = _send(Client(), world, title="作\x00业\x1b", body="第一行\r\n第二行\x00")
    assert response.status_code == 201, response.content
    assert response.json()["title"] == "作业" and response.json()["body"] == "第一行\n第二行"
    response = _send(Client(), world, title="\x00\x01")
    assert response.status_code == 400 and response.json()["code"] == "notices.title_required"
