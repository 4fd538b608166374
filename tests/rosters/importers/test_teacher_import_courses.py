"""Teacher import, one teacher per class and subject (issue 10): the import stacked three to five
teachers on one course; now a row takes the course over and says whom it replaces, unless the school
co-teaches."""

from renrentong.accounts.models import TeachingAssignment

from tests.factories import bearer, make_phone
from tests.roster_files import rows_of
from tests.roster_files import commit_teachers, preview_teachers, teacher_class_name


def test_an_import_replaces_the_teacher_of_a_course_and_says_whom(client, world):
    admin = bearer(world.school_admin_a)
    a1 = world.class_a1
    job = preview_teachers(client, admin, [["接任老师", "女", make_phone(), "", "数学", teacher_class_name(a1), ""]])
    row = rows_of(client, admin, job["id"])[0]
    assert (row["outcome"], row["reason"]) == ("create", "replaces_teacher")
    assert "王老师" in row["message"] and "数学" in row["message"] and a1.display_name() in row["message"]
    done = commit_teachers(client, admin, job["id"])
    assert done["result"]["applied"]["assignments_replaced"] == 1
    assert list(TeachingAssignment.objects.filter(school_class=a1, subject="数学").values_list(
        "teacher__account__person__name", flat=True)) == ["接任老师"]
    # The grid shows the one teacher, as a course of the class.
    grid = client.get("/api/v1/school/teaching", **admin).json()
    a1_cell = next(c for c in grid["classes"] if c["id"] == a1.pk)
    assert "数学" in a1_cell["subjects"] and len(a1_cell["teachers"]["数学"]) == 1


def test_importing_again_and_again_keeps_one_teacher_per_course(client, world):
    admin = bearer(world.school_admin_a)
    a1 = world.class_a1
    for name in ("甲老师", "乙老师", "丙老师"):
        commit_teachers(client, admin, preview_teachers(client, admin, [[name, "女", make_phone(), "", "语文、数学", teacher_class_name(a1), ""]])["id"])
    for subject in ("语文", "数学"):
        assert list(TeachingAssignment.objects.filter(school_class=a1, subject=subject).values_list(
            "teacher__account__person__name", flat=True)) == ["丙老师"]


def test_two_rows_of_one_file_cannot_both_teach_a_course(client, world):
    admin = bearer(world.school_admin_a)
    a2 = world.class_a2
    job = preview_teachers(client, admin, [["甲老师", "女", make_phone(), "", "英语", teacher_class_name(a2), ""],
                                  ["乙老师", "男", make_phone(), "", "英语", teacher_class_name(a2), ""]])
    rows = {r["number"]: r for r in rows_of(client, admin, job["id"])}
    assert (rows[2]["outcome"], rows[2]["reason"]) == ("create", "")
    assert (rows[3]["outcome"], rows[3]["reason"]) == ("error", "course_twice_in_file")
    assert "第 2 行" in rows[3]["message"]


def test_a_school_that_co_teaches_adds_the_teacher_beside_the_other(client, world):
    from renrentong.orgs.models import Policy
    from renrentong.orgs.policy import policy_changed

    Policy.objects.create(school=world.school_a, values={"co_teaching": True})
    policy_changed()
    admin = bearer(world.school_admin_a)
    a1 = world.class_a1
    job = preview_teachers(client, admin, [["合教老师", "女", make_phone(), "", "数学", teacher_class_name(a1), ""],
                                  ["又一位", "女", make_phone(), "", "数学", teacher_class_name(a1), ""]])
    assert {(r["outcome"], r["reason"]) for r in rows_of(client, admin, job["id"])} == {("create", "")}
    commit_teachers(client, admin, job["id"])
    assert TeachingAssignment.objects.filter(school_class=a1, subject="数学").count() == 3
