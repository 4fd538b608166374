"""Reminding the students with nothing submitted (EVA-4) through the notice services: the chosen students and
their parents get it in their inbox, nobody else; one batch per class per day."""

from __future__ import annotations

import pytest

from renrentong.core.models import AuditEvent
from renrentong.evaluation.models import ProgressReminder
from renrentong.notices import fanout
from renrentong.notices.models import InboxItem, Notice

from tests.evaluation.helpers import call, refused
from tests.factories import make_parent, make_student, make_written_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_a1(world, catalogue):
    """Class a1: student_a (parent_a) has only drafts; 赵小华 (and her parent) has something submitted."""
    make_written_records(world.student_a, draft=2)
    keen = make_student(world.class_a1, "赵小华")
    make_written_records(keen, pending=1)
    return keen, make_parent(keen, name="赵大华")


def _inbox(notice_id: int) -> set[int]:
    fanout.fan_out(notice_id)
    return set(InboxItem.objects.filter(notice_id=notice_id).values_list("account_id", flat=True))


def test_head_teacher_reminds_the_students_with_nothing_submitted_and_their_parents(world, class_a1):
    keen, keen_parent = class_a1
    response = call("post", "/progress/reminders", world.head_teacher_a, {"class_id": world.class_a1.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["students"] == 1 and body["skipped"] == []
    assert _inbox(body["notice_id"]) == {world.student_a.pk, world.parent_a.pk}
    notice = Notice.objects.get(pk=body["notice_id"])
    assert notice.audience["student_ids"] == [world.student_a.person_id] and "上报" in notice.title
    assert ProgressReminder.objects.get().students == 1
    assert AuditEvent.objects.filter(verb="evaluation.progress_remind").count() == 1


def test_one_reminder_a_class_a_day_and_the_refusal_names_who_sent_it(world, class_a1):
    assert call("post", "/progress/reminders", world.school_admin_a, {}).status_code == 201
    again = refused(call("post", "/progress/reminders", world.head_teacher_a, {"class_id": world.class_a1.pk},
                         language="zh-hans"), "evaluation.reminded_today", 409)
    assert "明天" in again["message"] and again["who_can_fix"]
    assert Notice.objects.count() == 1


def test_a_school_wide_reminder_skips_classes_reminded_earlier_today(world, class_a1):
    make_written_records(world.student_a2, draft=1)
    first = call("post", "/progress/reminders", world.head_teacher_a, {"class_id": world.class_a1.pk})
    assert first.status_code == 201
    second = call("post", "/progress/reminders", world.school_admin_a, {"school_id": world.school_a.pk})
    assert second.status_code == 201, second.content
    assert second.json()["students"] == 1 and len(second.json()["skipped"]) == 1
    assert _inbox(second.json()["notice_id"]) == {world.student_a2.pk}


def test_nobody_to_remind_when_everyone_submitted(world, catalogue):
    make_written_records(world.student_a, approved=1)
    refused(call("post", "/progress/reminders", world.head_teacher_a, {"class_id": world.class_a1.pk}),
            "evaluation.nobody_to_remind", 409)
    assert not Notice.objects.exists()


@pytest.mark.parametrize("role", ["teacher_a", "district_admin_x", "student_a", "parent_a"])
def test_only_the_school_admin_and_head_teachers_remind(world, class_a1, role):
    refused(call("post", "/progress/reminders", getattr(world, role), {"school_id": world.school_a.pk}),
            "evaluation.remind_not_allowed", 403)


def test_a_head_teacher_cannot_remind_another_class_nor_another_school(world, class_a1):
    make_written_records(world.student_a2)
    refused(call("post", "/progress/reminders", world.head_teacher_a, {"class_id": world.class_a2.pk}),
            "evaluation.progress_not_found", 404)
    refused(call("post", "/progress/reminders", world.school_admin_a, {"school_id": world.school_b.pk}),
            "evaluation.progress_not_found", 404)
    assert not Notice.objects.exists()
