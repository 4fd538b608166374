"""A teacher's resource list and a school's shared resources as .xlsx through the shared formula-safe exporter
(renrentong.exports): in the request for a small list, by the worker with a progress page for a big one."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers
from renrentong.resources.classroom import selectors

TITLE = _("Learning resources")
LIMIT = 50_000
HEADERS = ["编号", "标题", "类型", "模块", "学段", "学科", "年级", "学期", "版本", "章节", "基础免费", "共享范围",
           "上传者", "链接或文件", "上传时间", "下架时间", "下架原因"]


def filters_of(params: dict) -> selectors.Filters:
    known = selectors.Filters.__dataclass_fields__
    return selectors.Filters(**{k: v for k, v in params.items() if k in known})


def _rows(actor: Actor, params: dict):
    f = filters_of({k: v for k, v in params.items() if k != "which"})
    if params.get("which") == "school":
        return selectors.filtered(selectors.school_shared(actor), f).select_related("chapter", "file").order_by("-pk")
    return selectors.mine(actor, f)


@producers.producer
def resources_export(actor: Actor, params: dict) -> producers.Export:
    found = _rows(actor, params)[:LIMIT]
    data = [[r.pk, r.title, r.get_kind_display(), r.get_module_display(), r.stage, r.subject,
             selectors.grade_name(r.grade), r.get_term_display(), r.edition, str(r.chapter) if r.chapter_id else "",
             "是" if r.is_basic else "否", r.get_sharing_display(), r.owner_name, r.url or (r.file.name if r.file_id else ""),
             selectors.when(r.created_at), selectors.when(r.taken_down_at), r.taken_down_reason] for r in found]
    school = params.get("which") == "school"
    return producers.Export(
        file_name="学校共享资源.xlsx" if school else "我的学习资源.xlsx",
        sheet=Sheet(name="学习资源", headers=HEADERS, rows=data, text_columns=set(HEADERS) - {"编号"}),
        audit_verb="classroom.export", audit_details={"rows": len(data), "which": params.get("which", "mine")},
        school_id=actor.identity.school_id if actor.identity else None)


def export_size(actor: Actor, params: dict) -> int:
    return _rows(actor, params).count()
