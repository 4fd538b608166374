"""The activity pages through the Django client: the parent's phone pages (list, detail, sign up, my sign-ups,
cancel) and the admin's console pages (publish, the sign-up list by status with approve, refuse, bulk approve
and the export, attendance)."""

from __future__ import annotations

import io
from datetime import timedelta

from python_calamine import CalamineWorkbook
from django.urls import reverse
from django.utils import timezone

from renrentong.activities.models import Activity, Attendance, SignUp
from renrentong.core.models import AuditEvent
from tests.factories import as_user, make_activity, make_parent, make_student


def test_a_parent_finds_the_activity_reads_the_details_and_signs_up(client, world):
    activity = make_activity(world.school_admin_a, title="植物园研学")
    as_user(client, world.parent_a)
    home = client.get(reverse("home")).content.decode()
    assert "植物园研学" in home
    listed = client.get(reverse("activities:index")).content.decode()
    assert "植物园研学" in listed and 'data-testid="tab-children"' in listed
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "长沙市科技馆" in page and "9:30 参观" in page and "水杯" in page
    done = client.post(reverse("activities:sign_up", args=[activity.pk]), {"child_id": world.student_a.person_id})
    assert done.status_code == 302
    assert SignUp.objects.get().status == "accepted"
    page = client.get(done.url).content.decode()
    assert 'data-status="accepted"' in page
    mine = client.get(reverse("activities:mine")).content.decode()
    assert "植物园研学" in mine and "报名成功" in mine


def test_a_refusal_shows_on_the_detail_page_with_who_can_fix_it(client, world):
    activity = make_activity(world.school_admin_a, grades=[6])
    as_user(client, world.parent_a)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert 'data-testid="why-not-' in page
    response = client.post(reverse("activities:sign_up", args=[activity.pk]), {"child_id": world.student_a.person_id})
    assert response.status_code == 403
    html = response.content.decode()
    assert 'data-code="activities.not_in_audience"' in html and "活动发布方" in html


def test_a_parent_cancels_from_my_sign_ups(client, world):
    activity = make_activity(world.school_admin_a)
    as_user(client, world.parent_a)
    client.post(reverse("activities:sign_up", args=[activity.pk]), {"child_id": world.student_a.person_id})
    sign_up = SignUp.objects.get()
    response = client.post(reverse("activities:cancel", args=[sign_up.pk]))
    assert response.status_code == 302
    assert SignUp.objects.get().status == "cancelled"
    assert Activity.objects.get().places_taken == 0


def test_an_activity_of_another_school_is_a_404_page(client, world):
    activity = make_activity(world.school_admin_b)
    as_user(client, world.parent_a)
    assert client.get(reverse("activities:detail", args=[activity.pk])).status_code == 404
    as_user(client, world.school_admin_a)
    assert client.get(reverse("activities:sign_ups", args=[activity.pk])).status_code == 404


def test_a_school_admin_publishes_from_the_console(client, world):
    as_user(client, world.school_admin_a)
    assert client.get(reverse("activities:new")).status_code == 200
    now = timezone.localtime()
    fmt = "%Y-%m-%dT%H:%M"
    response = client.post(reverse("activities:new"), {
        "title": "校园科技节", "place": "体育馆", "programme": "开幕式", "bring": "作品", "capacity": "30",
        "starts_at": (now + timedelta(days=10)).strftime(fmt),
        "ends_at": (now + timedelta(days=10, hours=2)).strftime(fmt),
        "signup_opens_at": now.strftime(fmt), "signup_closes_at": (now + timedelta(days=8)).strftime(fmt),
        "cancel_until": (now + timedelta(days=9)).strftime(fmt), "approval": "school", "grades": ["3"],
        "class_ids": [str(world.class_a1.pk)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    activity = Activity.objects.get()
    assert (activity.kind, activity.school_id, activity.grades, activity.class_ids) == (
        "campus", world.school_a.pk, [3], [world.class_a1.pk])
    manage = client.get(reverse("activities:manage")).content.decode()
    assert "校园科技节" in manage and 'data-testid="nav-activities"' in manage
    bad = client.post(reverse("activities:new"), {
        "title": "x", "place": "y", "capacity": "3", "approval": "auto",
        "starts_at": (now + timedelta(days=10)).strftime(fmt), "ends_at": (now + timedelta(days=9)).strftime(fmt),
        "signup_opens_at": now.strftime(fmt), "signup_closes_at": (now + timedelta(days=8)).strftime(fmt),
        "cancel_until": (now + timedelta(days=9)).strftime(fmt)})
    assert bad.status_code == 400 and 'data-code="activities.ends_before_start"' in bad.content.decode()


def test_the_sign_up_list_filters_decides_and_exports(client, world):
    activity = make_activity(world.school_admin_a, approval="school")
    others = [make_student(world.class_a1, f"学生{i}") for i in range(2)]
    as_user(client, world.parent_a)
    client.post(reverse("activities:sign_up", args=[activity.pk]), {"child_id": world.student_a.person_id})
    for child in others:
        as_user(client, make_parent(child, name=f"{child.person.name}家长"))
        client.post(reverse("activities:sign_up", args=[activity.pk]), {"child_id": child.person_id})
    first, second, third = SignUp.objects.order_by("queue_number")
    as_user(client, world.school_admin_a)
    url = reverse("activities:sign_ups", args=[activity.pk])
    page = client.get(url, {"status": "pending"}).content.decode()
    assert page.count('data-status="pending"') == 3 and world.parent_a.phone not in page
    assert client.post(url, {"action": "decide", "sign_up_id": first.pk, "decision": "approve"}).status_code == 302
    refused = client.post(url, {"action": "decide", "sign_up_id": second.pk, "decision": "refuse", "reason": ""})
    assert refused.status_code == 400 and 'data-code="activities.reason_required"' in refused.content.decode()
    client.post(url, {"action": "decide", "sign_up_id": second.pk, "decision": "refuse", "reason": "年级不符"})
    assert client.post(url, {"action": "bulk", "sign_up_ids": [third.pk]}).status_code == 302
    assert dict(SignUp.objects.values_list("pk", "status")) == {first.pk: "accepted", second.pk: "refused",
                                                               third.pk: "accepted"}
    export = client.get(url, {"export": "xlsx", "status": "accepted"})
    assert export.status_code == 200
    values = CalamineWorkbook.from_filelike(io.BytesIO(export.content)).get_sheet_by_index(0).to_python()
    names = [row[1] for row in values[2:]]
    assert sorted(names) == sorted([world.student_a.person.name, others[1].person.name])
    assert all(world.parent_a.phone not in str(row) for row in values)
    assert AuditEvent.objects.filter(verb="activity.export").exists()


def test_the_organiser_records_attendance(client, world):
    activity = make_activity(world.school_admin_a)
    as_user(client, world.parent_a)
    client.post(reverse("activities:sign_up", args=[activity.pk]), {"child_id": world.student_a.person_id})
    sign_up = SignUp.objects.get()
    as_user(client, world.school_admin_a)
    url = reverse("activities:attendance", args=[activity.pk])
    early = client.post(url, {"listed": [sign_up.pk], "attended": [sign_up.pk]})
    assert early.status_code == 400 and 'data-code="activities.attendance_too_early"' in early.content.decode()
    Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert client.get(url).status_code == 200
    assert client.post(url, {"listed": [sign_up.pk]}).status_code == 302
    assert Attendance.objects.get().attended is False
