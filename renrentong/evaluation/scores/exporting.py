"""Score import downloads (EVA-6): the template, the rows that did not go in (the machinery's audited
download), and the school's scores table as .xlsx through the shared formula-safe exporter (with the page's
filters; written in the request when small, by the worker with a progress page when big)."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets import writer as spreadsheets
from renrentong.core.web.downloads import download
from renrentong.exports import producers
from renrentong.rosters import exports as rosters_exports

from renrentong.evaluation.scores import selectors
from renrentong.evaluation.scores.importer import TEMPLATE

TITLE = _("Academic scores")
LIMIT = 50_000


def template_response(actor: Actor) -> HttpResponse:
    """The template, its notes listing the items this actor imports with their ranges."""
    items = selectors.importable_items(actor)
    columns = [spreadsheets.TemplateColumn(header=h, required=req, text=text, comment=note)
               for h, _field, req, text, note in TEMPLATE]
    listed = "；".join(f"{i.item.label}（代码 {i.item.code}，{i.lowest}～{i.highest} 分）" for i in items)
    instructions = [
        "带 * 的列必须填写；列的顺序可以调整，表头可用中文或英文。",
        "每行一名学生的一个项目：账号、全国学籍号、身份证号至少填一项，用于识别学生；姓名须与平台上一致。",
        "账号、学籍号、身份证号请保持“文本”格式，不要转换成数字（否则末几位会丢失）。",
        f"可导入的项目：{listed or '（本学年尚无可导入的项目）'}。",
        "成绩计入学生所在学校的当前学年；再次导入同一文件不会重复，成绩有变化的会更新。",
        "导入前会先预览每一行的结果，确认后才写入；有问题的行单独列出原因，可下载；导入后可以撤销。",
    ]
    example_item = items[0].item.label if items else "英语人机对话成绩"
    example = [["李小明", "20260001", "G430102201505171234", "430102201505171234", example_item, "18.5"]]
    content = spreadsheets.template_xlsx(columns, example, instructions, sheet_name="成绩")
    return download(content, "学业成绩导入模板.xlsx")


def rejected_rows_response(actor: Actor, job) -> HttpResponse:
    """The refused rows with reasons and who can fix them; their full cells (ID numbers) are an audited read."""
    return rosters_exports.rejected_rows_response(actor, job)


@producers.producer
def scores_export(actor: Actor, params: dict) -> producers.Export:
    found = selectors.ordered(selectors.school_scores(
        actor, school_year=params.get("school_year"), item_id=params.get("item_id"),
        class_id=params.get("class_id"), name=str(params.get("name") or "")), str(params.get("sort") or "class"))
    scores = list(found[:LIMIT])
    names = selectors.class_names(actor.scope.school_ids, [s.class_id for s in scores])
    headers = ["学年", "班级", "姓名", "项目", "成绩", "导入时间"]
    rows = [[str(s.school_year), names.get(s.class_id, ""), s.student.name, s.item.label, str(s.score.normalize()),
             f"{s.updated_at:%Y-%m-%d %H:%M}"] for s in scores]
    school_id = next(iter(sorted(actor.scope.school_ids)), None)
    return producers.Export(
        file_name="学业成绩.xlsx",
        sheet=spreadsheets.Sheet(name="学业成绩", headers=headers, rows=rows, text_columns={"姓名", "班级", "项目"}),
        audit_verb="evaluation.scores_export", audit_details={"rows": len(rows), **{
            k: v for k, v in params.items() if v}}, school_id=school_id)


def scores_size(actor: Actor, params: dict) -> int:
    return selectors.school_scores(actor, school_year=params.get("school_year"), item_id=params.get("item_id"),
                                   class_id=params.get("class_id"), name=str(params.get("name") or "")).count()
