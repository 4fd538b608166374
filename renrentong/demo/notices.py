"""The demo region's first notices (issue 13): the 消息 tab of the demo logins shows a school notice asking
for a receipt and a homework notice, sent through the same services, fan-out and pushes (the outbox) as
any other, so the inbox, the receipts and the push outbox have something to show."""

from __future__ import annotations

from renrentong.accounts.access import actor_for
from renrentong.accounts.models import HeadTeacher, Identity
from renrentong.notices import fanout, pushing
from renrentong.notices.receipts import tallies
from renrentong.notices.services import NoticeDraft, send_notice
from renrentong.orgs.models import School, SchoolClass


def _deliver(notice_id: int) -> None:
    # What the task worker does after a send (notices.tasks.fan_out_notice), done at once for the demo.
    fanout.fan_out(notice_id)
    tallies.build(notice_id)
    pushing.ring_notice(notice_id)


def send_demo_notices() -> list[int]:
    school = School.objects.filter(registered=True).order_by("pk").first()
    admin = Identity.objects.filter(kind=Identity.Kind.SCHOOL_ADMIN, school=school).select_related("account").first()
    if school is None or admin is None:
        return []
    head = HeadTeacher.objects.filter(school_class__school=school).exclude(teacher__account=admin.account).select_related(
        "teacher__account", "school_class").order_by("pk").first()
    sent = []
    grade = SchoolClass.objects.filter(school=school).order_by("-cohort__enrollment_year", "number").first()
    same_grade = list(SchoolClass.objects.filter(school=school, cohort=grade.cohort).values_list("pk", flat=True))
    if head is not None and head.school_class_id not in same_grade:
        same_grade.append(head.school_class_id)
    notice = send_notice(actor_for(admin.account, admin), NoticeDraft(
        title="期末家长会通知",
        body="各位家长：本学期期末家长会定于下周五下午三点在各班教室举行，请准时参加。如不能到场，请提前告知班主任。",
        roles=["parent"], class_ids=same_grade, confirm_required=True))
    _deliver(notice.pk)
    sent.append(notice.pk)
    if head is not None:
        homework = send_notice(actor_for(head.teacher.account, head.teacher), NoticeDraft(
            title="今日作业", body="1. 完成练习册第 12 页；2. 朗读课文《春》三遍，家长签字。",
            roles=["parent", "student"], class_ids=[head.school_class_id]))
        _deliver(homework.pk)
        sent.append(homework.pk)
    return sent
