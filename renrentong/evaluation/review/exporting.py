"""The review queue (or the approved list) and the objections as .xlsx through the shared formula-safe
exporter (renrentong.exports), with the page's filters: written in the request for a small list, by the
worker with a progress page for a big one. Names only: no ID number, phone or anything else."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers

from renrentong.evaluation.review import access, selectors

QUEUE_TITLE = _("Evaluation review")
OBJECTIONS_TITLE = _("Objections to the public display")
LIMIT = 50_000


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _id(value) -> int | None:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isdigit()) else None


def queue_filter(params: dict) -> selectors.QueueFilter:
    state = str(params.get("state") or "")
    return selectors.QueueFilter(state=state if state in ("pending", "approved", "failed") else None,
                                 cohort_id=_id(params.get("grade")), class_id=_id(params.get("class_id")),
                                 item_id=_id(params.get("item_id")))


@producers.producer
def review_export(actor: Actor, params: dict) -> producers.Export:
    wanted = queue_filter(params)
    found = list(selectors.filtered(actor, wanted).order_by("-pk")[:LIMIT])
    classes = selectors.class_names(r.class_id for r in found)
    headers = ["编号", "学生", "班级", "维度", "评价项目", "类型", "标题", "内容", "日期", "上报时间", "状态", "审核人",
               "审核时间", "原因"]
    rows = [[r.pk, r.student.name, classes.get(r.class_id, ""), r.item.dimension.label if r.item else "",
             r.item.label if r.item else "", r.get_kind_display(), r.title, r.text, r.happened_on.isoformat(),
             _when(r.submitted_at), r.get_state_display(), selectors.who_decided(r), _when(r.decided_at), r.reason]
            for r in found]
    school_id = access.remit_of(actor).school_id
    name = {"approved": "已通过材料", "failed": "未通过材料"}.get(wanted.state or "", "综评审核")
    return producers.Export(
        file_name=f"{name}.xlsx",
        sheet=Sheet(name=name, headers=headers, rows=rows, text_columns=set(headers) - {"编号"}),
        audit_verb="evaluation.review_export", audit_details={"rows": len(rows), **wanted.as_params()},
        school_id=school_id)


def review_size(actor: Actor, wanted: selectors.QueueFilter) -> int:
    return min(selectors.filtered(actor, wanted).count(), LIMIT)


@producers.producer
def objections_export(actor: Actor, params: dict) -> producers.Export:
    state = str(params.get("state") or "")
    found = list(selectors.objections_of_school(actor, state or None)[:LIMIT])
    headers = ["编号", "公示", "学生", "材料", "提出人", "理由", "提出时间", "状态", "处理人", "处理意见", "处理时间"]
    rows = [[o.pk, o.display.title, o.record.student.name, o.record.title or o.record.text[:30],
             selectors.person_name(o.lodged_by), o.reason, _when(o.lodged_at), o.get_state_display(),
             selectors.person_name(o.resolved_by), o.note, _when(o.resolved_at)] for o in found]
    return producers.Export(
        file_name="公示异议.xlsx",
        sheet=Sheet(name="公示异议", headers=headers, rows=rows, text_columns=set(headers) - {"编号"}),
        audit_verb="evaluation.objections_export", audit_details={"rows": len(rows), "state": state},
        school_id=access.managed_school(actor))


def objections_size(actor: Actor, state: str) -> int:
    return min(selectors.objections_of_school(actor, state or None).count(), LIMIT)
