"""Every refusal of activities (HELP-1): its code, its status, a message naming the cause, and who can fix it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import Enrollment
from renrentong.activities import services
from renrentong.activities.errors import ENTRIES
from renrentong.activities.models import Activity
from renrentong.core.errors import UserFacingError
from tests.activities.helpers import API, body_of, get, post, sign_up
from tests.factories import bearer, make_activity, make_parent, make_student


def refused(response, code: str, status: int, *words: str, who: str | None = None) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    for word in words:
        assert word in body["message"], body["message"]
    if who is not None:
        assert body["who_can_fix"] == who
    return body


def put(client, account, activity, **changes):
    return client.put(f"{API}/{activity.pk}", body_of(activity, **changes), content_type="application/json",
                      **bearer(account))


def test_another_schools_activity_is_not_found(client, world):
    activity = make_activity(world.school_admin_b)
    refused(get(client, world.parent_a, f"{API}/{activity.pk}"), "activities.not_found", 404)
    refused(get(client, world.school_admin_a, f"{API}/{activity.pk}/sign-ups"), "activities.not_found", 404)


def test_another_familys_sign_up_is_not_found(client, world):
    activity = make_activity(world.school_admin_a)
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    stranger = make_parent(make_student(world.class_a1, "路人"), name="路人家长")
    refused(post(client, stranger, f"{API}/sign-ups/{mine['id']}/cancel"), "activities.sign_up_not_found", 404)


def test_a_teacher_cannot_publish(client, world):
    activity = make_activity(world.school_admin_a)
    refused(post(client, world.teacher_a, f"{API}/", body_of(activity)), "activities.not_allowed", 403, "管理员",
            who="本人")


def test_a_student_cannot_sign_up_themselves_or_a_sibling(client, world):
    sibling = make_student(world.class_a2, "李小红", "F")
    make_parent(world.student_a, sibling)
    activity = make_activity(world.school_admin_a)
    refused(sign_up(client, world.student_a, activity, sibling), "activities.parents_sign_up", 403, "家长")


def test_a_parent_cannot_sign_up_a_child_not_linked(client, world):
    activity = make_activity(world.school_admin_a)
    refused(sign_up(client, world.parent_a, activity, world.student_a2), "activities.not_your_child", 404,
            who="学校管理员")


def test_a_child_without_a_class_cannot_sign_up(client, world):
    left = make_student(world.class_a1, "王离校")
    Enrollment.objects.filter(person=left.person).update(ended_on=timezone.localdate())
    parent = make_parent(world.student_a, left)
    activity = make_activity(world.school_admin_a)
    refused(sign_up(client, parent, activity, left), "activities.child_not_enrolled", 400, "王离校",
            who="学校管理员")


def test_a_child_outside_the_grades_is_told_why_and_who_sets_it(client, world):
    activity = make_activity(world.school_admin_a, grades=[5, 6])
    body = refused(sign_up(client, world.parent_a, activity, world.student_a), "activities.not_in_audience", 403,
                   "李小明", "五年级", "三年级", "芙蓉第一小学", who="活动发布方")
    assert "报名范围" in body["message"]


def test_a_sibling_at_another_school_is_outside_a_campus_activity(client, world):
    parent = make_parent(world.student_a, world.student_b)
    activity = make_activity(world.school_admin_a)
    refused(sign_up(client, parent, activity, world.student_b), "activities.not_in_audience", 403, "陈小红",
            "芙蓉第一小学")
    choices = {c["name"]: c for c in get(client, parent, f"{API}/{activity.pk}/children").json()}
    assert choices["李小明"]["may_sign_up"] and not choices["陈小红"]["may_sign_up"]


def test_a_child_outside_the_chosen_classes_is_refused(client, world):
    activity = make_activity(world.school_admin_a, class_ids=[world.class_a2.pk])
    refused(sign_up(client, world.parent_a, activity, world.student_a), "activities.not_in_audience", 403, "班")


def test_sign_up_before_the_window_names_the_dates_and_who_set_them(client, world):
    activity = make_activity(world.school_admin_a, opens_in_days=1)
    opens = timezone.localtime(activity.signup_opens_at).strftime("%Y-%m-%d %H:%M")
    refused(sign_up(client, world.parent_a, activity, world.student_a), "activities.window_not_open", 400, opens,
            "芙蓉第一小学", who="活动发布方")


def test_sign_up_after_the_window(client, world):
    activity = make_activity(world.district_admin_x, opens_in_days=-3, closes_in_days=-1)
    refused(sign_up(client, world.parent_a, activity, world.student_a), "activities.window_closed", 400, "芙蓉区")


def test_signing_up_twice(client, world):
    activity = make_activity(world.school_admin_a)
    sign_up(client, world.parent_a, activity, world.student_a)
    refused(sign_up(client, world.parent_a, activity, world.student_a), "activities.already_signed_up", 400,
            "李小明", "报名成功")


def test_full_puts_the_child_on_the_waiting_list_with_its_number(client, world):
    activity = make_activity(world.school_admin_a, capacity=1)
    sign_up(client, world.parent_a, activity, world.student_a)
    other = make_student(world.class_a1, "钱小多")
    response = sign_up(client, make_parent(other), activity, other)
    assert response.status_code == 201
    notice = response.json()["notice"]
    assert notice["code"] == "activities.full" and "第 1 位" in notice["message"] and "钱小多" in notice["message"]


def test_cancel_after_the_deadline(client, world):
    activity = make_activity(world.school_admin_a, cancel_in_days=-1)
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    refused(post(client, world.parent_a, f"{API}/sign-ups/{mine['id']}/cancel"), "activities.cancel_closed", 400,
            "芙蓉第一小学", who="活动发布方")


def test_cancelling_twice(client, world):
    activity = make_activity(world.school_admin_a)
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    post(client, world.parent_a, f"{API}/sign-ups/{mine['id']}/cancel")
    refused(post(client, world.parent_a, f"{API}/sign-ups/{mine['id']}/cancel"), "activities.not_cancellable", 400,
            "已取消")


def test_refusing_needs_a_reason(client, world):
    activity = make_activity(world.school_admin_a, approval="school")
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    refused(post(client, world.school_admin_a, f"{API}/sign-ups/{mine['id']}/refuse", {"reason": "  "}),
            "activities.reason_required", 400, "原因")


def test_approving_what_is_not_waiting_for_approval(client, world):
    activity = make_activity(world.school_admin_a)
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    refused(post(client, world.school_admin_a, f"{API}/sign-ups/{mine['id']}/approve"), "activities.not_pending", 400,
            "报名成功")


def test_refusing_a_cancelled_sign_up(client, world):
    activity = make_activity(world.school_admin_a)
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    post(client, world.parent_a, f"{API}/sign-ups/{mine['id']}/cancel")
    refused(post(client, world.school_admin_a, f"{API}/sign-ups/{mine['id']}/refuse", {"reason": "x"}),
            "activities.not_refusable", 400, "已取消")


def test_the_organiser_of_a_practice_leaves_approval_to_the_schools(client, world):
    activity = make_activity(world.district_admin_x, approval="school")
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    refused(post(client, world.district_admin_x, f"{API}/sign-ups/{mine['id']}/approve"), "activities.school_decides",
            403, who="学校管理员")


def test_a_school_cannot_edit_the_districts_practice(client, world):
    activity = make_activity(world.district_admin_x)
    refused(put(client, world.school_admin_a, activity), "activities.not_organiser", 403, "芙蓉区",
            who="活动发布方")


def test_attendance_before_the_activity(client, world):
    activity = make_activity(world.school_admin_a)
    mine = sign_up(client, world.parent_a, activity, world.student_a).json()
    refused(post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance", {"attended": [mine["id"]]}),
            "activities.attendance_too_early", 400, "活动")


def test_attendance_of_a_child_not_accepted(client, world):
    activity = make_activity(world.school_admin_a, capacity=1)
    sign_up(client, world.parent_a, activity, world.student_a)
    other = make_student(world.class_a1, "孙候补")
    waiting = sign_up(client, make_parent(other), activity, other).json()
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    refused(post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance", {"attended": [waiting["id"]]}),
            "activities.attendance_not_accepted", 400, "报名成功")


@pytest.mark.parametrize("changes, code", [
    ({"title": " "}, "activities.title_required"),
    ({"ends_at": "2020-01-01T00:00:00+08:00"}, "activities.ends_before_start"),
    ({"signup_closes_at": "2020-01-01T00:00:00+08:00"}, "activities.window_invalid"),
    ({"cancel_until": "2099-01-01T00:00:00+08:00"}, "activities.cancel_deadline_invalid"),
])
def test_an_activity_that_does_not_add_up_is_refused(client, world, changes, code):
    activity = make_activity(world.school_admin_a)
    refused(post(client, world.school_admin_a, f"{API}/", body_of(activity, **changes)), code, 400)


def test_places_out_of_range_are_refused_by_the_service(world):
    activity = make_activity(world.school_admin_a)
    admin = actor_for(world.school_admin_a, world.school_admin_a.identities.get())
    draft = services.ActivityDraft(title="x", place="y", capacity=0, starts_at=activity.starts_at,
                                   ends_at=activity.ends_at, signup_opens_at=activity.signup_opens_at,
                                   signup_closes_at=activity.signup_closes_at, cancel_until=activity.cancel_until)
    with pytest.raises(UserFacingError) as caught:
        services.publish(admin, draft)
    assert caught.value.code == "activities.capacity_invalid"


def test_fewer_places_than_taken_are_refused(client, world):
    activity = make_activity(world.school_admin_a, capacity=2)
    sign_up(client, world.parent_a, activity, world.student_a)
    other = make_student(world.class_a1, "周二")
    sign_up(client, make_parent(other), activity, other)
    refused(put(client, world.school_admin_a, activity, capacity=1), "activities.capacity_below_taken", 400, "2")


def test_an_audience_outside_the_publishers_scope_is_refused(client, world):
    activity = make_activity(world.school_admin_a)
    refused(post(client, world.school_admin_a, f"{API}/", body_of(activity, class_ids=[world.class_b1.pk])),
            "activities.audience_outside", 400)
    refused(post(client, world.district_admin_x, f"{API}/", body_of(activity, school_ids=[world.school_b.pk])),
            "activities.audience_outside", 400)


def test_every_error_of_the_catalogue_has_a_test():
    source = Path(__file__).read_text(encoding="utf-8")
    assert [code for code in ENTRIES if f'"{code}"' not in source.replace(f'"{code}":', "")] == []


def test_filing_before_attendance_is_confirmed_names_the_organiser(client, world):
    activity = make_activity(world.school_admin_a)
    signed = sign_up(client, world.parent_a, activity, world.student_a).json()
    body = refused(post(client, world.parent_a, f"{API}/sign-ups/{signed['id']}/material"),
                   "activities.not_attended", 409, activity.organiser_name)
    assert body["who_can_fix"] == "活动发布方"
