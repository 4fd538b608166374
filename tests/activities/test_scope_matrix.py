"""NFR-2 for activities: school B's activity and its sign-ups stay out of reach of every role of school A and
district X, whatever id is put in a URL or a body; the city admin above both reads a city practice's sign-ups
of both schools. Every refusal has the one error shape; responses show no full ID number or phone."""

from __future__ import annotations

import pytest

from tests.accounts.test_scope_matrix import ROLES_OF_A, Reader
from tests.activities.helpers import API, body_of, sign_up
from tests.factories import bearer, make_activity
from tests.platform.test_scope_matrix_messaging import assert_refused


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


@pytest.fixture
def school_b(client, world):
    activity = make_activity(world.school_admin_b, approval="school")
    made = sign_up(client, world.parent_b, activity, world.student_b)
    assert made.status_code == 201, made.content
    return {"activity": activity.pk, "sign_up": made.json()["id"], "body": body_of(activity)}


READS = ["/api/v1/activities/{activity}", "/api/v1/activities/{activity}/sign-ups",
         "/api/v1/activities/{activity}/children"]
WRITES = {
    "edit": ("/api/v1/activities/{activity}", None),
    "sign up": ("/api/v1/activities/{activity}/sign-ups", {"child_id": 1}),
    "cancel": ("/api/v1/activities/sign-ups/{sign_up}/cancel", {}),
    "approve": ("/api/v1/activities/sign-ups/{sign_up}/approve", {}),
    "refuse": ("/api/v1/activities/sign-ups/{sign_up}/refuse", {"reason": "不符"}),
    "bulk approve": ("/api/v1/activities/{activity}/sign-ups/approve", {"sign_up_ids": [1]}),
    "attendance": ("/api/v1/activities/{activity}/attendance", {"attended": [1]}),
}


@pytest.mark.parametrize("url", READS)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_read_school_bs_activity(reader, school_b, role, url):
    assert_refused(reader.api(role, url.format(**school_b)), (403, 404))


@pytest.mark.parametrize("what", WRITES)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_act_on_school_bs_activity(reader, world, client, school_b, role, what):
    url, body = WRITES[what]
    if what == "edit":
        response = client.put(url.format(**school_b), school_b["body"], content_type="application/json",
                              **bearer(getattr(world, role)))
    else:
        body = dict(body)
        if "child_id" in body:
            body["child_id"] = world.student_b.person_id
        if "sign_up_ids" in body:
            body["sign_up_ids"] = [school_b["sign_up"]]
        if "attended" in body:
            body["attended"] = [school_b["sign_up"]]
        response = reader.post(role, url.format(**school_b), body)
    assert_refused(response, (403, 404))
    from renrentong.activities.models import SignUp

    assert SignUp.objects.get(pk=school_b["sign_up"]).status == "pending"


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_lists_of_school_a_hold_nothing_of_school_b(reader, world, school_b, role):
    response = reader.api(role, f"{API}/")
    if response.status_code == 200:
        assert school_b["activity"] not in [a["id"] for a in response.json()]
    else:
        assert_refused(response, (403,))
    mine = reader.api(role, f"{API}/sign-ups/mine")
    assert mine.status_code == 200 and school_b["sign_up"] not in [s["id"] for s in mine.json()]


@pytest.mark.parametrize("role", ["city_admin", "province_admin"])
def test_admins_above_both_read_their_practices_sign_ups_of_both_schools(reader, client, world, role):
    practice = make_activity(getattr(world, role))
    sign_up(client, world.parent_a, practice, world.student_a)
    sign_up(client, world.parent_b, practice, world.student_b)
    listed = reader.api(role, f"{API}/{practice.pk}/sign-ups")
    assert listed.status_code == 200 and len(listed.json()) == 2
    assert all(world.parent_a.phone not in r["parent_phone"] for r in listed.json())
