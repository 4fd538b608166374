"""NFR-2 for evaluation (issue 14): school B's written records stay out of reach of every role of school A
and district X, whatever id is put in a URL or a body, through the API and the pages; every refusal has the
one error shape, and no response carries a full ID number or phone (the foundation matrix's reader)."""

from __future__ import annotations

import json

import pytest

from tests.accounts.test_scope_matrix import ROLES_OF_A, Reader
from tests.factories import as_user, bearer, make_evaluation_catalogue, open_evaluation_windows
from tests.platform.test_scope_matrix_messaging import assert_refused


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


@pytest.fixture
def record_b(client, world):
    """A submitted record of student B, made through the API by B's parent."""
    make_evaluation_catalogue(world.city)
    open_evaluation_windows(world)
    from renrentong.evaluation.models import EvidenceItem

    item = EvidenceItem.objects.get(code="volunteer_service")
    made = client.post("/api/v1/evaluation/records", json.dumps({
        "text": "社区服务", "happened_on": "2026-10-01", "item_id": item.pk}), content_type="application/json",
        **bearer(world.parent_b))
    assert made.status_code == 201, made.content
    draft = client.post("/api/v1/evaluation/records", json.dumps({"text": "草稿", "happened_on": "2026-10-02"}),
                        content_type="application/json", **bearer(world.student_b))
    submitted = client.post("/api/v1/evaluation/submissions", json.dumps({"record_ids": [made.json()["id"]]}),
                            content_type="application/json", **bearer(world.parent_b))
    assert submitted.status_code == 200, submitted.content
    return {"pending": made.json()["id"], "draft": draft.json()["id"], "student": world.student_b.person_id}


WRITES = {
    "edit": ("patch", "/api/v1/evaluation/records/{draft}", {"text": "改"}),
    "delete": ("delete", "/api/v1/evaluation/records/{draft}", None),
    "withdraw": ("post", "/api/v1/evaluation/records/{pending}/withdraw", {}),
    "reopen": ("post", "/api/v1/evaluation/records/{pending}/reopen", {}),
    "decide": ("post", "/api/v1/evaluation/records/{pending}/decision", {"approve": True}),
    "submit": ("post", "/api/v1/evaluation/submissions", {"record_ids": ["{draft}"]}),
    "write for B's child": ("post", "/api/v1/evaluation/records", {"text": "x", "happened_on": "2026-10-01",
                                                                    "student_id": "{student}"}),
}


def _filled(value, ids):
    if isinstance(value, str) and value.startswith("{"):
        return ids[value.strip("{}")]
    if isinstance(value, list):
        return [_filled(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, ids) for k, v in value.items()}
    return value


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_read_its_records(reader, world, record_b, role):
    for record in (record_b["pending"], record_b["draft"]):
        assert_refused(reader.api(role, f"/api/v1/evaluation/records/{record}"))
    listed = reader.api(role, "/api/v1/evaluation/records", student_id=record_b["student"])
    assert listed.status_code == 200 and listed.json() == []


@pytest.mark.parametrize("what", WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_change_school_bs_records(client, world, record_b, role, what):
    method, url, body = WRITES[what]
    headers = bearer(getattr(world, role))
    target = url.format(**record_b)
    if method == "delete":
        response = client.delete(target, **headers)
    else:
        response = getattr(client, method)(target, json.dumps(_filled(body, record_b)),
                                          content_type="application/json", **headers)
    # Roles that keep no material at all (teachers, admins) may be told so with a 403.
    assert_refused(response, (403, 404))
    if role in ("student_a", "parent_a"):
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_record_pages(client, world, record_b, role):
    as_user(client, getattr(world, role))
    for record in (record_b["pending"], record_b["draft"]):
        assert client.get(f"/evaluation/records/{record}/").status_code == 404
        assert client.post(f"/evaluation/records/{record}/withdraw/").status_code == 404
        assert client.post(f"/evaluation/records/{record}/delete/").status_code == 404
    if role in ("student_a", "parent_a"):
        assert client.get(f"/evaluation/growth/?student={record_b['student']}").status_code == 404


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_school_bs_records_are_never_in_school_as_review_queue_nor_decided_by_it(client, world, record_b, role):
    queue = client.get("/api/v1/evaluation/review", {"state": "pending"}, **bearer(getattr(world, role)))
    if queue.status_code == 200:
        assert record_b["pending"] not in [r["id"] for r in queue.json()["items"]]
    else:
        assert_refused(queue, (403,))
    decided = client.post("/api/v1/evaluation/review/decisions", json.dumps({"record_ids": [record_b["pending"]],
                                                                             "approve": True}),
                          content_type="application/json", **bearer(getattr(world, role)))
    if decided.status_code == 200:
        assert decided.json()[0]["decided"] is False
    else:
        assert_refused(decided, (403,))
    from renrentong.evaluation.models import WrittenRecord

    assert WrittenRecord.objects.get(pk=record_b["pending"]).state == "pending"


# The review (issue 14 item 4): school B's reviewer appointment, public display and objection stay out of
# reach of every role of school A and district X (and the city and province admins, who review nothing).

@pytest.fixture
def review_b(client, world, record_b):
    from datetime import timedelta

    from django.utils import timezone

    def send(method, url, account, body=None):
        return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json", **bearer(account))

    admin = world.school_admin_b
    decided = send("post", "/api/v1/evaluation/review/decisions", admin, {"record_ids": [record_b["pending"]],
                                                                           "approve": True})
    assert decided.json()[0]["decided"], decided.content
    appointment = send("post", "/api/v1/evaluation/review/reviewers", admin,
                       {"teacher_id": world.teacher_b.identities.get().pk, "whole_school": True})
    assert appointment.status_code == 201, appointment.content
    today = timezone.localdate()
    display = send("post", "/api/v1/evaluation/review/displays", admin,
                   {"starts_on": str(today), "ends_on": str(today + timedelta(days=3))})
    assert display.status_code == 201, display.content
    objection = send("post", f"/api/v1/evaluation/review/displays/{display.json()['id']}/objections", world.parent_b,
                     {"record_id": record_b["pending"], "reason": "不实"})
    assert objection.status_code == 201, objection.content
    return {**record_b, "appointment": appointment.json()["id"], "display": display.json()["id"],
            "objection": objection.json()["id"], "teacher_b": world.teacher_b.identities.get().pk}


REVIEW_WRITES = {
    "decide": ("post", "/api/v1/evaluation/review/records/{pending}/decision", {"approve": False, "reason": "x"}),
    "open a file": ("get", "/api/v1/evaluation/review/records/{pending}/files/1", None),
    "appoint B's teacher": ("post", "/api/v1/evaluation/review/reviewers", {"teacher_id": "{teacher_b}",
                                                                            "whole_school": True}),
    "end B's appointment": ("delete", "/api/v1/evaluation/review/reviewers/{appointment}", None),
    "close B's display": ("post", "/api/v1/evaluation/review/displays/{display}/close", {}),
    "object on B's display": ("post", "/api/v1/evaluation/review/displays/{display}/objections",
                              {"record_id": "{pending}", "reason": "不实"}),
    "resolve B's objection": ("post", "/api/v1/evaluation/review/objections/{objection}/resolve",
                              {"uphold": True, "note": "x"}),
}


@pytest.mark.parametrize("role", ROLES_OF_A + ["city_admin", "province_admin"])
def test_role_outside_school_b_cannot_read_its_review_objects(reader, world, review_b, role):
    assert_refused(reader.api(role, f"/api/v1/evaluation/review/records/{review_b['pending']}"), (403, 404))
    assert_refused(reader.api(role, f"/api/v1/evaluation/review/displays/{review_b['display']}/records"), (403, 404))
    displays = reader.api(role, "/api/v1/evaluation/review/displays")
    if displays.status_code == 200:
        assert review_b["display"] not in [d["id"] for d in displays.json()]
    else:
        assert_refused(displays, (403,))
    for url, key in (("/api/v1/evaluation/review/reviewers", "reviewers"), ("/api/v1/evaluation/review/objections", None)):
        listed = reader.api(role, url)
        if listed.status_code == 200:
            body = listed.json()
            ids = [r["id"] for r in (body[key] if key else body)]
            assert review_b["appointment"] not in ids and review_b["objection"] not in ids
        else:
            assert_refused(listed, (403,))


@pytest.mark.parametrize("what", REVIEW_WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_change_school_bs_review_objects(client, world, review_b, role, what):
    from renrentong.evaluation.models import DisplayObjection, PublicDisplay, ReviewerAppointment, WrittenRecord

    method, url, body = REVIEW_WRITES[what]
    headers = bearer(getattr(world, role))
    target = url.format(**review_b)
    if method in ("get", "delete"):
        response = getattr(client, method)(target, **headers)
    else:
        response = getattr(client, method)(target, json.dumps(_filled(body, review_b)),
                                          content_type="application/json", **headers)
    # A role without any review or display of its own may be told so with a 403; otherwise "not found".
    assert_refused(response, (403, 404))
    if role == "school_admin_a" and what != "appoint B's teacher":
        assert response.status_code == 404
    assert WrittenRecord.objects.get(pk=review_b["pending"]).state == "approved"
    assert ReviewerAppointment.objects.filter(pk=review_b["appointment"], ended_at__isnull=True).exists()
    assert ReviewerAppointment.objects.filter(school_id=world.school_a.pk).count() == 0
    assert PublicDisplay.objects.get(pk=review_b["display"]).closed_at is None
    assert DisplayObjection.objects.get(pk=review_b["objection"]).state == "open"
    assert DisplayObjection.objects.count() == 1


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_review_pages(client, world, review_b, role):
    as_user(client, getattr(world, role))
    assert client.get(f"/evaluation/review/records/{review_b['pending']}/").status_code in (403, 404)
    assert client.get(f"/evaluation/review/records/{review_b['pending']}/files/1/").status_code in (403, 404)
    display = client.get("/evaluation/display/")
    if display.status_code == 200:
        assert "社区服务" not in display.content.decode()
    for page in ("/evaluation/review/", "/evaluation/review/displays/", "/evaluation/review/reviewers/"):
        response = client.get(page)
        if response.status_code == 200:
            assert "社区服务" not in response.content.decode() and "不实" not in response.content.decode()
