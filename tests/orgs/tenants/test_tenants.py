"""ORG-2, ORG-6: district admins register schools (tenants) and set their school system and stages; a
school admin can only ask, and the district admin approves or refuses. Every change is audited."""

from __future__ import annotations

import json

import pytest

from renrentong.core.models import AuditEvent
from renrentong.orgs.models import School, Stage, SystemChangeRequest

from tests.factories import bearer, make_class, make_school_admin


def send(client, method, url, body, account):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **bearer(account))


def register(client, account, district, **over):
    body = {"district_id": district.pk, "name": "芙蓉新建学校", "code": "4301020099", "system": "6-3",
            "levels": ["primary", "junior"], **over}
    return send(client, "post", "/api/v1/orgs/schools", body, account)


def test_district_admin_registers_a_school_its_users_can_then_log_in(client, world):
    response = register(client, world.district_admin_x, world.district_x)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registered"] and body["system"] == "6-3" and body["levels"] == ["primary", "junior"]
    assert body["school_year"] == 2026  # the year the district's schools are in
    school = School.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(verb="tenant.register", school_id=school.pk).exists()
    # A city admin registers in a district below it; the district admin of Y not in X.
    assert register(client, world.city_admin, world.district_x, name="另一学校", code="ABCD1234").status_code == 201
    other = register(client, world.district_admin_y, world.district_x, name="第三学校", code="ABCD9999")
    assert other.status_code == 404 and other.json()["code"] == "scope.not_found"


def test_a_district_without_schools_takes_the_school_year_from_the_calendar(client, world, freezer):
    from renrentong.orgs.models import Region

    empty = Region.objects.create(kind="district", name="望城区", code="430112", parent=world.city)
    freezer.move_to("2027-08-31")
    summer = register(client, world.city_admin, empty, code="WC000001")
    assert summer.json()["school_year"] == 2026  # the 2026-2027 year runs until the new one starts
    freezer.move_to("2027-09-01")
    autumn = register(client, world.city_admin, empty, name="望城二小", code="WC000002")
    assert autumn.json()["school_year"] == 2026  # the district now has a school: its year is followed
    given = register(client, world.city_admin, empty, name="望城三小", code="WC000003", school_year=2027)
    assert given.json()["school_year"] == 2027


def test_registration_refusals_name_the_cause(client, world):
    admin = world.district_admin_x
    taken = register(client, admin, world.district_x, code=world.school_b.code)
    assert taken.status_code == 409 and taken.json()["code"] == "tenant.code_taken"
    assert world.school_b.name in taken.json()["message"]
    twice = register(client, admin, world.district_x, name=world.school_a.name, code="ZZZZ0001")
    assert twice.status_code == 409 and twice.json()["code"] == "tenant.name_taken"
    bad_code = register(client, admin, world.district_x, code="a!")
    assert bad_code.status_code == 400 and bad_code.json()["code"] == "tenant.code"
    city = register(client, world.city_admin, world.city, code="ZZZZ0002")
    assert city.status_code == 400 and city.json()["code"] == "tenant.not_a_district"
    school_admin = register(client, world.school_admin_a, world.district_x, code="ZZZZ0003")
    assert school_admin.status_code in (403, 404)


def test_unregistering_a_school_keeps_its_users_out_until_registered_again(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}"
    off = send(client, "patch", url, {"registered": False}, world.district_admin_x)
    assert off.status_code == 200 and off.json()["registered"] is False
    login = client.post("/api/v1/auth/login", json.dumps({
        "identifier": world.student_a.number, "password": f"Pw{world.student_a.number[-6:]}@"}),
        content_type="application/json")
    assert login.status_code == 403 and login.json()["code"] == "login.school_not_tenant"
    assert "用户所在学校不在平台的租户中" in login.json()["message"]
    on = send(client, "patch", url, {"registered": True}, world.district_admin_x)
    assert on.json()["registered"] is True
    assert [e.verb for e in AuditEvent.objects.filter(school_id=world.school_a.pk).order_by("pk")] == [
        "tenant.unregister", "tenant.register"]


def test_school_admin_cannot_change_the_system_but_can_ask(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}"
    direct = send(client, "patch", url, {"system": "5-4"}, world.school_admin_a)
    assert direct.status_code == 403 and direct.json()["code"] == "tenant.not_allowed"
    assert direct.json()["who_can_fix"] == "区县管理员"
    asked = send(client, "post", f"{url}/system-requests", {"system": "5-4", "levels": ["primary"],
                                                           "reason": "区教育局统一改为五四制"}, world.school_admin_a)
    assert asked.status_code == 201, asked.content
    assert asked.json()["status"] == "pending"
    again = send(client, "post", f"{url}/system-requests", {"system": "5-4", "levels": ["primary", "junior"]},
                 world.school_admin_a)
    assert again.status_code == 409 and again.json()["code"] == "tenant.request_pending"
    teacher = send(client, "post", f"{url}/system-requests", {"system": "5-4", "levels": ["primary"]},
                   world.teacher_a)
    assert teacher.status_code == 403 and teacher.json()["code"] == "tenant.request_not_allowed"
    School.objects.filter(pk=world.school_a.pk).update(system="6-3")
    assert School.objects.get(pk=world.school_a.pk).system == "6-3"


def test_district_admin_approves_a_request_and_the_grades_follow(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/system-requests"
    request_id = send(client, "post", url, {"system": "5-4", "levels": ["primary", "junior"]},
                      world.school_admin_a).json()["id"]
    queue = client.get("/api/v1/orgs/system-requests", **bearer(world.district_admin_x)).json()
    assert [r["id"] for r in queue] == [request_id]
    assert client.get("/api/v1/orgs/system-requests", **bearer(world.district_admin_y)).json() == []
    outsider = send(client, "post", f"/api/v1/orgs/system-requests/{request_id}/decision", {"approve": True},
                    world.district_admin_y)
    assert outsider.status_code == 404
    decided = send(client, "post", f"/api/v1/orgs/system-requests/{request_id}/decision",
                   {"approve": True, "note": "同意"}, world.district_admin_x)
    assert decided.status_code == 200 and decided.json()["status"] == "approved"
    school = School.objects.get(pk=world.school_a.pk)
    assert (school.system, school.levels) == ("5-4", ["primary", "junior"])
    assert set(Stage.objects.filter(campus__school=school).values_list("system", flat=True)) == {"5-4"}
    # The world's 2024 cohort is grade 3 either way; a 5-4 primary school has five grades.
    assert world.class_a1.cohort.stage.__class__.objects.get(pk=world.class_a1.cohort.stage_id).years == 5
    own = client.get("/api/v1/orgs/system-requests?status=approved", **bearer(world.school_admin_a)).json()
    assert own[0]["decision_note"] == "同意"
    verbs = set(AuditEvent.objects.filter(school_id=school.pk).values_list("verb", flat=True))
    assert {"tenant.system_request", "tenant.system_set", "tenant.system_request_approved"} <= verbs


def test_refusal_needs_a_reason_and_the_school_sees_it(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/system-requests"
    request_id = send(client, "post", url, {"system": "5-4", "levels": ["primary"]}, world.school_admin_a).json()["id"]
    decision = f"/api/v1/orgs/system-requests/{request_id}/decision"
    silent = send(client, "post", decision, {"approve": False}, world.district_admin_x)
    assert silent.status_code == 400 and silent.json()["code"] == "tenant.refusal_needs_reason"
    refused = send(client, "post", decision, {"approve": False, "note": "请先与教育局确认"}, world.city_admin)
    assert refused.json()["status"] == "refused"
    closed = send(client, "post", decision, {"approve": True}, world.district_admin_x)
    assert closed.status_code == 409 and closed.json()["code"] == "tenant.request_closed"
    assert School.objects.get(pk=world.school_a.pk).system == "6-3"


def test_a_change_that_would_strand_students_is_refused_and_the_request_stays_open(client, world):
    # Grade 6 (enrolled 2021) has a class: a 5-4 primary school has no grade 6.
    make_class(world.school_a, 1, enrollment_year=2021)
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/system-requests"
    request_id = send(client, "post", url, {"system": "5-4", "levels": ["primary"]}, world.school_admin_a).json()["id"]
    response = send(client, "post", f"/api/v1/orgs/system-requests/{request_id}/decision", {"approve": True},
                    world.district_admin_x)
    assert response.status_code == 409 and response.json()["code"] == "tenant.system_strands_grades"
    assert "六年级2021级" in response.json()["message"]
    assert SystemChangeRequest.objects.get(pk=request_id).status == "pending"
    assert School.objects.get(pk=world.school_a.pk).system == "6-3"


def test_district_admin_sets_the_system_directly_and_answers_a_matching_request(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}"
    request_id = send(client, "post", f"{url}/system-requests", {"system": "6-3", "levels": ["primary", "junior"]},
                      world.school_admin_a).json()["id"]
    response = send(client, "patch", url, {"levels": ["primary", "junior"]}, world.district_admin_x)
    assert response.status_code == 200 and response.json()["levels"] == ["primary", "junior"]
    assert SystemChangeRequest.objects.get(pk=request_id).status == "approved"
    # Dropping a stage that has classes is refused.
    dropped = send(client, "patch", url, {"levels": ["junior"]}, world.district_admin_x)
    assert dropped.status_code == 409 and dropped.json()["code"] == "tenant.system_strands_grades"


def test_requester_withdraws_only_their_own_request(client, world):
    other_admin = make_school_admin(world.school_a)
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/system-requests"
    request_id = send(client, "post", url, {"system": "5-4", "levels": ["primary"]}, world.school_admin_a).json()["id"]
    foreign = client.post(f"/api/v1/orgs/system-requests/{request_id}/withdraw", **bearer(other_admin))
    assert foreign.status_code == 403 and foreign.json()["code"] == "tenant.not_your_request"
    mine = client.post(f"/api/v1/orgs/system-requests/{request_id}/withdraw", **bearer(world.school_admin_a))
    assert mine.status_code == 200 and mine.json()["status"] == "withdrawn"


@pytest.mark.parametrize("role", ["school_admin_a", "district_admin_x"])
def test_other_schools_requests_and_schools_are_not_found(client, world, role):
    url = f"/api/v1/orgs/schools/{world.school_b.pk}"
    account = getattr(world, role)
    asked = send(client, "post", f"{url}/system-requests", {"system": "5-4", "levels": ["primary"]}, account)
    assert asked.status_code == 404
    patched = send(client, "patch", url, {"registered": False}, account)
    assert patched.status_code == 404 and School.objects.get(pk=world.school_b.pk).registered
