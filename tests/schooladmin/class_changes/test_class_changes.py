"""Class-change requests (issue 10, 调班申请): a student asks from their home page or the API, the request
waits for the school admin, whose approval moves the enrollment as the batch class change does; refusals
carry a reason; everything is audited; the head teacher follows; other schools see nothing (NFR-2)."""

from __future__ import annotations

from renrentong.accounts.models import Enrollment
from renrentong.core.models import AuditEvent
from renrentong.schooladmin.models import ClassChangeRequest

from tests.factories import bearer, make_class, make_student
from tests.factories import as_user

API = "/api/v1/school/class-change-requests"


def post(client, account, url, body=None):
    return client.post(url, body or {}, content_type="application/json", **bearer(account))


def code_of(response):
    return response.status_code, response.json()["code"]


def current_class(account):
    return Enrollment.objects.get(person=account.person, ended_on=None).school_class_id


def ask(client, world, reason="离家近的班"):
    response = post(client, world.student_a, API, {"to_class_id": world.class_a2.pk, "reason": reason})
    assert response.status_code == 201, response.content
    return response.json()


def test_a_student_asks_and_the_request_waits_for_the_school(client, world):
    choices = client.get(f"{API}/classes", **bearer(world.student_a)).json()
    assert [c["id"] for c in choices] == [world.class_a2.pk]
    body = ask(client, world)
    assert body["status"] == "pending" and body["from_class_id"] == world.class_a1.pk
    assert current_class(world.student_a) == world.class_a1.pk  # nothing moves before the school decides
    assert AuditEvent.objects.filter(verb="class_change.request", school_id=world.school_a.pk).count() == 1
    again = post(client, world.student_a, API, {"to_class_id": world.class_a2.pk})
    assert code_of(again) == (409, "class_change.already_pending")


def test_approval_moves_the_enrollment_as_the_batch_class_change_does(client, world):
    body = ask(client, world)
    head = client.get(API, **bearer(world.head_teacher_a)).json()
    assert [r["id"] for r in head] == [body["id"]]  # the head teacher of the class left sees it
    assert code_of(post(client, world.head_teacher_a, f"{API}/{body['id']}/approve")) == (
        403, "class_change.decide_not_allowed")
    approved = post(client, world.school_admin_a, f"{API}/{body['id']}/approve")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert current_class(world.student_a) == world.class_a2.pk
    ended = Enrollment.objects.get(person=world.student_a.person, school_class=world.class_a1)
    assert ended.ended_on is not None and ended.reason == "class_change"
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"class_change.request", "class_change.approve", "users.class_change"} <= verbs
    # Approving twice changes nothing.
    assert post(client, world.school_admin_a, f"{API}/{body['id']}/approve").status_code == 200
    assert Enrollment.objects.filter(person=world.student_a.person).count() == 2


def test_refusal_needs_a_reason_the_student_sees(client, world):
    body = ask(client, world)
    assert post(client, world.school_admin_a, f"{API}/{body['id']}/refuse", {"note": " "}).status_code in (400, 422)
    refused = post(client, world.school_admin_a, f"{API}/{body['id']}/refuse", {"note": "该班已满员"})
    assert refused.json()["status"] == "refused"
    mine = client.get(API, **bearer(world.student_a)).json()
    assert mine[0]["decision_note"] == "该班已满员" and current_class(world.student_a) == world.class_a1.pk
    assert code_of(post(client, world.school_admin_a, f"{API}/{body['id']}/approve")) == (409, "class_change.closed")
    assert AuditEvent.objects.filter(verb="class_change.refuse").exists()


def test_a_student_withdraws_and_may_ask_again(client, world):
    body = ask(client, world)
    assert post(client, world.student_a, f"{API}/{body['id']}/withdraw").json()["status"] == "withdrawn"
    ask(client, world)


def test_refusals_name_who_can_fix(client, world):
    other_grade = make_class(world.school_a, 1, enrollment_year=2022)
    assert code_of(post(client, world.student_a, API, {"to_class_id": other_grade.pk})) == (
        409, "class_change.other_grade")
    assert code_of(post(client, world.student_a, API, {"to_class_id": world.class_a1.pk})) == (
        409, "class_change.same_class")
    assert code_of(post(client, world.student_a, API, {"to_class_id": world.class_b1.pk})) == (
        404, "class_change.class_not_found")
    assert code_of(post(client, world.parent_a, API, {"to_class_id": world.class_a2.pk})) == (
        403, "class_change.students_only")


def test_other_schools_and_other_teachers_see_nothing(client, world):
    body = ask(client, world)
    assert client.get(API, **bearer(world.school_admin_b)).json() == []
    assert code_of(client.get(f"{API}/{body['id']}", **bearer(world.school_admin_b))) == (404, "scope.not_found")
    assert code_of(post(client, world.school_admin_b, f"{API}/{body['id']}/approve")) == (404, "scope.not_found")
    assert client.get(API, **bearer(world.teacher_a)).json() == []  # teaches A1 but does not head it
    other = make_student(world.class_a2, "别人")
    assert code_of(post(client, other, f"{API}/{body['id']}/withdraw")) == (404, "scope.not_found")
    assert ClassChangeRequest.objects.get().status == "pending"


def test_the_pages_ask_follow_and_decide(client, world):
    as_user(client, world.student_a)
    home = client.get("/").content.decode()
    assert 'data-testid="class-change-link"' in home
    page = client.get("/school/class-changes/").content.decode()
    assert f'<option value="{world.class_a2.pk}">' in page
    response = client.post("/school/class-changes/", {"to_class_id": world.class_a2.pk, "reason": "想和同桌一班"})
    assert response.status_code == 302
    request_id = ClassChangeRequest.objects.get().pk
    assert 'data-status="pending"' in client.get("/").content.decode()

    as_user(client, world.head_teacher_a)
    assert 'data-testid="class-change-waiting">1<' in client.get("/").content.decode()
    queue = client.get("/school/class-changes/").content.decode()
    assert f'data-testid="class-change-{request_id}"' in queue and "class-change-approve" not in queue

    as_user(client, world.school_admin_a)
    assert 'data-testid="class-change-waiting">1<' in client.get("/").content.decode()
    assert f'data-testid="class-change-approve-{request_id}"' in client.get("/school/class-changes/").content.decode()
    assert client.post(f"/school/class-changes/{request_id}/approve/").status_code == 302
    assert current_class(world.student_a) == world.class_a2.pk
