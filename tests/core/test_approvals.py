"""The one shape of approval flows (core/approvals.py, issue 11 item 5), through each flow's API:
decide, refuse with a reason, withdraw; a repeat changes nothing where the flow says so, a closed request
refuses with the flow's own code, a refusal needs a reason, and only the asker withdraws."""

from __future__ import annotations

from renrentong.core.models import AuditEvent

from tests.factories import bearer


def post(client, account, url, body=None, kind=None):
    return client.post(url, body or {}, content_type="application/json", **bearer(account, kind))


def code_of(response):
    return response.json()["code"]


def transfer(client, world):
    response = post(client, world.student_b, "/api/v1/school/transfers", {"to_school_id": world.school_a.pk})
    assert response.status_code == 201, response.content
    return f"/api/v1/school/transfers/{response.json()['id']}"


def class_change(client, world):
    response = post(client, world.student_a, "/api/v1/school/class-change-requests",
                    {"to_class_id": world.class_a2.pk, "reason": "离家近"})
    assert response.status_code == 201, response.content
    return f"/api/v1/school/class-change-requests/{response.json()['id']}"


def test_transfer_refusal_needs_a_reason_then_repeats_change_nothing_and_approval_is_closed(client, world):
    url = transfer(client, world)
    response = post(client, world.school_admin_a, f"{url}/refuse", {"reason": "   "})
    assert response.status_code == 400 and code_of(response) == "transfer.reason_required"
    assert post(client, world.school_admin_a, f"{url}/refuse", {"reason": "名额已满"}).json()["status"] == "refused"
    events = AuditEvent.objects.count()
    again = post(client, world.school_admin_a, f"{url}/refuse", {"reason": "名额已满"})
    assert again.status_code == 200 and AuditEvent.objects.count() == events
    late = post(client, world.school_admin_b, f"{url}/approve")
    assert late.status_code == 409 and code_of(late) == "transfer.not_pending"
    withdrawn = post(client, world.student_b, f"{url}/withdraw")
    assert withdrawn.status_code == 409 and code_of(withdrawn) == "transfer.not_pending"


def test_only_the_person_who_moves_withdraws_a_transfer(client, world):
    url = transfer(client, world)
    response = post(client, world.parent_b, f"{url}/withdraw")
    assert code_of(response) == "transfer.not_yours"
    assert post(client, world.student_b, f"{url}/withdraw").json()["status"] == "withdrawn"
    refused = post(client, world.school_admin_a, f"{url}/refuse", {"reason": "x"})
    assert code_of(refused) == "transfer.not_pending"


def test_class_change_refusal_needs_a_reason_and_a_withdrawn_request_is_closed(client, world):
    url = class_change(client, world)
    assert post(client, world.student_a, f"{url}/withdraw").json()["status"] == "withdrawn"
    assert post(client, world.student_a, f"{url}/withdraw").status_code == 200  # a repeat changes nothing
    approved = post(client, world.school_admin_a, f"{url}/approve")
    assert approved.status_code == 409 and code_of(approved) == "class_change.closed"
    url = class_change(client, world)
    refused = post(client, world.school_admin_a, f"{url}/refuse", {"note": "x" * 201})
    assert refused.status_code in (400, 422)
    assert post(client, world.school_admin_a, f"{url}/refuse", {"note": "不可以"}).json()["status"] == "refused"


def test_key_information_decided_change_refuses_a_different_verdict(client, world):
    child = world.student_a.person
    patch = client.patch(f"/api/v1/school/keyinfo/people/{child.pk}", {"local_student_number": "A123456"},
                         content_type="application/json", **bearer(world.parent_a))
    assert patch.status_code == 202, patch.content
    change_id = client.get("/api/v1/school/keyinfo/requests", **bearer(world.school_admin_a)).json()[0]["id"]
    url = f"/api/v1/school/keyinfo/requests/{change_id}/decide"
    first = post(client, world.school_admin_a, url, {"decisions": {"local_student_number": "refuse"}})
    assert first.status_code == 200, first.content
    assert post(client, world.school_admin_a, url, {"decisions": {"local_student_number": "refuse"}}).status_code == 200
    other = post(client, world.school_admin_a, url, {"decisions": {"local_student_number": "accept"}})
    assert other.status_code >= 400 and code_of(other) == "keyinfo.already_decided"
