"""Sending, recalling and correcting notices through the services (MSG-1): every sender kind, every refusal."""

from datetime import timedelta

import pytest
from django.utils import timezone

from renrentong.accounts.access import actor_for
from renrentong.core.errors import UserFacingError
from renrentong.notices import selectors
from renrentong.notices.models import InboxItem, Notice, NoticeAttachment
from renrentong.notices.services import Correction, NoticeDraft, correct_notice, recall_notice, release_due, send_notice
from renrentong.uploads.services import store_upload
from tests.factories import make_class, make_parent, make_student

def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, "PNG")
    return out.getvalue()


PNG = _png()


def _actor(account):
    return actor_for(account, account.identities.get())


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    # Uploaded objects go to a temporary directory, not the working tree.
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}


@pytest.fixture
def run_tasks_now(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _readers(notice):
    return set(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True))


def _audit(verb):
    from renrentong.core.models import AuditEvent

    return AuditEvent.objects.filter(verb=verb)


def test_school_admin_sends_to_parents_of_a_grade(world, run_tasks_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.school_admin_a), NoticeDraft(
            title="运动会", body="周五举行", roles=["parent", "student"], grade_ids=[world.class_a1.cohort_id]))
    notice.refresh_from_db()
    assert notice.kind == Notice.Kind.SCHOOL and notice.status == Notice.Status.SENT
    assert sorted(notice.audience["class_ids"]) == sorted([world.class_a1.pk, world.class_a2.pk])
    assert notice.audience["grade_ids"] == [world.class_a1.cohort_id]
    assert _readers(notice) == {world.parent_a.pk, world.student_a.pk, world.student_a2.pk}
    assert _audit("notice.send").filter(target_id=notice.pk, school_id=world.school_a.pk).exists()


def test_teacher_sends_a_homework_notice_to_a_class_they_teach(world, run_tasks_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.teacher_a), NoticeDraft(
            title="数学作业", body="练习册第 5 页", roles=["parent"], class_ids=[world.class_a1.pk], confirm_required=True))
    notice.refresh_from_db()
    assert notice.kind == Notice.Kind.HOMEWORK and notice.confirm_required
    assert _readers(notice) == {world.parent_a.pk}


def test_teacher_picking_a_grade_reaches_only_taught_classes_or_is_told_who_sets_teaching(world):
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent"], grade_ids=[world.class_a1.cohort_id]))
    assert refused.value.code == "notices.class_not_taught"
    assert refused.value.who_can_fix == "学校管理员"


def test_district_admin_sends_to_every_school_of_the_district(world, run_tasks_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.district_admin_x), NoticeDraft(
            title="安全教育", roles=["parent"], district_ids=[world.district_x.pk]))
    assert notice.kind == Notice.Kind.REGION and notice.school_id is None and notice.region_id == world.district_x.pk
    assert notice.audience["school_ids"] == [world.school_a.pk]
    assert _readers(notice) == {world.parent_a.pk}


def test_city_admin_sends_to_picked_schools_of_two_districts(world, run_tasks_now, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.city_admin), NoticeDraft(
            title="全市通知", roles=["parent", "teacher"], school_ids=[world.school_a.pk, world.school_b.pk]))
    readers = _readers(notice)
    assert {world.parent_a.pk, world.parent_b.pk, world.teacher_a.pk, world.teacher_b.pk} <= readers


@pytest.mark.parametrize("draft, code", [
    (dict(school_ids=[0]), "notices.school_not_below"),
    (dict(district_ids=["y"]), "notices.district_not_below"),
])
def test_district_admin_cannot_reach_schools_or_districts_not_below(world, draft, code):
    draft = {k: [world.school_b.pk] if v == [0] else [world.district_y.pk] for k, v in draft.items()}
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.district_admin_x), NoticeDraft(title="x", roles=["parent"], **draft))
    assert refused.value.code == code
    assert not Notice.objects.exists()


def test_school_admin_cannot_address_another_schools_class_or_grade(world):
    for draft, code in ((dict(class_ids=[world.class_b1.pk]), "notices.class_not_in_school"),
                        (dict(grade_ids=[world.class_b1.cohort_id]), "notices.grade_not_in_school")):
        with pytest.raises(UserFacingError) as refused:
            send_notice(_actor(world.school_admin_a), NoticeDraft(title="x", roles=["parent"], **draft))
        assert refused.value.code == code
    assert not Notice.objects.exists()


def test_no_parent_accounts_names_the_school_admin_importing_phones(world):
    empty = make_class(world.school_a, 3)
    make_student(empty, "孤单")
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.school_admin_a), NoticeDraft(title="通知", roles=["parent"], class_ids=[empty.pk]))
    assert refused.value.code == "notices.no_parent_accounts"
    assert refused.value.who_can_fix == "学校管理员"


def test_over_nine_files_is_refused_and_nothing_is_written(world):
    actor = _actor(world.teacher_a)
    files = [store_upload(actor, PNG, f"p{i}.png", purpose="notice", school_id=world.school_a.pk).pk for i in range(10)]
    with pytest.raises(UserFacingError) as refused:
        send_notice(actor, NoticeDraft(title="作业", roles=["parent"], class_ids=[world.class_a1.pk], file_ids=files))
    assert refused.value.code == "notices.too_many_files"
    assert not Notice.objects.exists() and not NoticeAttachment.objects.exists()


def test_someone_elses_file_is_refused(world):
    other = store_upload(_actor(world.teacher_b), PNG, "p.png", purpose="notice", school_id=world.school_b.pk)
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent"], class_ids=[world.class_a1.pk],
                                                         file_ids=[other.pk]))
    assert refused.value.code == "notices.file_not_yours"


def test_urgent_is_for_admins_only(world):
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent"], class_ids=[world.class_a1.pk],
                                                         urgent=True))
    assert refused.value.code == "notices.urgent_not_allowed"
    notice = send_notice(_actor(world.school_admin_a), NoticeDraft(title="停课", roles=["parent"],
                                                                   class_ids=[world.class_a1.pk], urgent=True))
    assert notice.urgent


def test_parents_and_students_send_nothing(world):
    for account in (world.parent_a, world.student_a):
        with pytest.raises(UserFacingError) as refused:
            send_notice(_actor(account), NoticeDraft(title="x", roles=["parent"], class_ids=[world.class_a1.pk]))
        assert refused.value.code == "notices.not_allowed"


def test_scheduled_notice_waits_and_release_due_sends_it(world, run_tasks_now, django_capture_on_commit_callbacks, freezer):
    at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(_actor(world.teacher_a), NoticeDraft(title="明天作业", roles=["parent"],
                                                                  class_ids=[world.class_a1.pk], send_at=at))
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SCHEDULED and not _readers(notice)
    assert release_due() == []
    freezer.tick(timedelta(hours=2, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert release_due() == [notice.pk]
    notice.refresh_from_db()
    assert notice.status == Notice.Status.SENT and _readers(notice) == {world.parent_a.pk}


def test_send_time_in_the_past_or_too_far_is_refused(world):
    actor = _actor(world.teacher_a)
    for at, code in ((timezone.now() - timedelta(hours=1), "notices.send_at_past"),
                     (timezone.now() + timedelta(days=31), "notices.send_at_too_far")):
        with pytest.raises(UserFacingError) as refused:
            send_notice(actor, NoticeDraft(title="x", roles=["parent"], class_ids=[world.class_a1.pk], send_at=at))
        assert refused.value.code == code


def test_cancelling_a_scheduled_notice_delivers_nothing(world, run_tasks_now, django_capture_on_commit_callbacks, freezer):
    actor = _actor(world.teacher_a)
    notice = send_notice(actor, NoticeDraft(title="x", roles=["parent"], class_ids=[world.class_a1.pk],
                                            send_at=timezone.now() + timedelta(hours=1)))
    recall_notice(actor, notice.pk)
    freezer.tick(timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        assert release_due() == []
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECALLED and notice.recalled_at and not _readers(notice)
    assert _audit("notice.cancel").filter(target_id=notice.pk).exists()


def test_recall_marks_it_recalled_and_twice_is_refused(world, run_tasks_now, django_capture_on_commit_callbacks):
    actor = _actor(world.teacher_a)
    with django_capture_on_commit_callbacks(execute=True):
        notice = send_notice(actor, NoticeDraft(title="x", roles=["parent"], class_ids=[world.class_a1.pk]))
    recall_notice(actor, notice.pk)
    notice.refresh_from_db()
    assert notice.status == Notice.Status.RECALLED and _readers(notice) == {world.parent_a.pk}
    assert _audit("notice.recall").filter(target_id=notice.pk).exists()
    with pytest.raises(UserFacingError) as refused:
        recall_notice(actor, notice.pk)
    assert refused.value.code == "notices.recalled"


def test_a_recall_during_fan_out_stops_it(world, monkeypatch):
    from renrentong.notices import fanout

    monkeypatch.setattr(fanout, "CLASSES_PER_UNIT", 1)
    actor = _actor(world.school_admin_a)
    notice = send_notice(actor, NoticeDraft(title="x", roles=["student"], class_ids=[world.class_a1.pk, world.class_a2.pk]))
    real = fanout._write_unit

    def recall_after_first(n, unit):
        written = real(n, unit)
        Notice.objects.filter(pk=n.pk).update(status=Notice.Status.RECALLED)
        return written

    monkeypatch.setattr(fanout, "_write_unit", recall_after_first)
    fanout.fan_out(notice.pk)
    notice.refresh_from_db()
    assert notice.fanout_cursor == 1 and notice.status == Notice.Status.RECALLED


def test_correcting_marks_edited_keeps_the_audience_and_is_audited(world):
    actor = _actor(world.teacher_a)
    photo = store_upload(actor, PNG, "a.png", purpose="notice", school_id=world.school_a.pk)
    notice = send_notice(actor, NoticeDraft(title="作业", body="第 5 页", roles=["parent"], class_ids=[world.class_a1.pk],
                                            file_ids=[photo.pk]))
    audience = dict(notice.audience)
    correct_notice(actor, notice.pk, Correction(body="第 6 页", file_ids=[]))
    notice.refresh_from_db()
    assert notice.body == "第 6 页" and notice.title == "作业" and notice.edited_at is not None
    assert notice.audience == audience and not notice.attachments.exists()
    assert _audit("notice.correct").get(target_id=notice.pk).details["changed"] == ["body", "files"]
    with pytest.raises(UserFacingError) as refused:
        correct_notice(actor, notice.pk, Correction(body="第 6 页"))
    assert refused.value.code == "notices.nothing_to_correct"


def test_only_the_sender_corrects_and_a_recalled_notice_is_not_corrected(world):
    notice = send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent"], class_ids=[world.class_a1.pk]))
    with pytest.raises(UserFacingError) as refused:
        correct_notice(_actor(world.school_admin_a), notice.pk, Correction(title="改"))
    assert refused.value.code == "notices.correct_not_allowed"
    recall_notice(_actor(world.school_admin_a), notice.pk)  # the school admin may recall a teacher's notice
    with pytest.raises(UserFacingError) as refused:
        correct_notice(_actor(world.teacher_a), notice.pk, Correction(title="改"))
    assert refused.value.code == "notices.recalled"


@pytest.mark.parametrize("who", ["teacher_b", "school_admin_b", "head_teacher_a", "parent_a", "district_admin_x"])
def test_others_do_not_see_recall_or_correct_a_notice(world, who):
    notice = send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent"], class_ids=[world.class_a1.pk]))
    other = _actor(getattr(world, who))
    for attempt in (lambda: selectors.notice_for_sender(other, notice.pk), lambda: recall_notice(other, notice.pk),
                    lambda: correct_notice(other, notice.pk, Correction(title="改"))):
        with pytest.raises(UserFacingError) as refused:
            attempt()
        assert refused.value.code == "notices.not_found"


def test_audience_size_counts_a_parent_of_two_children_once(world):
    sibling = make_student(world.class_a2, "李小华")
    make_parent(world.student_a, sibling, name="李妈妈")
    sizes = selectors.audience_size(timezone.localdate(), roles=["parent", "student", "teacher"],
                                    class_ids=[world.class_a1.pk, world.class_a2.pk])
    assert sizes == {"parent": 2, "student": 3, "teacher": 2}
    by_school = selectors.audience_size(timezone.localdate(), roles=["parent", "teacher"], school_ids=[world.school_a.pk])
    assert by_school == {"parent": 2, "teacher": 2}


def test_a_homework_notice_does_not_go_to_teachers(world):
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.teacher_a), NoticeDraft(title="作业", roles=["parent", "teacher"],
                                                         class_ids=[world.class_a1.pk]))
    assert refused.value.code == "notices.role_not_allowed"
    assert refused.value.who_can_fix == "学校管理员"


def test_a_grade_without_classes_names_the_school_admin(world):
    from renrentong.orgs.models import Cohort

    empty = Cohort.objects.create(stage=world.class_a1.cohort.stage, enrollment_year=world.class_a1.cohort.enrollment_year - 1)
    with pytest.raises(UserFacingError) as refused:
        send_notice(_actor(world.school_admin_a), NoticeDraft(title="x", roles=["parent"], grade_ids=[empty.pk]))
    assert refused.value.code == "notices.grade_has_no_classes"


def test_the_sender_label_is_fixed_in_the_platforms_language_whatever_the_senders_pages_speak(world):
    from django.utils import translation

    with translation.override("en"):
        notice = send_notice(_actor(world.school_admin_a), NoticeDraft(title="运动会", roles=["parent"],
                                                                       class_ids=[world.class_a1.pk]))
    assert notice.sender_label == f"{world.school_admin_a.person.name} · 学校管理员 · {world.school_a.name}"
