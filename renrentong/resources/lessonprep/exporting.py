"""Lesson preparation downloads (RES-4): the catalogue import's template and refused rows (the roster
machinery's audited download), and the checking overview as .xlsx through the shared formula-safe exporter
(written in the request when small, by the worker with a progress page when big)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets import writer as spreadsheets
from renrentong.core.web.downloads import content_type_of, download
from renrentong.exports import producers
from renrentong.exports import services as exports
from renrentong.exports.responses import export_response
from renrentong.rosters import exports as rosters_exports

from renrentong.resources.lessonprep import selectors
from renrentong.resources.lessonprep.importer import TEMPLATE

TITLE = _("Lesson preparation by teacher")


def template_response(actor: Actor) -> HttpResponse:
    selectors.catalogue_jobs(actor)  # refuses anyone who keeps no catalogue
    columns = [spreadsheets.TemplateColumn(header=h, required=req, text=text, comment=note)
               for h, _field, req, text, note in TEMPLATE]
    instructions = [
        "带 * 的列必须填写；列的顺序可以调整，表头可用中文或英文。",
        "每行一个章节：同一本教材（学科、年级、册次、版本、出版社相同）的各行写入同一本书。",
        "章节编号如 1、2、1.2：小节的上级章节须在文件中或已在目录里；请保持“文本”格式（1.10 不要变成 1.1）。",
        "教材写入本地区（省或市）的目录，下辖学校的教师即可备课。",
        "导入前先预览每一行；有问题的行单独列出原因，可下载；再次导入同一文件不会重复；导入后可以撤销。",
    ]
    example = [["数学", "七年级", "上册", "人教版", "人民教育出版社", "义务教育教科书·数学 七年级上册", "1", "有理数"],
               ["数学", "七年级", "上册", "人教版", "人民教育出版社", "", "1.1", "正数和负数"]]
    content = spreadsheets.template_xlsx(columns, example, instructions, sheet_name="教材目录")
    return download(content, "教材目录导入模板.xlsx")


def rejected_rows_response(actor: Actor, job) -> HttpResponse:
    return rosters_exports.rejected_rows_response(actor, job)


@producers.producer
def overview_export(actor: Actor, params: dict) -> producers.Export:
    found = selectors.overview(actor)
    headers = ["教师", "任教学科与年级", "已完成章节", "草稿", "应备章节"]
    rows = [[t.name, t.teaching, str(t.prepared), str(t.drafts), str(t.total)] for t in found]
    return producers.Export(
        file_name="备课检查.xlsx",
        sheet=spreadsheets.Sheet(name="备课检查", headers=headers, rows=rows, text_columns={"教师", "任教学科与年级"}),
        audit_verb="resources.prep_export", audit_details={"rows": len(rows)}, school_id=actor.identity.school_id)


def overview_page_response(request: HttpRequest) -> HttpResponse:
    """The page's export: the shared exporter decides whether it is written now or as a task."""
    return export_response(request, overview_export, {}, estimate=len(selectors.school_teachers(
        selectors.checked_school(request.actor))), title=str(TITLE))


def overview_response(request: HttpRequest) -> HttpResponse:
    """The API's export: a school's teachers are few, written at once by the shared exporter."""
    name, content = exports.write_now(request.auth, overview_export, {})
    return download(content, name, content_type_of(name))
