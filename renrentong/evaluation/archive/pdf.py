"""The archive (综合素质档案) as a PDF, built with reportlab's platypus (pages, wrapping, tables).

Chinese is set in the built-in CID font rosters/slips.py registers (STSong-Light): no font file to ship,
and pdftotext reads it back as Unicode. As there, Latin runs go to Helvetica (the CID font spaces them
unevenly in viewers), characters beyond the Basic Multilingual Plane print as 〓 and middle dots as the
GB dot, since the CID font's CMap cannot address them."""

from __future__ import annotations

import io
import re
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from renrentong.rosters.slips import CJK_FONT

from renrentong.evaluation.archive.selectors import Archive

LATIN = "Helvetica"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_NON_BMP = re.compile(r"[\U00010000-\U0010FFFF]")
_DOTS = str.maketrans({"\u00b7": "\u30fb", "\u2022": "\u30fb", "\u2027": "\u30fb", "\u2219": "\u30fb",
                       "\u22c5": "\u30fb"})
_LATIN_RUN = re.compile(r"[ -~\u00a0-\u00ff]+")


def _style(name: str, size: float, *, leading: float | None = None, space_after: float = 0,
           colour=colors.black) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=CJK_FONT, fontSize=size, leading=leading or size * 1.45,
                          spaceAfter=space_after, wordWrap="CJK", textColor=colour)


TITLE = _style("title", 20, space_after=6)
HEADING = _style("heading", 14, space_after=4)
ITEM = _style("item", 11.5, space_after=2)
BODY = _style("body", 10)
SMALL = _style("small", 8.5, colour=colors.HexColor("#555555"))


def _markup(text: object) -> str:
    """Text as platypus markup: escaped, Latin runs in Helvetica, line breaks kept."""
    text = _NON_BMP.sub("〓", _CONTROL.sub(" ", str(text or "")).translate(_DOTS))
    parts = []
    last = 0
    for found in _LATIN_RUN.finditer(text):
        parts.append(escape(text[last:found.start()]))
        parts.append(f'<font name="{LATIN}">{escape(found.group())}</font>')
        last = found.end()
    parts.append(escape(text[last:]))
    return "".join(parts).replace("\n", "<br/>")


def _p(text: object, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


def _facts(archive: Archive) -> Table:
    rows = [["姓名", archive.name, "学校", archive.school],
            ["班级", archive.class_name, "在校时间", archive.attended],
            ["学年", "、".join(archive.school_years) or "—", "生成日期", f"{archive.made_on:%Y-%m-%d}"]]
    table = Table([[_p(c, BODY) for c in row] for row in rows], colWidths=[18 * mm, 62 * mm, 20 * mm, 70 * mm])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f2f2f2")),
                               ("BACKGROUND", (2, 0), (2, -1), colors.HexColor("#f2f2f2")),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _story(archive: Archive) -> list:
    story: list = [_p("综合素质档案", TITLE), _facts(archive), Spacer(1, 6 * mm)]
    if not archive.dimensions:
        story.append(_p("暂无审核通过的写实记录。", BODY))
    for dimension in archive.dimensions:
        story.append(_p(dimension.label, HEADING))
        for item in dimension.items:
            story.append(_p(f"{item.label}（{len(item.records)} 条）", ITEM))
            for record in item.records:
                head = f"{record.happened_on:%Y-%m-%d}　{record.title or record.kind}"
                decision = "审核通过" + (f" {record.decided_on:%Y-%m-%d}" if record.decided_on else "") + (
                    f"（{record.decided_by}）" if record.decided_by else "")
                block = [_p(head, ITEM), _p(record.text, BODY)]
                if record.files:
                    block.append(_p("附件：" + "、".join(record.files), SMALL))
                block += [_p(f"{record.kind} · {decision}", SMALL), Spacer(1, 3 * mm)]
                story.append(KeepTogether(block))
        story.append(Spacer(1, 3 * mm))
    if archive.scores:
        story.append(_p("导入成绩", HEADING))
        rows = [["学年", "维度", "项目", "成绩", "说明"]] + [
            [s.school_year and f"{s.school_year}-{s.school_year + 1}", s.dimension, s.item, s.value, s.note]
            for s in archive.scores]
        table = Table([[_p(c, BODY) for c in row] for row in rows],
                      colWidths=[24 * mm, 26 * mm, 50 * mm, 25 * mm, 45 * mm], repeatRows=1)
        table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2f2f2"))]))
        story.append(table)
    return story


def _page_number(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(CJK_FONT, 8)
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"第 {doc.page} 页")
    canvas.restoreState()


def render(archives: list[Archive]) -> bytes:
    """One PDF with each archive starting on a new page."""
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=16 * mm, title="综合素质档案", author="人人通")
    story: list = []
    for n, archive in enumerate(archives):
        if n:
            story.append(PageBreak())
        story += _story(archive)
    doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    return out.getvalue()
