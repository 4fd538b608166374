"""Issue 11 items 3 and 4 for orgs and rollover: every page form reads its input through a form, and
what is no number (or holds a NUL, or is far too long) is a 4xx naming the field or the rule, never a
500; role decisions come from the access predicates, the same through pages and endpoints."""

from __future__ import annotations

import pytest

from renrentong.accounts.models import Identity
from renrentong.core.actor import Actor
from renrentong.accounts.admin_roles import services as admin_roles

from tests.factories import bearer
from tests.factories import as_user

BAD = ["²", "１２", "-1", "99999999999999999999999", "1\x00", "9" * 10_000]


def code_of(response) -> str:
    return response.content.decode().split('data-code="')[1].split('"')[0]


def stage_and_cohort(world):
    cohort = world.class_a1.cohort
    return cohort.stage_id, cohort.pk


# (who, url, data with None where the bad value goes, status, code)
FORMS = [
    ("city_admin", "/orgs/settings/", {"login_lock_minutes": None}, 400, "policy.invalid_value"),
    ("school_admin_a", "/orgs/settings/", {"initial_password_days": None}, 400, "policy.invalid_value"),
    ("school_admin_a", "/orgs/schools/{school}/campuses/new/", {"name": "东校区", "primary-on": "1", "primary-n": None},
     400, "structure.class_count"),
    ("school_admin_a", "/orgs/schools/{school}/campuses/new/", {"name": "东校区", "primary-on": "1", "primary-n": "1",
                                                               "primary-g0": None}, 400, "structure.class_count"),
    ("school_admin_a", "/orgs/stages/{stage}/grades/new/", {"grade": None, "first": "1", "last": "2"},
     400, "structure.grade_outside_stage"),
    ("school_admin_a", "/orgs/stages/{stage}/grades/new/", {"grade": "1", "first": "1", "last": None},
     400, "structure.class_range"),
    ("school_admin_a", "/orgs/cohorts/{cohort}/classes/new/", {"first": None, "last": "3"}, 400,
     "structure.class_range"),
    ("school_admin_a", "/orgs/schools/{school}/system/", {"withdraw": None}, 404, "scope.not_found"),
    ("city_admin", "/orgs/tenants/", {"district_id": None, "name": "新学校", "code": "N0001"}, 404, "scope.not_found"),
    ("city_admin", "/orgs/tenants/", {"district_id": "{district}", "name": "新学校", "code": "N0001",
                                      "school_year": None}, 400, "tenant.school_year"),
    ("district_admin_x", "/orgs/tenants/{school}/", {"action": "remove", "identity_id": None}, 404, "scope.not_found"),
    ("district_admin_x", "/orgs/tenants/{school}/", {"action": "appoint", "account_id": None}, 400,
     "admin_roles.not_a_teacher"),
    ("city_admin", "/orgs/approvals/", {"kind": "system", "id": None, "decision": "approve"}, 404, "scope.not_found"),
    ("teacher_a", "/orgs/apply-admin/", {"withdraw": None}, 404, "scope.not_found"),
    ("district_admin_x", "/rollover/", {"school_id": None}, 400, "field.invalid"),
]


@pytest.mark.parametrize("bad", BAD, ids=["superscript", "full-width", "negative", "huge", "nul", "long"])
@pytest.mark.parametrize(("who", "url", "data", "status", "code"), FORMS,
                         ids=[f"{u}-{'-'.join(d)}" for _w, u, d, _s, _c in FORMS])
def test_a_page_field_that_is_no_number_is_refused_by_name(client, world, bad, who, url, data, status, code):
    stage, cohort = stage_and_cohort(world)
    ids = {"school": world.school_a.pk, "stage": stage, "cohort": cohort, "district": world.district_x.pk}
    as_user(client, getattr(world, who))
    sent = {k: (bad if v is None else v.format(**ids)) for k, v in data.items()}
    response = client.post(url.format(**ids), sent)
    assert response.status_code == status, response.content[:300]
    assert code_of(response) == code
    if code == "field.invalid":
        assert next(k for k, v in data.items() if v is None) in response.content.decode()  # names the field


def test_a_refused_form_page_keeps_what_was_typed(client, world):
    as_user(client, world.school_admin_a)
    response = client.post(f"/orgs/schools/{world.school_a.pk}/campuses/new/",
                           {"name": "东校区", "primary-on": "1", "primary-n": "²"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="东校区"' in page and 'data-testid="campus-form"' in page


def test_a_naming_field_with_a_nul_is_refused_naming_the_field(client, world):
    stage, _cohort = stage_and_cohort(world)
    as_user(client, world.school_admin_a)
    response = client.post(f"/orgs/stages/{stage}/naming/", {"grade-1": "一\x00", "class_pattern": ""})
    assert response.status_code == 400 and code_of(response) == "field.invalid"
    assert "grade-1" in response.content.decode()


# --- The access predicates, asked by pages, endpoints and tags alike ---------------------------------

def test_the_school_page_offers_structure_and_tenant_links_by_role(client, world):
    url = f"/orgs/schools/{world.school_a.pk}/"
    admin = as_user(client, world.school_admin_a).get(url).content.decode()
    assert 'data-testid="campus-new"' in admin and 'data-testid="system-link"' in admin
    assert 'data-testid="tenant-link"' not in admin
    district = as_user(client, world.district_admin_x).get(url).content.decode()
    assert 'data-testid="campus-new"' in district and 'data-testid="tenant-link"' in district
    teacher = as_user(client, world.teacher_a).get(url).content.decode()
    assert 'data-testid="campus-new"' not in teacher and 'data-testid="tenant-link"' not in teacher


@pytest.mark.parametrize("who", ["teacher_a", "school_admin_a", "student_a"])
def test_region_admin_pages_refuse_everyone_else(client, world, who):
    as_user(client, getattr(world, who))
    for url in ("/orgs/tenants/", f"/orgs/tenants/{world.school_a.pk}/", "/orgs/approvals/"):
        response = client.get(url)
        assert response.status_code == 403 and code_of(response) == "tenant.not_allowed", url


def test_only_teachers_are_offered_the_application_and_may_apply(client, world):
    teacher = as_user(client, world.teacher_a).get("/").content.decode()
    assert 'data-testid="apply-admin-link"' in teacher
    admin = as_user(client, world.school_admin_a).get("/").content.decode()
    assert 'data-testid="apply-admin-link"' not in admin
    refused = client.post("/orgs/apply-admin/", {"reason": "想管"})
    assert refused.status_code == 403 and code_of(refused) == "admin_roles.apply_as_teacher"


def test_application_decisions_belong_to_the_region_admins_above_the_school(client, world):
    teacher = world.teacher_a
    application = admin_roles.apply_for_school_admin(Actor(teacher, teacher.identities.get()), "")
    url = f"/api/v1/orgs/admin-applications/{application.pk}/decision"
    body = {"approve": True, "note": ""}
    other = client.post(url, body, content_type="application/json", **bearer(world.district_admin_y))
    assert other.status_code == 404 and other.json()["code"] == "scope.not_found"
    school_admin = client.post(url, body, content_type="application/json", **bearer(world.school_admin_a))
    assert school_admin.status_code == 403 and school_admin.json()["code"] == "admin_roles.not_allowed"
    queue = client.get("/api/v1/orgs/admin-applications", **bearer(world.district_admin_x)).json()
    assert [a["id"] for a in queue] == [application.pk]
    own = client.get("/api/v1/orgs/admin-applications", **bearer(teacher)).json()
    assert [a["id"] for a in own] == [application.pk]
    approved = client.post(url, body, content_type="application/json", **bearer(world.district_admin_x))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert Identity.objects.filter(account=teacher, kind=Identity.Kind.SCHOOL_ADMIN).exists()


@pytest.mark.parametrize("who", ["teacher_a", "student_a", "parent_a"])
def test_rollover_is_for_admins_on_the_page_and_the_api(client, world, who):
    account = getattr(world, who)
    response = as_user(client, account).get("/rollover/")
    assert response.status_code == 403 and code_of(response) == "rollover.not_allowed"
    api = client.get("/api/v1/rollover/preview", **bearer(account))
    assert api.status_code == 403 and api.json()["code"] == "rollover.not_allowed"
