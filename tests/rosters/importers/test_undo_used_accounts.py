"""Both imports decide "a used account" on undo the same way (issue 11 item 5: they had drifted; the
teacher import looked at the last login only). An account an import created is used once its owner
logged in, or someone else built on it since (an enrollment, an identity): undo then sends it to the
recycle bin, restorable, instead of removing it; an untouched one is removed."""

from __future__ import annotations

from django.utils import timezone

from renrentong.accounts.models import Account, Identity

from tests.factories import bearer, make_id_number, make_phone
from tests.roster_files import HEADERS, commit, csv_file, preview

from tests.roster_files import commit_teachers
from tests.roster_files import preview_teachers


def undo(client, admin, job_id: int) -> dict:
    response = client.post(f"/api/v1/rosters/imports/{job_id}/undo", **admin)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_teacher_made_a_parent_by_a_later_student_import_is_used_and_survives_the_teacher_undo(client, world):
    admin = bearer(world.school_admin_a)
    phone, idle_phone = make_phone(), make_phone()
    job = preview_teachers(client, admin, [["新老师", "女", phone, make_id_number(sex="F"), "", "", ""],
                                           ["闲老师", "男", idle_phone, "", "", "", ""]])
    assert commit_teachers(client, admin, job["id"])["status"] == "committed"
    teacher = Account.objects.get(phone=phone)
    # A student import makes the teacher's phone a parent's login (ACC-3).
    students = preview(client, admin, csv_file([["小新", "男", make_id_number(), "三年级", "1班", "新老师", "母亲", phone,
                                                 "", "", ""]], headers=HEADERS))
    assert commit(client, admin, students["id"])["status"] == "committed"
    assert set(teacher.identities.values_list("kind", flat=True)) == {"teacher", "guardian"}

    report = undo(client, admin, job["id"])
    assert report["status"] == "undone"
    teacher.refresh_from_db()
    assert teacher.status == Account.Status.DELETED  # in the recycle bin, restorable
    assert Identity.objects.filter(account=teacher, kind="guardian").exists()
    assert not Account.objects.filter(phone=idle_phone).exists()  # untouched: removed as if never imported


def test_both_imports_count_a_logged_in_account_as_used(client, world):
    admin = bearer(world.school_admin_a)
    phone = make_phone()
    teachers = preview_teachers(client, admin, [["登录老师", "女", phone, "", "", "", ""]])
    assert commit_teachers(client, admin, teachers["id"])["status"] == "committed"
    id_number = make_id_number()
    students = preview(client, admin, csv_file([["登录生", "男", id_number, "三年级", "1班", "", "", "", "", "", ""]]))
    assert commit(client, admin, students["id"])["status"] == "committed"
    student = Account.objects.get(created_by_import=students["id"])
    Account.objects.filter(pk__in=[student.pk, Account.objects.get(phone=phone).pk]).update(last_login=timezone.now())

    for job_id, account in ((teachers["id"], Account.objects.get(phone=phone)), (students["id"], student)):
        undo(client, admin, job_id)
        account.refresh_from_db()
        assert account.status == Account.Status.DELETED
