"""IMP-1, IMP-6: roster files in and out. screen_file knows a spreadsheet by its content and refuses hostile
files quickly and in little memory; read_table matches headers however they are written and keeps cells as
text; exports never hold a formula. Every file is built here, in tmp_path."""

from __future__ import annotations

import csv
import datetime
import io
import random
import string
import struct
import tempfile
import tracemalloc
import zipfile
from pathlib import Path

import pytest
import xlsxwriter
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets import reader
from renrentong.core.spreadsheets.reader import STORED_AS_NUMBER, read_table, screen_file
from renrentong.core.spreadsheets.writer import (
    FORMULA_TRIGGERS,
    Sheet,
    TemplateColumn,
    neutralise,
    template_xlsx,
    write_csv,
    write_xlsx,
)

from tests.spreadsheet_files import CONTENT_TYPES, MB, deflated_zeros, raw_zip, sheet_xml, stored, xlsx_parts

COLUMNS = {
    "name": ("姓名", "学生姓名", "name"),
    "id_number": ("身份证号", "身份证号码", "id number", "id_number"),
    "sex": ("性别", "sex"),
    "phone": ("手机号", "家长手机号", "phone"),
    "class": ("班级", "class"),
}
# 430102201505171234 typed into an Excel cell formatted as a number: Excel keeps 15 significant digits.
EXCEL_ID = 4.30102201505171e17


# Building files ------------------------------------------------------------------------------------------

def xlsx(path: Path, rows: list[list], sheet_name: str = "Sheet1") -> Path:
    """A real workbook: str as strings, numbers as numbers, dates as dates, None left empty."""
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet(sheet_name)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            elif isinstance(value, bool):
                sheet.write_boolean(r, c, value)
            elif isinstance(value, datetime.date):
                sheet.write_datetime(r, c, datetime.datetime.combine(value, datetime.time()), date_format)
            else:
                sheet.write_number(r, c, value)
    book.close()
    return path


def zip_of(path: Path, parts: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return path


FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole(streams: dict[str, bytes]) -> bytes:
    """A genuine compound file ([MS-CFB] version 3, 512-byte sectors) holding up to three streams; those
    under 4096 bytes go to the mini stream, as Office puts them. Sector 0 is the FAT, sector 1 the
    directory."""
    assert len(streams) <= 3
    sectors: list[bytes] = []
    fat = [FAT_SECTOR, END]

    def chain(data: bytes) -> int:
        if not data:
            return END
        start = 2 + len(sectors)
        pieces = [data[i:i + 512].ljust(512, b"\0") for i in range(0, len(data), 512)]
        sectors.extend(pieces)
        fat.extend([start + i + 1 for i in range(len(pieces) - 1)] + [END])
        return start

    mini, minifat, places = bytearray(), [], {}
    for name, data in streams.items():
        if len(data) < 4096:
            first, count = len(mini) // 64, -(-len(data) // 64)
            minifat.extend([first + i + 1 for i in range(count - 1)] + [END] if count else [])
            mini += data.ljust(count * 64, b"\0")
            places[name] = (first if count else END, len(data))
    for name, data in streams.items():
        if len(data) >= 4096:
            places[name] = (chain(data), len(data))
    root_start = chain(bytes(mini))
    minifat_start = chain(struct.pack(f"<{len(minifat)}I", *minifat).ljust(512, b"\xff")) if minifat else END
    assert len(fat) <= 128
    fat_sector = struct.pack("<128I", *(fat + [FREE] * (128 - len(fat))))

    def entry(name: str, kind: int, start: int, size: int, child: int = NO_STREAM, right: int = NO_STREAM):
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, NO_STREAM, right, child)
                + bytes(16) + struct.pack("<IQQIII", 0, 0, 0, start, size, 0))

    names = list(streams)
    directory = entry("Root Entry", 5, root_start, len(mini), child=1 if names else NO_STREAM)
    for i, name in enumerate(names, 1):
        directory += entry(name, 2, *places[name], right=i + 1 if i < len(names) else NO_STREAM)
    directory = directory.ljust(512, b"\0")
    header = (reader.OLE_MAGIC + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<9I", 0, 1, 1, 0, 4096, minifat_start, 1 if minifat else 0, END, 0)
              + struct.pack("<109I", 0, *[FREE] * 108))
    return header + fat_sector + directory + b"".join(sectors)


def record(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def biff8(rows: list[list], *, filepass: bool = False, macro_sheet: bool = False) -> bytes:
    """An Excel 97-2003 workbook stream ([MS-XLS] BIFF8) with one sheet: strings as LABEL, numbers as
    NUMBER records."""
    bof = struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6)
    name = "Sheet1"
    boundsheet = struct.pack("<IBBBB", 0, 0, 0x01 if macro_sheet else 0, len(name), 1) + name.encode("utf-16-le")
    head = record(0x0809, bof) + (record(0x002F, b"\x01\x00" + bytes(52)) if filepass else b"")
    head += record(0x0042, struct.pack("<H", 1200))
    offset = len(head) + len(record(0x0085, boundsheet)) + len(record(0x000A))
    globals_ = head + record(0x0085, struct.pack("<I", offset) + boundsheet[4:]) + record(0x000A)
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += record(0x0204, struct.pack("<HHHHB", r, c, 0, len(value), 1) + value.encode("utf-16-le"))
            elif value is not None:
                cells += record(0x0203, struct.pack("<HHHd", r, c, 0, float(value)))
    width = max(len(row) for row in rows)
    sheet = (record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
             + record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)) + cells + record(0x000A))
    return globals_ + sheet


def write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def refused(path: Path, code: str, name: str = "名单.xlsx") -> UserFacingError:
    """screen_file refuses the file with `code` within 256 MB of Python memory. How fast is not asserted
    here (timings belong in bench/); the memory bound shows nothing was unpacked."""
    tracemalloc.start()
    try:
        with pytest.raises(UserFacingError) as caught:
            screen_file(path, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code == code, caught.value.code
    assert peak < 256 * MB
    return caught.value


# Screening: content, not extension -------------------------------------------------------------------------

def test_formats_are_known_by_content_not_by_extension(tmp_path):
    book = xlsx(tmp_path / "a.xlsx", [["姓名"], ["张三"]])
    assert screen_file(write(tmp_path / "renamed.xls", book.read_bytes()), "名单.xls") == "xlsx"
    assert screen_file(write(tmp_path / "b.xls", ole({"Workbook": biff8([["姓名"]])})), "名单.xlsx") == "xls"
    assert screen_file(write(tmp_path / "c.xlsx", "姓名,性别\n张三,男\n".encode()), "名单.xlsx") == "csv"
    assert screen_file(write(tmp_path / "d", "姓名,性别\n张三,男\n".encode("gb18030")), "名单") == "csv"


def test_an_empty_file_is_refused(tmp_path):
    refused(write(tmp_path / "empty.xlsx", b""), "import.file_empty")
    refused(write(tmp_path / "blank.csv", b" \r\n\r\n"), "import.file_empty")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.write(reader.ZIP_MAGIC)
        handle.truncate(reader.MAX_FILE_BYTES + 1)
    error = refused(path, "import.workbook_too_large")
    assert error.status == 413 and "20 MB" in error.message and "CSV" in error.message
    with path.open("wb") as handle:  # sparse: nothing is written, and nothing may be read
        handle.truncate(reader.MAX_CSV_BYTES + 1)
    error = refused(path, "import.csv_too_large", name="名单.csv")
    assert error.status == 413 and "200 MB" in error.message


def test_a_csv_larger_than_a_workbook_may_be_streams_in_little_memory(tmp_path, monkeypatch):
    """A CSV is read a block at a time (a city's roster is one file): reading its rows one at a time holds a
    small part of the file, whatever its size; a GB18030 file whose first lines are all ASCII is still known as
    one. (Blocks and the workbook limit are made small here so that a small file shows it.)"""
    monkeypatch.setattr(reader, "MAX_FILE_BYTES", 1 * MB)
    monkeypatch.setattr(reader, "_TEXT_BLOCK", 64 * 1024)
    path = tmp_path / "city.csv"
    line = "学生,{:08d},男,三年级,2班\n"
    with path.open("w", encoding="gb18030", newline="") as out:
        out.write("姓名,学号,性别,年级,班级\n")
        out.write("".join(f"Pupil,{i:08d},M,3,2\n" for i in range(20_000)))  # ASCII only
        out.write("".join(line.format(i) for i in range(20_000, 150_000)))
    size = path.stat().st_size
    assert size > 3 * MB
    assert screen_file(path, "city.csv") == "csv"
    tracemalloc.start()
    try:
        with reader.stream_table(path, "csv", COLUMNS, {"name"}) as table:
            assert 149_000 < table.estimated_rows <= 150_001
            count = last = 0
            for row in table.rows:
                count, last = count + 1, row
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 150_000 and last.values["name"] == "学生" and last.number == 150_001
    assert peak < size // 4, (peak, size)  # a list of its rows would be ten times the file


def test_binary_junk_is_not_a_spreadsheet(tmp_path):
    junk = random.Random(7).randbytes(64 * 1024)
    error = refused(write(tmp_path / "junk.xlsx", junk), "import.file_not_spreadsheet", name="../../名单.xlsx")
    assert "名单.xlsx" in error.message and "../" not in error.message
    refused(write(tmp_path / "photo.xlsx", b"\x89PNG\r\n\x1a\n" + junk), "import.file_not_spreadsheet")
    refused(write(tmp_path / "doc.xls", ole({"WordDocument": bytes(5000)})), "import.file_not_spreadsheet")


def test_look_alike_formats_say_what_they_are(tmp_path):
    html = "<html><body><table><tr><td>姓名</td></tr></table></body></html>".encode()
    assert "HTML" in refused(write(tmp_path / "a.xls", html), "import.file_unsupported_format").message
    xml = '<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'
    assert "SpreadsheetML" in refused(write(tmp_path / "b.xls", xml.encode()),
                                      "import.file_unsupported_format").message
    ods = zip_of(tmp_path / "c.xlsx", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet",
                                       "content.xml": "<office:document-content/>"})
    assert ".ods" in refused(ods, "import.file_unsupported_format").message


# Screening: hostile files ---------------------------------------------------------------------------------

def test_a_zip_bomb_is_refused_from_its_directory_before_anything_is_inflated(tmp_path):
    bomb = deflated_zeros()
    parts = [stored(name, content) for name, content in xlsx_parts().items() if name != "xl/worksheets/sheet1.xml"]
    path = write(tmp_path / "bomb.xlsx", raw_zip(parts + [("xl/worksheets/sheet1.xml", bomb, 8, 0, 1 << 30)]))
    assert path.stat().st_size < 2 * MB
    refused(path, "import.file_unpacked_too_large")


def test_a_zip_bomb_behind_a_small_declared_size_stops_at_that_size(tmp_path):
    # The directory says 1,000 bytes; the data inflates to 1 GiB. Only 1,001 bytes are ever inflated.
    bomb = deflated_zeros()
    parts = [stored(name, content) for name, content in xlsx_parts().items() if name != "xl/worksheets/sheet1.xml"]
    path = write(tmp_path / "liar.xlsx", raw_zip(parts + [("xl/worksheets/sheet1.xml", bomb, 8, 0, 1000)]))
    refused(path, "import.file_unpacked_too_large")


def test_a_zip_of_ten_thousand_parts_is_refused_before_zipfile_parses_it(tmp_path):
    entries = [stored(name, content) for name, content in xlsx_parts().items()]
    entries += [stored(f"xl/media/{i}.bin", b"x") for i in range(10_000)]
    error = refused(write(tmp_path / "many.xlsx", raw_zip(entries)), "import.file_too_many_parts")
    assert "10006" in error.message and "2000" in error.message


def test_billion_laughs_in_the_workbook_xml_is_refused(tmp_path):
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
              + ']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets>'
              '<sheet name="&lol9;" sheetId="1" r:id="rId1"/></sheets></workbook>')
    refused(zip_of(tmp_path / "lol.xlsx", xlsx_parts(**{"xl/workbook.xml": laughs})), "import.file_xml_doctype")
    utf16 = laughs.replace('<?xml version="1.0"?>', "").encode("utf-16")
    refused(zip_of(tmp_path / "lol16.xlsx", xlsx_parts(**{"xl/workbook.xml": utf16})), "import.file_xml_doctype")


def test_a_macro_workbook_renamed_xlsx_is_refused(tmp_path):
    refused(zip_of(tmp_path / "m.xlsx", xlsx_parts(**{"xl/vbaProject.bin": bytes(2048)})), "import.file_macro")
    macro_types = CONTENT_TYPES.replace("spreadsheetml.sheet.main+xml", "ms-excel.sheet.macroEnabled.main+xml")
    refused(zip_of(tmp_path / "m2.xlsx", xlsx_parts(**{"[Content_Types].xml": macro_types})), "import.file_macro")
    refused(zip_of(tmp_path / "m3.xlsx", xlsx_parts(**{"xl/macrosheets/sheet1.xml": "<xm:macrosheet/>"})),
            "import.file_macro")
    refused(write(tmp_path / "m.xls", ole({"Workbook": biff8([["姓名"]]), "_VBA_PROJECT_CUR": bytes(100)})),
            "import.file_macro")
    refused(write(tmp_path / "m4.xls", ole({"Workbook": biff8([["姓名"]], macro_sheet=True)})), "import.file_macro")


def test_encrypted_workbooks_are_refused(tmp_path):
    # An encrypted .xlsx is an OLE compound file holding EncryptionInfo and EncryptedPackage streams; the
    # file here is a genuine compound file with the EncryptionInfo stream only (its content is filler).
    refused(write(tmp_path / "secret.xlsx", ole({"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(200)})),
            "import.file_encrypted")
    # An encrypted .xls has a FILEPASS record right after the BOF of its workbook globals.
    refused(write(tmp_path / "secret.xls", ole({"Workbook": biff8([["姓名"], ["张三"]], filepass=True)})),
            "import.file_encrypted", name="名单.xls")
    # And a zip whose entries carry the encryption flag.
    entries = [stored(name, content) for name, content in xlsx_parts().items()]
    flagged = bytearray(raw_zip(entries))
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := flagged.find(sig, start)) >= 0:
            flagged[start + offset] |= 1
            start += 4
    refused(write(tmp_path / "zipcrypto.xlsx", bytes(flagged)), "import.file_encrypted")


def test_a_sheet_declaring_a_million_rows_is_refused_from_its_dimension(tmp_path):
    parts = xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                                                                dimension="A1:C1000000")})
    error = refused(zip_of(tmp_path / "million.xlsx", parts), "import.file_too_many_rows")
    assert error.status == 413 and "999999" in error.message and "200000" in error.message
    wide = xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet_xml("", dimension="A1:XFD10")})
    refused(zip_of(tmp_path / "wide.xlsx", wide), "import.file_too_many_columns")


def test_damaged_archives_are_refused(tmp_path):
    whole = zip_of(tmp_path / "whole.xlsx", xlsx_parts()).read_bytes()
    refused(write(tmp_path / "cut.xlsx", whole[: len(whole) // 2]), "import.file_damaged")
    entries = [stored(name, content) for name, content in xlsx_parts().items()]
    bad_crc = [(n, d, m, crc ^ 1, s) if n == "xl/worksheets/sheet1.xml" else (n, d, m, crc, s)
               for n, d, m, crc, s in entries]
    refused(write(tmp_path / "crc.xlsx", raw_zip(bad_crc)), "import.file_damaged")
    refused(write(tmp_path / "twice.xlsx", raw_zip(entries + entries[-1:])), "import.file_damaged")
    refused(write(tmp_path / "junk-after.xlsx", raw_zip(entries) + b"junk"), "import.file_damaged")


def test_a_looping_ole_sector_chain_is_refused(tmp_path):
    data = bytearray(ole({"Workbook": biff8([["姓名"]]) + bytes(5000)}))
    fat = list(struct.unpack_from("<128I", data, 512))
    fat[3] = 2  # the workbook stream's second sector points back to its first
    struct.pack_into("<128I", data, 512, *fat)
    refused(write(tmp_path / "loop.xls", bytes(data)), "import.file_damaged", name="名单.xls")


def test_cells_far_apart_cannot_take_the_server_down(tmp_path):
    # 2 KB that pass every screen but make calamine ask for 512 GiB (a dense grid from A1 to XFD1048576):
    # the parse runs in a child with a memory limit, so the refusal is a message, not a dead worker.
    body = ('<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>')
    path = zip_of(tmp_path / "sparse.xlsx", xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet_xml(body)}))
    assert screen_file(path, "sparse.xlsx") == "xlsx"
    tracemalloc.start()
    try:
        with pytest.raises(UserFacingError) as caught:
            read_table(path, "xlsx", COLUMNS, {"name"})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert caught.value.code in ("import.file_too_complex", "import.file_too_many_rows")
    assert peak < 64 * MB


def test_one_long_shared_string_in_every_cell_cannot_take_the_server_down(tmp_path):
    # calamine copies a shared string into each cell using it: 40,000 cells x 30,000 characters is 1.2 GB.
    body = "".join(f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in "ABCDEFGHIJ")
                   + "</row>" for r in range(1, 4001))
    parts = xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet_xml(body),
                          "xl/sharedStrings.xml": f'<sst xmlns="x"><si><t>{"长" * 30000}</t></si></sst>'})
    path = zip_of(tmp_path / "copies.xlsx", parts)
    assert screen_file(path, "copies.xlsx") == "xlsx"
    with pytest.raises(UserFacingError) as caught:
        read_table(path, "xlsx", COLUMNS, {"name"})
    assert caught.value.code == "import.file_too_complex"


# Reading ------------------------------------------------------------------------------------------------

def test_an_xlsx_reads_as_text_by_canonical_field(tmp_path):
    path = xlsx(tmp_path / "r.xlsx", [
        ["学校名单(2024级)"],  # a title row above the header
        ["班级", "备注", "Name", "ID Number", "手机号"],
        ["1班", "转入", "  张 三 ", "43010220150517123X", 13712345678.0],
        [None, None, None, None, None],
        ["２班", "", "李四", EXCEL_ID, 13812345678],
        ["3班", datetime.date(2015, 9, 1), "王五", 4301.5, True],
    ])
    assert screen_file(path, "r.xlsx") == "xlsx"
    table = read_table(path, "xlsx", COLUMNS, {"name", "class"})
    assert table.header_row == 2
    assert table.fields == ["class", "name", "id_number", "phone"]
    assert table.headers == ["班级", "备注", "Name", "ID Number", "手机号"]
    assert table.columns == {"class": 0, "name": 2, "id_number": 3, "phone": 4}
    assert [row.number for row in table.rows] == [3, 5, 6]  # spreadsheet row numbers; the empty row skipped
    first, second, third = table.rows
    assert first.values == {"class": "1班", "name": "张 三", "id_number": "43010220150517123X",
                            "phone": "13712345678"}
    assert first.original == ["1班", "转入", "  张 三 ", "43010220150517123X", "13712345678"]
    assert first.problems == {}
    # An 18-digit ID number typed as a number has lost its last digits already: flagged, never guessed.
    assert second.values["id_number"] == "430102201505171000"
    assert second.problems == {"id_number": STORED_AS_NUMBER}
    assert second.values["class"] == "２班"  # full-width digits are kept for normalize_text later
    assert third.original[1] == "2015-09-01" and third.values["phone"] == "TRUE"
    assert third.problems == {"id_number": STORED_AS_NUMBER}  # a fraction is no ID number either


def test_full_width_digits_and_spaces_inside_values_are_kept(tmp_path):
    path = write(tmp_path / "w.csv", "姓名,手机号,身份证号\n张　三,１３７ １２３４ ５６７８,４３０１０２\n".encode())
    row = read_table(path, "csv", COLUMNS, {"name"}).rows[0]
    assert row.values == {"name": "张　三", "phone": "１３７ １２３４ ５６７８", "id_number": "４３０１０２"}


def test_the_first_visible_worksheet_is_read_and_columns_keep_their_places(tmp_path):
    book = xlsxwriter.Workbook(tmp_path / "h.xlsx")
    hidden = book.add_worksheet("选项")
    hidden.write_string(0, 0, "男")
    hidden.hide()
    roster = book.add_worksheet("名单")
    roster.write_row(0, 2, ["姓名", "班级"])  # columns A and B left empty
    roster.write_row(1, 2, ["张三", "1班"])
    roster.activate()  # Excel cannot hide the active sheet
    book.close()
    table = read_table(tmp_path / "h.xlsx", "xlsx", COLUMNS, {"name"})
    assert table.columns == {"name": 2, "class": 3}
    assert table.rows[0].original == ["", "", "张三", "1班"] and table.rows[0].values == {"name": "张三", "class": "1班"}


def test_text_only_limits_which_fields_are_flagged(tmp_path):
    path = xlsx(tmp_path / "t.xlsx", [["姓名", "身份证号", "手机号"], ["张三", EXCEL_ID, 1.5e20]])
    row = read_table(path, "xlsx", COLUMNS, {"name"}, text_only={"id_number"}).rows[0]
    assert row.problems == {"id_number": STORED_AS_NUMBER}
    assert read_table(path, "xlsx", COLUMNS, {"name"}).rows[0].problems.keys() == {"id_number", "phone"}


def test_an_xls_reads_like_an_xlsx(tmp_path):
    path = write(tmp_path / "old.xls", ole({"Workbook": biff8([
        ["姓名", "身份证号", "手机号", "籍贯"],
        ["张三", EXCEL_ID, 13712345678, "湖南"],
        [],
        ["李四", "430102201505171234", 13812345678.0, None],
    ])}))
    assert screen_file(path, "old.xls") == "xls"
    table = read_table(path, "xls", COLUMNS, {"name"})
    assert table.fields == ["name", "id_number", "phone"]
    assert [(r.number, r.values, r.problems) for r in table.rows] == [
        (2, {"name": "张三", "id_number": "430102201505171000", "phone": "13712345678"},
         {"id_number": STORED_AS_NUMBER}),
        (4, {"name": "李四", "id_number": "430102201505171234", "phone": "13812345678"}, {}),
    ]
    assert table.rows[0].original == ["张三", "430102201505171000", "13712345678", "湖南"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_encoding_excel_and_wps_write(tmp_path, encoding):
    text = "姓名,身份证号,手机号\r\n张三,43010220150517123X,13712345678\r\n\r\n\"李,四\",\"4.30102E+17\",\r\n"
    path = write(tmp_path / "c.csv", text.encode(encoding))
    assert screen_file(path, "c.csv") == "csv"
    table = read_table(path, "csv", COLUMNS, {"name"})
    assert [(r.number, r.values, r.problems) for r in table.rows] == [
        (2, {"name": "张三", "id_number": "43010220150517123X", "phone": "13712345678"}, {}),
        # Excel saving a numeric ID column to CSV writes it in scientific notation.
        (4, {"name": "李,四", "id_number": "4.30102E+17", "phone": ""}, {"id_number": STORED_AS_NUMBER}),
    ]


def test_tab_separated_text_is_read(tmp_path):
    path = write(tmp_path / "t.txt", "姓名\t班级\n张三\t1班\n".encode("utf-16"))
    assert [r.values for r in read_table(path, "csv", COLUMNS, {"name"}).rows] == [{"name": "张三", "class": "1班"}]


def test_missing_required_columns_are_named_in_the_users_language(tmp_path):
    path = write(tmp_path / "m.csv", "学生姓名,备注\n张三,x\n".encode())
    with pytest.raises(UserFacingError) as caught:
        read_table(path, "csv", COLUMNS, {"name", "id_number", "class"})
    error = caught.value
    assert error.code == "import.header_missing"
    assert "身份证号 / 身份证号码 / id number / id_number; 班级 / class" in error.message
    assert error.message.startswith("表头缺少必填列") and "学生姓名" not in error.message
    with translation.override("en"):
        assert error.message.startswith("The header row lacks required columns: 身份证号 / 身份证号码")


def test_two_columns_for_one_field_are_refused(tmp_path):
    path = write(tmp_path / "d.csv", "姓名,学生姓名\n张三,张三\n".encode())
    with pytest.raises(UserFacingError) as caught:
        read_table(path, "csv", COLUMNS, {"name"})
    assert caught.value.code == "import.header_duplicate" and "“姓名” / “学生姓名”" in caught.value.message


def test_a_sheet_with_nothing_in_it_is_empty(tmp_path):
    with pytest.raises(UserFacingError) as caught:
        read_table(xlsx(tmp_path / "e.xlsx", [[None]]), "xlsx", COLUMNS, {"name"})
    assert caught.value.code == "import.file_empty"


def test_row_and_column_limits_hold_while_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 5)
    rows = [["姓名"]] + [[f"学生{i}"] for i in range(8)]
    with pytest.raises(UserFacingError) as caught:
        read_table(xlsx(tmp_path / "r.xlsx", rows), "xlsx", COLUMNS, {"name"})
    assert (caught.value.code, caught.value.params["rows"]) == ("import.file_too_many_rows", 8)
    path = write(tmp_path / "r.csv", "\n".join(r[0] for r in rows).encode())
    monkeypatch.setattr(reader, "MAX_CSV_ROWS", 5)
    with pytest.raises(UserFacingError) as caught:
        read_table(path, "csv", COLUMNS, {"name"})
    assert (caught.value.code, caught.value.params["rows"]) == ("import.file_too_many_rows", 8)
    monkeypatch.setattr(reader, "MAX_COLUMNS", 3)
    with pytest.raises(UserFacingError) as caught:
        read_table(xlsx(tmp_path / "c.xlsx", [["姓名", "a", "b", "c"]]), "xlsx", COLUMNS, {"name"})
    assert caught.value.code == "import.file_too_many_columns"


def fast_xlsx(path: Path, rows: int) -> Path:
    """100,000 rows x 15 columns straight as XML (xlsxwriter would take ten seconds)."""
    header = ["姓名", "身份证号", "性别", "班级", "学号", "手机号", "家长", "家长电话", "民族", "出生日期",
              "住址", "备注", "入学年份", "学校", "年级"]
    letters = string.ascii_uppercase[:15]

    def inline(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    parts = ['<row r="1">' + "".join(inline(f"{c}1", h) for c, h in zip(letters, header)) + "</row>"]
    template = ('<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>学生{i}</t></is></c>'
                '<c r="B{r}" t="inlineStr"><is><t>4301022015{i:08d}</t></is></c>'
                '<c r="C{r}" t="inlineStr"><is><t>男</t></is></c><c r="D{r}" t="inlineStr"><is><t>{k}班</t></is></c>'
                '<c r="E{r}" t="inlineStr"><is><t>S{i:08d}</t></is></c><c r="F{r}"><v>{phone}</v></c>'
                '<c r="G{r}" t="inlineStr"><is><t>家长{i}</t></is></c><c r="H{r}"><v>{phone}</v></c>'
                '<c r="I{r}" t="inlineStr"><is><t>汉族</t></is></c><c r="J{r}" t="inlineStr"><is><t>2015-09-01'
                '</t></is></c><c r="K{r}" t="inlineStr"><is><t>长沙市某路{i}号</t></is></c>'
                '<c r="L{r}" t="inlineStr"><is><t>无</t></is></c><c r="M{r}"><v>2024</v></c>'
                '<c r="N{r}" t="inlineStr"><is><t>某小学</t></is></c><c r="O{r}" t="inlineStr"><is><t>三年级'
                '</t></is></c></row>')
    parts += [template.format(r=i + 2, i=i, k=i % 30 + 1, phone=13700000000 + i) for i in range(rows)]
    sheet = sheet_xml("".join(parts), dimension=f"A1:O{rows + 1}")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, content in xlsx_parts(**{"xl/worksheets/sheet1.xml": sheet}).items():
            archive.writestr(name, content)
    return path


def test_a_hundred_thousand_rows_by_fifteen_columns_are_read_whole(tmp_path):
    # How fast is measured by bench/bench_import.py; this checks nothing is lost at that size.
    path = fast_xlsx(tmp_path / "big.xlsx", 100_000)
    assert screen_file(path, "big.xlsx") == "xlsx"
    table = read_table(path, "xlsx", COLUMNS, {"name"})
    assert len(table.rows) == 100_000 and table.rows[-1].number == 100_001
    assert table.rows[-1].values == {"name": "学生99999", "id_number": "430102201500099999", "sex": "男",
                                     "class": "10班", "phone": "13700099999"}


# Headers, whatever way they are written -----------------------------------------------------------------

EXTRA = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=8)


def names_no_field(header: str) -> bool:
    """Whether read_table leaves this header alone (as an unknown column) beside a known one."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.csv"
        path.write_bytes(write_csv(["姓名", header], [["a", "b"]]))
        try:
            return read_table(path, "csv", COLUMNS, {"name"}).fields == ["name"]
        except UserFacingError:
            return False


def scramble(text: str, rnd: random.Random) -> str:
    """The same header as a person might type it: case, full-width letters and digits, spaces anywhere."""
    out = []
    for ch in text:
        if ch.isascii() and ch.isalnum():
            ch = rnd.choice([ch.upper(), ch.lower(), chr(ord(ch.lower()) + 0xFEE0)])
        out.append(ch)
        if rnd.random() < 0.3:
            out.append(rnd.choice([" ", "\u3000"]))  # (a tab would make a one-column file tab-separated)
    return rnd.choice(["", " ", "\u3000"]) + "".join(out)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fields=st.permutations(list(COLUMNS)), extras=st.lists(EXTRA, max_size=4), seed=st.integers(0, 2**32))
def test_headers_match_in_any_order_spacing_and_width(fields, extras, seed):
    rnd = random.Random(seed)
    extras = [e for e in extras if names_no_field(e)]
    kept = fields[: rnd.randint(1, len(fields))]
    columns = [("field", f) for f in kept] + [("extra", e) for e in extras]
    rnd.shuffle(columns)
    headers = [scramble(rnd.choice(COLUMNS[v]), rnd) if kind == "field" else v for kind, v in columns]
    values = [f"{kind}-{i}" for i, (kind, _) in enumerate(columns)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "h.csv"
        path.write_bytes(write_csv(headers, [values]))
        table = read_table(path, "csv", COLUMNS, {kept[0]})
    assert table.fields == [v for kind, v in columns if kind == "field"]
    assert table.rows[0].values == {v: values[i] for i, (kind, v) in enumerate(columns) if kind == "field"}
    assert table.rows[0].original == values  # unknown columns are kept


def test_template_headers_with_their_required_marks_are_understood(tmp_path):
    columns = [TemplateColumn("姓名", required=True, comment="学生真实姓名"),
               TemplateColumn("身份证号", required=True, comment="18位,文本格式"),
               TemplateColumn("班级"), TemplateColumn("入学年份", text=False)]
    content = template_xlsx(columns, [["李小明", "430102201505171234", "1班", "2024"]], ["带 * 的列必须填写。"])
    path = write(tmp_path / "template.xlsx", content)
    assert screen_file(path, "template.xlsx") == "xlsx"
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    assert book.sheet_names == ["名单", "填写说明"]
    assert book.get_sheet_by_index(0).to_python() == [["*姓名", "*身份证号", "班级", "入学年份"]]
    guide = [cell for row in book.get_sheet_by_index(1).to_python() for cell in row]
    assert "1. 带 * 的列必须填写。" in guide and "430102201505171234" in guide
    table = read_table(path, "xlsx", COLUMNS, {"name", "id_number"})
    assert table.fields == ["name", "id_number", "class"] and table.rows == []
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml").decode()
        worksheet = archive.read("xl/worksheets/sheet1.xml").decode()
        text_style = styles.split("<cellXfs")[1].split("<xf ").index(next(
            x for x in styles.split("<cellXfs")[1].split("<xf ") if 'numFmtId="164"' in x and "applyFont" not in x))
        assert '<numFmt numFmtId="164" formatCode="@"/>' in styles  # text: what is typed later stays text
        assert worksheet.count(f'style="{text_style - 1}"') == 3  # the three text columns, not 入学年份
        assert "xl/comments1.xml" in archive.namelist()
        assert "学生真实姓名" in archive.read("xl/comments1.xml").decode()


# Nothing written can run as a formula --------------------------------------------------------------------

TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
FORMULAS = st.sampled_from(["=1+1", "+1", "-2+3", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "\t=1", "\r=1",
                            "＝1+1", "=cmd|' /C calc'!A0"])


def read_back(content: bytes) -> list[list[str]]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python(
        skip_empty_area=False)
    return [[str(cell) for cell in row] for row in rows]


@settings(max_examples=60, deadline=None)
@given(texts=st.lists(st.one_of(TEXT, FORMULAS, FORMULAS.map(lambda f: f + "abc")), min_size=1, max_size=20))
def test_written_cells_never_start_a_formula_and_safe_text_is_unchanged(texts):
    content = write_xlsx([Sheet("名单", ["值"], [[t] for t in texts], text_columns={"值"})])
    got = read_back(content)
    assert got[0] == ["值"]
    cells = [row[0] if row else "" for row in got[1:]] + [""] * len(texts)
    for text, cell in zip(texts, cells):
        assert cell[:1] not in FORMULA_TRIGGERS
        assert cell == (("'" + text) if text[:1] in FORMULA_TRIGGERS else text)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()


@settings(max_examples=60, deadline=None)
@given(rows=st.lists(st.lists(st.one_of(TEXT, FORMULAS, st.integers(), st.none()), min_size=2, max_size=2),
                     max_size=10))
def test_write_csv_round_trips_every_value_neutralised(rows):
    content = write_csv(["姓名", "备注"], rows)
    assert content.startswith(b"\xef\xbb\xbf")
    back = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert back == [["姓名", "备注"]] + [[neutralise(v) for v in row] for row in rows]
    assert all(cell[:1] not in FORMULA_TRIGGERS for row in back for cell in row)


def test_an_export_reads_back_as_an_import(tmp_path):
    # The rows that did not go in are fixed by the user and uploaded again, notes above the header and all.
    sheet = Sheet("未导入的行", ["姓名", "身份证号", "原因"], iter([["=张三", "430102201505171234", "-"]]),
                  text_columns={"身份证号"}, widths={"原因": 40}, notes=["以下为未导入的行,改正后可重新导入。"])
    path = write(tmp_path / "rejects.xlsx", write_xlsx([sheet, Sheet("名单", ["a"], [])]))
    table = read_table(path, "xlsx", COLUMNS, {"name"})
    assert table.header_row == 2
    assert [r.original for r in table.rows] == [["'=张三", "430102201505171234", "'-"]]
    csv_path = write(tmp_path / "rejects.csv", write_csv(["姓名", "身份证号"], [["@张三", "430102201505171234"]]))
    assert read_table(csv_path, "csv", COLUMNS, {"name"}).rows[0].values == {
        "name": "'@张三", "id_number": "430102201505171234"}


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_csv_says_how_many_rows_it_holds_before_they_are_read(tmp_path, newline):
    """The preview counts its progress against this until the real count is known (docs/imports.md)."""
    path = write(tmp_path / "n.csv", newline.join(["说明", "姓名,班级", *(f"学生{i},1班" for i in range(40))]).encode())
    with reader.stream_table(path, "csv", COLUMNS, {"name"}) as table:
        # 41 line breaks less the 2 rows down to the header: one short, as the last line ends without one.
        assert table.header_row == 2 and table.estimated_rows == 39
        assert sum(1 for _ in table.rows) == 40
