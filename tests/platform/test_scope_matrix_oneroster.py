"""NFR-2 for OneRoster (issue 17, items 4 and 6): the rosters of school B stay out of reach of every role of
school A and district X, and of every app that serves only A, whatever sourcedId is put in a URL. A package
goes only to admins, holding only their schools; an app serving district Y, or the whole city, reaches B."""

from __future__ import annotations

import io
import zipfile

import pytest

from renrentong.accounts.models import Enrollment, Identity
from renrentong.integration.models import RosterId
from renrentong.integration.oneroster.refresh import refresh_due
from renrentong.integration.selectors import ROSTER_SCOPES

from tests.accounts.test_scope_matrix import ROLES_ABOVE_BOTH, ROLES_OF_A, Reader
from tests.factories import bearer
from tests.integration.oidc_flows import basic, register

BASE = "/ims/oneroster/rostering/v1p2"


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


def _package(reader, role):
    """The answer to a package request, and its files' text (the Reader checks no full ID number is in it)."""
    response = reader.client.get("/api/v1/oneroster/csv", **bearer(getattr(reader.world, role)))
    if response.status_code != 200:
        return response, reader._seen(response).content.decode()
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = "".join(archive.read(name).decode() for name in archive.namelist())
    assert not [full for full in reader.full_ids if full in text.upper()]
    return response, text


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_a_package_of_a_holds_nothing_of_b(reader, world, role):
    response, text = _package(reader, role)
    if role in ("school_admin_a", "district_admin_x"):
        assert response.status_code == 200 and "芙蓉第一小学" in text
        assert not any(name in text for name in ("天心第一小学", "陈小红", "陈大红", "孙老师", world.student_b.number))
    else:
        assert response.status_code == 403 and response.json()["code"] == "oneroster.not_allowed"


@pytest.mark.parametrize("role", ROLES_ABOVE_BOTH)
def test_a_package_above_both_holds_both(reader, world, role):
    _, text = _package(reader, role)
    assert "芙蓉第一小学" in text and "天心第一小学" in text


def _sourced(kind: str, key: str) -> str:
    return RosterId.objects.get(kind=kind, local_key=key).sourced_id


def _b_objects(world) -> dict[str, str]:
    teacher_b = Identity.objects.get(account=world.teacher_b, kind="teacher")
    enrollment = Enrollment.objects.get(person__account=world.student_b)
    return {
        "school": _sourced("orgs", f"school:{world.school_b.pk}"),
        "class": _sourced("classes", f"class:{world.class_b1.pk}"),
        "course": RosterId.objects.get(kind="courses", school_id=world.school_b.pk).sourced_id,
        "student": _sourced("users", f"person:{world.student_b.person_id}"),
        "parent": _sourced("users", f"person:{world.parent_b.person_id}"),
        "teacher": _sourced("users", f"person:{teacher_b.account.person_id}"),
        "enrollment": _sourced("enrollments", f"enrollment:{enrollment.pk}"),
    }


READS = {
    "school": "/schools/{school}", "org": "/orgs/{school}", "school's classes": "/schools/{school}/classes",
    "school's courses": "/schools/{school}/courses", "school's enrollments": "/schools/{school}/enrollments",
    "school's students": "/schools/{school}/students", "school's teachers": "/schools/{school}/teachers",
    "school's terms": "/schools/{school}/terms", "class": "/classes/{class}",
    "class's students": "/classes/{class}/students", "class's teachers": "/classes/{class}/teachers",
    "class's enrollments in school": "/schools/{school}/classes/{class}/enrollments",
    "class's students in school": "/schools/{school}/classes/{class}/students",
    "class's teachers in school": "/schools/{school}/classes/{class}/teachers",
    "course": "/courses/{course}", "course's classes": "/courses/{course}/classes", "user": "/users/{student}",
    "student": "/students/{student}", "student's classes": "/students/{student}/classes",
    "user's classes": "/users/{student}/classes", "parent": "/users/{parent}", "teacher": "/teachers/{teacher}",
    "teacher's classes": "/teachers/{teacher}/classes", "enrollment": "/enrollments/{enrollment}",
    "demographics": "/demographics/{student}",
}


@pytest.fixture
def apps(client, world):
    """Bearer headers of three apps with every roster scope: one serving district X (school A), one district Y
    (school B), one the whole city."""
    made = {}
    for name, region in (("a", world.district_x), ("b", world.district_y), ("city", world.city)):
        app = register(client, world.city_admin, region, roster_scopes=list(ROSTER_SCOPES))
        token = client.post("/oauth/token/", {"grant_type": "client_credentials"}, **basic(app)).json()
        made[name] = {"HTTP_AUTHORIZATION": f"Bearer {token['access_token']}"}
    refresh_due()
    return made


@pytest.mark.parametrize("what", READS)
def test_an_app_of_a_cannot_read_b_objects(client, world, apps, what):
    url = BASE + READS[what].format(**_b_objects(world))
    refused = client.get(url, **apps["a"])
    assert refused.status_code == 404, (what, refused.content)
    minor = refused.json()["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]
    assert minor == "unknown_object"
    for allowed in ("b", "city"):
        assert client.get(url, **apps[allowed]).status_code == 200, (what, allowed)


@pytest.mark.parametrize("collection", ["users", "students", "teachers", "classes", "courses", "enrollments",
                                        "demographics", "schools", "orgs"])
def test_an_app_of_a_lists_nothing_of_b(client, world, apps, collection):
    text = client.get(f"{BASE}/{collection}", **apps["a"]).content.decode()
    assert not any(value in text for value in _b_objects(world).values())
