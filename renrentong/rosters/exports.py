"""Spreadsheet and PDF downloads: templates (IMP-1), rows that did not go in (IMP-4), rosters (IMP-6)
and account slips (IMP-5). Every spreadsheet goes through spreadsheets.write_xlsx, which never lets a
cell run as a formula."""

from __future__ import annotations


from django.http import HttpResponse
from django.utils import timezone

from renrentong.core.errors import UserFacingError
from renrentong.core.web.downloads import download
from renrentong.exports import producers
from renrentong.exports.services import write_now

from renrentong.rosters import selectors
from renrentong.rosters.importers.columns import STUDENT_TEMPLATE, TEACHER_TEMPLATE
from renrentong.rosters.models import ImportJob, ImportRow

INSTRUCTIONS = [
    "带 * 的列必须填写;列的顺序可以调整,表头可用中文或英文。",
    "身份证号、学籍号、手机号请保持“文本”格式,不要转换成数字(否则末几位会丢失)。",
    "全角数字、姓名中的空格会被自动规范,不会导致导入失败。",
    "已在本校的学生按身份证号识别:班级不同会调到文件中的班级;离开名单不会删除或调动任何人。",
    "家长以手机号登录,同一手机号的多个孩子共用一个家长账号。",
    "导入前会先预览每一行的结果,确认后才写入;导入后可以撤销。",
]


def template_response(kind: str) -> HttpResponse:
    from renrentong.core.spreadsheets import writer as spreadsheets
    if kind not in (ImportJob.Kind.STUDENTS, ImportJob.Kind.TEACHERS):
        raise UserFacingError("import.kind_not_supported")
    spec = STUDENT_TEMPLATE if kind == ImportJob.Kind.STUDENTS else TEACHER_TEMPLATE
    columns = [spreadsheets.TemplateColumn(header=h, required=req, text=text, comment=note)
               for h, _, req, text, note in spec]
    example = (["李小明", "男", "430102201505171234", "L4301020001", "G430102201505171234", "三年级", "1班",
                "李大明", "父亲", "13712345678", "王丽", "母亲", "13812345678"]
               if kind == ImportJob.Kind.STUDENTS else
               ["王老师", "女", "13912345678", "", "语文、数学", "三年级1班、三年级2班", "三年级1班"])
    content = spreadsheets.template_xlsx(columns, [example], INSTRUCTIONS)
    name = "学生导入模板.xlsx" if kind == ImportJob.Kind.STUDENTS else "教师导入模板.xlsx"
    return download(content, name)


def rejected_rows_response(actor, job: ImportJob) -> HttpResponse:
    """The original rows that did not go in, each with its reason and who can fix it (IMP-4). They hold full
    ID numbers and phones, so every download is audited (NFR-1)."""
    from django.db import transaction

    from renrentong.core import audit

    from renrentong.core.spreadsheets import writer as spreadsheets
    rows = ImportRow.objects.filter(job=job, outcome__in=[ImportRow.Outcome.ERROR, ImportRow.Outcome.CONFLICT])
    originals = [(r, r.reveal_original()) for r in rows.order_by("number")]
    width = max((len(cells) for _, cells in originals), default=0)
    sheet = spreadsheets.Sheet(
        name="未导入的行",
        headers=["行号", "原因", "可处理人"] + [f"原第{i + 1}列" for i in range(width)],
        rows=[[str(r.number), selectors.row_message(r), selectors.row_fixer(r)] + [str(c) for c in cells]
              for r, cells in originals],
    )
    with transaction.atomic():
        audit.record(actor, "import.rejected_download", job, {"rows": len(originals)}, school_id=job.school_id)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return download(spreadsheets.write_xlsx([sheet]), f"未导入的行-{job.pk}-{stamp}.xlsx")


def new_accounts_response(actor, job: ImportJob) -> HttpResponse:
    """The new accounts of a committed import with their initial passwords (.xlsx, formula-safe). The file
    opens accounts, so only the job's school admin gets it, and every download is audited."""
    from django.db import transaction

    from renrentong.core import audit
    from renrentong.core.spreadsheets import writer as spreadsheets

    rows = selectors.new_accounts(actor, job)
    headers = selectors.NEW_ACCOUNT_HEADERS
    sheet = spreadsheets.Sheet(name="新账号", headers=headers, rows=rows, text_columns=set(headers),
                               notes=["本表含初始密码，请妥善保管，发放后删除。"])
    with transaction.atomic():
        audit.record(actor, "import.accounts_download", job, {"rows": len(rows)}, school_id=job.school_id)
    stamp = timezone.localtime().strftime("%Y%m%d%H%M")
    return download(spreadsheets.write_xlsx([sheet]), f"新账号及初始密码-{job.pk}-{stamp}.xlsx")


def slips_response(actor, class_id: int, login_url: str, who: str = "students") -> HttpResponse:
    from renrentong.core import audit

    from renrentong.rosters.selectors import slips_for_class
    from renrentong.rosters.slips import render_slips

    who = "parents" if who == "parents" else "students"
    school_class, slips = slips_for_class(actor, class_id, who)
    audit.record(actor, "slips.print", school_class, {"accounts": len(slips), "who": who},
                 school_id=school_class.school_id)
    title = "家长账号密码条" if who == "parents" else "账号密码条"
    pdf = render_slips(school_class.school.name, school_class.display_name(), login_url, slips, title=title,
                       empty="本班学生暂无家长账号。" if who == "parents" else "本班暂无学生，没有可打印的账号密码条。")
    return download(pdf, f"{title}-{school_class.school.name}-{school_class.display_name()}.pdf",
                    "application/pdf")


def chosen_slips_response(actor, account_ids: list[int], login_url: str) -> HttpResponse:
    """The slips of the accounts chosen in the user table, as a PDF; the printing is audited."""
    from django.db import transaction

    from renrentong.core import audit

    from renrentong.rosters.selectors import slips_for_accounts
    from renrentong.rosters.slips import render_slips

    school, slips = slips_for_accounts(actor, account_ids)
    with transaction.atomic():
        audit.record(actor, "slips.print", None, {"accounts": len(slips), "who": "chosen"}, school_id=school.pk)
    pdf = render_slips(school.name, "所选账号", login_url, slips, title="账号密码条")
    return download(pdf, f"账号密码条-{school.name}-{timezone.localtime():%Y%m%d%H%M}.pdf", "application/pdf")


@producers.producer
def roster_export(actor, params: dict) -> producers.Export:
    """A roster (IMP-6) as an export: written in the request when small, by the worker when big."""
    from renrentong.core.spreadsheets import writer as spreadsheets

    kind, school_id, class_id = params["kind"], params.get("school_id"), params.get("class_id")
    title, headers, rows = selectors.roster_rows(actor, kind, school_id, class_id)
    return producers.Export(
        file_name=f"{title}.xlsx",
        sheet=spreadsheets.Sheet(name=title[:31], headers=headers, rows=rows, text_columns=set(headers)),
        audit_verb="roster.export", audit_details={"kind": kind, "school": school_id, "class": class_id})


def roster_response(actor, kind: str, school_id: int | None = None, class_id: int | None = None) -> HttpResponse:
    """The API's roster download: the file itself, whatever its size (API clients wait for it)."""
    name, content = write_now(actor, roster_export, {"kind": kind, "school_id": school_id,
                                                                 "class_id": class_id})
    return download(content, name)
