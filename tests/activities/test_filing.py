"""An attended activity becomes the child's evaluation material in one click (issue 14 item 9): the parent
or the student files it once (a second click returns the same record), the school admin files all the
school's attended children at once; it is a draft the student classifies and submits."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from renrentong.activities.models import Activity, Attendance
from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import WrittenRecord

from tests.activities.helpers import API, post, sign_up
from tests.factories import as_user, bearer, make_activity, make_parent, make_student


def attended(client, world, organiser, *children, absent=()):
    """An activity the children came to (and `absent` did not), attendance confirmed by the organiser."""
    activity = make_activity(organiser, programme="9:00 集合\n9:30 参观")
    ids = {}
    for child in (*children, *absent):
        parent = world.parent_a if child == world.student_a else (
            world.parent_b if child == world.student_b else make_parent(child, name="家长"))
        response = sign_up(client, parent, activity, child)
        assert response.status_code == 201, response.content
        ids[child.pk] = response.json()["id"]
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=3),
                                                   ends_at=timezone.now() - timedelta(hours=1))
    done = post(client, organiser, f"{API}/{activity.pk}/attendance",
                {"attended": [ids[c.pk] for c in children], "absent": [ids[c.pk] for c in absent]})
    assert done.status_code == 200, done.content
    return Activity.objects.get(pk=activity.pk), ids


def test_one_click_files_a_draft_once(client, world):
    activity, ids = attended(client, world, world.school_admin_a, world.student_a)
    first = post(client, world.parent_a, f"{API}/sign-ups/{ids[world.student_a.pk]}/material")
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["created"] and body["state"] == "draft" and body["student_id"] == world.student_a.person_id
    record = WrittenRecord.objects.get(pk=body["record_id"])
    assert (record.kind, record.title, record.school_id, record.class_id) == (
        "growth", activity.title, world.school_a.pk, world.class_a1.pk)
    assert record.happened_on == timezone.localdate(activity.starts_at)
    assert activity.place in record.text and "9:30 参观" in record.text
    # The parent's second click, and the student's own, give the same record.
    again = post(client, world.parent_a, f"{API}/sign-ups/{ids[world.student_a.pk]}/material").json()
    own = post(client, world.student_a, f"{API}/sign-ups/{ids[world.student_a.pk]}/material").json()
    assert again == own == {**body, "created": False}
    assert WrittenRecord.objects.count() == 1
    assert Attendance.objects.get().material_id == record.pk
    assert AuditEvent.objects.filter(verb="activity.file_material").count() == 1
    assert AuditEvent.objects.filter(verb="evaluation.record_file").count() == 1
    # The student sees it among their records, to classify and submit.
    listed = Client().get("/api/v1/evaluation/records", **bearer(
        world.student_a)).json()
    assert [r["id"] for r in listed] == [record.pk]


def test_a_social_practice_is_filed_as_volunteer_service(client, world):
    _, ids = attended(client, world, world.district_admin_x, world.student_a)
    body = post(client, world.student_a, f"{API}/sign-ups/{ids[world.student_a.pk]}/material").json()
    assert WrittenRecord.objects.get(pk=body["record_id"]).kind == "volunteer"


def test_a_deleted_draft_is_filed_anew(client, world):
    _, ids = attended(client, world, world.school_admin_a, world.student_a)
    url = f"{API}/sign-ups/{ids[world.student_a.pk]}/material"
    first = post(client, world.parent_a, url).json()
    assert Client().delete(f"/api/v1/evaluation/records/{first['record_id']}",
                           **bearer(world.parent_a)).status_code == 204
    second = post(client, world.parent_a, url).json()
    assert second["created"] and second["record_id"] != first["record_id"]


def test_not_before_attendance_and_not_for_an_absent_child(client, world):
    other = make_student(world.class_a1, "王小华")
    _, ids = attended(client, world, world.school_admin_a, world.student_a, absent=(other,))
    other_parent = world.parent_a.__class__.objects.get(identities__kind="guardian", person__name="家长")
    response = post(client, other_parent, f"{API}/sign-ups/{ids[other.pk]}/material")
    assert response.status_code == 409 and response.json()["code"] == "activities.not_attended"


def test_another_familys_sign_up_is_not_found(client, world):
    _, ids = attended(client, world, world.school_admin_a, world.student_a)
    for account in (world.parent_b, world.student_a2, world.teacher_a):
        response = post(client, account, f"{API}/sign-ups/{ids[world.student_a.pk]}/material")
        assert response.status_code == 404 and response.json()["code"] == "activities.sign_up_not_found"
    assert not WrittenRecord.objects.exists()


def test_the_school_admin_files_every_attended_child_of_the_school(client, world):
    other = make_student(world.class_a1, "王小华")
    absent = make_student(world.class_a2, "赵小军")
    activity, ids = attended(client, world, world.district_admin_x, world.student_a, other, absent=(absent,))
    post(client, world.parent_a, f"{API}/sign-ups/{ids[world.student_a.pk]}/material")
    done = post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance/material")
    assert done.status_code == 200, done.content
    assert done.json() == {"filed": 1, "already": 1, "elsewhere": 0}
    assert sorted(WrittenRecord.objects.values_list("student__name", flat=True)) == ["李小明", "王小华"]
    again = post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance/material").json()
    assert again == {"filed": 0, "already": 2, "elsewhere": 0}
    # The practice does not reach school B (district Y): not found there; a teacher may not file.
    assert post(client, world.school_admin_b, f"{API}/{activity.pk}/attendance/material").status_code == 404
    assert post(client, world.teacher_a, f"{API}/{activity.pk}/attendance/material").status_code == 403


def test_pages_file_in_one_click(client, world):
    activity, ids = attended(client, world, world.school_admin_a, world.student_a)
    sign_up_id = ids[world.student_a.pk]
    parent = as_user(Client(), world.parent_a)
    page = parent.get("/activities/mine/").content.decode()
    assert f'data-testid="file-{sign_up_id}"' in page
    assert parent.post(f"/activities/sign-ups/{sign_up_id}/file/").status_code == 302
    page = parent.get("/activities/mine/").content.decode()
    assert f'data-testid="filed-{sign_up_id}"' in page and f'data-testid="file-{sign_up_id}"' not in page
    admin = as_user(Client(), world.school_admin_a)
    assert 'data-testid="file-attended"' in admin.get(f"/activities/manage/{activity.pk}/sign-ups/").content.decode()
    response = admin.post(f"/activities/manage/{activity.pk}/file-attended/", follow=True)
    assert response.status_code == 200 and WrittenRecord.objects.count() == 1


def test_a_child_who_moved_school_is_left_to_the_family_and_filed_at_the_new_school(client, world):
    from renrentong.accounts.models import Enrollment

    activity, ids = attended(client, world, world.school_admin_a, world.student_a)
    Enrollment.objects.filter(person=world.student_a.person, ended_on=None).update(
        ended_on=timezone.localdate(), reason="transfer_out")
    Enrollment.objects.create(person=world.student_a.person, school=world.school_b, school_class=world.class_b1,
                              started_on=timezone.localdate(), reason="transfer_in")
    done = post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance/material").json()
    assert done == {"filed": 0, "already": 0, "elsewhere": 1} and not WrittenRecord.objects.exists()
    body = post(client, world.parent_a, f"{API}/sign-ups/{ids[world.student_a.pk]}/material").json()
    assert WrittenRecord.objects.get(pk=body["record_id"]).school_id == world.school_b.pk
