"""Fan-out (MSG-1): the audience fixed at sending, one inbox item per account, resumable, never doubled."""

import pytest
from django.db import connection

from renrentong.accounts.access import actor_for
from renrentong.core.errors import UserFacingError
from renrentong.notices import fanout
from renrentong.notices.models import InboxItem, Notice, NoticeRecipient
from renrentong.notices.services import NoticeDraft, send_notice
from tests.factories import make_parent, make_student


def _actor(account):
    return actor_for(account, account.identities.get())


@pytest.fixture
def run_tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_parent_of_two_addressed_children_gets_it_once_and_counts_for_both_classes(world, run_tasks_now, django_capture_on_commit_callbacks):
    sibling = make_student(world.class_a2, "李小华")
    parent = make_parent(world.student_a, sibling, name="李妈妈")
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.school_admin_a), NoticeDraft(
            title="运动会", body="周五举行", roles=["parent"], class_ids=[world.class_a1.pk, world.class_a2.pk]))
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert InboxItem.objects.filter(notice=notice, account_id=parent.pk).count() == 1
    assert set(NoticeRecipient.objects.filter(notice=notice, account_id=parent.pk).values_list("class_id", flat=True)) == {
        world.class_a1.pk, world.class_a2.pk}
    readers = set(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True))
    assert readers == {parent.pk, world.parent_a.pk}
    assert notice.addressed == 2


def test_teacher_is_told_the_school_admin_sets_teaching_for_a_class_they_do_not_teach(world):
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent"], class_ids=[world.class_a2.pk]))
    assert refused.value.code == "notices.class_not_taught"
    assert "学校管理员" == refused.value.who_can_fix
    assert not Notice.objects.exists()


def test_audience_without_parent_accounts_names_the_import(world):
    lonely = make_student(world.class_a2, "周小刚二")
    assert lonely
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.school_admin_a), NoticeDraft(title="通知", roles=["parent"], class_ids=[world.class_a2.pk]))
    assert refused.value.code == "notices.no_parent_accounts"


def test_a_killed_fan_out_resumes_to_exactly_one_row_per_recipient(world, monkeypatch):
    monkeypatch.setattr(fanout, "CLASSES_PER_UNIT", 1)
    notice = send_notice(_actor(world.school_admin_a), NoticeDraft(
        title="通知", roles=["parent", "student", "teacher"], class_ids=[world.class_a1.pk, world.class_a2.pk]))
    real = fanout._write_unit
    calls = []

    def dies_on_second_unit(n, unit):
        calls.append(unit)
        written = real(n, unit)
        if len(calls) == 2:
            raise SystemExit("worker killed")
        return written

    monkeypatch.setattr(fanout, "_write_unit", dies_on_second_unit)
    with pytest.raises(SystemExit):
        fanout.fan_out(notice.pk)
    notice.refresh_from_db()
    assert notice.fanout_cursor == 1 and notice.status == Notice.Status.SENDING
    monkeypatch.setattr(fanout, "_write_unit", real)
    fanout.fan_out(notice.pk)
    fanout.fan_out(notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    expected = {world.parent_a.pk, world.student_a.pk, world.student_a2.pk, world.teacher_a.pk, world.head_teacher_a.pk}
    assert set(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True)) == expected
    assert InboxItem.objects.filter(notice=notice).count() == len(expected) == notice.addressed
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM notices_noticerecipient WHERE notice_id = %s", [notice.pk])
        assert cursor.fetchone()[0] == NoticeRecipient.objects.filter(notice=notice).count()


def test_district_notice_reaches_schools_below_only(world, run_tasks_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.district_admin_x), NoticeDraft(
            title="安全教育", roles=["parent", "teacher"], school_ids=[world.school_a.pk]))
    readers = set(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True))
    assert world.parent_a.pk in readers and world.teacher_a.pk in readers and world.parent_b.pk not in readers
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.district_admin_x), NoticeDraft(title="x", roles=["parent"], school_ids=[world.school_b.pk]))
    assert refused.value.code == "notices.school_not_below"
