"""Progress tables and the written records list as .xlsx, through the shared formula-safe exporter
(renrentong.exports), with the page's filters: written in the request when small, by the worker with a
progress page when big (a whole school's students). Only counts and names: no ID numbers, no phones."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.accounts.models import Enrollment
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError, in_language
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers

from renrentong.evaluation import selectors as evaluation
from renrentong.evaluation.progress import selectors
from renrentong.evaluation.progress.forms import ProgressFilters

TITLE = _("Evaluation progress")
RECORDS_TITLE = _("Written records")
COUNT_HEADERS = ["已上传", "已上报", "待审核", "已通过", "未通过"]


def _count_cells(counts: selectors.Counts) -> list[str]:
    return [str(n) for n in (counts.uploaded, counts.submitted, counts.pending, counts.approved, counts.failed)]


@producers.producer
def progress_export(actor: Actor, params: dict) -> producers.Export:
    chosen = ProgressFilters.from_params(params)
    now = f"{timezone.localtime():%Y-%m-%d %H:%M}"
    if chosen.level == "schools":
        rows = selectors.school_rows(actor, chosen.district_id)
        headers = ["区县", "学校", "学生数", *COUNT_HEADERS, "未上报学生数"]
        data = [[r.school.district.name, r.school.name, str(r.students), *_count_cells(r.counts),
                 str(r.nothing_submitted)] for r in rows]
        place, school_id, target = in_language("辖区学校", "schools"), None, None
    else:
        school = selectors.school_for(actor, chosen.school_id or 0)
        place, school_id, target = school.name, school.pk, school
        if chosen.level == "classes":
            rows = selectors.class_rows(actor, school, grade_id=chosen.grade_id, class_id=chosen.class_id,
                                        only_nothing=chosen.only_nothing)
            headers = ["班级", "学生数", *COUNT_HEADERS, "未上报学生数"]
            data = [[r.name, str(r.students), *_count_cells(r.counts), str(r.nothing_submitted)] for r in rows]
        else:
            rows = selectors.student_rows(actor, school, grade_id=chosen.grade_id, class_id=chosen.class_id,
                                          only_nothing=chosen.only_nothing)
            headers = ["班级", "姓名", *COUNT_HEADERS, "原因"]
            data = [[r.class_name, r.name, *_count_cells(r.counts), r.reason] for r in rows]
    notes = [f"综合素质评价上报进度 · {place} · {now}"]
    if chosen.only_nothing:
        notes.append("仅未上报的学生")
    return producers.Export(
        file_name=f"综合素质评价上报进度-{place}.xlsx",
        sheet=Sheet(name="上报进度", headers=headers, rows=data, text_columns=set(headers), notes=notes),
        audit_verb="evaluation.progress_export", audit_target=target,
        audit_details={"rows": len(data), **chosen.as_params()}, school_id=school_id)


def progress_size(actor: Actor, chosen: ProgressFilters) -> int | None:
    """A cheap upper bound of the rows: the students enrolled where students are listed, else small."""
    if chosen.level != "students":
        return 0
    school = selectors.school_for(actor, chosen.school_id or 0)
    classes = selectors.filtered_classes(actor, school, chosen.grade_id, chosen.class_id)
    return Enrollment.objects.filter(school=school, school_class_id__in=[c.pk for c in classes],
                                     ended_on__isnull=True).count()


@producers.producer
def records_export(actor: Actor, params: dict) -> producers.Export:
    """The written records desk's list of one student (a student's own, a parent's child), with its state filter."""
    student = evaluation.student_for(actor, _int(params.get("student_id")))
    state = str(params.get("state") or "")
    if state and state not in evaluation.WrittenRecord.State.values:
        raise UserFacingError("field.invalid", field="state")
    found = evaluation.records(actor, student.pk, state or None)
    headers = ["日期", "类型", "标题", "内容", "维度", "评价项目", "状态", "未通过原因", "上报时间"]
    data = [[f"{r.happened_on:%Y-%m-%d}", r.get_kind_display(), r.title, r.text,
             r.item.dimension.label if r.item else "", r.item.label if r.item else "", r.get_state_display(),
             r.reason, f"{timezone.localtime(r.submitted_at):%Y-%m-%d %H:%M}" if r.submitted_at else ""]
            for r in found]
    return producers.Export(
        file_name=f"写实记录-{student.name}.xlsx",
        sheet=Sheet(name="写实记录", headers=headers, rows=data, text_columns=set(headers),
                    widths={"内容": 60}, notes=[f"写实记录 · {student.name}"]),
        audit_verb="evaluation.records_export", audit_target=student,
        audit_details={"rows": len(data), "state": state})


def records_size(actor: Actor, student_id: int | None, state: str) -> int:
    return evaluation.records(actor, evaluation.student_for(actor, student_id).pk, state or None).count()


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
