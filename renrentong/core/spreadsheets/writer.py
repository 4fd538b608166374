"""Roster files out (IMP-1, IMP-4, IMP-6): workbooks and CSV files that can never run a formula.

Every cell is written as a string (write_string, never write(), which would turn "=..." into a formula)
and every value a spreadsheet could take for a formula is neutralised. Why both: a string cell in an
.xlsx never runs as a formula, but users save our exports as CSV, edit them and open them again, and
then Excel, WPS and LibreOffice read "=HYPERLINK(...)" or "@SUM(...)" in a cell as a formula. So, as
OWASP advises against CSV/formula injection, a value starting with = + - @, a tab or a carriage return
(or their full-width forms, which Chinese input methods type) gets a leading single quote: it is shown,
it survives any round trip, and the cell stays text. Names and ID numbers never start with these, so
the quote only ever shows on data that was trying something.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import xlsxwriter

# What makes a spreadsheet read a cell as a formula (OWASP "CSV Injection"), with the full-width forms.
FORMULA_TRIGGERS = frozenset("=+-@\t\r＝＋－＠")
MAX_CELL_CHARS = 32_767  # Excel's limit for one cell
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def neutralise(value: object) -> str:
    """The text of a cell, made safe to open in any spreadsheet; "" for None."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if _SURROGATES.search(text):
        text = _SURROGATES.sub("\ufffd", text)  # not encodable; from broken input, never from a person
    if text[:1] in FORMULA_TRIGGERS:
        text = "'" + text
    return text[:MAX_CELL_CHARS]


@dataclass
class Sheet:
    name: str
    headers: Sequence[str]
    rows: Iterable[Sequence[object]]  # any iterable: rows are written as they come (constant memory)
    text_columns: set[str] = field(default_factory=set)  # headers of columns formatted as text ("@")
    widths: dict[str, float] | None = None  # header -> column width in characters; else from the headers
    notes: Sequence[str] = ()  # lines above the header row, e.g. what the sheet holds


@dataclass
class TemplateColumn:
    header: str
    required: bool = False
    text: bool = True  # formatted as text, so that ID numbers and phones typed later stay text
    comment: str = ""  # shown as a note on the header cell


def write_xlsx(sheets: list[Sheet]) -> bytes:
    """An .xlsx of the sheets: header row in bold and frozen, every cell a neutralised string."""
    output = io.BytesIO()
    # constant_memory writes each row to disk as it comes, so a 100,000-row export stays small in memory.
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(book)
    used: set[str] = set()
    for sheet in sheets:
        worksheet = book.add_worksheet(_sheet_name(sheet.name, used))
        widths = sheet.widths or {}
        for index, header in enumerate(sheet.headers):
            width = widths.get(header) or _width(header)
            worksheet.set_column(index, index, width, styles.text if header in sheet.text_columns else None)
        row = 0
        for note in sheet.notes:
            worksheet.write_string(row, 0, neutralise(note), styles.note)
            row += 1
        for index, header in enumerate(sheet.headers):
            worksheet.write_string(row, index, neutralise(header), styles.header)
        worksheet.freeze_panes(row + 1, 0)
        for values in sheet.rows:
            row += 1
            _write_row(worksheet, row, values)
    book.close()
    return output.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """A CSV in UTF-8 with a byte-order mark (without it Excel reads the Chinese as GBK and garbles it),
    CRLF line ends, every value neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    for values in rows:
        writer.writerow([neutralise(v) for v in values])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def template_xlsx(columns: list[TemplateColumn], example_rows: Iterable[Sequence[object]],
                  instructions: list[str], *, sheet_name: str = "名单") -> bytes:
    """An import template: the first sheet holds only the header row (required headers marked "*" and in
    red, notes on the headers, text columns formatted as text down the sheet); a second sheet "填写说明"
    holds the instructions and the example rows. The examples are kept off the first sheet so that a
    template filled in without deleting them cannot import them."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False, "strings_to_urls": False})
    styles = _Styles(book)
    examples = [[neutralise(v) for v in row] for row in example_rows]
    headers = [("*" if c.required else "") + c.header for c in columns]
    used: set[str] = set()

    sheet = book.add_worksheet(_sheet_name(sheet_name, used))
    for index, column in enumerate(columns):
        width = max([_width(headers[index])] + [_width(row[index]) for row in examples if index < len(row)])
        sheet.set_column(index, index, width, styles.text if column.text else None)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, neutralise(headers[index]), styles.required if column.required
                           else styles.header)
        if column.comment:
            sheet.write_comment(0, index, neutralise(column.comment), {"x_scale": 1.5})
    sheet.freeze_panes(1, 0)

    guide = book.add_worksheet(_sheet_name("填写说明", used))
    guide.set_column(0, 0, 12)
    guide.set_column(1, max(1, len(columns) - 1), 16)
    row = 0
    guide.write_string(row, 0, "填写说明", styles.header)
    for number, line in enumerate(instructions, 1):
        row += 1
        guide.write_string(row, 0, neutralise(f"{number}. {line}"))
    row += 2
    guide.write_string(row, 0, "带 * 的列必须填写。各列说明:", styles.header)
    for column, header in zip(columns, headers):
        row += 1
        guide.write_string(row, 0, neutralise(header), styles.required if column.required else styles.header)
        guide.write_string(row, 1, neutralise(column.comment))
    if examples:
        row += 2
        guide.write_string(row, 0, "示例(请勿复制到名单中):", styles.header)
        row += 1
        for index, header in enumerate(headers):
            guide.write_string(row, index, neutralise(header), styles.header)
        for values in examples:
            row += 1
            _write_row(guide, row, values)
    book.close()
    return output.getvalue()


class _Styles:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.text = book.add_format({"num_format": "@"})
        self.header = book.add_format({"bold": True, "num_format": "@"})
        self.required = book.add_format({"bold": True, "font_color": "#C00000", "num_format": "@"})
        self.note = book.add_format({"italic": True, "font_color": "#595959", "num_format": "@"})


def _write_row(worksheet, row: int, values: Sequence[object]) -> None:
    for column, value in enumerate(values):
        text = neutralise(value)
        if text:
            worksheet.write_string(row, column, text)


def _sheet_name(name: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not blank, unique ignoring case."""
    base = _SHEET_NAME_FORBIDDEN.sub("_", name).strip("' ")[:31] or "Sheet"
    candidate, n = base, 1
    while candidate.lower() in used:
        n += 1
        candidate = f"{base[:31 - len(str(n)) - 1]}_{n}"
    used.add(candidate.lower())
    return candidate


def _width(text: str) -> float:
    # East Asian characters are about twice as wide as Latin ones.
    units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in str(text)[:60])
    return min(max(units + 2, 8), 60)
