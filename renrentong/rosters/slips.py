"""Account slips (账号密码条, SPEC IMP-5): one printable A4 PDF per class.

Each page holds 2 columns x 8 rows of slips separated by dashed cut lines. A slip shows the school,
the class, the student's name, the account, the initial password, where to log in and the reminder
that the first login requires a password change. Account and password are set in a monospaced font
(Courier-Bold) so that they can be copied off paper without guessing; other Latin text is set in
Helvetica. A login address too long for its line loses its "https://" before it is cut.

Chinese is set in reportlab's built-in CID font STSong-Light (Adobe-GB1, UniGB-UCS2-H): it needs no
font file, so the PDF renders the same on any machine, and text extraction maps back to Unicode.

The module draws straight onto a reportlab canvas (no platypus): a class of 50 takes a few
milliseconds, a school of 3,000 well under a couple of seconds.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

__all__ = ["Slip", "render_slips", "SLIPS_PER_PAGE"]

CJK_FONT = "STSong-Light"
MONO_FONT = "Courier-Bold"
MONO_FONT_LIGHT = "Courier"
SANS_FONT = "Helvetica"

# Registered once, at import time. registerFont is keyed by name, so a second import is harmless.
try:
    pdfmetrics.getFont(CJK_FONT)
except KeyError:
    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))

ELLIPSIS = "…"
# The GB "geta" mark, the Chinese printers' sign for a character that cannot be set. Used for
# characters outside the Basic Multilingual Plane (CJK Extension B and later): the UCS-2 CMap of the
# built-in CID font cannot address them, and they would otherwise print as nothing at all.
MISSING_CHAR = "〓"

PAGE_W, PAGE_H = A4
MARGIN_X = 34.0
MARGIN_TOP = 30.0
MARGIN_BOTTOM = 30.0
HEADER_H = 34.0
COLS = 2
ROWS = 8
SLIPS_PER_PAGE = COLS * ROWS
PAD = 8.0
LABEL_W = 50.0

GREY = (0.35, 0.35, 0.35)
BLACK = (0, 0, 0)

# Middle dots as typed in transliterated names (买买提·艾力) have no glyph under UniGB-UCS2-H: they
# print as an empty box. U+30FB is the GB2312 middle dot (A1A4) in that CMap and prints.
_PRINTABLE_DOT = str.maketrans({"\u00b7": "\u30fb", "\u2022": "\u30fb", "\u2027": "\u30fb",
                                "\u2219": "\u30fb", "\u22c5": "\u30fb"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_NON_BMP = re.compile(r"[\U00010000-\U0010FFFF]")


@dataclass(frozen=True)
class Slip:
    name: str
    account: str
    password: str
    note: str = ""
    valid_until: str = ""  # the last day the initial password opens the account (initial_password_days)


def _clean(text: object) -> str:
    """One line of printable text: control characters become spaces; see MISSING_CHAR and
    _PRINTABLE_DOT."""
    text = _CONTROL.sub(" ", str(text or "")).strip().translate(_PRINTABLE_DOT)
    return _NON_BMP.sub(MISSING_CHAR, text)


def _is_latin(ch: str) -> bool:
    """Characters that the standard (WinAnsi) fonts print: ASCII and Latin-1."""
    return " " <= ch <= "~" or "\u00a0" <= ch <= "\u00ff"


@lru_cache(maxsize=8192)
def _runs(text: str, latin: str) -> tuple[tuple[str, str], ...]:
    """Split text into (font, chunk) runs: Latin in `latin`, everything else in the CID font.

    Setting Latin in the CID font prints unevenly spaced letters wherever the viewer substitutes
    the (never embedded) STSong glyphs, so "Anna Müller" or the digits of an account go to a
    standard font; the account and password go to a monospaced one.
    """
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = latin if _is_latin(ch) else CJK_FONT
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return tuple(runs)


def _width(text: str, latin: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(chunk, font, size) for font, chunk in _runs(text, latin))


@lru_cache(maxsize=8192)
def _fit(text: str, latin: str, size: float, max_width: float, min_size: float | None = None):
    """Return (text, size) that fits max_width: shrink down to min_size, then cut with an ellipsis."""
    width = _width(text, latin, size)
    if width <= max_width:
        return text, size
    if min_size is not None and min_size < size:
        shrunk = max(min_size, size * max_width / width)
        if _width(text, latin, shrunk) <= max_width:
            return text, shrunk
        size = min_size
    # Binary search the longest prefix that fits together with the ellipsis.
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _width(text[:mid] + ELLIPSIS, latin, size) <= max_width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS, size


def _draw(c, x, y, text, size, *, latin=SANS_FONT, max_width=None, min_size=None, right=False) -> float:
    """Draw one line (fitted to max_width if given) starting at x, or ending at x if right; return its width."""
    if max_width is not None:
        text, size = _fit(text, latin, size, max_width, min_size)
    width = _width(text, latin, size)
    if right:
        x -= width
    # One text object for the whole line, so that the line reads back (and copies) as one string.
    t = c.beginText(x, y)
    for font, chunk in _runs(text, latin):
        t.setFont(font, size)
        t.textOut(chunk)
    c.drawText(t)
    return width


def _draw_header(c, school, class_name, title, page, pages, count):
    top = PAGE_H - MARGIN_TOP
    right = PAGE_W - MARGIN_X
    c.setFillColorRGB(*BLACK)
    page_w = _draw(c, right, top - 12, f"第 {page} / {pages} 页", 10, right=True)
    _draw(c, MARGIN_X, top - 12, f"{school}　{class_name}　{title}", 13,
          max_width=right - MARGIN_X - page_w - 12, min_size=9)
    c.setFillColorRGB(*GREY)
    hint = f"共 {count} 人　沿虚线剪开，每人一条　密码区分大小写" if count else "共 0 人"
    _draw(c, MARGIN_X, top - 26, hint, 8)
    c.setStrokeColorRGB(*BLACK)
    c.setLineWidth(0.8)
    c.setDash()
    c.line(MARGIN_X, top - HEADER_H + 2, right, top - HEADER_H + 2)


def _login_text(url: str, max_width: float) -> str:
    """The login address, without its scheme if that is what it takes to print it whole."""
    bare = re.sub(r"^https?://", "", url)
    if bare != url and _fit(url, MONO_FONT_LIGHT, 9.5, max_width, 6.5)[0] != url:
        return bare
    return url


def _draw_slip(c, x, y, w, h, school, class_name, login_url, slip: Slip):
    """Draw one slip whose cell has its lower left corner at (x, y)."""
    inner_w = w - 2 * PAD
    left = x + PAD
    value_x = left + LABEL_W
    value_w = inner_w - LABEL_W
    baseline = y + h - PAD - 8

    # Line 1: school (left) and class (right), small and grey.
    c.setFillColorRGB(*GREY)
    class_w = _draw(c, x + w - PAD, baseline, class_name, 8.5, max_width=inner_w * 0.45, min_size=6.5, right=True)
    _draw(c, left, baseline, school, 8.5, max_width=inner_w - class_w - 8, min_size=6.5)

    rows = (
        ("姓　　名", _clean(slip.name), SANS_FONT, 9),
        ("账　　号", _clean(slip.account), MONO_FONT, 8),
        ("初始密码", _clean(slip.password), MONO_FONT, 8),
    )
    baseline -= 15.5
    for label, value, latin, min_size in rows:
        c.setFillColorRGB(*GREY)
        _draw(c, left, baseline, label, 9)
        c.setFillColorRGB(*BLACK)
        _draw(c, value_x, baseline, value, 13, latin=latin, max_width=value_w, min_size=min_size)
        baseline -= 15.5

    # Where to log in.
    baseline += 1.5
    c.setFillColorRGB(*GREY)
    _draw(c, left, baseline, "登录网址", 9)
    c.setFillColorRGB(*BLACK)
    _draw(c, value_x, baseline, _login_text(login_url, value_w), 9.5, latin=MONO_FONT_LIGHT,
          max_width=value_w, min_size=6.5)

    # The reminder, and the note if there is one.
    baseline -= 12.5
    note = _clean(slip.note)
    reminder = "首次登录须修改密码" + (f"，初始密码有效期至{slip.valid_until}" if slip.valid_until else "") + (
        f"　{note}" if note else "")
    c.setFillColorRGB(*GREY)
    _draw(c, left, baseline, reminder, 8, max_width=inner_w, min_size=6.5)
    c.setFillColorRGB(*BLACK)


def _draw_cut_lines(c, cells):
    c.setStrokeColorRGB(0.45, 0.45, 0.45)
    c.setLineWidth(0.5)
    c.setDash(4, 3)
    seen = set()
    for x, y, w, h in cells:
        for edge in ((x, y, x + w, y), (x, y + h, x + w, y + h), (x, y, x, y + h),
                     (x + w, y, x + w, y + h)):
            key = tuple(round(v, 2) for v in edge)
            if key not in seen:
                seen.add(key)
                c.line(*edge)
    c.setDash()


def render_slips(school: str, class_name: str, login_url: str, slips: list[Slip], *,
                 title: str = "账号密码条", empty: str = "本班暂无学生，没有可打印的账号密码条。") -> bytes:
    """Render the account slips of one class as an A4 portrait PDF and return its bytes.

    16 slips a page (2 columns x 8 rows), so a class of 50 takes 4 pages. An empty list gives a
    single page that says the class has no students. Over-long text is shrunk, then cut with "…",
    so nothing leaves its slip.
    """
    school = _clean(school)
    class_name = _clean(class_name)
    title = _clean(title) or "账号密码条"
    slips = list(slips)
    login = _clean(login_url)
    pages = max(1, math.ceil(len(slips) / SLIPS_PER_PAGE))

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    c.setTitle(f"{school} {class_name} {title}")
    c.setSubject(title)
    c.setCreator("Renrentong")

    grid_top = PAGE_H - MARGIN_TOP - HEADER_H - 4
    cell_w = (PAGE_W - 2 * MARGIN_X) / COLS
    cell_h = (grid_top - MARGIN_BOTTOM) / ROWS

    for page in range(pages):
        _draw_header(c, school, class_name, title, page + 1, pages, len(slips))
        chunk = slips[page * SLIPS_PER_PAGE:(page + 1) * SLIPS_PER_PAGE]
        if not chunk:
            c.setFillColorRGB(*BLACK)
            _draw(c, MARGIN_X + 20, grid_top - 80, _clean(empty), 14)
        cells = []
        for i, slip in enumerate(chunk):
            row, col = divmod(i, COLS)
            x = MARGIN_X + col * cell_w
            y = grid_top - (row + 1) * cell_h
            cells.append((x, y, cell_w, cell_h))
            _draw_slip(c, x, y, cell_w, cell_h, school, class_name, login, slip)
        _draw_cut_lines(c, cells)
        c.showPage()
    c.save()
    return buf.getvalue()
