"""notices.class_messages: a class group message is a notice of kind class_message, fanned out like notices,
without the members the head teacher took out; running its task twice writes nothing twice."""

from renrentong.accounts.access import actor_for
from renrentong.classgroups import services
from renrentong.notices.tasks import fan_out_notice
from renrentong.notices.models import InboxItem, Notice, NoticeRecipient


def _actor(account):
    return actor_for(account, account.identities.get())


def test_the_fan_out_task_runs_twice_without_doubling_and_skips_removed_members(world):
    services.remove_member(_actor(world.head_teacher_a), world.class_a1.pk, world.student_a.pk, "student")
    message = services.post_message(_actor(world.teacher_a), world.class_a1.pk, "春游通知")
    notice = Notice.objects.get(pk=message.notice_id)
    assert notice.status == Notice.Status.SENDING  # queued on commit, not written yet
    assert notice.audience["exclude_account_ids"] == [world.student_a.pk]
    fan_out_notice.call(notice.pk)
    fan_out_notice.call(notice.pk)
    notice.refresh_from_db()
    readers = sorted(InboxItem.objects.filter(notice=notice).values_list("account_id", flat=True))
    assert readers == sorted([world.parent_a.pk, world.teacher_a.pk, world.head_teacher_a.pk])
    assert not NoticeRecipient.objects.filter(notice=notice, account_id=world.student_a.pk).exists()
    assert notice.status == Notice.Status.SENT and notice.addressed == 3
