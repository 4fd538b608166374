"""Teacher roster import (ACC-4, ADM-2): phone logins, subjects, classes taught, head teachers, undo."""

import json

from renrentong.accounts.models import Account, HeadTeacher, Identity, TeachingAssignment
from renrentong.accounts.passwords.services import matches_initial

from tests.factories import bearer, make_id_number, make_phone
from tests.roster_files import commit_teachers, preview_teachers, rows_of, teacher_class_name

def test_teachers_are_created_with_subjects_classes_and_head_teacher(client, world):
    admin = bearer(world.school_admin_a)
    a1, a2 = world.class_a1, world.class_a2
    phone = make_phone()
    parent = world.parent_a
    job = preview_teachers(client, admin, [
        ["新老师", "女", phone, make_id_number(sex="F"), "语文、数学", f"{teacher_class_name(a1)}、{teacher_class_name(a2)}", teacher_class_name(a2)],
        ["家长老师", "男", parent.phone, "", "英语", teacher_class_name(a1), ""],           # a parent gains a teacher identity
        [world.teacher_b.person.name, "女", world.teacher_b.phone, "", "", "", ""],  # teacher of school B
        ["坏手机", "男", "1380000", "", "", "", ""],
        ["没学科", "男", make_phone(), "", "", teacher_class_name(a1), ""],
    ])
    outcomes = {r["number"]: (r["outcome"], r["reason"]) for r in rows_of(client, admin, job["id"])}
    # Row 2 teaches 数学 in A1, which 王老师 taught: it takes the course over (one teacher per course).
    assert outcomes == {2: ("create", "replaces_teacher"), 3: ("update", "adds_teacher_identity"),
                        4: ("conflict", "teacher_elsewhere"), 5: ("error", "invalid_teacher_phone"),
                        6: ("error", "classes_without_subject")}
    done = commit_teachers(client, admin, job["id"])
    assert done["status"] == "committed"
    teacher = Account.objects.get(phone=phone)
    assert teacher.initial_password_rule == "random" and not matches_initial(teacher, phone[-6:])  # issue 10
    identity = teacher.identities.get(kind="teacher", school=world.school_a)
    assert set(TeachingAssignment.objects.filter(teacher=identity).values_list("school_class", "subject")) == {
        (a1.pk, "语文"), (a1.pk, "数学"), (a2.pk, "语文"), (a2.pk, "数学")}
    assert HeadTeacher.objects.get(school_class=a2).teacher == identity
    assert set(parent.identities.values_list("kind", flat=True)) == {"guardian", "teacher"}

    again = preview_teachers(client, admin, [["新老师", "女", phone, "", "语文、数学", f"{teacher_class_name(a1)}、{teacher_class_name(a2)}",
                                     teacher_class_name(a2)]])
    assert again["counts"] == {"unchanged": 1}


def test_head_teacher_change_and_undo(client, world):
    admin = bearer(world.school_admin_a)
    a1 = world.class_a1
    before = HeadTeacher.objects.get(school_class=a1).teacher
    phone = make_phone()
    job = preview_teachers(client, admin, [["接任班主任", "女", phone, "", "数学", teacher_class_name(a1), teacher_class_name(a1)]])
    commit_teachers(client, admin, job["id"])
    assert HeadTeacher.objects.get(school_class=a1).teacher.account.phone == phone
    undone = client.post(f"/api/v1/rosters/imports/{job['id']}/undo", **admin).json()
    assert undone["status"] == "undone"
    assert HeadTeacher.objects.get(school_class=a1).teacher == before
    # The 数学 course the import took from 王老师 is his again.
    assert list(TeachingAssignment.objects.filter(school_class=a1, subject="数学").values_list(
        "teacher__account", flat=True)) == [world.teacher_a.pk]
    assert not Account.objects.filter(phone=phone).exists()
    assert not Identity.objects.filter(account__phone=phone).exists()


def test_id_number_of_another_account_is_listed(client, world):
    admin = bearer(world.school_admin_a)
    taken = world.teacher_a.person.reveal_id_number()
    job = preview_teachers(client, admin, [["冒名", "", make_phone(), taken, "", "", ""]])
    row = rows_of(client, admin, job["id"])[0]
    assert row["reason"] == "id_held_by_other_account"
    assert world.teacher_a.phone[-4:] in row["message"] and world.teacher_a.phone not in row["message"]
    assert taken not in json.dumps(row)  # not even in the original row, which answers masked (NFR-1)


def test_a_sex_that_contradicts_the_id_number_is_refused_and_an_empty_one_is_taken_from_it(client, world):
    admin = bearer(world.school_admin_a)
    job = preview_teachers(client, admin, [
        ["男老师", "女", make_phone(), make_id_number(sex="M"), "", "", ""],
        ["空性别", "", make_phone(), make_id_number(sex="F"), "", "", ""],
    ])
    rows = {r["number"]: r for r in rows_of(client, admin, job["id"])}
    assert (rows[2]["outcome"], rows[2]["reason"]) == ("error", "sex_contradicts_id")
    assert "男" in rows[2]["message"] and rows[2]["who_can_fix"] == "学校管理员"
    assert rows[3]["outcome"] == "create"
    commit_teachers(client, admin, job["id"])
    assert not Account.objects.filter(person__name="男老师").exists()
    assert Account.objects.get(person__name="空性别").person.sex == "F"
