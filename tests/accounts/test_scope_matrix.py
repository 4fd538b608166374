"""NFR-2 isolation: no role reads anything outside its scope by changing an id in a URL or a body.

The matrix runs every role of school A / district X against every object of school B / district Y,
through every read endpoint, and expects the one error shape (404 `scope.not_found`). The city and
province admins are the positive case: the same requests succeed for them. Every response body the
matrix sees is also checked for full ID numbers (NFR-1): only masked ones may ever leave the server.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from renrentong.accounts.login.middleware import SESSION_IDENTITY, SESSION_MUST_CHANGE
from renrentong.accounts.models import Enrollment, Person

from tests.factories import World, bearer, make_student

ROLES_OF_A = ["student_a", "parent_a", "teacher_a", "head_teacher_a", "school_admin_a", "district_admin_x"]
ROLES_ABOVE_BOTH = ["city_admin", "province_admin"]

# endpoint -> (URL template, the object of school B / district Y it is pointed at)
OBJECT_ENDPOINTS = {
    "region": ("/api/v1/orgs/regions/{}", lambda w: w.district_y.pk),
    "school": ("/api/v1/orgs/schools/{}", lambda w: w.school_b.pk),
    "school_tree": ("/api/v1/orgs/schools/{}/tree", lambda w: w.school_b.pk),
    "class": ("/api/v1/orgs/classes/{}", lambda w: w.class_b1.pk),
    "class_students": ("/api/v1/orgs/classes/{}/students", lambda w: w.class_b1.pk),
    "student_person": ("/api/v1/people/{}", lambda w: w.student_b.person_id),
    "teacher_person": ("/api/v1/people/{}", lambda w: w.teacher_b.person_id),
}


class Reader:
    """GETs as one role and checks that no response carries a full ID number of anyone in the world."""

    def __init__(self, client, world: World) -> None:
        self.client = client
        self.world = world
        self.full_ids = [p.reveal_id_number().upper() for p in Person.objects.all() if p.id_number_cipher]
        self.bodies: list[str] = []
        assert len(self.full_ids) >= 10

    def _seen(self, response):
        body = response.content.decode()
        self.bodies.append(body)
        leaked = [full for full in self.full_ids if full in body.upper()]
        assert not leaked, f"full ID number in a response body: {response.request['PATH_INFO']}"
        return response

    def api(self, role: str, url: str, **params):
        account = getattr(self.world, role)
        return self._seen(self.client.get(url, params, **bearer(account)))

    def post(self, role_or_headers, url: str, body: dict):
        headers = bearer(getattr(self.world, role_or_headers)) if isinstance(role_or_headers, str) else role_or_headers
        return self._seen(self.client.post(url, json.dumps(body), content_type="application/json", **headers))

    def page(self, role: str, url: str):
        account = getattr(self.world, role)
        self.client.force_login(account)
        session = self.client.session
        session[SESSION_IDENTITY] = account.identities.get().pk
        session[SESSION_MUST_CHANGE] = False
        session.save()
        return self._seen(self.client.get(url))


@pytest.fixture
def reader(client, world):
    return Reader(client, world)


def assert_not_found(response):
    assert response.status_code == 404, response.content
    body = response.json()
    assert set(body) == {"code", "message", "who_can_fix", "contact"}
    assert body["code"] == "scope.not_found"
    assert body["message"] and body["who_can_fix"]


def ids(items) -> set[int]:
    return {item["id"] for item in items}


# --- Every role of A against every object of B / Y ------------------------------------------------


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
@pytest.mark.parametrize("role", ROLES_OF_A)
def test_role_of_school_a_gets_404_for_object_of_school_b(reader, world, role, endpoint):
    template, target = OBJECT_ENDPOINTS[endpoint]
    assert_not_found(reader.api(role, template.format(target(world))))


@pytest.mark.parametrize("endpoint", OBJECT_ENDPOINTS)
@pytest.mark.parametrize("role", ROLES_ABOVE_BOTH)
def test_city_and_province_admin_read_object_of_school_b(reader, world, role, endpoint):
    template, target = OBJECT_ENDPOINTS[endpoint]
    response = reader.api(role, template.format(target(world)))
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_school_list_of_role_of_a_leaves_out_school_b(reader, world, role):
    everything = reader.api(role, "/api/v1/orgs/schools")
    filtered = reader.api(role, "/api/v1/orgs/schools", district_id=world.district_y.pk)
    assert everything.status_code == filtered.status_code == 200
    assert world.school_b.pk not in ids(everything.json())
    assert filtered.json() == []
    assert ids(everything.json()) == {world.school_a.pk}


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_region_list_of_role_of_a_leaves_out_district_y(reader, world, role):
    response = reader.api(role, "/api/v1/orgs/regions")
    assert response.status_code == 200
    seen = ids(response.json())
    assert world.district_y.pk not in seen
    assert seen == ({world.district_x.pk} if role == "district_admin_x" else set())


@pytest.mark.parametrize("role", ROLES_ABOVE_BOTH)
def test_lists_of_city_and_province_admin_hold_both_districts(reader, world, role):
    schools = ids(reader.api(role, "/api/v1/orgs/schools").json())
    regions = ids(reader.api(role, "/api/v1/orgs/regions").json())
    assert {world.school_a.pk, world.school_b.pk} <= schools
    assert {world.district_x.pk, world.district_y.pk, world.city.pk} <= regions
    assert (world.province.pk in regions) == (role == "province_admin")


# --- What each role can read ----------------------------------------------------------------------


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a"])
def test_teacher_reads_own_class_students_and_only_the_structure_of_other_classes(reader, world, role):
    own = reader.api(role, f"/api/v1/orgs/classes/{world.class_a1.pk}/students")
    assert own.status_code == 200
    assert [m["person_id"] for m in own.json()] == [world.student_a.person_id]

    assert_not_found(reader.api(role, f"/api/v1/orgs/classes/{world.class_a2.pk}/students"))
    assert_not_found(reader.api(role, f"/api/v1/people/{world.student_a2.person_id}"))

    tree = reader.api(role, f"/api/v1/orgs/schools/{world.school_a.pk}/tree")
    assert tree.status_code == 200
    classes = {
        c["id"]: c for campus in tree.json()["campuses"] for stage in campus["stages"]
        for grade in stage["grades"] for c in grade["classes"]
    }
    assert set(classes) == {world.class_a1.pk, world.class_a2.pk}
    assert classes[world.class_a2.pk]["students"] == 1
    assert reader.api(role, f"/api/v1/orgs/classes/{world.class_a2.pk}").status_code == 200
    assert reader.api(role, f"/api/v1/people/{world.student_a.person_id}").status_code == 200


def test_parent_reads_their_child_and_no_other_child(reader, world):
    child = reader.api("parent_a", f"/api/v1/people/{world.student_a.person_id}")
    assert child.status_code == 200
    body = child.json()
    assert body["id"] == world.student_a.person_id
    assert body["class_id"] == world.class_a1.pk
    assert body["id_number"] == world.student_a.person.id_number_masked and "*" in body["id_number"]
    assert_not_found(reader.api("parent_a", f"/api/v1/people/{world.student_a2.person_id}"))
    assert_not_found(reader.api("parent_a", f"/api/v1/orgs/classes/{world.class_a2.pk}/students"))
    school = reader.api("parent_a", f"/api/v1/orgs/schools/{world.school_a.pk}")
    assert school.status_code == 200


def test_student_reads_self_but_not_a_classmate(reader, world):
    classmate = make_student(world.class_a1, "王同桌")
    me = reader.api("student_a", f"/api/v1/people/{world.student_a.person_id}")
    assert me.status_code == 200
    assert me.json()["id_number"] == world.student_a.person.id_number_masked
    assert_not_found(reader.api("student_a", f"/api/v1/people/{classmate.person_id}"))
    members = reader.api("student_a", f"/api/v1/orgs/classes/{world.class_a1.pk}/students")
    assert members.status_code == 200
    assert [m["person_id"] for m in members.json()] == [world.student_a.person_id]
    assert_not_found(reader.api("student_a", f"/api/v1/orgs/classes/{world.class_a2.pk}"))


def test_district_admin_reads_school_a_and_its_people(reader, world):
    assert reader.api("district_admin_x", f"/api/v1/orgs/schools/{world.school_a.pk}").status_code == 200
    assert reader.api("district_admin_x", f"/api/v1/orgs/schools/{world.school_a.pk}/tree").status_code == 200
    assert reader.api("district_admin_x", f"/api/v1/orgs/regions/{world.district_x.pk}").status_code == 200
    assert_not_found(reader.api("district_admin_x", f"/api/v1/orgs/regions/{world.city.pk}"))
    for person_id in (world.student_a.person_id, world.teacher_a.person_id):
        assert reader.api("district_admin_x", f"/api/v1/people/{person_id}").status_code == 200


@pytest.mark.parametrize("role", ROLES_ABOVE_BOTH)
def test_city_and_province_admin_read_both_schools(reader, world, role):
    for school in (world.school_a, world.school_b):
        assert reader.api(role, f"/api/v1/orgs/schools/{school.pk}/tree").status_code == 200
    for student in (world.student_a, world.student_b):
        response = reader.api(role, f"/api/v1/people/{student.person_id}")
        assert response.json()["id_number"] == student.person.id_number_masked


def test_school_admin_reads_school_a_but_not_school_b(reader, world):
    assert reader.api("school_admin_a", f"/api/v1/orgs/schools/{world.school_a.pk}").status_code == 200
    members = reader.api("school_admin_a", f"/api/v1/orgs/classes/{world.class_a2.pk}/students")
    assert [m["person_id"] for m in members.json()] == [world.student_a2.person_id]
    assert reader.api("school_admin_a", f"/api/v1/people/{world.teacher_a.person_id}").status_code == 200
    assert_not_found(reader.api("school_admin_a", f"/api/v1/orgs/schools/{world.school_b.pk}"))
    assert_not_found(reader.api("school_admin_a", f"/api/v1/people/{world.school_admin_b.person_id}"))


@pytest.fixture
def moved_to_b(world):
    """A student of class A1 who transferred to class B1: the A enrollment ended, a B one started, and
    the account's student identity still names school A (history is rows, never overwritten)."""
    moved = make_student(world.class_a1, "转学生")
    Enrollment.objects.filter(person=moved.person).update(ended_on=date(2026, 3, 1), reason="transfer_out")
    Enrollment.objects.create(person=moved.person, school_class=world.class_b1, school=world.school_b)
    assert moved.identities.get().school_id == world.school_a.pk
    return moved


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_school_a_cannot_follow_a_student_who_moved_to_school_b(reader, world, moved_to_b, role):
    assert_not_found(reader.api(role, f"/api/v1/people/{moved_to_b.person_id}"))
    members = reader.api("school_admin_a", f"/api/v1/orgs/classes/{world.class_a1.pk}/students")
    assert moved_to_b.person_id not in {m["person_id"] for m in members.json()}


@pytest.mark.parametrize("role", ["school_admin_b", "teacher_b", "district_admin_y", "city_admin"])
def test_the_new_school_and_those_above_it_read_the_moved_student(reader, world, moved_to_b, role):
    response = reader.api(role, f"/api/v1/people/{moved_to_b.person_id}")
    assert response.status_code == 200
    assert (response.json()["school_id"], response.json()["class_id"]) == (world.school_b.pk, world.class_b1.pk)


def test_nobody_reads_guardians_or_admins_of_another_school_as_people(reader, world):
    # Guardians are not staff and not enrolled: not even the city admin reads them as people.
    for role in ROLES_OF_A + ROLES_ABOVE_BOTH:
        assert_not_found(reader.api(role, f"/api/v1/people/{world.parent_b.person_id}"))


# --- Switching to someone else's identity ----------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_switching_to_identity_of_another_account_is_refused(reader, world, role):
    headers = bearer(getattr(world, role))
    before = reader.client.get("/api/v1/me", **headers).json()["identity"]
    for other in ("school_admin_b", "city_admin", "student_a2"):
        response = reader.post(headers, "/api/v1/me/identity",
                               {"identity_id": getattr(world, other).identities.get().pk})
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "identity.not_yours" and set(body) == {"code", "message", "who_can_fix", "contact"}
    after = reader.client.get("/api/v1/me", **headers)
    assert after.status_code == 200
    assert after.json()["identity"] == before
    assert after.json()["scope"]["school_ids"] == ([] if role == "district_admin_x" else [world.school_a.pk])


# --- The pages go through the same selectors -------------------------------------------------------


@pytest.mark.parametrize("role", ROLES_OF_A)
def test_pages_of_school_b_are_404_with_the_error_shown(reader, world, role):
    for url in (f"/orgs/schools/{world.school_b.pk}/", f"/orgs/classes/{world.class_b1.pk}/students/"):
        response = reader.page(role, url)
        assert response.status_code == 404, url
        html = response.content.decode()
        assert 'data-code="scope.not_found"' in html
        assert "没有找到该内容,或你无权查看" in html
        assert world.school_b.name not in html and world.student_b.person.name not in html


@pytest.mark.parametrize("role", ROLES_OF_A + ROLES_ABOVE_BOTH)
def test_pages_of_school_a_and_home_show_no_full_id_number(reader, world, role):
    home = reader.page(role, "/")
    assert home.status_code == 200
    school = reader.page(role, f"/orgs/schools/{world.school_a.pk}/")
    students = reader.page(role, f"/orgs/classes/{world.class_a1.pk}/students/")
    if role == "district_admin_x" or role in ROLES_ABOVE_BOTH or role == "school_admin_a":
        assert school.status_code == students.status_code == 200
        assert world.student_a.person.name in students.content.decode()
    if role in ROLES_ABOVE_BOTH:
        assert reader.page(role, f"/orgs/schools/{world.school_b.pk}/").status_code == 200


def test_every_response_of_every_endpoint_shows_only_masked_id_numbers(reader, world):
    """A sweep as every role over every object of both schools; Reader rejects any full ID number."""
    w = world
    urls = [
        "/api/v1/me", "/api/v1/me/identities", "/api/v1/orgs/regions", "/api/v1/orgs/schools",
        *(f"/api/v1/orgs/regions/{r.pk}" for r in (w.province, w.city, w.district_x, w.district_y)),
        *(f"/api/v1/orgs/schools/{s.pk}{tail}" for s in (w.school_a, w.school_b) for tail in ("", "/tree")),
        *(f"/api/v1/orgs/classes/{c.pk}{tail}" for c in (w.class_a1, w.class_a2, w.class_b1)
          for tail in ("", "/students")),
        *(f"/api/v1/people/{p.pk}" for p in Person.objects.all()),
    ]
    masked_seen = 0
    for role in ROLES_OF_A + ROLES_ABOVE_BOTH + ["student_b", "parent_b", "teacher_b", "school_admin_b"]:
        for url in urls:
            response = reader.api(role, url)
            assert response.status_code in (200, 404), (role, url, response.content)
            if url.startswith("/api/v1/people/") and response.status_code == 200:
                id_number = response.json()["id_number"]
                assert id_number == "" or "*" in id_number
                masked_seen += bool(id_number)
    assert masked_seen > 10
    assert len(reader.bodies) > 300


def test_students_and_parents_see_only_their_own_branch_of_the_school_tree(client, world):
    for account in (world.student_a, world.parent_a):
        tree = client.get(f"/api/v1/orgs/schools/{world.school_a.pk}/tree", **bearer(account)).json()
        classes = [k["id"] for c in tree["campuses"] for s in c["stages"] for g in s["grades"] for k in g["classes"]]
        assert classes == [world.class_a1.pk]
    admin_tree = client.get(f"/api/v1/orgs/schools/{world.school_a.pk}/tree", **bearer(world.school_admin_a)).json()
    assert len([k for c in admin_tree["campuses"] for s in c["stages"] for g in s["grades"] for k in g["classes"]]) == 2


# --- Switching identity changes what the same account reads (ACC-1, issue 10 #10) -----------------


@pytest.fixture
def teacher_and_parent(world):
    """head_teacher_a is also the (school-recorded) parent of student_a2, a child outside their class."""
    from renrentong.accounts.models import Guardianship, Identity

    account = world.head_teacher_a
    Identity.objects.create(account=account, kind=Identity.Kind.GUARDIAN)
    Guardianship.objects.create(guardian=account.person, student=world.student_a2.person, created_by_import=1)
    return account


FAMILY_READS = ["/api/v1/family/children/{}", "/api/v1/people/{}"]


@pytest.mark.parametrize("url", FAMILY_READS)
def test_the_parent_identity_reads_its_child(reader, world, teacher_and_parent, url):
    response = reader._seen(reader.client.get(url.format(world.student_a2.person_id),
                                              **bearer(teacher_and_parent, "guardian")))
    assert response.status_code == 200


@pytest.mark.parametrize("url", FAMILY_READS + ["/api/v1/orgs/classes/{class_id}/students"])
def test_after_switching_to_the_teacher_identity_the_child_is_out_of_scope(reader, world, teacher_and_parent, url):
    headers = bearer(teacher_and_parent, "guardian")
    teacher = teacher_and_parent.identities.get(kind="teacher")
    switched = reader.post(headers, "/api/v1/me/identity", {"identity_id": teacher.pk})
    assert switched.status_code == 200
    target = url.format(world.student_a2.person_id, class_id=world.class_a2.pk)
    assert_not_found(reader._seen(reader.client.get(target, **headers)))


def test_after_switching_to_the_teacher_identity_the_children_list_is_empty(reader, world, teacher_and_parent):
    headers = bearer(teacher_and_parent, "guardian")
    assert [c["person_id"] for c in reader.client.get("/api/v1/family/children", **headers).json()] == [
        world.student_a2.person_id]
    teacher = teacher_and_parent.identities.get(kind="teacher")
    reader.post(headers, "/api/v1/me/identity", {"identity_id": teacher.pk})
    response = reader._seen(reader.client.get("/api/v1/family/children", **headers))
    assert response.status_code == 200 and response.json() == []
    changed = reader.client.delete(f"/api/v1/family/children/{world.student_a2.person_id}", **headers)
    assert_not_found(changed)
    guardians = reader.client.get(f"/api/v1/family/students/{world.student_a2.person_id}/guardians", **headers)
    assert guardians.status_code in (403, 404)  # not the head teacher of class A2
