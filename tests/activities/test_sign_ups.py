"""ACT-1 through the API: parents sign each child up, the places hold, then a waiting list in order; the
school approves or refuses with a reason and the first waiting child moves up; cancelling before the deadline;
each school approves its own children for a region's social practice; attendance after the activity."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from renrentong.activities.models import Activity, Attendance, SignUp
from renrentong.core.models import AuditEvent
from tests.activities.helpers import API, body_of, get, post, sign_up
from tests.factories import bearer, make_activity, make_parent, make_student


def test_a_parent_of_two_signs_each_child_up_separately(client, world):
    sibling = make_student(world.class_a2, "李小红", "F")
    parent = make_parent(world.student_a, sibling, name="李妈妈")
    activity = make_activity(world.school_admin_a)
    first = sign_up(client, parent, activity, world.student_a)
    assert first.status_code == 201, first.content
    assert first.json()["status"] == "accepted" and first.json()["notice"] is None
    children = get(client, parent, f"{API}/{activity.pk}/children").json()
    assert {c["name"]: bool(c["sign_up"]) for c in children} == {"李小明": True, "李小红": False}
    second = sign_up(client, parent, activity, sibling)
    assert second.status_code == 201 and second.json()["child"] == "李小红"
    assert SignUp.objects.filter(activity=activity).count() == 2
    assert Activity.objects.get(pk=activity.pk).places_taken == 2
    mine = get(client, parent, f"{API}/sign-ups/mine").json()
    assert sorted(s["child"] for s in mine) == ["李小明", "李小红"]
    row = SignUp.objects.get(child=world.student_a.person)
    assert row.school_id == world.school_a.pk and row.class_id == world.class_a1.pk
    assert AuditEvent.objects.filter(verb="activity.sign_up").count() == 2


def test_beyond_the_places_children_wait_in_order_and_move_up_when_a_place_frees(client, world):
    activity = make_activity(world.school_admin_a, capacity=2)
    children = [world.student_a] + [make_student(world.class_a1, f"学生{i}") for i in range(3)]
    parents = [world.parent_a] + [make_parent(child, name=f"家长{i}") for i, child in enumerate(children[1:])]
    outcomes = []
    for parent, child in zip(parents, children):
        response = sign_up(client, parent, activity, child)
        assert response.status_code == 201, response.content
        outcomes.append(response.json())
    assert [o["status"] for o in outcomes] == ["accepted", "accepted", "waiting", "waiting"]
    assert [o["waiting_position"] for o in outcomes] == [None, None, 1, 2]
    full = outcomes[2]["notice"]
    assert full["code"] == "activities.full" and "候补" in full["message"] and "第 1 位" in full["message"]
    assert full["who_can_fix"] == "活动发布方"
    cancelled = post(client, parents[0], f"{API}/sign-ups/{outcomes[0]['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    statuses = dict(SignUp.objects.values_list("pk", "status"))
    assert statuses[outcomes[2]["id"]] == "accepted" and statuses[outcomes[3]["id"]] == "waiting"
    assert get(client, parents[3], f"{API}/sign-ups/mine").json()[0]["waiting_position"] == 1
    assert Activity.objects.get(pk=activity.pk).places_taken == 2
    assert AuditEvent.objects.filter(verb="activity.move_up").count() == 1


def test_the_school_approves_or_refuses_with_a_reason_and_the_first_waiting_moves_up(client, world):
    activity = make_activity(world.school_admin_a, capacity=1, approval="school")
    other = make_student(world.class_a1, "王小华")
    other_parent = make_parent(other, name="王爸爸")
    first = sign_up(client, world.parent_a, activity, world.student_a).json()
    second = sign_up(client, other_parent, activity, other).json()
    assert (first["status"], second["status"]) == ("pending", "waiting")
    listed = get(client, world.school_admin_a, f"{API}/{activity.pk}/sign-ups", status="pending").json()
    assert [r["id"] for r in listed] == [first["id"]]
    assert "****" in listed[0]["parent_phone"] and listed[0]["parent_phone"] != world.parent_a.phone
    refused = post(client, world.school_admin_a, f"{API}/sign-ups/{first['id']}/refuse", {"reason": "名额留给五年级"})
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    assert SignUp.objects.get(pk=second["id"]).status == "pending"
    mine = get(client, world.parent_a, f"{API}/sign-ups/mine").json()
    assert mine[0]["status"] == "refused" and mine[0]["reason"] == "名额留给五年级"
    bulk = post(client, world.school_admin_a, f"{API}/{activity.pk}/sign-ups/approve", {"sign_up_ids": [second["id"]]})
    assert bulk.json() == {"count": 1}
    assert SignUp.objects.get(pk=second["id"]).status == "accepted"
    assert AuditEvent.objects.filter(verb__in=["activity.refuse", "activity.approve"]).count() == 2


def test_each_school_approves_its_own_children_for_a_city_social_practice(client, world):
    practice = make_activity(world.city_admin, approval="school", title="博物馆社会实践")
    assert practice.kind == "practice" and practice.school_id is None and practice.region_id == world.city.pk
    a = sign_up(client, world.parent_a, practice, world.student_a).json()
    b = sign_up(client, world.parent_b, practice, world.student_b).json()
    seen_by_a = get(client, world.school_admin_a, f"{API}/{practice.pk}/sign-ups").json()
    assert [r["id"] for r in seen_by_a] == [a["id"]]
    assert len(get(client, world.city_admin, f"{API}/{practice.pk}/sign-ups").json()) == 2
    refused = post(client, world.school_admin_a, f"{API}/sign-ups/{b['id']}/approve")
    assert refused.status_code == 404 and refused.json()["code"] == "activities.sign_up_not_found"
    assert post(client, world.school_admin_b, f"{API}/sign-ups/{b['id']}/approve").json()["status"] == "accepted"
    organiser = post(client, world.city_admin, f"{API}/sign-ups/{a['id']}/approve")
    assert organiser.status_code == 403 and organiser.json()["code"] == "activities.school_decides"
    assert organiser.json()["who_can_fix"] == "学校管理员"


def test_a_district_practice_reaches_only_the_schools_below_the_district(client, world):
    practice = make_activity(world.district_admin_x)
    assert [a["id"] for a in get(client, world.parent_a, f"{API}/").json()] == [practice.pk]
    assert get(client, world.parent_b, f"{API}/").json() == []
    assert [a["id"] for a in get(client, world.school_admin_a, f"{API}/").json()] == [practice.pk]
    assert get(client, world.school_admin_b, f"{API}/{practice.pk}").status_code == 404


def test_the_organiser_confirms_attendance_after_the_activity(client, world):
    activity = make_activity(world.school_admin_a)
    accepted = sign_up(client, world.parent_a, activity, world.student_a).json()
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=2),
                                                   ends_at=timezone.now() - timedelta(hours=1))
    done = post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance", {"attended": [accepted["id"]]})
    assert done.status_code == 200 and done.json() == {"count": 1}
    row = Attendance.objects.get()
    assert row.attended and row.attended_at is not None and row.material_id is None
    assert row.school_id == world.school_a.pk
    again = post(client, world.school_admin_a, f"{API}/{activity.pk}/attendance", {"absent": [accepted["id"]]})
    assert again.status_code == 200 and not Attendance.objects.get().attended
    assert AuditEvent.objects.filter(verb="activity.attendance").count() == 2


def test_more_places_let_the_waiting_list_move_up(client, world):
    activity = make_activity(world.school_admin_a, capacity=1)
    sign_up(client, world.parent_a, activity, world.student_a)
    other = make_student(world.class_a1, "赵小兰")
    waiting = sign_up(client, make_parent(other), activity, other).json()
    assert waiting["status"] == "waiting"
    edited = client.put(f"{API}/{activity.pk}", body_of(activity, capacity=2), content_type="application/json",
                        **bearer(world.school_admin_a))
    assert edited.status_code == 200 and edited.json()["places_taken"] == 2
    assert SignUp.objects.get(pk=waiting["id"]).status == "accepted"


def test_a_cancelled_child_signs_up_again_at_the_end_of_the_queue(client, world):
    activity = make_activity(world.school_admin_a, capacity=1)
    first = sign_up(client, world.parent_a, activity, world.student_a).json()
    other = make_student(world.class_a1, "吴小军")
    sign_up(client, make_parent(other), activity, other)
    post(client, world.parent_a, f"{API}/sign-ups/{first['id']}/cancel")
    again = sign_up(client, world.parent_a, activity, world.student_a)
    assert again.status_code == 201, again.content
    assert again.json()["id"] == first["id"] and again.json()["status"] == "waiting"
    assert again.json()["waiting_position"] == 1
    assert SignUp.objects.get(pk=first["id"]).queue_number == 3
    assert SignUp.objects.filter(activity=activity).count() == 2


def test_the_campus_sign_up_query_finds_what_the_general_path_finds(world):
    """The sign-up's one-query path (selectors.campus_sign_up) agrees with activity_for_child on the child's place,
    and leaves every other case (another school's or a region's activity, outside the grades) to it."""
    from renrentong.accounts.access import actor_for
    from renrentong.activities import selectors

    parent = actor_for(world.parent_a, world.parent_a.identities.get())
    child = world.student_a.person.pk
    campus = make_activity(world.school_admin_a)
    activity, place = selectors.campus_sign_up(parent, campus.pk, child)
    general = selectors.child_place(child)
    assert activity.pk == campus.pk and activity.title == campus.title and activity.grades == []
    assert (place.person_id, place.name, place.school_id, place.school_name, place.class_id, place.grade) == (
        general.person_id, general.name, general.school_id, general.school_name, general.class_id, general.grade)
    assert selectors.campus_sign_up(parent, make_activity(world.school_admin_b).pk, child) is None
    assert selectors.campus_sign_up(parent, make_activity(world.district_admin_x).pk, child) is None
    other_grade = 12 if general.grade != 12 else 1
    assert selectors.campus_sign_up(parent, make_activity(world.school_admin_a, grades=[other_grade]).pk, child) is None
    assert selectors.campus_sign_up(parent, make_activity(world.school_admin_a, grades=[general.grade]).pk, child) is not None
    # Not the parent's child (the query joins the parent's guardianships): the general path refuses it.
    assert selectors.campus_sign_up(parent, campus.pk, world.student_a2.person.pk) is None
