"""Fan-out at scale (issue 13, Performance): the rewritten unit statement and the one-query audience check
keep the foundation's rules: one inbox item per account, one recipient row per (account, class, child),
whatever the units, the roles and the schools; and the benchmark itself runs (a small district on SQLite)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renrentong.accounts.access import actor_for
from renrentong.accounts.selectors import empty_roles
from renrentong.notices import fanout
from renrentong.notices.models import InboxItem, Notice, NoticeRecipient
from renrentong.notices.services import NoticeDraft, send_notice
from tests.factories import make_parent, make_student, make_teacher

ROOT = Path(__file__).resolve().parents[2]


def _actor(account):
    return actor_for(account, account.identities.get())


def _rows(notice):
    return sorted(NoticeRecipient.objects.filter(notice=notice).values_list("role", "class_id", "account_id",
                                                                             "student_person_id"))


def test_city_notice_to_two_schools_reaches_a_parent_of_children_in_both_once(world):
    child_b = make_student(world.class_b1, "赵小二")
    both = make_parent(world.student_a, child_b, name="赵妈妈")
    teacher_b2 = make_teacher(world.school_b, name="钱老师")
    notice = send_notice(_actor(world.city_admin), NoticeDraft(
        title="安全教育", roles=["parent", "student", "teacher"], school_ids=[world.school_a.pk, world.school_b.pk]))
    fanout.fan_out(notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and notice.fanout_cursor == 2
    items = list(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True))
    assert len(items) == len(set(items)) == notice.addressed
    assert items.count(both.pk) == 1
    assert {world.parent_a.pk, world.parent_b.pk, world.student_a.pk, world.student_b.pk, child_b.pk,
            world.teacher_a.pk, world.teacher_b.pk, teacher_b2.pk} <= set(items)
    # A recipient row per child of the parent of two (one in each school), teachers school-wide (class 0).
    assert {(r[1], r[3]) for r in _rows(notice) if r[2] == both.pk} == {
        (world.class_a1.pk, world.student_a.person_id), (world.class_b1.pk, child_b.person_id)}
    assert ("teacher", 0, teacher_b2.pk, 0) in _rows(notice)
    assert InboxItem.objects.filter(notice=notice, account_id=both.pk).values_list("sort_at", flat=True).get() == notice.send_at


def test_units_of_one_class_give_the_same_rows_as_one_unit(world, monkeypatch):
    sibling = make_student(world.class_a2, "李小华")
    make_parent(world.student_a, sibling, name="李妈妈")
    draft = NoticeDraft(title="通知", roles=["parent", "student", "teacher"],
                        class_ids=[world.class_a1.pk, world.class_a2.pk])
    whole = send_notice(_actor(world.school_admin_a), draft)
    fanout.fan_out(whole.pk)
    monkeypatch.setattr(fanout, "CLASSES_PER_UNIT", 1)
    split = send_notice(_actor(world.school_admin_a), draft)
    fanout.fan_out(split.pk)
    whole.refresh_from_db()
    split.refresh_from_db()
    assert split.fanout_cursor == 2 and whole.fanout_cursor == 1
    assert _rows(whole) == _rows(split)
    assert whole.addressed == split.addressed == InboxItem.objects.filter(notice=split).count()


def test_fan_out_run_twice_writes_nothing_more(world):
    notice = send_notice(_actor(world.city_admin), NoticeDraft(
        title="通知", roles=["parent"], school_ids=[world.school_a.pk, world.school_b.pk]))
    fanout.fan_out(notice.pk)
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.SENDING, fanout_cursor=0)
    fanout.fan_out(notice.pk)  # every unit again: ON CONFLICT keeps one row each
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT
    assert InboxItem.objects.filter(notice=notice).count() == 2
    assert len(_rows(notice)) == 2


def test_audience_check_is_one_query_per_role_whatever_the_schools(world):
    schools = [world.school_b.pk, world.school_a.pk]
    with CaptureQueriesContext(connection) as queries:
        assert empty_roles(timezone.localdate(), roles=["parent", "student", "teacher"], school_ids=schools) == []
    assert len(queries) == 3


def test_audience_check_looks_at_every_school_when_the_first_has_nobody(world):
    from renrentong.accounts.models import Guardianship

    Guardianship.objects.filter(student__enrollments__school=world.school_b).delete()
    with CaptureQueriesContext(connection) as queries:
        assert empty_roles(timezone.localdate(), roles=["parent"], school_ids=[world.school_b.pk, world.school_a.pk]) == []
    assert len(queries) == 2
    assert empty_roles(timezone.localdate(), roles=["parent"], school_ids=[world.school_b.pk]) == ["parent"]


def test_audience_check_names_the_role_nobody_in_any_school_holds(world):
    from renrentong.accounts.models import Guardianship

    Guardianship.objects.all().delete()
    assert empty_roles(timezone.localdate(), roles=["student", "parent"],
                       school_ids=[world.school_a.pk, world.school_b.pk]) == ["parent"]
    assert empty_roles(timezone.localdate(), roles=["parent"], school_ids=[]) == ["parent"]


@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite part of the benchmark runs on SQLite")
def test_the_benchmark_runs_a_small_district_on_sqlite():
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    done = subprocess.run([sys.executable, "bench/bench_notices.py", "--sqlite-students", "3000", "--history", "5000"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("notice fan-out 3000 students (SQLite): "), done.stdout
