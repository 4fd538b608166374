"""ADM-6: a district admin appoints or removes school admins; a teacher applies and the district or city
admin decides; the applicant sees the outcome. Scope: nothing of another district."""

from __future__ import annotations

import json

from renrentong.accounts.models import Identity
from renrentong.core.models import AuditEvent
from renrentong.orgs.models import AdminApplication

from tests.factories import bearer, make_teacher


def send(client, url, body, account, kind=None):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(account, kind))


def test_district_admin_appoints_and_removes_a_school_admin(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/admins"
    candidates = client.get(f"/api/v1/orgs/schools/{world.school_a.pk}/admin-candidates",
                            **bearer(world.district_admin_x)).json()
    assert world.teacher_a.pk in [c["account_id"] for c in candidates]
    appointed = send(client, url, {"account_id": world.teacher_a.pk}, world.district_admin_x)
    assert appointed.status_code == 201, appointed.content
    identity_id = appointed.json()["identity_id"]
    assert world.teacher_a.identities.filter(kind="school_admin", school=world.school_a).exists()
    # The new school admin acts as such: the school's structure is theirs to change.
    tree = client.get(f"/api/v1/orgs/schools/{world.school_a.pk}/tree", **bearer(world.teacher_a, "school_admin"))
    assert tree.status_code == 200
    twice = send(client, url, {"account_id": world.teacher_a.pk}, world.district_admin_x)
    assert twice.status_code == 409 and twice.json()["code"] == "admin_roles.already_admin"
    listed = client.get(url, **bearer(world.school_admin_a)).json()
    assert identity_id in [a["identity_id"] for a in listed]
    removed = client.delete(f"{url}/{identity_id}", **bearer(world.district_admin_x))
    assert removed.status_code == 204
    assert list(world.teacher_a.identities.values_list("kind", flat=True)) == ["teacher"]
    assert [e.verb for e in AuditEvent.objects.filter(school_id=world.school_a.pk).order_by("pk")] == [
        "admin_roles.appoint", "admin_roles.remove"]


def test_only_teachers_of_the_school_can_be_appointed(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/admins"
    outsider = send(client, url, {"account_id": world.teacher_b.pk}, world.district_admin_x)
    assert outsider.status_code == 400 and outsider.json()["code"] == "admin_roles.not_a_teacher"
    parent = send(client, url, {"account_id": world.parent_a.pk}, world.district_admin_x)
    assert parent.status_code == 400


def test_school_admins_and_other_districts_cannot_appoint(client, world):
    url = f"/api/v1/orgs/schools/{world.school_a.pk}/admins"
    by_school_admin = send(client, url, {"account_id": world.teacher_a.pk}, world.school_admin_a)
    assert by_school_admin.status_code == 403 and by_school_admin.json()["code"] == "admin_roles.not_allowed"
    by_other_district = send(client, url, {"account_id": world.teacher_a.pk}, world.district_admin_y)
    assert by_other_district.status_code == 404
    admin_identity = world.school_admin_a.identities.get()
    removal = client.delete(f"{url}/{admin_identity.pk}", **bearer(world.district_admin_y))
    assert removal.status_code == 404 and Identity.objects.filter(pk=admin_identity.pk).exists()
    # An identity of school A named under school B's URL is not found either.
    cross = client.delete(f"/api/v1/orgs/schools/{world.school_b.pk}/admins/{admin_identity.pk}",
                          **bearer(world.city_admin))
    assert cross.status_code == 404 and Identity.objects.filter(pk=admin_identity.pk).exists()


def test_teacher_applies_and_the_district_admin_approves(client, world):
    applied = send(client, "/api/v1/orgs/admin-applications", {"reason": "负责本校信息化工作"}, world.teacher_a)
    assert applied.status_code == 201, applied.content
    application_id = applied.json()["id"]
    again = send(client, "/api/v1/orgs/admin-applications", {}, world.teacher_a)
    assert again.status_code == 409 and again.json()["code"] == "admin_roles.application_pending"
    queue = client.get("/api/v1/orgs/admin-applications", **bearer(world.district_admin_x)).json()
    assert [(a["id"], a["applicant"]) for a in queue] == [(application_id, "王老师")]
    assert client.get("/api/v1/orgs/admin-applications", **bearer(world.district_admin_y)).json() == []
    foreign = send(client, f"/api/v1/orgs/admin-applications/{application_id}/decision", {"approve": True},
                   world.district_admin_y)
    assert foreign.status_code == 404
    approved = send(client, f"/api/v1/orgs/admin-applications/{application_id}/decision",
                    {"approve": True, "note": "同意"}, world.district_admin_x)
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert world.teacher_a.identities.filter(kind="school_admin", school=world.school_a).exists()
    mine = client.get("/api/v1/orgs/admin-applications", **bearer(world.teacher_a, "teacher")).json()
    assert mine[0]["status"] == "approved" and mine[0]["decision_note"] == "同意"


def test_city_admin_refuses_with_a_reason(client, world):
    application_id = send(client, "/api/v1/orgs/admin-applications", {}, world.teacher_a).json()["id"]
    url = f"/api/v1/orgs/admin-applications/{application_id}/decision"
    silent = send(client, url, {"approve": False}, world.city_admin)
    assert silent.status_code == 400 and silent.json()["code"] == "admin_roles.refusal_needs_reason"
    refused = send(client, url, {"approve": False, "note": "本校已有两名管理员"}, world.city_admin)
    assert refused.json()["status"] == "refused"
    assert not world.teacher_a.identities.filter(kind="school_admin").exists()
    assert AdminApplication.objects.get(pk=application_id).decided_by == world.city_admin


def test_only_teachers_apply_and_only_for_themselves(client, world):
    parent = send(client, "/api/v1/orgs/admin-applications", {}, world.parent_a)
    assert parent.status_code == 403 and parent.json()["code"] == "admin_roles.apply_as_teacher"
    admin = send(client, "/api/v1/orgs/admin-applications", {}, world.school_admin_a)
    assert admin.status_code == 403
    application_id = send(client, "/api/v1/orgs/admin-applications", {}, world.teacher_a).json()["id"]
    other_teacher = make_teacher(world.school_a, name="吴老师")
    withdraw = f"/api/v1/orgs/admin-applications/{application_id}/withdraw"
    foreign = client.post(withdraw, **bearer(other_teacher))
    assert foreign.status_code == 403 and foreign.json()["code"] == "admin_roles.not_your_application"
    assert client.post(withdraw, **bearer(world.teacher_a)).json()["status"] == "withdrawn"
    by_school_admin = send(client, f"/api/v1/orgs/admin-applications/{application_id}/decision", {"approve": True},
                           world.school_admin_a)
    assert by_school_admin.status_code == 403


def test_appointing_answers_an_open_application(client, world):
    application_id = send(client, "/api/v1/orgs/admin-applications", {}, world.teacher_a).json()["id"]
    send(client, f"/api/v1/orgs/schools/{world.school_a.pk}/admins", {"account_id": world.teacher_a.pk},
         world.district_admin_x)
    assert AdminApplication.objects.get(pk=application_id).status == "approved"
