"""NFR-2 for the smart classroom (issue 15 item 1): school B's resources shared with "school" and with
"district" (district Y), its only-me resource, and its recommended course stay out of reach of every role of
school A and district X, whatever id is put in a URL or a body, through the API and the pages; every refusal
has the one error shape, and no response carries a full ID number (the foundation matrix's reader)."""

from __future__ import annotations

import json

import pytest

from tests.accounts.test_scope_matrix import ROLES_OF_A, Reader
from tests.factories import as_user, bearer
from tests.platform.test_scope_matrix_messaging import assert_refused

API = "/api/v1/resources/classroom/"


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


def _made(client, account, **changes) -> int:
    data = {"title": "乙校资源", "kind": "link", "stage": "primary", "subject": "数学", "grade": 3, "term": "first",
            "url": "https://example.org/b", "sharing": "school", **changes}
    made = client.post(API, json.dumps(data), content_type="application/json", **bearer(account))
    assert made.status_code == 201, made.content
    return made.json()["id"]


@pytest.fixture
def resources_b(client, world):
    """School B's resources, made through the API by B's teacher, and B's recommendation of one."""
    ids = {"school": _made(client, world.teacher_b), "district": _made(client, world.teacher_b, sharing="district"),
           "me": _made(client, world.teacher_b, sharing="me")}
    recommended = client.post(API + "recommendations", json.dumps({
        "resource_id": ids["school"], "stage": "primary", "subject": "数学", "term": "first"}),
        content_type="application/json", **bearer(world.school_admin_b))
    assert recommended.status_code == 201, recommended.content
    return {**ids, "recommendation": recommended.json()["id"]}


def _seen_ids(reader, role) -> set[int]:
    seen: set[int] = set()
    for url, params in ((API, {"term": "first"}), (API + "mine", {}), (API + "school", {})):
        got = reader.api(role, url, **params)
        if got.status_code == 200:
            data = got.json()
            rows = data["resources"] if isinstance(data, dict) else data
            seen |= {r["id"] for r in rows}
        else:
            assert_refused(got, (403, 404))
    return seen


@pytest.mark.parametrize("role", ROLES_OF_A + ["district_admin_y"])
def test_role_outside_school_b_never_reads_its_school_or_private_resources(reader, world, resources_b, role):
    for which in ("school", "me"):
        assert_refused(reader.api(role, f"{API}{resources_b[which]}"), (404,))
    seen = _seen_ids(reader, role)
    assert resources_b["school"] not in seen and resources_b["me"] not in seen


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_district_sharing_stops_at_district_y(reader, world, resources_b, role):
    assert_refused(reader.api(role, f"{API}{resources_b['district']}"), (404,))
    assert resources_b["district"] not in _seen_ids(reader, role)


def test_district_sharing_reaches_district_y_and_the_city(reader, world, resources_b):
    for role in ("district_admin_y", "city_admin"):
        assert reader.api(role, f"{API}{resources_b['district']}").status_code == 200


@pytest.mark.parametrize("role", ROLES_OF_A + ["district_admin_y", "city_admin", "province_admin"])
def test_nobody_but_the_owner_changes_school_bs_resources(client, world, resources_b, role):
    headers = bearer(getattr(world, role))
    for which in ("school", "district", "me"):
        target = f"{API}{resources_b[which]}"
        edit = client.put(target, json.dumps({"title": "改", "kind": "link", "stage": "primary", "subject": "数学",
                                              "grade": 3, "term": "first", "url": "https://example.org/x"}),
                          content_type="application/json", **headers)
        assert_refused(edit, (403, 404))
        assert_refused(client.delete(target, **headers), (403, 404))
        down = client.post(target + "/take-down", json.dumps({"reason": "x"}), content_type="application/json",
                           **headers)
        assert_refused(down, (403, 404))
    from renrentong.resources.models import Resource

    assert Resource.objects.filter(pk__in=[resources_b[k] for k in ("school", "district", "me")],
                                   taken_down_at__isnull=True, title="乙校资源").count() == 3


@pytest.mark.parametrize("role", ROLES_OF_A + ["district_admin_y", "city_admin"])
def test_school_bs_recommendation_is_neither_seen_nor_withdrawn_nor_reused(client, reader, world, resources_b, role):
    listed = reader.api(role, API + "recommendations")
    if listed.status_code == 200:
        assert resources_b["recommendation"] not in {c["id"] for c in listed.json()}
    else:
        assert_refused(listed, (403,))
    gone = client.delete(f"{API}recommendations/{resources_b['recommendation']}", **bearer(getattr(world, role)))
    assert_refused(gone, (403, 404))
    reused = reader.post(role, API + "recommendations", {"resource_id": resources_b["school"], "stage": "primary",
                                                          "subject": "数学", "term": "first"})
    assert_refused(reused, (403, 404))
    if role.endswith("_a") and role.startswith("student"):
        browsed = reader.api(role, API, term="first").json()
        assert resources_b["recommendation"] not in {c["id"] for c in browsed["recommended"]}


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_cannot_open_school_bs_resource_pages(client, world, resources_b, role):
    as_user(client, getattr(world, role))
    for which in ("school", "district", "me"):
        rid = resources_b[which]
        assert client.get(f"/resources/classroom/{rid}/").status_code == 404
        assert client.get(f"/resources/classroom/{rid}/edit/").status_code in (403, 404)
        assert client.post(f"/resources/classroom/{rid}/delete/").status_code in (403, 404)
        assert client.post(f"/resources/classroom/{rid}/take-down/", {"reason": "x"}).status_code in (403, 404)
