"""Transfers between schools through the API (ADM-5, NFR-3, HELP-1): who may start one, who approves
under each policy, what moves on the last approval, idempotence, the import-raised queue, scope."""

from __future__ import annotations

import pytest

from renrentong.accounts.models import (
    Account, Enrollment, Guardianship, HeadTeacher, Identity, Person, TeachingAssignment,
)
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import Policy
from renrentong.orgs.policy import policy_changed
from renrentong.keyinfo.models import KeyInfoChange
from renrentong.schooladmin.models import TransferRequest
from renrentong.schooladmin.transfers.services import person_transferred

from tests.factories import SchoolFactory, bearer, make_class, make_school_admin, make_student


def post(client, url, headers, body=None):
    return client.post(url, body or {}, content_type="application/json", **headers)


def start(client, account, school, kind=None, **body):
    return post(client, "/api/v1/school/transfers", bearer(account, kind), {"to_school_id": school.pk, **body})


def approve(client, admin, request_id, **body):
    return post(client, f"/api/v1/school/transfers/{request_id}/approve", bearer(admin), body)


def open_enrollment(account):
    return Enrollment.objects.get(person=account.person, ended_on=None)


def test_student_transfer_needs_both_schools_and_moves_history_identity_and_records(client, world):
    student = world.student_b  # at school B, moving to A
    KeyInfoChange.objects.create(person=student.person, school=world.school_b, requested_as="guardian")
    old = open_enrollment(student)
    response = start(client, student, world.school_a)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and set(body["waiting_for"]) == {"source", "target"}
    rid = body["id"]

    # The new school approves first, choosing the class; the student has not moved yet.
    response = approve(client, world.school_admin_a, rid, class_id=world.class_a2.pk)
    assert response.status_code == 200, response.content
    assert response.json()["waiting_for"] == ["source"]
    assert open_enrollment(student).pk == old.pk

    # The old school's approval completes it.
    response = approve(client, world.school_admin_b, rid)
    assert response.json()["status"] == "approved"
    old.refresh_from_db()
    assert old.ended_on is not None and old.reason == "transfer_out"
    new = open_enrollment(student)
    assert (new.school_class, new.school, new.reason) == (world.class_a2, world.school_a, "transfer_in")
    assert Enrollment.objects.filter(person=student.person).count() == 2  # history kept as rows
    identity = student.identities.get(kind="student")
    assert identity.school == world.school_a
    student.refresh_from_db()
    assert student.home_school == world.school_a
    assert Person.objects.get(pk=student.person_id).school_id == world.school_a.pk  # moves with its account
    assert KeyInfoChange.objects.get(person=student.person).school == world.school_a
    # Guardianships hang on the person and stay; the parent now sees the child at the new school.
    assert Guardianship.objects.filter(guardian=world.parent_b.person, student=student.person).exists()
    # ... and live with the student's new school (the partition-ready schema, docs/scaling.md).
    assert set(Guardianship.objects.filter(student=student.person).values_list("school_id", flat=True)) == {
        world.school_a.pk}
    me = client.get("/api/v1/school/transfers", **bearer(world.parent_b)).json()
    assert me[0]["status"] == "approved" and me[0]["to_school_name"] == world.school_a.name
    verbs = list(AuditEvent.objects.filter(target_type="transferrequest", target_id=rid).order_by("pk")
                 .values_list("verb", flat=True))
    assert verbs == ["transfer.request", "transfer.approve", "transfer.approve", "transfer.complete"]


def test_approving_twice_changes_nothing(client, world):
    rid = start(client, world.student_b, world.school_a, to_class_id=world.class_a1.pk).json()["id"]
    approve(client, world.school_admin_a, rid)
    approve(client, world.school_admin_b, rid)
    counts = (Enrollment.objects.count(), AuditEvent.objects.count())
    for admin in (world.school_admin_a, world.school_admin_b):
        again = approve(client, admin, rid)
        assert again.status_code == 200 and again.json()["status"] == "approved"
    assert (Enrollment.objects.count(), AuditEvent.objects.count()) == counts


def test_a_school_approving_again_before_the_other_changes_nothing(client, world):
    rid = start(client, world.student_b, world.school_a, to_class_id=world.class_a1.pk).json()["id"]
    approve(client, world.school_admin_b, rid)
    events = AuditEvent.objects.count()
    assert approve(client, world.school_admin_b, rid).json()["waiting_for"] == ["target"]
    assert AuditEvent.objects.count() == events


def test_target_only_policy_lets_the_new_school_decide_alone(client, world):
    Policy.objects.create(region=world.district_y, values={"student_transfer_approval": "target"})
    policy_changed()
    body = start(client, world.student_b, world.school_a).json()
    assert body["needs_source_approval"] is False and body["waiting_for"] == ["target"]
    response = approve(client, world.school_admin_a, body["id"], class_id=world.class_a1.pk)
    assert response.json()["status"] == "approved"
    assert open_enrollment(world.student_b).school_class == world.class_a1


def test_district_admin_sets_the_policy_through_the_api(client, world):
    response = client.patch("/api/v1/orgs/policy", {"student_transfer_approval": "target"},
                            content_type="application/json", **bearer(world.district_admin_y))
    assert response.status_code == 200 and response.json()["student_transfer_approval"] == "target"
    body = start(client, world.student_b, world.school_a).json()
    assert body["waiting_for"] == ["target"]
    refused = client.patch("/api/v1/orgs/policy", {"student_transfer_approval": "target"},
                           content_type="application/json", **bearer(world.school_admin_b))
    assert refused.status_code == 403 and refused.json()["code"] == "policy.field_not_allowed"


def test_new_school_must_choose_a_class_for_a_student(client, world):
    rid = start(client, world.student_b, world.school_a).json()["id"]
    response = approve(client, world.school_admin_a, rid)
    assert response.status_code == 400 and response.json()["code"] == "transfer.class_required"
    other_school_class = approve(client, world.school_admin_a, rid, class_id=world.class_b1.pk)
    assert other_school_class.json()["code"] == "transfer.unknown_class"
    classes = client.get(f"/api/v1/school/transfers/{rid}/classes", **bearer(world.school_admin_a)).json()
    assert {c["id"] for c in classes} == {world.class_a1.pk, world.class_a2.pk}


def test_teacher_transfer_needs_only_the_new_school_and_leaves_the_old_classes(client, world):
    teacher = world.teacher_b
    body = start(client, teacher, world.school_a).json()
    assert body["kind"] == "teacher" and body["waiting_for"] == ["target"]
    response = approve(client, world.school_admin_a, body["id"])
    assert response.json()["status"] == "approved"
    identity = teacher.identities.get(kind="teacher")
    assert identity.school == world.school_a
    assert not TeachingAssignment.objects.filter(teacher=identity).exists()
    teacher.refresh_from_db()
    assert teacher.home_school == world.school_a
    complete = AuditEvent.objects.get(verb="transfer.complete")
    assert complete.details["teaching_removed"] == [[world.class_b1.code, "数学"]]


def test_the_old_school_cannot_approve_a_teacher_in_the_new_schools_place(client, world):
    rid = start(client, world.teacher_b, world.school_a).json()["id"]
    response = approve(client, world.school_admin_b, rid)
    assert response.status_code == 200 and response.json()["status"] == "pending"
    assert world.teacher_b.identities.get(kind="teacher").school == world.school_b


def test_a_school_admin_must_lose_the_role_first(client, world):
    admin_teacher = world.teacher_b
    make_school_admin(world.school_b, account=admin_teacher)
    response = start(client, admin_teacher, world.school_a, kind="teacher")
    body = response.json()
    assert response.status_code == 403 and body["code"] == "transfer.admin_must_resign"
    assert body["who_can_fix"] == "区县管理员" and world.school_b.name in body["message"]
    assert body["contact"] == world.province.support_contact  # school B and its district set none


def test_becoming_admin_while_waiting_blocks_the_approval(client, world):
    rid = start(client, world.teacher_b, world.school_a).json()["id"]
    make_school_admin(world.school_b, account=world.teacher_b)
    response = approve(client, world.school_admin_a, rid)
    assert response.status_code == 403 and response.json()["code"] == "transfer.admin_must_resign"
    assert TransferRequest.objects.get(pk=rid).target_approved_at is None  # rolled back whole


@pytest.mark.parametrize("role", ["parent_b", "school_admin_b", "district_admin_y"])
def test_only_students_and_teachers_start_their_own(client, world, role):
    response = start(client, getattr(world, role), world.school_a)
    assert response.status_code == 403 and response.json()["code"] == "transfer.not_allowed"


def test_refusals_name_the_cause(client, world):
    same = start(client, world.student_b, world.school_b)
    assert same.status_code == 400 and same.json()["code"] == "transfer.same_school"
    unregistered = SchoolFactory(district=world.district_x, registered=False)
    assert start(client, world.student_b, unregistered).json()["code"] == "transfer.unknown_school"
    assert post(client, "/api/v1/school/transfers", bearer(world.student_b),
                {"to_school_id": 10**12}).json()["code"] == "transfer.unknown_school"
    assert start(client, world.student_b, world.school_a).status_code == 201
    third = SchoolFactory(district=world.district_x)
    again = start(client, world.student_b, third)
    assert again.status_code == 409 and again.json()["code"] == "transfer.already_pending"
    assert world.school_a.name in again.json()["message"]


def test_student_without_a_class_is_told_to_ask_the_school(client, world):
    Enrollment.objects.filter(person=world.student_b.person).update(ended_on="2026-07-01")
    response = start(client, world.student_b, world.school_a)
    assert response.json()["code"] == "transfer.not_enrolled" and response.json()["who_can_fix"] == "学校管理员"


def test_refusal_with_reason_is_shown_to_the_person_and_ends_it(client, world):
    rid = start(client, world.student_b, world.school_a).json()["id"]
    empty = post(client, f"/api/v1/school/transfers/{rid}/refuse", bearer(world.school_admin_b), {"reason": "  "})
    assert empty.json()["code"] == "transfer.reason_required"
    response = post(client, f"/api/v1/school/transfers/{rid}/refuse", bearer(world.school_admin_b),
                    {"reason": "学籍未办理转出手续"})
    assert response.json()["status"] == "refused"
    mine = client.get(f"/api/v1/school/transfers/{rid}", **bearer(world.student_b)).json()
    assert mine["status"] == "refused" and mine["reason"] == "学籍未办理转出手续"
    late = approve(client, world.school_admin_a, rid, class_id=world.class_a1.pk)
    assert late.status_code == 409 and late.json()["code"] == "transfer.not_pending"
    assert open_enrollment(world.student_b).school == world.school_b


def test_person_withdraws_their_own_request_only(client, world):
    rid = start(client, world.student_b, world.school_a).json()["id"]
    admin = post(client, f"/api/v1/school/transfers/{rid}/withdraw", bearer(world.school_admin_a))
    assert admin.status_code == 403 and admin.json()["code"] == "transfer.not_yours"
    mine = post(client, f"/api/v1/school/transfers/{rid}/withdraw", bearer(world.student_b))
    assert mine.json()["status"] == "withdrawn"
    assert start(client, world.student_b, world.school_a).status_code == 201  # may apply again


def test_import_raised_requests_go_through_the_old_schools_queue(client, world):
    from tests.roster_files import commit, csv_file, preview

    student_b = world.student_b.person
    grade = world.class_a1.cohort.grade_number(world.school_a.school_year)
    job = preview(client, bearer(world.school_admin_a), csv_file([
        [student_b.name, "", student_b.reveal_id_number(), f"{grade}年级", "1班", "", "", "", "", "", ""]]))
    commit(client, bearer(world.school_admin_a), job["id"])
    request = TransferRequest.objects.get(person=student_b)
    queue_b = client.get("/api/v1/school/transfers/queue", **bearer(world.school_admin_b)).json()
    assert [r["id"] for r in queue_b["outgoing"]] == [request.pk]
    assert queue_b["outgoing"][0]["source"] == "import" and queue_b["outgoing"][0]["waiting_for"] == ["source"]
    queue_a = client.get("/api/v1/school/transfers/queue", **bearer(world.school_admin_a)).json()
    assert queue_a["incoming"] == [] and [r["id"] for r in queue_a["elsewhere"]] == [request.pk]
    response = approve(client, world.school_admin_b, request.pk)
    assert response.json()["status"] == "approved"
    assert open_enrollment(world.student_b).school_class == world.class_a1


def test_approval_is_one_transaction(client, world):
    """A failure after the enrollment moved (here: a later feature's receiver) leaves nothing half done."""
    rid = start(client, world.student_b, world.school_a, to_class_id=world.class_a1.pk).json()["id"]
    approve(client, world.school_admin_a, rid)

    def broken(**kwargs):
        raise RuntimeError("a later feature failed to move its records")

    person_transferred.connect(broken)
    try:
        with pytest.raises(RuntimeError):
            approve(client, world.school_admin_b, rid)
    finally:
        person_transferred.disconnect(broken)
    assert open_enrollment(world.student_b).school == world.school_b
    assert world.student_b.identities.get(kind="student").school == world.school_b
    assert TransferRequest.objects.get(pk=rid).status == "pending"
    assert TransferRequest.objects.get(pk=rid).source_approved_at is None
    # And it can simply be run again.
    assert approve(client, world.school_admin_b, rid).json()["status"] == "approved"


def test_other_pending_requests_are_withdrawn_when_one_completes(client, world):
    rid = start(client, world.student_b, world.school_a, to_class_id=world.class_a1.pk).json()["id"]
    third = SchoolFactory(district=world.district_x)
    make_class(third)
    stale = TransferRequest.objects.create(person=world.student_b.person, from_school=world.school_b,
                                           to_school=third, source="import")
    approve(client, world.school_admin_a, rid)
    approve(client, world.school_admin_b, rid)
    stale.refresh_from_db()
    assert stale.status == "withdrawn"


def test_targets_are_registered_schools_by_name_or_code(client, world):
    hidden = SchoolFactory(district=world.district_x, name="芙蓉未登记学校", registered=False)
    found = client.get("/api/v1/school/transfer-targets?q=芙蓉", **bearer(world.student_b)).json()
    assert [s["id"] for s in found] == [world.school_a.pk]
    assert hidden.pk not in [s["id"] for s in found]
    by_code = client.get("/api/v1/school/transfer-targets?q=b0001", **bearer(world.student_b)).json()
    assert [s["id"] for s in by_code] == [world.school_b.pk]


# Scope (NFR-2) -------------------------------------------------------------------------------------------

def test_other_schools_requests_are_not_found(client, world):
    third = SchoolFactory(district=world.district_y)
    outsider = make_student(make_class(third), "外校生")
    rid = start(client, outsider, world.school_b).json()["id"]
    for role in ("school_admin_a", "district_admin_x", "student_a", "parent_a", "teacher_a"):
        headers = bearer(getattr(world, role))
        for url in (f"/api/v1/school/transfers/{rid}", f"/api/v1/school/transfers/{rid}/classes"):
            response = client.get(url, **headers)
            assert response.status_code == 404 and response.json()["code"] == "scope.not_found", (role, url)
        assert rid not in [r["id"] for r in client.get("/api/v1/school/transfers", **headers).json()]
    for action, body in (("approve", {}), ("refuse", {"reason": "x"}), ("withdraw", {})):
        response = post(client, f"/api/v1/school/transfers/{rid}/{action}", bearer(world.school_admin_a), body)
        assert response.status_code in (403, 404), (action, response.content)
        assert response.json()["code"] in ("scope.not_found", "transfer.not_yours")
    assert TransferRequest.objects.get(pk=rid).status == "pending"
    # The schools concerned and the region above them see it.
    assert client.get(f"/api/v1/school/transfers/{rid}", **bearer(world.school_admin_b)).status_code == 200
    assert client.get(f"/api/v1/school/transfers/{rid}", **bearer(world.district_admin_y)).status_code == 200


def test_queue_is_for_school_admins(client, world):
    response = client.get("/api/v1/school/transfers/queue", **bearer(world.teacher_a))
    assert response.status_code == 403 and response.json()["code"] == "transfer.approve_not_allowed"


def test_no_response_carries_a_full_id_number(client, world):
    rid = start(client, world.student_b, world.school_a).json()["id"]
    full = world.student_b.person.reveal_id_number()
    for account in (world.school_admin_a, world.school_admin_b, world.student_b):
        body = client.get(f"/api/v1/school/transfers/{rid}", **bearer(account)).content.decode()
        assert full not in body


def test_identity_already_at_the_new_school_is_kept_not_duplicated(client, world):
    student = world.student_b
    rid = start(client, student, world.school_a, to_class_id=world.class_a1.pk).json()["id"]
    Identity.objects.create(account=student, kind="student", school=world.school_a)
    approve(client, world.school_admin_a, rid)
    approve(client, world.school_admin_b, rid)
    assert list(student.identities.filter(kind="student").values_list("school", flat=True)) == [world.school_a.pk]
    assert Account.objects.get(pk=student.pk).home_school == world.school_a
    assert not HeadTeacher.objects.filter(teacher__account=student).exists()


def test_a_student_who_left_meanwhile_cannot_be_moved_by_a_stale_request(client, world):
    rid = start(client, world.student_b, world.school_a, to_class_id=world.class_a1.pk).json()["id"]
    third = SchoolFactory(district=world.district_y)
    Enrollment.objects.filter(person=world.student_b.person, ended_on=None).update(ended_on="2026-09-01")
    Enrollment.objects.create(person=world.student_b.person, school_class=make_class(third), school=third)
    approve(client, world.school_admin_a, rid)
    response = approve(client, world.school_admin_b, rid)
    body = response.json()
    assert response.status_code == 409 and body["code"] == "transfer.stale"
    assert world.student_b.person.name in body["message"] and body["who_can_fix"] == "学校管理员"
    assert open_enrollment(world.student_b).school == third
    # The school refuses it instead, as the message says.
    refused = post(client, f"/api/v1/school/transfers/{rid}/refuse", bearer(world.school_admin_b), {"reason": "已转走"})
    assert refused.json()["status"] == "refused"


def test_district_admin_sets_the_policy_on_the_settings_page(client, world):
    from renrentong.accounts.login.middleware import SESSION_IDENTITY
    from renrentong.orgs.policy import policy_for_school

    admin = world.district_admin_y
    client.force_login(admin, backend="renrentong.accounts.login.backends.AccountBackend")
    session = client.session
    session[SESSION_IDENTITY] = admin.identities.get().pk
    session.save()
    page = client.get("/orgs/settings/")
    assert 'name="student_transfer_approval"' in page.content.decode()
    client.post("/orgs/settings/", {"student_transfer_approval": "target"})
    assert policy_for_school(world.school_b).student_transfer_approval == "target"
    assert policy_for_school(world.school_a).student_transfer_approval == "both"  # district X keeps the default


def test_pages_show_each_role_its_transfers(client, world):
    from renrentong.accounts.login.middleware import SESSION_IDENTITY

    rid = start(client, world.student_b, world.school_a).json()["id"]

    def page_as(account):
        client.force_login(account, backend="renrentong.accounts.login.backends.AccountBackend")
        session = client.session
        session[SESSION_IDENTITY] = account.identities.get().pk
        session.save()
        return client.get("/school/transfers/")

    for account in (world.district_admin_y, world.parent_b, world.student_b, world.school_admin_a):
        response = page_as(account)
        assert response.status_code == 200 and f'data-testid="transfer-{rid}"' in response.content.decode()
    for account in (world.teacher_a, world.parent_a, world.student_a):
        response = page_as(account)
        assert response.status_code == 200 and f'data-testid="transfer-{rid}"' not in response.content.decode()
    home = client.get("/")
    assert 'data-testid="transfer-link"' in home.content.decode()


def test_the_school_search_takes_odd_text_without_failing(client, world):
    # A NUL made PostgreSQL fail the query (a 500, found by schemathesis): now refused naming the search text,
    # as every query parameter's is. Typed spaces never hide a school.
    refused = client.get("/api/v1/school/transfer-targets", {"q": "芙蓉\x00"}, **bearer(world.student_a))
    assert refused.status_code == 400 and refused.json()["fields"][0]["code"] == "field.control_character"
    for q in ("%", "芙 蓉"):
        answer = client.get("/api/v1/school/transfer-targets", {"q": q}, **bearer(world.student_a))
        assert answer.status_code == 200
    found = client.get("/api/v1/school/transfer-targets", {"q": "芙 蓉"}, **bearer(world.student_a)).json()
    assert world.school_a.code in {s["code"] for s in found}
