"""AUTH-5 resets by others through the API: who resets whom, to what, the scope matrix, sessions ended,
the forced change at next login, the audit record and the rate limit (seeds 002 §2 §5 §6, 004 途径一/二)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from renrentong.accounts.models import Account, Identity
from renrentong.core.models import AuditEvent

from tests.factories import (
    bearer, give_password, make_parent, make_region_admin, make_school_admin, make_student, make_teacher,
    use_derived_initial_rules,
)

NEW = "Xk9#mPq2vL"


@pytest.fixture(autouse=True)
def _derived_rules(world):
    # These tests reset to "the rule's password" of a region that chose the derived rules (a new
    # region draws random ones, issue 10); the random rule has its own tests below.
    use_derived_initial_rules(world.province)


def post(client, url, body, headers):
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def reset(client, actor: Account, targets: list[Account], kind: str | None = None, **body):
    return post(client, "/api/v1/resets", {"account_ids": [t.pk for t in targets], **body}, bearer(actor, kind))


def login(identifier: str, password: str):
    return Client().post("/api/v1/auth/login", json.dumps({"identifier": identifier, "password": password}),
                         content_type="application/json")


# --- Class head teacher [Z] -------------------------------------------------------------------------


def test_head_teacher_resets_own_student_to_default_and_sees_it(client, world):
    student = give_password(world.student_a)
    response = reset(client, world.head_teacher_a, [student])
    assert response.status_code == 200, response.content
    [result] = response.json()
    assert result["password"] == f"Pw{student.number[-6:]}@"  # the school's rule: Pw + last 6 + @
    assert result["must_change_password"] is True and result["name"] == "李小明"
    assert login(student.number, NEW).status_code == 400  # the old password is gone
    logged = login(student.number, result["password"])
    assert logged.status_code == 200 and logged.json()["must_change_password"] is True


def test_head_teacher_cannot_reset_other_class(client, world):
    response = reset(client, world.head_teacher_a, [world.student_a2])
    assert response.status_code == 404 and response.json()["code"] == "scope.not_found"


def test_head_teacher_cannot_reset_another_schools_student_or_a_teacher(client, world):
    for target in (world.student_b, world.teacher_a, world.parent_a, world.school_admin_a):
        response = reset(client, world.head_teacher_a, [target])
        assert response.status_code == 404, target


def test_head_teacher_may_not_type_a_password(client, world):
    response = reset(client, world.head_teacher_a, [world.student_a], mode="custom", password=NEW)
    assert response.status_code == 403 and response.json()["code"] == "reset.custom_not_allowed"
    assert response.json()["who_can_fix"] == "学校管理员"


def test_teacher_who_heads_no_class_cannot_reset(client, world):
    response = reset(client, world.teacher_a, [world.student_a])
    assert response.status_code == 403 and response.json()["code"] == "reset.not_head_teacher"


def test_students_cannot_reset_anyone(client, world):
    response = reset(client, world.student_a, [world.student_a2])
    assert response.status_code == 403 and response.json()["code"] == "reset.not_allowed"


def test_default_follows_the_schools_rule(client, world):
    from renrentong.orgs.models import Policy
    from renrentong.orgs.policy import policy_changed

    Policy.objects.create(school=world.school_a, values={"student_initial_rule": "random"})
    policy_changed()
    [result] = reset(client, world.head_teacher_a, [world.student_a]).json()
    assert len(result["password"]) == 10 and result["password"] != f"Pw{world.student_a.number[-6:]}@"
    assert login(world.student_a.number, result["password"]).json()["must_change_password"] is True


# --- Parent [C Z] -----------------------------------------------------------------------------------


def test_school_recorded_parent_sets_own_childs_password_without_forced_change(client, world):
    from renrentong.accounts.models import Guardianship

    # Only the guardian the school recorded sets a password for good (issue 10 #2; test_children).
    Guardianship.objects.filter(guardian=world.parent_a.person).update(added_by_school=True)
    child = world.student_a
    response = post(client, f"/api/v1/family/children/{child.person_id}/password",
                    {"new_password": NEW, "repeat_password": NEW}, bearer(world.parent_a))
    assert response.status_code == 204, response.content
    logged = login(child.number, NEW)
    assert logged.status_code == 200 and logged.json()["must_change_password"] is False
    event = AuditEvent.objects.get(verb="password.reset", target_id=child.pk)
    assert event.details["how"] == "parent" and event.school_id == world.school_a.pk
    assert event.actor_account_id == world.parent_a.pk


def test_parent_password_must_meet_the_policy(client, world):
    child = world.student_a
    response = post(client, f"/api/v1/family/children/{child.person_id}/password",
                    {"new_password": "abcdefgh", "repeat_password": "abcdefgh"}, bearer(world.parent_a))
    assert response.status_code == 400 and response.json()["code"] == "password.classes"
    differ = post(client, f"/api/v1/family/children/{child.person_id}/password",
                  {"new_password": NEW, "repeat_password": NEW + "x"}, bearer(world.parent_a))
    assert differ.json()["code"] == "password.mismatch"
    assert not AuditEvent.objects.filter(verb="password.reset").exists()


def test_parent_cannot_set_someone_elses_childs_password(client, world):
    for child in (world.student_a2, world.student_b):
        response = post(client, f"/api/v1/family/children/{child.person_id}/password",
                        {"new_password": NEW, "repeat_password": NEW}, bearer(world.parent_a))
        assert response.status_code == 404 and response.json()["code"] == "scope.not_found"


def test_parent_cannot_use_the_admin_reset(client, world):
    response = reset(client, world.parent_a, [world.student_a])
    assert response.status_code == 403 and response.json()["code"] == "reset.not_allowed"


# --- School admin [J] -------------------------------------------------------------------------------


def test_school_admin_resets_many_students_and_teachers_to_default(client, world):
    targets = [world.student_a, world.student_a2, world.teacher_a]
    response = reset(client, world.school_admin_a, targets)
    assert response.status_code == 200, response.content
    passwords = {r["account_number"]: r["password"] for r in response.json()}
    assert passwords[world.student_a.number] == f"Pw{world.student_a.number[-6:]}@"
    assert passwords[world.teacher_a.number] == world.teacher_a.phone[-6:]  # teachers: last 6 of the phone
    events = AuditEvent.objects.filter(verb="password.reset")
    assert events.count() == 3
    assert {e.details["batch"] for e in events} == {3}
    assert {e.school_id for e in events} == {world.school_a.pk}


def test_school_admin_resets_to_a_custom_password_that_forces_a_change(client, world):
    targets = [give_password(world.student_a), world.teacher_a]
    custom = "Start#2026x"
    response = reset(client, world.school_admin_a, targets, mode="custom", password=custom)
    assert response.status_code == 200, response.content
    assert all(r["password"] == custom for r in response.json())
    for account in targets:
        logged = login(account.number, custom)
        assert logged.status_code == 200 and logged.json()["must_change_password"] is True


def test_custom_password_must_meet_the_policy(client, world):
    response = reset(client, world.school_admin_a, [world.student_a], mode="custom", password="123456")
    assert response.status_code == 400 and response.json()["code"] == "password.length"
    missing = reset(client, world.school_admin_a, [world.student_a], mode="custom")
    assert missing.json()["code"] == "reset.custom_missing"


def test_school_admin_resets_a_parent_of_the_school(client, world):
    response = reset(client, world.school_admin_a, [world.parent_a])
    assert response.status_code == 200
    assert response.json()[0]["password"] == f"Pw{world.parent_a.phone[-6:]}@"


def test_school_admin_cannot_reset_another_school(client, world):
    for target in (world.student_b, world.teacher_b, world.parent_b, world.school_admin_b):
        response = reset(client, world.school_admin_a, [target])
        assert response.status_code == 404 and response.json()["code"] == "scope.not_found", target


def test_one_foreign_id_in_a_batch_refuses_the_whole_batch(client, world):
    student = give_password(world.student_a)
    response = reset(client, world.school_admin_a, [student, world.student_b])
    assert response.status_code == 404
    assert login(student.number, NEW).status_code == 200  # nothing was half done
    assert not AuditEvent.objects.filter(verb="password.reset").exists()


def test_school_admin_cannot_reset_a_fellow_admin_or_an_admin_above(client, world):
    fellow = make_school_admin(world.school_a)
    response = reset(client, world.school_admin_a, [fellow])
    assert response.status_code == 403 and response.json()["code"] == "reset.outside_authority"
    assert "区县管理员" in response.json()["message"]
    for above in (world.district_admin_x, world.province_admin):
        assert reset(client, world.school_admin_a, [above]).status_code == 404


def test_teacher_who_is_also_admin_elsewhere_is_refused_with_who_can(client, world):
    # A teacher of school A who is also the admin of school B: A's admin sees the teacher, not the admin.
    teacher = world.teacher_a
    Identity.objects.create(account=teacher, kind=Identity.Kind.SCHOOL_ADMIN, school=world.school_b)
    response = reset(client, world.school_admin_a, [teacher])
    assert response.status_code == 403 and response.json()["code"] == "reset.outside_authority"


def test_nobody_resets_themselves(client, world):
    response = reset(client, world.school_admin_a, [world.school_admin_a])
    assert response.status_code == 400 and response.json()["code"] == "reset.self"


def test_unknown_ids_and_batch_limits(client, world):
    assert reset(client, world.school_admin_a, []).status_code == 400
    missing = post(client, "/api/v1/resets", {"account_ids": [987654]}, bearer(world.school_admin_a))
    assert missing.status_code == 404 and missing.json()["code"] == "scope.not_found"
    too_many = post(client, "/api/v1/resets", {"account_ids": list(range(1, 502))}, bearer(world.school_admin_a))
    assert too_many.status_code == 400


# --- District, city and province admins [J Z] -------------------------------------------------------


@pytest.mark.parametrize("role", ["district_admin_x", "city_admin", "province_admin"])
def test_region_admins_reset_anyone_below_them(client, world, role):
    targets = [world.student_a, world.teacher_a, world.school_admin_a, world.parent_a]
    response = reset(client, getattr(world, role), targets)
    assert response.status_code == 200, response.content
    assert len(response.json()) == 4


def test_district_admin_cannot_reset_the_neighbouring_district_or_above(client, world):
    admin = world.district_admin_x
    for target in (world.student_b, world.school_admin_b, world.district_admin_y, world.city_admin,
                   world.province_admin):
        response = reset(client, admin, [target])
        assert response.status_code == 404, target


def test_district_admin_cannot_reset_a_fellow_district_admin(client, world):
    fellow = make_region_admin(world.district_x, "芙蓉区另一管理员")
    response = reset(client, world.district_admin_x, [fellow])
    assert response.status_code == 403 and response.json()["code"] == "reset.outside_authority"


def test_city_admin_resets_a_district_admin_and_the_record_names_the_region(client, world):
    response = reset(client, world.city_admin, [world.district_admin_x])
    assert response.status_code == 200
    event = AuditEvent.objects.get(verb="password.reset", target_id=world.district_admin_x.pk)
    assert event.details["region_id"] == world.district_x.pk and event.school_id is None


# --- What a reset does ------------------------------------------------------------------------------


def test_reset_ends_sessions_and_tokens_and_clears_the_login_throttle(client, world):
    student = give_password(world.student_a)
    web = Client()
    assert web.post("/accounts/login/", {"identifier": student.number, "password": NEW}).status_code == 302
    token = login(student.number, NEW).json()["token"]
    for _ in range(4):
        login(student.number, "Wrong#pass1")
    assert login(student.number, NEW).json()["code"] == "login.challenge_required"
    [result] = reset(client, world.head_teacher_a, [student]).json()
    assert web.get("/")["Location"].startswith("/accounts/login/")
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401
    assert login(student.number, result["password"]).status_code == 200


def test_every_reset_is_audited_with_who_whose_when_how(client, world):
    reset(client, world.school_admin_a, [world.student_a], mode="custom", password="Start#2026x")
    event = AuditEvent.objects.get(verb="password.reset")
    assert event.actor_account_id == world.school_admin_a.pk
    assert event.actor_identity_id == world.school_admin_a.identities.get().pk
    assert event.target_type == "account" and event.target_id == world.student_a.pk
    assert event.details["how"] == "custom" and "Start#2026x" not in json.dumps(event.details)
    assert event.at is not None


def test_reset_endpoints_are_rate_limited(client, world, monkeypatch):
    from renrentong.accounts.resets import services as resets
    monkeypatch.setitem(resets.RESETS_PER_HOUR, "head_teacher", 3)
    for _ in range(3):
        assert reset(client, world.head_teacher_a, [world.student_a]).status_code == 200
    refused = reset(client, world.head_teacher_a, [world.student_a])
    assert refused.status_code == 429 and refused.json()["code"] == "reset.rate_limited"
    assert "3" in refused.json()["message"]


def test_parent_resets_are_rate_limited(client, world, monkeypatch):
    from renrentong.accounts.resets import services as resets
    monkeypatch.setitem(resets.RESETS_PER_HOUR, "guardian", 1)
    url = f"/api/v1/family/children/{world.student_a.person_id}/password"
    assert post(client, url, {"new_password": NEW, "repeat_password": NEW}, bearer(world.parent_a)).status_code == 204
    again = post(client, url, {"new_password": "Other#Pass99", "repeat_password": "Other#Pass99"},
                 bearer(world.parent_a))
    assert again.status_code == 429 and again.json()["code"] == "reset.rate_limited"


# --- Candidates: who the reset page offers ----------------------------------------------------------


def test_candidates_of_each_role(client, world):
    def numbers(actor, **params):
        response = client.get("/api/v1/resets/candidates", params, **bearer(actor))
        assert response.status_code == 200, response.content
        return {c["account_number"] for c in response.json()}

    assert numbers(world.head_teacher_a) == {world.student_a.number}
    # A school's students and parents run to thousands: its admin picks a class or searches (issue 12).
    assert numbers(world.school_admin_a) == set()
    assert numbers(world.school_admin_a, q="小") == {world.student_a.number, world.student_a2.number}
    assert numbers(world.school_admin_a, kind="teacher") == {world.teacher_a.number, world.head_teacher_a.number}
    assert numbers(world.school_admin_a, kind="parent") == set()
    assert numbers(world.school_admin_a, kind="parent", q="李大明") == {world.parent_a.number}
    assert numbers(world.school_admin_a, class_id=world.class_a2.pk) == {world.student_a2.number}
    assert numbers(world.district_admin_x) == set()  # a region admin searches
    assert numbers(world.district_admin_x, q="李小明") == {world.student_a.number}
    assert numbers(world.district_admin_x, q="陈小红") == set()
    assert numbers(world.city_admin, q="陈小红") == {world.student_b.number}
    assert numbers(world.district_admin_x, kind="admin") == {world.school_admin_a.number}
    assert numbers(world.city_admin, kind="admin") == {world.school_admin_a.number, world.school_admin_b.number,
                                                       world.district_admin_x.number, world.district_admin_y.number}
    assert numbers(world.school_admin_a, kind="admin", class_id=world.class_a1.pk) == {world.student_a.number}
    foreign = client.get("/api/v1/resets/candidates", {"class_id": world.class_b1.pk}, **bearer(world.school_admin_a))
    assert foreign.status_code == 404


def test_head_teacher_of_two_classes_sees_both(client, world):
    teacher = make_teacher(world.school_a, heads=[world.class_a2], name="周老师")
    other = make_student(world.class_a2, "吴小军")
    response = client.get("/api/v1/resets/candidates", **bearer(teacher))
    assert {c["account_number"] for c in response.json()} == {world.student_a2.number, other.number}
    assert reset(client, teacher, [other, world.student_a2]).status_code == 200
    assert reset(client, teacher, [world.student_a]).status_code == 404


def test_parent_of_a_child_at_two_schools_is_reset_by_either_school(client, world):
    parent = make_parent(world.student_a, world.student_b, name="共同家长")
    assert reset(client, world.school_admin_a, [parent]).status_code == 200
    assert reset(client, world.school_admin_b, [parent]).status_code == 200
    events = AuditEvent.objects.filter(verb="password.reset", target_id=parent.pk)
    assert {e.school_id for e in events} == {world.school_a.pk, world.school_b.pk}


# --- The reset page ---------------------------------------------------------------------------------


def session_for(account: Account, kind: str | None = None) -> Client:
    from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE

    client = Client()
    client.force_login(account)
    session = client.session
    identities = account.identities.all()
    session[SESSION_IDENTITY] = (identities.get(kind=kind) if kind else identities.get()).pk
    session[SESSION_MUST_CHANGE] = False
    session.save()
    return client


def test_reset_page_lists_and_resets_for_a_school_admin(world):
    client = session_for(world.school_admin_a)
    page = client.get("/resets/", {"class_id": world.class_a2.pk}).content.decode()
    assert world.student_a2.number in page and world.student_a.number not in page
    done = client.post("/resets/", {"account_id": [world.student_a2.pk], "mode": "default"})
    body = done.content.decode()
    assert done.status_code == 200 and f"Pw{world.student_a2.number[-6:]}@" in body


def test_reset_page_refuses_a_foreign_id_and_changes_nothing(world):
    client = session_for(world.school_admin_a)
    response = client.post("/resets/", {"account_id": [world.student_b.pk], "mode": "default"})
    assert response.status_code == 404 and 'data-code="scope.not_found"' in response.content.decode()
    assert not AuditEvent.objects.filter(verb="password.reset").exists()


def test_reset_page_for_a_region_admin_asks_for_a_search(world):
    client = session_for(world.district_admin_x)
    assert 'data-testid="reset-empty"' in client.get("/resets/").content.decode()
    found = client.get("/resets/", {"q": "李小明"}).content.decode()
    assert world.student_a.number in found


def test_reset_page_tells_a_teacher_who_heads_no_class_who_can(world):
    response = session_for(world.teacher_a).get("/resets/")
    assert response.status_code == 403 and 'data-code="reset.not_head_teacher"' in response.content.decode()


def test_reset_page_sends_parents_to_their_children(world):
    assert session_for(world.parent_a).get("/resets/")["Location"] == "/family/children/"
