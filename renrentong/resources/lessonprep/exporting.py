"""Lesson preparation downloads (RES-4): the catalogue import's template and refused rows (the roster
machinery's audited download), and the checking overview and the textbook catalogue as .xlsx through the shared
formula-safe exporter (written in the request when small, by the worker with a progress page when big)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets import writer as spreadsheets
from renrentong.core.web.downloads import download
from renrentong.exports import producers
from renrentong.exports.responses import export_response
from renrentong.orgs.models import GRADE_NAMES
from renrentong.rosters import exports as rosters_exports

from renrentong.resources.lessonprep import access, selectors
from renrentong.resources.lessonprep.importer import TEMPLATE

TITLE = _("Lesson preparation by teacher")
CATALOGUE_TITLE = _("Textbook catalogue")
# The book columns of the import template first, in its words, so that a sheet can be read next to a file to import.
CATALOGUE_HEADERS = ["学科", "年级", "册次", "版本", "出版社", "教材名称", "维护地区", "章节数", "状态"]
VOLUME_ZH = {"first": "上册", "second": "下册", "whole": "全一册"}


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


def overview_size(actor: Actor) -> int:
    """The overview's rows: the school's teachers (refuses anyone who checks no school's preparation)."""
    return len(selectors.school_teachers(selectors.checked_school(actor)))


def overview_page_response(request: HttpRequest) -> HttpResponse:
    """The page's export: the shared exporter decides whether it is written now or as a task."""
    return export_response(request, overview_export, {}, estimate=overview_size(request.actor), title=str(TITLE))


def catalogue_params(*, subject: str = "", grade: int | None = None, retired: bool = False,
                     own_only: bool = False) -> dict:
    """The catalogue's filters as an export's parameters (the list endpoint's; the page's: retired for keepers)."""
    return {"subject": subject, "grade": grade, "retired": retired, "own_only": own_only}


def _catalogue_books(actor: Actor, params: dict):
    grade = params.get("grade")
    return selectors.textbooks(actor, subject=str(params.get("subject") or ""), grade=int(grade) if grade else None,
                               retired=bool(params.get("retired")), own_only=bool(params.get("own_only")))


@producers.producer
def catalogue_export(actor: Actor, params: dict) -> producers.Export:
    books = list(_catalogue_books(actor, params))
    names = selectors.region_names([b.region_id for b in books])
    rows = [[b.subject, str(GRADE_NAMES.get(b.grade, b.grade)), VOLUME_ZH.get(b.volume, b.volume), b.edition,
             b.publisher, str(b), names.get(b.region_id, ""), b.chapter_count, "已停用" if b.retired_at else "在用"]
            for b in books]
    return producers.Export(
        file_name="教材目录.xlsx",
        sheet=spreadsheets.Sheet(name="教材目录", headers=CATALOGUE_HEADERS, rows=rows,
                                 text_columns=set(CATALOGUE_HEADERS) - {"章节数"}),
        audit_verb="resources.catalogue_export", audit_details={**params, "rows": len(rows)})


def catalogue_size(actor: Actor, params: dict) -> int:
    """The books the export lists (refuses anyone who may not read the catalogue)."""
    return _catalogue_books(actor, params).count()


def catalogue_page_response(request: HttpRequest) -> HttpResponse:
    """The catalogue page's export: what the page lists (retired books too for those who keep a catalogue)."""
    actor = request.actor
    params = catalogue_params(retired=access.keeps_catalogue(actor))
    return export_response(request, catalogue_export, params, estimate=catalogue_size(actor, params),
                           title=str(CATALOGUE_TITLE))
