"""ORG-4, ORG-5: building a school's structure through the API, as the school admin and the admins above
it; teachers, parents and other schools are refused; every change is in the audit log."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renrentong.core.models import AuditEvent
from renrentong.orgs.models import CLASS_CODE_ALPHABET, Campus, Cohort, SchoolClass, Stage

from tests.factories import bearer, make_class, make_student


def post(client, url, body, account, kind=None):
    return client.post(url, json.dumps(body), content_type="application/json", **bearer(account, kind))


def tree(client, world, account=None):
    response = client.get(f"/api/v1/orgs/schools/{world.school_a.pk}/tree", **bearer(account or world.school_admin_a))
    assert response.status_code == 200
    return response.json()


def register_levels(school, *levels, system="6-3"):
    school.levels = list(levels)
    school.system = system
    school.save()


@pytest.fixture
def school_a(world):
    register_levels(world.school_a, "primary", "junior")
    return world.school_a


def test_quick_create_campus_with_stages_grades_and_classes(client, world, school_a):
    response = post(client, f"/api/v1/orgs/schools/{school_a.pk}/campuses", {
        "name": "东校区", "stages": {"primary": [5, 5, 4, 0, 3, 3], "junior": [2, 2, 2]}}, world.school_admin_a)
    assert response.status_code == 201, response.content
    created = response.json()
    assert len(created["class_ids"]) == 5 + 5 + 4 + 3 + 3 + 6
    campus = next(c for c in tree(client, world)["campuses"] if c["name"] == "东校区")
    primary, junior = campus["stages"]
    assert (primary["level"], primary["system"], junior["first_grade"]) == ("primary", "6-3", 7)
    # Grade 1 enrolled this school year (2026), grade 6 five years before; grade 4 was skipped (0 classes).
    years = [g["enrollment_year"] for g in primary["grades"]]
    assert years == [2026, 2025, 2024, 2022, 2021]
    first_grade = primary["grades"][0]
    assert first_grade["name"] == "一年级2026级"
    assert [c["name"] for c in first_grade["classes"]] == [f"一年级{n}班" for n in range(1, 6)]
    assert [g["name"] for g in junior["grades"]] == ["七年级2026级", "八年级2025级", "九年级2024级"]
    event = AuditEvent.objects.get(verb="structure.campus_create")
    assert event.school_id == school_a.pk and event.details["classes"] == 26


def test_class_codes_are_short_unique_and_unambiguous(client, world, school_a):
    post(client, f"/api/v1/orgs/schools/{school_a.pk}/campuses", {
        "name": "南校区", "stages": {"primary": [30, 30, 30, 30, 30, 30]}}, world.school_admin_a)
    codes = list(SchoolClass.objects.filter(cohort__stage__campus__name="南校区").values_list("code", flat=True))
    assert len(codes) == 180 == len(set(codes))
    assert all(len(c) == 6 and set(c) <= set(CLASS_CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set("".join(codes))


def test_campus_name_taken_and_level_not_registered_are_refused(client, world, school_a):
    url = f"/api/v1/orgs/schools/{school_a.pk}/campuses"
    existing = Campus.objects.get(school=school_a).name
    taken = post(client, url, {"name": existing, "stages": {"primary": [1]}},
                 world.school_admin_a)
    assert taken.status_code == 409 and taken.json()["code"] == "structure.campus_exists"
    senior = post(client, url, {"name": "高中部", "stages": {"senior": [1, 1, 1]}},
                  world.school_admin_a)
    body = senior.json()
    assert senior.status_code == 400 and body["code"] == "structure.level_not_registered"
    assert "区县管理员" in body["message"] and body["who_can_fix"] == "区县管理员"
    assert body["contact"] == "400-800-1234"  # the province's support line: the districts have none
    too_many = post(client, url, {"name": "西校区", "stages": {"junior": [1, 1, 1, 1]}},
                    world.school_admin_a)
    assert too_many.status_code == 400 and too_many.json()["code"] == "structure.too_many_grades"
    assert not Campus.objects.filter(name__in=["高中部", "西校区"]).exists()  # nothing half-written


def test_a_five_four_junior_stage_has_four_grades_from_grade_six(client, world):
    register_levels(world.school_a, "primary", "junior", system="5-4")
    response = post(client, f"/api/v1/orgs/schools/{world.school_a.pk}/campuses", {
        "name": "北校区", "stages": {"junior": [1, 1, 1, 1]}}, world.school_admin_a)
    assert response.status_code == 201
    stage = Stage.objects.get(campus__name="北校区")
    assert (stage.system, stage.first_grade, stage.years) == ("5-4", 6, 4)
    grades = next(c for c in tree(client, world)["campuses"] if c["name"] == "北校区")["stages"][0]["grades"]
    assert [g["name"] for g in grades] == ["六年级2026级", "七年级2025级", "八年级2024级", "九年级2023级"]


def test_add_stage_to_a_campus(client, world, school_a):
    campus = Campus.objects.get(school=school_a)
    url = f"/api/v1/orgs/campuses/{campus.pk}/stages"
    added = post(client, url, {"level": "junior", "classes": [3, 3]}, world.school_admin_a)
    assert added.status_code == 201 and len(added.json()["class_ids"]) == 6
    again = post(client, url, {"level": "junior", "classes": [1]}, world.school_admin_a)
    assert again.status_code == 409 and again.json()["code"] == "structure.stage_exists"
    assert AuditEvent.objects.filter(verb="structure.stage_add", school_id=school_a.pk).count() == 1


def test_add_grade_means_adding_the_cohort_of_its_enrollment_year(client, world, school_a):
    stage = Stage.objects.get(campus__school=school_a, level="primary")
    url = f"/api/v1/orgs/stages/{stage.pk}/grades"
    added = post(client, url, {"grade": 4, "first": 1, "last": 3}, world.school_admin_a)
    assert added.status_code == 201
    cohort = Cohort.objects.get(pk=added.json()["cohort_ids"][0])
    assert cohort.enrollment_year == 2026 - 3
    assert sorted(cohort.classes.values_list("number", flat=True)) == [1, 2, 3]
    # Grade 3 exists already: the world's classes enrolled in 2024.
    exists = post(client, url, {"grade": 3, "last": 2}, world.school_admin_a)
    assert exists.status_code == 409 and exists.json()["code"] == "structure.grade_exists"
    assert "三年级2024级" in exists.json()["message"]
    outside = post(client, url, {"grade": 7, "last": 2}, world.school_admin_a)
    assert outside.status_code == 400 and outside.json()["code"] == "structure.grade_outside_stage"


def test_add_classes_numbered_from_to_skips_existing_numbers(client, world, school_a):
    cohort = world.class_a1.cohort
    url = f"/api/v1/orgs/cohorts/{cohort.pk}/classes"
    added = post(client, url, {"first": 2, "last": 5}, world.school_admin_a)
    assert added.status_code == 201
    assert added.json()["skipped_numbers"] == [2] and len(added.json()["class_ids"]) == 3
    assert sorted(cohort.classes.values_list("number", flat=True)) == [1, 2, 3, 4, 5]
    again = post(client, url, {"first": 2, "last": 5}, world.school_admin_a)
    assert again.json()["class_ids"] == [] and cohort.classes.count() == 5  # running twice changes nothing
    teaching = post(client, url, {"first": 1, "last": 2, "kind": "teaching"}, world.school_admin_a)
    assert len(teaching.json()["class_ids"]) == 2
    backwards = post(client, url, {"first": 5, "last": 2}, world.school_admin_a)
    assert backwards.status_code == 400 and backwards.json()["code"] == "structure.class_range"


def test_no_classes_in_a_graduated_grade(client, world, school_a):
    old = make_class(school_a, 1, enrollment_year=2019)  # six years of primary ended in 2025
    response = post(client, f"/api/v1/orgs/cohorts/{old.cohort_id}/classes", {"first": 2, "last": 2},
                    world.school_admin_a)
    assert response.status_code == 400 and response.json()["code"] == "structure.cohort_graduated"


def test_grade_and_class_naming_per_stage(client, world, school_a):
    stage = world.class_a1.cohort.stage
    url = f"/api/v1/orgs/stages/{stage.pk}/naming"
    put = client.put(url, json.dumps({"grade_names": {"3": "小三"}, "class_pattern": "{grade}({n})班"}),
                     content_type="application/json", **bearer(world.school_admin_a))
    assert put.status_code == 200, put.content
    assert put.json() == {"stage_id": stage.pk, "grade_names": {"3": "小三"}, "class_pattern": "{grade}({n})班"}
    grade = tree(client, world)["campuses"][0]["stages"][0]["grades"][0]
    assert grade["name"] == "小三2024级"
    assert [c["name"] for c in grade["classes"]] == ["小三(1)班", "小三(2)班"]
    # The names stay with the grade as it moves up: next year grade 4 has the platform's name again.
    assert world.class_a1.cohort.grade_name(2027) == "四年级2024级"
    bad = client.put(url, json.dumps({"class_pattern": "{grade}班"}), content_type="application/json",
                     **bearer(world.school_admin_a))
    assert bad.status_code == 400 and bad.json()["code"] == "structure.class_pattern"
    assert "{n}" in bad.json()["message"]
    injection = client.put(url, json.dumps({"class_pattern": "{n}{grade.__class__}"}),
                           content_type="application/json", **bearer(world.school_admin_a))
    assert injection.status_code == 400
    twice = client.put(url, json.dumps({"grade_names": {"1": "甲", "2": "甲"}}), content_type="application/json",
                       **bearer(world.school_admin_a))
    assert twice.status_code == 400 and twice.json()["code"] == "structure.grade_name_twice"
    reset = client.put(url, json.dumps({"grade_names": {"3": ""}}), content_type="application/json",
                       **bearer(world.school_admin_a))
    assert reset.json()["grade_names"] == {} and reset.json()["class_pattern"] == ""
    assert AuditEvent.objects.filter(verb="structure.naming").count() == 2


def test_deleting_a_class_with_students_says_move_them_first(client, world, school_a):
    response = client.delete(f"/api/v1/orgs/classes/{world.class_a1.pk}", **bearer(world.school_admin_a))
    body = response.json()
    assert response.status_code == 409 and body["code"] == "structure.class_has_students"
    assert "调到其他班级" in body["message"] and body["who_can_fix"] == "学校管理员"
    assert SchoolClass.objects.filter(pk=world.class_a1.pk).exists()


def test_deleting_an_empty_class_and_one_with_history(client, world, school_a):
    empty = make_class(school_a, 7)
    assert client.delete(f"/api/v1/orgs/classes/{empty.pk}", **bearer(world.school_admin_a)).status_code == 204
    assert not SchoolClass.objects.filter(pk=empty.pk).exists()
    event = AuditEvent.objects.get(verb="structure.class_delete")
    assert event.details["code"] == empty.code and event.school_id == school_a.pk
    former = make_class(school_a, 8)
    student = make_student(former, "钱小多")
    student.person.enrollments.update(ended_on="2026-09-01")
    kept = client.delete(f"/api/v1/orgs/classes/{former.pk}", **bearer(world.school_admin_a))
    assert kept.status_code == 409 and kept.json()["code"] == "structure.class_has_history"


@pytest.mark.parametrize("role", ["teacher_a", "head_teacher_a", "parent_a", "student_a"])
def test_teachers_parents_and_students_cannot_change_the_structure(client, world, school_a, role):
    account = getattr(world, role)
    response = post(client, f"/api/v1/orgs/cohorts/{world.class_a1.cohort_id}/classes", {"first": 5, "last": 5},
                    account)
    # A teacher sees the school's structure (403: not theirs to change); parents and students do not (404).
    assert response.status_code in (403, 404)
    if role.startswith(("teacher", "head")):
        assert response.json()["code"] == "structure.not_allowed"
    assert not SchoolClass.objects.filter(cohort=world.class_a1.cohort, number=5).exists()


def test_region_admins_above_the_school_may_build_it(client, world, school_a):
    for admin in (world.district_admin_x, world.city_admin):
        response = post(client, f"/api/v1/orgs/cohorts/{world.class_a1.cohort_id}/classes",
                        {"first": 3, "last": 3}, admin)
        assert response.status_code == 201


@settings(max_examples=200, deadline=None)
@given(pattern=st.text(max_size=40), grade=st.text(max_size=20), number=st.integers(1, 99))
def test_a_class_pattern_is_refused_or_renders_with_the_class_number(pattern, grade, number):
    """Whatever an admin types: a catalogue refusal, or a name with the class number and no braces left."""
    from renrentong.core.errors import UserFacingError
    from renrentong.orgs.structure.services import clean_class_pattern

    try:
        cleaned = clean_class_pattern(pattern)
    except UserFacingError as exc:
        assert exc.code == "structure.class_pattern"
        return
    stage = Stage(level="primary", system="6-3", class_pattern=cleaned, grade_names={"1": grade.replace("{", "")})
    name = SchoolClass(cohort=Cohort(stage=stage, enrollment_year=2026), number=number).display_name(2026)
    assert str(number) in name
    if cleaned:
        assert "{n}" not in name and "{grade}" not in name


def test_refusals_speak_english_on_request(client, world, school_a):
    response = client.delete(f"/api/v1/orgs/classes/{world.class_a1.pk}", HTTP_ACCEPT_LANGUAGE="en",
                             **bearer(world.school_admin_a))
    body = response.json()
    assert body["who_can_fix"] == "the school admin"
    assert "move them to other classes" in body["message"] and "1 students" in body["message"]


@pytest.mark.parametrize("first,last", [("²", "3"), ("1", "99999999999999999999999"), ("-1", "2"), ("一", "二")])
def test_pages_refuse_odd_numbers_with_a_message_not_an_error(client, world, school_a, first, last):
    from renrentong.accounts.login.middleware import SESSION_IDENTITY

    client.force_login(world.school_admin_a)
    session = client.session
    session[SESSION_IDENTITY] = world.school_admin_a.identities.get().pk
    session.save()
    response = client.post(f"/orgs/cohorts/{world.class_a1.cohort_id}/classes/new/", {"first": first, "last": last})
    assert response.status_code == 400
    assert 'data-code="structure.class_range"' in response.content.decode()
    registered = client.post("/orgs/tenants/", {"district_id": "9" * 30, "name": "x", "code": "ABCD1234"})
    assert registered.status_code == 403  # a school admin registers nothing, whatever the numbers


# Issue 10: classes carry their graduation year (毕业年份) beside the enrollment year.

def test_classes_carry_their_graduation_year_in_the_tree_the_apis_and_the_pages(client, world):
    five_four = make_class(world.school_b, 1, enrollment_year=2025, level="junior", system="5-4")
    body = tree(client, world)
    grade = next(g for c in body["campuses"] for s in c["stages"] for g in s["grades"]
                 if any(k["id"] == world.class_a1.pk for k in g["classes"]))
    a1 = next(k for k in grade["classes"] if k["id"] == world.class_a1.pk)
    expected = world.class_a1.cohort.enrollment_year + world.class_a1.cohort.stage.years
    assert grade["graduation_year"] == a1["graduation_year"] == expected
    assert a1["enrollment_year"] == world.class_a1.cohort.enrollment_year
    one = client.get(f"/api/v1/orgs/classes/{five_four.pk}", **bearer(world.school_admin_b)).json()
    assert (one["enrollment_year"], one["graduation_year"]) == (2025, 2029)  # 五四制 junior: four years
    listed = client.get("/api/v1/school/classes", **bearer(world.school_admin_a)).json()
    assert {c["id"]: c["graduation_year"] for c in listed}[world.class_a1.pk] == expected
    from tests.factories import as_user

    as_user(client, world.school_admin_a)
    page = client.get(f"/orgs/schools/{world.school_a.pk}/").content.decode()
    years = page.split(f'data-testid="class-years-{world.class_a1.pk}"')[1].split("</span>")[0]
    assert str(expected) in years and str(world.class_a1.cohort.enrollment_year) in years
    assert f'data-testid="graduation-year-{world.class_a1.cohort_id}"' in page
    class_page = client.get(f"/school/classes/{world.class_a1.pk}/").content.decode()
    assert str(expected) in class_page.split('data-testid="class-years"')[1].split("</p>")[0]
