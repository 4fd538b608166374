"""The review pages (issue 14 item 4): the queue in the console filtered by grade, class, item and state;
pass one, pass the chosen ones, fail with a required reason (a form error beside the row without one); the
second reviewer is told who decided first; a record's page whose file downloads are audited; the reason and
the way forward on the student's and parent's pages; the .xlsx export with the page's filters."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from python_calamine import CalamineWorkbook

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import WrittenRecord

from tests.evaluation.helpers import call, item, upload
from tests.evaluation.review.conftest import submit
from tests.factories import as_user, make_school_admin

QUEUE = "/evaluation/review/"


@pytest.fixture(autouse=True)
def _pages_in_english(settings):
    settings.LANGUAGE_CODE = "en"


def client_for(account):
    return as_user(Client(), account)


def sheet_rows(content: bytes) -> list:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def shown_ids(html: str) -> list[int]:
    import re

    return sorted(int(i) for i in re.findall(r'data-testid="review-row" data-record-id="(\d+)"', html))


def test_the_queue_is_filtered_by_grade_class_item_and_state(world, pending):
    admin = client_for(world.school_admin_a)
    page = admin.get(QUEUE)
    html = page.content.decode()
    assert page.status_code == 200 and 'class="rr-console"' in html
    assert shown_ids(html) == sorted([pending["a1"], pending["a1_parent"], pending["a2"]])
    assert shown_ids(admin.get(QUEUE, {"class_id": world.class_a2.pk}).content.decode()) == [pending["a2"]]
    assert shown_ids(admin.get(QUEUE, {"item_id": item("reading").pk}).content.decode()) == sorted(
        [pending["a1_parent"], pending["a2"]])
    assert shown_ids(admin.get(QUEUE, {"grade": world.class_a1.cohort_id, "class_id": world.class_a1.pk}
                               ).content.decode()) == sorted([pending["a1"], pending["a1_parent"]])
    assert shown_ids(admin.get(QUEUE, {"state": "approved"}).content.decode()) == []
    # Filters that are not filters filter nothing; another school's class shows nothing of it.
    assert shown_ids(admin.get(QUEUE, {"class_id": "１２", "grade": "-1"}).content.decode()) == shown_ids(html)
    assert shown_ids(admin.get(QUEUE, {"class_id": world.class_b1.pk}).content.decode()) == []


def test_pass_one_pass_the_chosen_and_fail_with_a_reason(world, pending):
    admin = client_for(world.school_admin_a)
    assert admin.post(QUEUE, {"action": "approve", "record_id": pending["a1"]}).status_code == 302
    missing = admin.post(QUEUE, {"action": "fail", "record_id": pending["a2"], "reason": "  "})
    html = missing.content.decode()
    assert missing.status_code == 400 and 'data-code="evaluation.reason_required"' in html
    assert 'data-testid="reason-error"' in html and 'aria-invalid="true"' in html
    assert WrittenRecord.objects.get(pk=pending["a2"]).state == "pending"
    assert admin.post(QUEUE, {"action": "fail", "record_id": pending["a2"], "reason": "照片看不清"}).status_code == 302
    # The chosen ones: one someone else decided meanwhile is reported with who did.
    other = make_school_admin(world.school_a)
    call("post", f"/review/records/{pending['a1_parent']}/decision", other, {"approve": False, "reason": "重复提交"})
    done = admin.post(QUEUE, {"action": "approve_chosen", "record_ids": [pending["a1_parent"]]}, follow=True)
    assert other.person.name in done.content.decode()
    states = dict(WrittenRecord.objects.values_list("pk", "state"))
    assert (states[pending["a1"]], states[pending["a2"]], states[pending["a1_parent"]]) == ("approved", "failed", "failed")
    assert WrittenRecord.objects.get(pk=pending["a1_parent"]).reason == "重复提交"
    approved = admin.get(QUEUE, {"state": "approved"}).content.decode()
    assert shown_ids(approved) == [pending["a1"]] and "Approved records" in approved


def test_bulk_pass_on_the_page(world, pending):
    admin = client_for(world.school_admin_a)
    chosen = [pending["a1"], pending["a2"]]
    assert admin.post(QUEUE, {"action": "approve_chosen", "record_ids": chosen}).status_code == 302
    assert set(WrittenRecord.objects.filter(pk__in=chosen).values_list("state", flat=True)) == {"approved"}
    assert WrittenRecord.objects.get(pk=pending["a1_parent"]).state == "pending"
    assert AuditEvent.objects.filter(verb="evaluation.approve").count() == 2


def test_the_reason_and_the_way_forward_reach_the_student_and_parent(world, pending):
    client_for(world.school_admin_a).post(QUEUE, {"action": "fail", "record_id": pending["a1"], "reason": "材料与项目不符"})
    for account in (world.student_a, world.parent_a):
        html = client_for(account).get("/evaluation/growth/").content.decode()
        assert "材料与项目不符" in html and "If you have better material for this item, file it" in html
        record = client_for(account).get(f"/evaluation/records/{pending['a1']}/").content.decode()
        assert "材料与项目不符" in record
    assert call("get", f"/records/{pending['a1']}", world.parent_a).json()["reason"] == "材料与项目不符"


def test_a_records_page_decides_and_audits_each_file_opened(world, catalogue):
    from tests.factories import open_evaluation_windows

    open_evaluation_windows(world)
    photo = upload(world.parent_a)
    record_id = submit(world.parent_a, "reading", file_ids=[photo["id"]])
    admin = client_for(world.school_admin_a)
    page = admin.get(f"/evaluation/review/records/{record_id}/").content.decode()
    link = f"/evaluation/review/records/{record_id}/files/{photo['id']}/"
    assert link in page
    opened = admin.get(link)
    assert opened.status_code == 302 and opened["Location"].startswith("/files/")
    assert admin.get(opened["Location"]).status_code == 200
    event = AuditEvent.objects.get(verb="evaluation.review_file")
    assert (event.actor_account_id, event.target_id, event.details["file_id"]) == (
        world.school_admin_a.pk, record_id, photo["id"])
    # Through the API: the file's entry names the audited download, which hands out the signed link.
    listed = call("get", f"/review/records/{record_id}", world.school_admin_a).json()
    assert listed["files"][0]["url"] == link
    signed = call("get", f"/review/records/{record_id}/files/{photo['id']}", world.school_admin_a)
    assert signed.status_code == 200 and signed.json()["url"].startswith("/files/")
    assert AuditEvent.objects.filter(verb="evaluation.review_file").count() == 2
    # The student's own links stay the plain signed ones; another school's admin finds nothing.
    assert call("get", f"/records/{record_id}", world.parent_a).json()["files"][0]["url"].startswith("/files/")
    assert client_for(world.school_admin_b).get(link).status_code == 404
    assert client_for(world.school_admin_b).get(f"/evaluation/review/records/{record_id}/").status_code == 404
    missing = admin.post(f"/evaluation/review/records/{record_id}/", {"action": "fail", "reason": ""})
    assert missing.status_code == 400 and 'id="reason-error"' in missing.content.decode()
    assert admin.post(f"/evaluation/review/records/{record_id}/", {"action": "approve"}).status_code == 302
    second = client_for(make_school_admin(world.school_a)).post(f"/evaluation/review/records/{record_id}/",
                                                                 {"action": "fail", "reason": "不清楚"})
    html = second.content.decode()
    assert second.status_code == 409 and 'data-code="evaluation.changed_meanwhile"' in html
    assert world.school_admin_a.person.name in html
    assert WrittenRecord.objects.get(pk=record_id).state == "approved"


def test_the_export_carries_the_pages_filters(world, pending):
    admin = client_for(world.school_admin_a)
    response = admin.get(QUEUE, {"class_id": world.class_a2.pk, "export": "xlsx"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.content)
    assert rows[0][0] == "编号" and [int(r[0]) for r in rows[1:]] == [pending["a2"]]
    assert rows[1][1] == world.student_a2.person.name
    api = call("get", "/review/export", world.school_admin_a, state="pending", item_id=item("reading").pk)
    assert api.status_code == 200
    rows = sheet_rows(api.content)
    assert sorted(int(r[0]) for r in rows[1:]) == sorted([pending["a1_parent"], pending["a2"]])
    assert AuditEvent.objects.filter(verb="evaluation.review_export").count() == 2


def test_a_big_export_runs_as_a_task_with_progress(world, pending, settings, monkeypatch):
    from renrentong.exports import services as exports

    monkeypatch.setattr(exports, "SYNC_ROWS", 1)
    response = client_for(world.school_admin_a).get(QUEUE, {"export": "xlsx"})
    assert response.status_code == 302 and response["Location"].startswith("/exports/")


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "student_a", "parent_a", "district_admin_x"])
def test_the_queue_page_is_for_reviewers_only(world, pending, role):
    client = client_for(getattr(world, role))
    assert client.get(QUEUE).status_code == 403
    assert client.post(QUEUE, {"action": "approve", "record_id": pending["a1"]}).status_code == 403
    assert client.get(f"/evaluation/review/records/{pending['a1']}/").status_code == 403
    assert WrittenRecord.objects.get(pk=pending["a1"]).state == "pending"
