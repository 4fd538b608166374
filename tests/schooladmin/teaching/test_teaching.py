"""Teaching through the API (ADM-2, HELP-1, NFR-2): course arrangement, the teaching grid edited in
bulk, head teachers, a teacher's own classes and subjects, audit records and scope."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from renrentong.accounts.models import CourseArrangement, HeadTeacher, TeachingAssignment
from renrentong.core.errors import UserFacingError
from renrentong.core.models import AuditEvent
from renrentong.schooladmin.teaching import services as teaching
from tests.factories import bearer, make_class, make_teacher

API = "/api/v1/school"


def put(client, account, url, body):
    return client.put(f"{API}{url}", body, content_type="application/json", **bearer(account))


def post(client, account, url, body):
    return client.post(f"{API}{url}", body, content_type="application/json", **bearer(account))


def code_of(response):
    return response.status_code, response.json()["code"]


def identity(account):
    return account.identities.get(kind="teacher")


def arrange(client, world, subjects=("语文", "数学")):
    response = put(client, world.school_admin_a, "/teaching/courses",
                   {"classes": [{"class_id": world.class_a1.pk, "subjects": list(subjects)},
                                {"class_id": world.class_a2.pk, "subjects": list(subjects)}]})
    assert response.status_code == 200, response.content
    return response.json()


def test_grid_shows_a_grades_classes_subjects_teachers_and_head_teachers(client, world):
    arrange(client, world)
    body = client.get(f"{API}/teaching", **bearer(world.school_admin_a)).json()
    assert [c["id"] for c in body["classes"]] == [world.class_a1.pk, world.class_a2.pk]
    assert body["subjects"][:2] == ["语文", "数学"] and "科学" in body["subjects"]  # primary subjects
    a1 = body["classes"][0]
    assert a1["subjects"] == ["语文", "数学"]
    assert a1["teachers"] == {"数学": [identity(world.teacher_a).pk]}
    assert a1["head_teacher_id"] == identity(world.head_teacher_a).pk
    assert {t["name"] for t in body["teachers"]} == {"王老师", "刘班主任"}  # not school B's
    assert len(body["grades"]) == 1


def test_grid_filters_by_grade(client, world):
    older = make_class(world.school_a, 1, enrollment_year=2022)
    body = client.get(f"{API}/teaching", {"cohort_id": older.cohort_id}, **bearer(world.school_admin_a)).json()
    assert [c["id"] for c in body["classes"]] == [older.pk] and len(body["grades"]) == 2


def test_course_arrangement_adds_and_removes_and_a_removed_course_ends_its_teaching(client, world):
    # Class A1's 数学 is taught already, so it is a course of the grid before it is arranged (issue 10).
    assert arrange(client, world) == {"added": 3, "removed": 0, "assignments_ended": 0}
    assert arrange(client, world) == {"added": 0, "removed": 0, "assignments_ended": 0}  # same again: nothing
    assert arrange(client, world, ["语文"]) == {"added": 0, "removed": 2, "assignments_ended": 1}
    assert not TeachingAssignment.objects.filter(teacher__account=world.teacher_a).exists()
    event = AuditEvent.objects.filter(verb="teaching.courses").last()
    assert event.details["ended"] == [[world.class_a1.pk, "数学", identity(world.teacher_a).pk]]
    assert event.school_id == world.school_a.pk
    # Each course row carries its class's school (the partition-ready schema, docs/scaling.md).
    assert set(CourseArrangement.objects.filter(school_class__in=[world.class_a1, world.class_a2]).values_list(
        "school_id", flat=True)) == {world.school_a.pk}


def test_bulk_assignment_replaces_cells_and_sets_head_teachers_in_one_go(client, world):
    arrange(client, world)
    wang, liu = identity(world.teacher_a).pk, identity(world.head_teacher_a).pk
    body = {"cells": [
        {"class_id": world.class_a1.pk, "subject": "数学", "teacher_id": liu},
        {"class_id": world.class_a1.pk, "subject": "语文", "teacher_id": wang},
        {"class_id": world.class_a2.pk, "subject": "语文", "teacher_id": wang},
        {"class_id": world.class_a2.pk, "subject": "数学", "teacher_id": None},
    ], "head_teachers": [{"class_id": world.class_a2.pk, "teacher_id": wang},
                         {"class_id": world.class_a1.pk, "teacher_id": None}]}
    response = put(client, world.school_admin_a, "/teaching/assignments", body)
    assert response.status_code == 200 and response.json() == {"cells": 3, "heads": 2}
    assert set(TeachingAssignment.objects.filter(school_class__school=world.school_a).values_list(
        "school_class_id", "subject", "teacher_id")) == {
        (world.class_a1.pk, "数学", liu), (world.class_a1.pk, "语文", wang), (world.class_a2.pk, "语文", wang)}
    assert dict(HeadTeacher.objects.filter(school_class__school=world.school_a).values_list(
        "school_class_id", "teacher_id")) == {world.class_a2.pk: wang}
    assert AuditEvent.objects.filter(verb="teaching.assign").count() == 1
    assert set(TeachingAssignment.objects.filter(school_class__school=world.school_a).values_list(
        "school_id", flat=True)) | set(HeadTeacher.objects.filter(school_class__school=world.school_a).values_list(
        "school_id", flat=True)) == {world.school_a.pk}
    # Saving the same grid again changes nothing and records nothing.
    assert put(client, world.school_admin_a, "/teaching/assignments", body).json() == {"cells": 0, "heads": 0}
    assert AuditEvent.objects.filter(verb="teaching.assign").count() == 1
    # The new assignments widen the teachers' scope: Wang now sees class A2's students.
    members = client.get(f"/api/v1/orgs/classes/{world.class_a2.pk}/students", **bearer(world.teacher_a))
    assert members.status_code == 200


def test_assignment_refusals_leave_nothing_half_written(client, world):
    arrange(client, world)
    wang = identity(world.teacher_a).pk
    good = {"class_id": world.class_a2.pk, "subject": "语文", "teacher_id": wang}
    cases = [
        ({"class_id": world.class_a1.pk, "subject": "体育", "teacher_id": wang}, (409, "teaching.subject_not_arranged")),
        ({"class_id": world.class_b1.pk, "subject": "语文", "teacher_id": wang}, (404, "teaching.class_not_found")),
        ({"class_id": world.class_a1.pk, "subject": "语文", "teacher_id": identity(world.teacher_b).pk},
         (404, "teaching.teacher_not_found")),
        ({"class_id": world.class_a1.pk, "subject": "", "teacher_id": wang}, (400, "teaching.invalid_subject")),
    ]
    for bad, expected in cases:
        response = put(client, world.school_admin_a, "/teaching/assignments", {"cells": [good, bad]})
        assert code_of(response) == expected, bad
    assert not TeachingAssignment.objects.filter(school_class=world.class_a2).exists()
    head_b = {"head_teachers": [{"class_id": world.class_a1.pk, "teacher_id": identity(world.teacher_b).pk}]}
    assert code_of(put(client, world.school_admin_a, "/teaching/assignments", head_b)) == (
        404, "teaching.teacher_not_found")


def test_a_teacher_who_left_cannot_be_assigned(client, world):
    arrange(client, world)
    client.post(f"{API}/users/{world.teacher_a.pk}/leave", **bearer(world.school_admin_a))
    body = {"cells": [{"class_id": world.class_a1.pk, "subject": "语文", "teacher_id": identity(world.teacher_a).pk}]}
    response = put(client, world.school_admin_a, "/teaching/assignments", body)
    assert code_of(response) == (409, "teaching.teacher_unavailable") and "王老师" in response.json()["message"]


def test_only_school_admins_edit_the_grid(client, world):
    for account in (world.teacher_a, world.head_teacher_a, world.student_a, world.district_admin_x):
        assert code_of(client.get(f"{API}/teaching", **bearer(account))) == (403, "teaching.not_allowed")
        assert code_of(put(client, account, "/teaching/courses", {"classes": []})) == (403, "teaching.not_allowed")
    body = {"classes": [{"class_id": world.class_a1.pk, "subjects": ["语文"]}]}
    assert code_of(put(client, world.school_admin_b, "/teaching/courses", body)) == (404, "teaching.class_not_found")


# A teacher's own classes and subjects -----------------------------------------------------------------------

def test_teacher_takes_and_drops_an_arranged_course(client, world):
    arrange(client, world)
    mine = client.get(f"{API}/my-teaching", **bearer(world.teacher_a)).json()
    assert [(m["class_id"], m["subject"]) for m in mine["mine"]] == [(world.class_a1.pk, "数学")]
    assert len(mine["offered"]) == 4
    response = post(client, world.teacher_a, "/my-teaching", {"class_id": world.class_a2.pk, "subject": "语文"})
    assert response.status_code == 201
    assert TeachingAssignment.objects.filter(teacher=identity(world.teacher_a), school_class=world.class_a2).exists()
    assert code_of(post(client, world.teacher_a, "/my-teaching", {"class_id": world.class_a2.pk, "subject": "语文"})) == (
        409, "teaching.already_yours")
    taken = post(client, world.head_teacher_a, "/my-teaching", {"class_id": world.class_a1.pk, "subject": "数学"})
    assert code_of(taken) == (409, "teaching.taken") and "王老师" in taken.json()["message"]
    assert taken.json()["who_can_fix"] == "学校管理员"
    dropped = post(client, world.teacher_a, "/my-teaching/drop", {"class_id": world.class_a2.pk, "subject": "语文"})
    assert dropped.status_code == 200
    assert code_of(post(client, world.teacher_a, "/my-teaching/drop", {"class_id": world.class_a2.pk,
                                                                       "subject": "语文"})) == (404, "teaching.not_yours")
    assert list(AuditEvent.objects.filter(verb__in=["teaching.take", "teaching.drop"]).values_list(
        "verb", flat=True).order_by("pk")) == ["teaching.take", "teaching.drop"]


def test_teacher_choices_are_limited_to_arranged_courses_of_their_school(client, world):
    arrange(client, world)
    not_arranged = post(client, world.teacher_a, "/my-teaching", {"class_id": world.class_a2.pk, "subject": "体育"})
    assert code_of(not_arranged) == (409, "teaching.subject_not_arranged")
    assert "学校管理员" in not_arranged.json()["message"]
    assert code_of(post(client, world.teacher_a, "/my-teaching", {"class_id": world.class_b1.pk, "subject": "语文"})) == (
        404, "teaching.class_not_found")
    for account in (world.school_admin_a, world.student_a, world.parent_a):
        assert code_of(client.get(f"{API}/my-teaching", **bearer(account))) == (403, "teaching.teachers_only")


def test_a_new_teacher_without_classes_sees_the_offer(client, world):
    arrange(client, world)
    new = make_teacher(world.school_a, name="新老师")
    body = client.get(f"{API}/my-teaching", **bearer(new)).json()
    assert body["mine"] == [] and {o["teacher_name"] for o in body["offered"]} == {"", "王老师"}


@given(st.text(max_size=40))
def test_clean_subject(value):
    try:
        subject = teaching.clean_subject(value)
    except UserFacingError as exc:
        assert exc.code == "teaching.invalid_subject"
    else:
        assert 1 <= len(subject) <= teaching.SUBJECT_LIMIT and teaching.clean_subject(subject) == subject


def test_course_rows_are_unique(client, world):
    arrange(client, world)
    assert CourseArrangement.objects.count() == 4


# Issue 10: the demo and the teacher import wrote teaching assignments without course rows, so the grid
# showed no teachers and "my teaching" said 暂无 while the home page listed the classes taught.

def test_grid_shows_teachers_of_courses_taught_without_an_arrangement_row(client, world):
    assert not CourseArrangement.objects.exists()  # the factory writes assignments only, as the demo did
    body = client.get(f"{API}/teaching", **bearer(world.school_admin_a)).json()
    a1 = next(c for c in body["classes"] if c["id"] == world.class_a1.pk)
    assert a1["subjects"] == ["数学"] and a1["teachers"] == {"数学": [identity(world.teacher_a).pk]}
    from tests.factories import as_user
    html = as_user(client, world.school_admin_a).get("/school/teaching/").content.decode()
    cell = html.split(f'data-testid="teacher-{world.class_a1.pk}-数学"')[1].split("</select>")[0]
    assert f'value="{identity(world.teacher_a).pk}" selected' in cell


def test_my_teaching_home_page_and_grid_agree_on_what_a_teacher_teaches(client, world):
    body = client.get(f"{API}/my-teaching", **bearer(world.teacher_a)).json()
    assert [(m["class_id"], m["subject"]) for m in body["mine"]] == [(world.class_a1.pk, "数学")]
    from tests.factories import as_user
    as_user(client, world.teacher_a)
    mine = client.get("/school/my-teaching/").content.decode().split('data-testid="mine"')[1].split("</ul>")[0]
    assert "数学" in mine and "None yet" not in mine and "暂无" not in mine
    home = client.get("/").content.decode().split('data-testid="classes"')[1].split("</ul>")[0]
    assert world.class_a1.display_name() in home and world.class_a1.display_name() in mine


def test_unticking_a_course_taught_without_a_row_ends_its_teaching(client, world):
    response = put(client, world.school_admin_a, "/teaching/courses",
                   {"classes": [{"class_id": world.class_a1.pk, "subjects": []}]})
    assert response.json() == {"added": 0, "removed": 1, "assignments_ended": 1}
    assert not TeachingAssignment.objects.filter(school_class=world.class_a1).exists()


def test_a_second_teacher_takes_a_taught_course_only_where_the_school_allows_co_teaching(client, world):
    course = {"class_id": world.class_a1.pk, "subject": "数学"}
    assert code_of(post(client, world.head_teacher_a, "/my-teaching", course)) == (409, "teaching.taken")
    from tests.factories import as_user
    settings_page = as_user(client, world.school_admin_a).get("/orgs/settings/").content.decode()
    assert 'data-testid="co-teaching"' in settings_page
    # The school admin turns co-teaching on for the school (off by default).
    turned = client.patch("/api/v1/orgs/policy", {"co_teaching": True}, content_type="application/json",
                          **bearer(world.school_admin_a))
    assert turned.status_code == 200 and turned.json()["co_teaching"] is True
    assert post(client, world.head_teacher_a, "/my-teaching", course).status_code == 201
    assert TeachingAssignment.objects.filter(school_class=world.class_a1, subject="数学").count() == 2
