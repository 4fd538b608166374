"""NFR-2 for the structure, tenant and admin-role endpoints: every role of school A / district X, pointed
at school B's campus, stage, grade, class, requests and admins, gets 404 `scope.not_found` and changes
nothing; the same through the pages."""

from __future__ import annotations

import json

import pytest

from renrentong.accounts.models import Identity
from renrentong.accounts.access import actor_for
from renrentong.core.models import AuditEvent
from renrentong.orgs.tenants import services as tenants
from renrentong.orgs.models import Campus, Cohort, School, SchoolClass, Stage, SystemChangeRequest

from tests.factories import bearer, make_class

ROLES_OF_A = ["student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a", "district_admin_x"]


@pytest.fixture
def b_objects(world):
    empty = make_class(world.school_b, 9)
    admin_b = world.school_admin_b
    request = tenants.request_system_change(actor_for(admin_b, admin_b.identities.get()), world.school_b.pk, "5-4",
                                            ["primary"])
    return {
        "school": world.school_b.pk, "campus": Campus.objects.get(school=world.school_b).pk,
        "stage": Stage.objects.get(campus__school=world.school_b).pk, "cohort": empty.cohort_id,
        "class": empty.pk, "request": request.pk, "admin": world.school_admin_b.identities.get().pk,
    }


CHANGES = [
    ("post", "/api/v1/orgs/schools/{school}/campuses", {"name": "越权校区", "stages": {"primary": [1]}}),
    ("post", "/api/v1/orgs/campuses/{campus}/stages", {"level": "junior", "classes": [1]}),
    ("post", "/api/v1/orgs/stages/{stage}/grades", {"grade": 1, "first": 1, "last": 1}),
    ("post", "/api/v1/orgs/cohorts/{cohort}/classes", {"first": 20, "last": 21}),
    ("put", "/api/v1/orgs/stages/{stage}/naming", {"class_pattern": "{n}班"}),
    ("delete", "/api/v1/orgs/classes/{class}", None),
    ("patch", "/api/v1/orgs/schools/{school}", {"registered": False}),
    ("post", "/api/v1/orgs/schools/{school}/system-requests", {"system": "5-4", "levels": ["primary"]}),
    ("post", "/api/v1/orgs/system-requests/{request}/decision", {"approve": True}),
    ("post", "/api/v1/orgs/system-requests/{request}/withdraw", None),
    ("post", "/api/v1/orgs/schools/{school}/admins", {"account_id": 1}),
    ("delete", "/api/v1/orgs/schools/{school}/admins/{admin}", None),
]
READS = ["/api/v1/orgs/schools/{school}/admins", "/api/v1/orgs/schools/{school}/admin-candidates"]


def snapshot(world):
    return (
        Campus.objects.count(), Stage.objects.count(), Cohort.objects.count(), SchoolClass.objects.count(),
        list(Stage.objects.values_list("grade_names", "class_pattern")),
        list(School.objects.values_list("registered", "system", "levels").order_by("pk")),
        list(SystemChangeRequest.objects.values_list("status", flat=True)),
        Identity.objects.filter(kind="school_admin").count(),
    )


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_no_role_of_school_a_changes_anything_of_school_b(client, world, b_objects, role):
    headers = bearer(getattr(world, role))
    before = snapshot(world)
    events = AuditEvent.objects.count()
    for method, template, body in CHANGES:
        url = template.format(**b_objects)
        kwargs = {"content_type": "application/json", **headers}
        response = getattr(client, method)(url, json.dumps(body) if body is not None else "", **kwargs)
        assert response.status_code == 404, (role, url, response.content)
        assert response.json()["code"] == "scope.not_found"
    for template in READS:
        response = client.get(template.format(**b_objects), **headers)
        assert response.status_code == 404, (role, template)
    assert snapshot(world) == before
    assert AuditEvent.objects.count() == events


def test_queues_hold_only_what_is_below_the_admin(client, world, b_objects):
    assert client.get("/api/v1/orgs/system-requests", **bearer(world.district_admin_x)).json() == []
    assert client.get("/api/v1/orgs/system-requests", **bearer(world.school_admin_a)).json() == []
    city = client.get("/api/v1/orgs/system-requests", **bearer(world.city_admin)).json()
    assert [r["id"] for r in city] == [b_objects["request"]]


@pytest.mark.parametrize("path", [
    "/orgs/schools/{school}/campuses/new/", "/orgs/campuses/{campus}/stages/new/", "/orgs/stages/{stage}/grades/new/",
    "/orgs/stages/{stage}/naming/", "/orgs/cohorts/{cohort}/classes/new/", "/orgs/schools/{school}/system/",
])
def test_pages_of_school_b_are_not_found_for_the_school_admin_of_a(client, world, b_objects, path):
    from renrentong.accounts.login.middleware import SESSION_IDENTITY

    client.force_login(world.school_admin_a)
    session = client.session
    session[SESSION_IDENTITY] = world.school_admin_a.identities.get().pk
    session.save()
    url = path.format(**b_objects)
    assert client.get(url).status_code == 404
    before = snapshot(world)
    assert client.post(url, {"name": "越权", "primary-on": "1", "primary-n": "1", "first": "1", "last": "1",
                             "level": "junior", "system": "5-4", "level-primary": "1"}).status_code == 404
    deleted = client.post(f"/orgs/classes/{b_objects['class']}/delete/")
    assert deleted.status_code == 404
    assert snapshot(world) == before
