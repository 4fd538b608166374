"""The per-class sheet of WeChat binding codes (MSG-2): an A4 page per class with one QR code per parent
account not yet following, its parent's and children's names under it, for the head teacher to hand out
or show at a parents' meeting. Up to 56 codes (7 x 8) a page; a bigger class continues on the next page.
Chinese is set in reportlab's built-in CID font, as the account slips are (rosters/slips.py)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from renrentong.rosters.slips import CJK_FONT

PAGE_W, PAGE_H = A4
MARGIN = 28.0
HEADER = 46.0
COLS, ROWS = 7, 8
PER_PAGE = COLS * ROWS
QR_SIZE = 62.0


@dataclass(frozen=True)
class Code:
    label: str  # the parent's name
    detail: str  # the children's names
    url: str  # what WeChat gave for the scene


@dataclass(frozen=True)
class ClassSheet:
    title: str  # school · class
    codes: list[Code]
    note: str  # printed when nobody is left to bind


def _fit(c: canvas.Canvas, text: str, size: float, width: float) -> str:
    while text and c.stringWidth(text, CJK_FONT, size) > width:
        text = text[:-2] + "…" if len(text) > 1 else ""
    return text


def render(sheets: list[ClassSheet], heading: str, hint: str) -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4, pageCompression=1)
    c.setTitle(heading)
    cell_w = (PAGE_W - 2 * MARGIN) / COLS
    cell_h = (PAGE_H - 2 * MARGIN - HEADER) / ROWS
    for sheet in sheets:
        chunks = [sheet.codes[i:i + PER_PAGE] for i in range(0, len(sheet.codes), PER_PAGE)] or [[]]
        for chunk in chunks:
            c.setFont(CJK_FONT, 14)
            c.drawString(MARGIN, PAGE_H - MARGIN - 14, _fit(c, f"{heading} · {sheet.title}", 14, PAGE_W - 2 * MARGIN))
            c.setFont(CJK_FONT, 8)
            c.drawString(MARGIN, PAGE_H - MARGIN - 30, _fit(c, hint, 8, PAGE_W - 2 * MARGIN))
            if not chunk:
                c.setFont(CJK_FONT, 12)
                c.drawString(MARGIN, PAGE_H - MARGIN - HEADER - 20, sheet.note)
            for n, code in enumerate(chunk):
                col, row = n % COLS, n // COLS
                x = MARGIN + col * cell_w
                y = PAGE_H - MARGIN - HEADER - (row + 1) * cell_h
                widget = QrCodeWidget(code.url, barLevel="M")
                x0, y0, x1, y1 = widget.getBounds()
                drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
                drawing.add(widget)
                renderPDF.draw(drawing, c, x + (cell_w - QR_SIZE) / 2, y + cell_h - QR_SIZE - 2)
                c.setFont(CJK_FONT, 8)
                c.drawCentredString(x + cell_w / 2, y + cell_h - QR_SIZE - 12, _fit(c, code.label, 8, cell_w - 4))
                c.setFont(CJK_FONT, 6.5)
                c.drawCentredString(x + cell_w / 2, y + cell_h - QR_SIZE - 21, _fit(c, code.detail, 6.5, cell_w - 4))
            c.showPage()
    c.save()
    return out.getvalue()
