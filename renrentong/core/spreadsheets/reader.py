"""Roster files in (IMP-1): know a spreadsheet by its content, refuse hostile files, read the first sheet.

screen_file  looks only at the bytes (never the extension) and refuses, with a precise reason, what is not
             an .xlsx, .xls or .csv file or could hurt the server: oversize files, zip bombs, archives of
             thousands of parts, macro workbooks, XML with DTDs, encrypted workbooks, sheets declaring more
             rows than an import takes, binary junk. It holds at most the file (20 MiB) plus a bounded
             amount of inflated data in memory, and takes well under a second on any input.
read_table   reads the first worksheet as text cells and matches its header row to canonical fields.

Why workbooks are parsed in a child process. calamine builds a sheet as a dense grid of every cell between
the first and the last used one, and copies a shared string into each cell that refers to it. A 2 KB file
with cells at A1 and XFD1048576, or a 2 MB file whose million cells all refer to one 30,000-character
string, makes it ask for tens of gigabytes, and Rust then aborts the whole process (seen with
python-calamine 0.9.1). The screen cannot rule that out without re-implementing the parser, so the
parsing runs in a child process with an address-space and CPU limit: the worst a hostile file can do is
end that child, which reads as "import.file_too_complex". CSV is plain text, so it is read in-process.
"""

from __future__ import annotations

import array
import codecs
import contextlib
import csv
import io
import itertools
import json
import logging
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from renrentong.core.errors import UserFacingError
from renrentong.core.spreadsheets import child as child_module
from renrentong.core.text import normalize_text

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024  # a workbook; calamine holds its whole sheet (see the child's limits below)
MAX_ROWS = 200_000  # data rows below the header row, in a workbook
# CSV is read as a stream, a row at a time, so a city's whole roster fits one file: as many rows as Excel's
# largest sheet holds below its header.
MAX_CSV_BYTES = 200 * 1024 * 1024
MAX_CSV_ROWS = 1_048_575
_TEXT_BLOCK = 1024 * 1024
MAX_COLUMNS = 256
MAX_CELLS = 4_000_000  # rows x columns of the used range: what calamine holds in memory, ~100 bytes a cell

# Zip containers (.xlsx). Apache POI refuses the same things: it calls an entry a bomb when it inflates
# more than 100-fold (its default minimum inflate ratio is 0.01). Real sheets inflate 5- to 25-fold.
MAX_ZIP_ENTRIES = 2_000
MAX_CENTRAL_DIRECTORY_BYTES = 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1024 * 1024  # small parts (styles, themes) may compress better and do no harm
XML_HEAD_BYTES = 64 * 1024  # a DTD must come before the root element, so well inside the head of a part
XML_HEAD_TOTAL_BYTES = 32 * 1024 * 1024
_INFLATE_IN = 64 * 1024
_INFLATE_OUT = 1024 * 1024

# The child that parses workbooks (see the module docstring). 100,000 rows x 15 columns peak at ~150 MB.
READ_MEMORY_BYTES = 1024 * 1024 * 1024
READ_CPU_SECONDS = 60
READ_WALL_SECONDS = 120
MAX_TEXT_CHARS = 128 * 1024 * 1024  # all the cell text a child may hand over
HEADER_SEARCH_ROWS = 10  # the header may sit below a title row or notes

# Row.problems: the cell held a number that cannot be the text the user meant. Excel keeps 15 significant
# digits, so an 18-digit ID number typed as a number has already lost its last digits; we never guess them.
STORED_AS_NUMBER = "stored_as_number"

FORMATS = ("xlsx", "xls", "csv")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(slots=True)
class Row:
    number: int  # the spreadsheet row number the user sees (the first row is 1)
    values: dict[str, str]  # canonical field -> cell text, stripped; "" when empty
    original: list[str]  # every cell of the row as text, unknown columns included, for the rejects export
    problems: dict[str, str] = field(default_factory=dict)  # canonical field -> problem code


@dataclass
class Table:
    fields: list[str]  # canonical fields found, in file order
    rows: list[Row] | Iterator[Row]  # a list from read_table, read once as they come from stream_table
    headers: list[str] = field(default_factory=list)  # the header row as written, all columns
    columns: dict[str, int] = field(default_factory=dict)  # canonical field -> index into headers/original
    header_row: int = 1
    # Rows the file seems to hold below its header, known before they are read (lines of a CSV, the used
    # range of a sheet): a streamed preview's progress counts against it until the real count is known.
    estimated_rows: int = 0


# ---------------------------------------------------------------------------------------------------------
# Screening


def screen_file(path: Path, original_name: str) -> str:
    """The file's format, "xlsx", "xls" or "csv", judged by content; a UserFacingError if it is refused."""
    name = _display_name(original_name)
    size = path.stat().st_size
    with path.open("rb") as handle:
        head = handle.read(len(OLE_MAGIC))
        if not head:
            raise UserFacingError("import.file_empty")
        if not head.startswith((ZIP_MAGIC, OLE_MAGIC)):
            return _screen_text(handle, size, name)
        if size > MAX_FILE_BYTES:
            # A workbook is parsed whole (calamine); only CSV streams. Said apart from "too large" so the
            # admin learns the way out: the same roster saved as CSV.
            raise UserFacingError("import.workbook_too_large")
        handle.seek(0)
        data = handle.read(MAX_FILE_BYTES + 1)
    if data.startswith(ZIP_MAGIC):
        return _screen_zip(data, name)
    return _screen_ole(data, name)


def _display_name(original_name: str) -> str:
    name = "".join(ch for ch in Path(original_name or "").name if ch.isprintable()).strip()
    return (name[:60] + "…") if len(name) > 61 else (name or "?")


# Zip (.xlsx) ------------------------------------------------------------------------------------------------

_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]{1,4})(\d{1,8})"
                        rb"(?::([A-Za-z]{1,4})(\d{1,8}))?[\"']")


def _screen_zip(data: bytes, name: str) -> str:
    infos, cd_offset = _zip_directory(data)
    seen: set[str] = set()
    declared = 0
    for info in infos:
        key = info.filename.replace("\\", "/").lower()
        if key in seen:
            raise UserFacingError("import.file_damaged")  # two parts of one name: readers disagree on which
        seen.add(key)
        if info.flag_bits & 0x1:
            raise UserFacingError("import.file_encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UserFacingError("import.file_damaged")  # calamine reads only these two
        if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
            raise UserFacingError("import.file_damaged")
        declared += info.file_size
        if (info.file_size > RATIO_CHECKED_FROM_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            raise UserFacingError("import.file_unpacked_too_large")
    if declared > MAX_UNPACKED_BYTES:
        raise UserFacingError("import.file_unpacked_too_large")

    if "xl/workbook.xml" not in seen:
        if "xl/workbook.bin" in seen:
            raise UserFacingError("import.file_unsupported_format", name=name, format="Excel .xlsb")
        if "content.xml" in seen and "mimetype" in seen:
            raise UserFacingError("import.file_unsupported_format", name=name, format="OpenDocument .ods")
        raise UserFacingError("import.file_not_spreadsheet", name=name)
    by_name = {info.filename.replace("\\", "/").lower(): info for info in infos}
    if any(key.endswith("vbaproject.bin") or key.startswith("xl/macrosheets/") for key in seen):
        raise UserFacingError("import.file_macro")
    content_types = by_name.get("[content_types].xml")
    if content_types is not None:
        if content_types.file_size > 1024 * 1024:
            raise UserFacingError("import.file_damaged")
        if b"macroenabled" in _inflate_all(data, content_types, cd_offset).lower():
            raise UserFacingError("import.file_macro")  # an .xlsm renamed .xlsx says so here

    # The head of every part, for DTDs: they make an XML parser expand entities (billion laughs, external
    # files). calamine's parser would ignore them, but no Excel or WPS file has one, so we refuse outright.
    sheet = _first_sheet_part(data, by_name, cd_offset)  # regular expressions only: safe before this check
    sheet_head = b""
    scanned = 0
    for info in infos:
        head = b"".join(_inflate(data, info, cd_offset, XML_HEAD_BYTES))
        scanned += len(head)
        if scanned > XML_HEAD_TOTAL_BYTES:
            raise UserFacingError("import.file_too_many_parts", count=len(infos), limit=MAX_ZIP_ENTRIES)
        if _DTD.search(head) or _DTD.search(_as_utf8(head)):
            raise UserFacingError("import.file_xml_doctype")
        if info.filename.replace("\\", "/").lower() == sheet:
            sheet_head = head
    _check_dimension(sheet_head)

    # Inflate everything once, checking each part against what the directory declares: a part that
    # inflates beyond its declared size (a bomb hidden behind a small number) stops us at that size.
    for info in infos:
        _verify_entry(data, info, cd_offset)
    return "xlsx"


def _zip_directory(data: bytes) -> tuple[list[zipfile.ZipInfo], int]:
    """The entries, after checking their count and the directory's size before zipfile parses them
    (zipfile would build an object per entry, however many the directory holds)."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 0xFFFF))
    if end < 0 or len(data) < end + 22:
        raise UserFacingError("import.file_damaged")
    _, disk, cd_disk, on_disk, count, cd_size, cd_offset, comment = struct.unpack_from("<IHHHHIIH", data, end)
    cd_end = end
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        locator = end - 20
        if locator < 0 or data[locator:locator + 4] != b"PK\x06\x07":
            raise UserFacingError("import.file_damaged")
        (record,) = struct.unpack_from("<Q", data, locator + 8)
        if record + 56 > locator or data[record:record + 4] != b"PK\x06\x06":
            raise UserFacingError("import.file_damaged")
        on_disk, count, cd_size, cd_offset = struct.unpack_from("<QQQQ", data, record + 24)
        cd_end = record
    if disk or cd_disk or on_disk != count or end + 22 + comment != len(data):
        raise UserFacingError("import.file_damaged")  # split archives, or bytes after the archive
    if count > MAX_ZIP_ENTRIES:
        raise UserFacingError("import.file_too_many_parts", count=count, limit=MAX_ZIP_ENTRIES)
    if cd_size > MAX_CENTRAL_DIRECTORY_BYTES or cd_offset + cd_size != cd_end:
        raise UserFacingError("import.file_damaged")
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
        raise UserFacingError("import.file_damaged") from None
    if len(infos) != count:
        raise UserFacingError("import.file_damaged")
    return infos, cd_offset


def _entry_data(data: bytes, info: zipfile.ZipInfo, cd_offset: int) -> memoryview:
    start = info.header_offset
    if start + 30 > cd_offset or data[start:start + 4] != ZIP_MAGIC:
        raise UserFacingError("import.file_damaged")
    name_length, extra_length = struct.unpack_from("<HH", data, start + 26)
    begin = start + 30 + name_length + extra_length
    if begin + info.compress_size > cd_offset:
        raise UserFacingError("import.file_damaged")
    return memoryview(data)[begin:begin + info.compress_size]


def _inflate(data: bytes, info: zipfile.ZipInfo, cd_offset: int, limit: int) -> Iterator[bytes]:
    """The entry's bytes in pieces of at most 1 MiB, stopping once `limit` bytes have come out."""
    raw = _entry_data(data, info, cd_offset)
    if info.compress_type == zipfile.ZIP_STORED:
        for i in range(0, min(len(raw), limit), _INFLATE_OUT):
            yield bytes(raw[i:min(i + _INFLATE_OUT, limit)])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    produced = 0
    try:
        for i in range(0, len(raw), _INFLATE_IN):
            pending = raw[i:i + _INFLATE_IN]
            while pending and not inflater.eof:
                out = inflater.decompress(pending, min(_INFLATE_OUT, limit - produced))
                pending = inflater.unconsumed_tail
                if out:
                    produced += len(out)
                    yield out
                if produced >= limit:
                    return
            if inflater.eof:
                break
        while not inflater.eof and produced < limit:  # output zlib still holds after the last input
            out = inflater.decompress(b"", min(_INFLATE_OUT, limit - produced))
            if not out:
                break
            produced += len(out)
            yield out
    except zlib.error:
        raise UserFacingError("import.file_damaged") from None


def _inflate_all(data: bytes, info: zipfile.ZipInfo, cd_offset: int) -> bytes:
    return b"".join(_inflate(data, info, cd_offset, info.file_size))


# A DTD in UTF-16 (either byte order) as it appears in the raw bytes of a part.
def _utf16(word: bytes) -> bytes:
    return b"\x00".join(word[i:i + 1] for i in range(len(word)))


_DTD_UTF16 = [re.compile(pattern, re.IGNORECASE) for pattern in (
    b"<\x00!\x00(?:\\s\x00)*(?:" + _utf16(b"DOCTYPE") + b"|" + _utf16(b"ENTITY") + b")",  # little-endian
    b"<\x00!(?:\x00\\s)*\x00(?:" + _utf16(b"DOCTYPE") + b"|" + _utf16(b"ENTITY") + b")",  # big-endian
)]
_DTD_OVERLAP = 64  # longer than any of the patterns above, so a DTD split across two pieces is still seen


def _has_dtd(text: bytes) -> bool:
    return bool(_DTD.search(text)) or any(pattern.search(text) for pattern in _DTD_UTF16)


def _verify_entry(data: bytes, info: zipfile.ZipInfo, cd_offset: int) -> None:
    """Inflate the whole part, checking its size and CRC against the directory, and look for a DTD in
    all of it: the head check above only sees the first 64 KB, and a DTD further down (after a long
    comment or processing instruction) is still a DTD to a parser."""
    size = crc = 0
    carry = b""
    for piece in _inflate(data, info, cd_offset, info.file_size + 1):
        size += len(piece)
        crc = zlib.crc32(piece, crc)
        window = carry + piece
        if _has_dtd(window):
            raise UserFacingError("import.file_xml_doctype")
        carry = window[-_DTD_OVERLAP:]
    if size > info.file_size:
        raise UserFacingError("import.file_unpacked_too_large")
    if size != info.file_size or crc != info.CRC:
        raise UserFacingError("import.file_damaged")


def _as_utf8(head: bytes) -> bytes:
    """A UTF-16 head re-encoded, so that a DTD cannot hide behind the encoding."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) or head[:2] in (b"<\x00", b"\x00<"):
        encoding = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else (
            "utf-16-le" if head[:1] == b"<" else "utf-16-be")
        return head[:len(head) & ~1].decode(encoding, errors="replace").encode()
    return b""


_SHEET = re.compile(rb"<(?:[\w.-]+:)?sheet\b([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b([^>]*)>")
_ATTRIBUTE = re.compile(rb"([\w.:-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _attributes(text: bytes) -> dict[bytes, bytes]:
    return {m.group(1).split(b":")[-1]: m.group(2) if m.group(2) is not None else m.group(3)
            for m in _ATTRIBUTE.finditer(text)}


def _first_sheet_part(data: bytes, by_name: dict[str, zipfile.ZipInfo], cd_offset: int) -> str | None:
    """The part read_table will read: the first visible worksheet, as calamine lists them. Only used for an
    early, precise refusal; the child enforces the same limits on whatever it actually reads."""
    workbook, rels = by_name.get("xl/workbook.xml"), by_name.get("xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None or workbook.file_size > 8 << 20 or rels.file_size > 8 << 20:
        return None
    targets = {}
    for match in _RELATIONSHIP.finditer(_inflate_all(data, rels, cd_offset)):
        attrs = _attributes(match.group(1))
        if attrs.get(b"Type", b"").endswith(b"/worksheet") and b"Id" in attrs and b"Target" in attrs:
            target = attrs[b"Target"].decode("utf-8", "replace").replace("\\", "/")
            target = target.lstrip("/") if target.startswith("/") else "xl/" + target
            targets[attrs[b"Id"]] = target.lower()
    sheets = [_attributes(m.group(1)) for m in _SHEET.finditer(_inflate_all(data, workbook, cd_offset))]
    worksheets = [(a.get(b"state", b"visible"), targets[a[b"id"]]) for a in sheets if a.get(b"id") in targets]
    visible = [part for state, part in worksheets if state == b"visible"]
    return (visible or [part for _, part in worksheets] or [None])[0]


def _check_dimension(head: bytes) -> None:
    """The <dimension ref="A1:O5000"/> a worksheet declares near its top: refuse a million rows before
    anything reads them."""
    match = _DIMENSION.search(head)
    if not match:
        return
    first_col, first_row = _column_number(match.group(1)), int(match.group(2))
    last_col = _column_number(match.group(3)) if match.group(3) else first_col
    last_row = int(match.group(4)) if match.group(4) else first_row
    rows, columns = last_row - min(first_row, last_row) + 1, last_col - min(first_col, last_col) + 1
    if last_row - 1 > MAX_ROWS:
        raise UserFacingError("import.file_too_many_rows", rows=last_row - 1, limit=MAX_ROWS)
    if last_col > MAX_COLUMNS:
        raise UserFacingError("import.file_too_many_columns", columns=last_col, limit=MAX_COLUMNS)
    if rows * columns > MAX_CELLS:
        raise UserFacingError("import.file_too_many_cells", rows=rows, columns=columns, limit=MAX_CELLS)


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters.upper():
        number = number * 26 + ch - 64
    return number


# OLE compound files (.xls, and encrypted .xlsx) ----------------------------------------------------------

_END_OF_CHAIN = 0xFFFFFFFE
_BIFF_BOF = (0x0809, 0x0009, 0x0209, 0x0409)


class _Ole:
    """Just enough of [MS-CFB] to list the streams and read the head of one; every loop is bounded and every
    chain checked for cycles, because the sector chains are whatever the file says they are."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise UserFacingError("import.file_damaged")
        major, _, shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
        if shift not in (9, 12) or mini_shift != 6:
            raise UserFacingError("import.file_damaged")
        self.data, self.size = data, 1 << shift
        self.sectors = max(0, -(-(len(data) - self.size) // self.size))
        (dir_start,) = struct.unpack_from("<I", data, 48)
        self.mini_cutoff, self.minifat_start, self.minifat_count, difat_start = struct.unpack_from(
            "<IIII", data, 56)
        difat = list(struct.unpack_from("<109I", data, 76))
        sector, steps = difat_start, 0
        while sector < 0xFFFFFFFA:
            steps += 1
            if steps > self.sectors:
                raise UserFacingError("import.file_damaged")
            ids = self._ids(self._sector(sector))
            difat.extend(ids[:-1])
            sector = ids[-1]
        fat_sectors = [sector for sector in difat if sector < 0xFFFFFFFA]
        if len(fat_sectors) > self.sectors:
            raise UserFacingError("import.file_damaged")
        self.fat = self._ids(b"".join(self._sector(sector) for sector in fat_sectors))
        directory = self._chain(dir_start, self.fat, self.size, None, self._sector)
        self.entries: dict[str, tuple[int, int]] = {}
        self.root = (_END_OF_CHAIN, 0)
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset:offset + 128]
            name = entry[:64].decode("utf-16-le", errors="replace").split("\x00", 1)[0]
            start, low, high = struct.unpack_from("<III", entry, 116)
            self.entries.setdefault(name, (start, low if major == 3 else low | high << 32))
            if offset == 0:
                self.root = (start, low if major == 3 else low | high << 32)
        if not self.entries:
            raise UserFacingError("import.file_damaged")

    def _sector(self, sector: int) -> bytes:
        offset = (sector + 1) * self.size
        if sector >= self.sectors or offset >= len(self.data):
            raise UserFacingError("import.file_damaged")
        return self.data[offset:offset + self.size]

    @staticmethod
    def _ids(sectors: bytes) -> array.array:
        # An array, not a list: a hostile file can declare every sector a FAT sector, 5 million entries.
        ids = array.array("I", sectors[:len(sectors) & ~3])
        if sys.byteorder == "big":
            ids.byteswap()
        return ids or array.array("I", [_END_OF_CHAIN])

    def _chain(self, start: int, fat: array.array, size: int, limit: int | None, read) -> bytes:
        out, sector, visited = bytearray(), start, set()
        while sector != _END_OF_CHAIN and (limit is None or len(out) < limit):
            if sector in visited or sector >= len(fat):
                raise UserFacingError("import.file_damaged")
            visited.add(sector)
            out += read(sector)
            sector = fat[sector]
        return bytes(out if limit is None else out[:limit])

    def head(self, name: str, limit: int) -> bytes:
        start, length = self.entries[name]
        limit = min(limit, length)
        if length >= self.mini_cutoff:
            return self._chain(start, self.fat, self.size, limit, self._sector)
        # Small streams live in 64-byte sectors inside the root entry's stream.
        ministream = self._chain(self.root[0], self.fat, self.size, min(self.root[1], len(self.data)),
                                 self._sector)
        minifat = self._ids(self._chain(self.minifat_start, self.fat, self.size,
                                        min(self.minifat_count * self.size, len(self.data)), self._sector))

        def mini(sector: int) -> bytes:
            if sector * 64 >= len(ministream):
                raise UserFacingError("import.file_damaged")
            return ministream[sector * 64:sector * 64 + 64]

        return self._chain(start, minifat, 64, limit, mini)


def _screen_ole(data: bytes, name: str) -> str:
    ole = _Ole(data)
    if "EncryptionInfo" in ole.entries or "EncryptedPackage" in ole.entries:
        raise UserFacingError("import.file_encrypted")  # an encrypted .xlsx is an OLE file holding the zip
    stream = next((s for s in ("Workbook", "Book", "WORKBOOK", "BOOK") if s in ole.entries), None)
    if stream is None:
        raise UserFacingError("import.file_not_spreadsheet", name=name)  # a .doc, .ppt, .msg ...
    if "_VBA_PROJECT_CUR" in ole.entries:
        raise UserFacingError("import.file_macro")
    head = ole.head(stream, 64 * 1024)
    position, first = 0, True
    while position + 4 <= len(head):
        kind, length = struct.unpack_from("<HH", head, position)
        body = head[position + 4:position + 4 + length]
        position += 4 + length
        if first:
            if kind not in _BIFF_BOF:
                raise UserFacingError("import.file_damaged")
            first = False
        elif kind == 0x002F:  # FILEPASS: the workbook is encrypted (or XOR-obfuscated)
            raise UserFacingError("import.file_encrypted")
        elif kind == 0x0085 and len(body) > 5 and body[5] in (0x01, 0x06):  # BoundSheet8: macro sheet, VBA
            raise UserFacingError("import.file_macro")
        elif kind == 0x000A:  # EOF of the workbook globals
            break
    if first:
        raise UserFacingError("import.file_damaged")
    return "xls"


# Text (.csv) ----------------------------------------------------------------------------------------------

_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_SPREADSHEETS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"BM")


def _encoding_of(handle) -> tuple[str | None, int]:
    """UTF-8 (with or without BOM), else GB18030 (a superset of GBK and GB2312); UTF-16 with a BOM, which
    is what Excel's "Unicode text" export writes. None if it is none of these. Decided over the whole
    file, a block at a time: a GBK file may well begin with a thousand lines of ASCII.

    Also the file's line breaks, counted in the same pass (the progress's estimate of its rows): "\r" alone
    in an old Mac file, "\r\n" once."""
    handle.seek(0)
    head = handle.read(2)
    encodings = ("utf-16",) if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else ("utf-8-sig", "gb18030")
    for encoding in encodings:
        handle.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        newlines = returns = 0
        try:
            while block := handle.read(_TEXT_BLOCK):
                decoder.decode(block)
                newlines += block.count(b"\n")
                returns += block.count(b"\r")
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding, max(newlines, returns)
    return None, 0


def _text_blocks(handle, encoding: str) -> Iterator[str]:
    """The file's text, a block at a time, without the BOM."""
    handle.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    first = True
    while True:
        block = handle.read(_TEXT_BLOCK)
        text = decoder.decode(block, final=not block)
        if first and text:
            text, first = text.lstrip("\ufeff"), False
        if text:
            yield text
        if not block:
            return


def _screen_text(handle, size: int, name: str) -> str:
    handle.seek(0)
    if handle.read(16).startswith(_NOT_SPREADSHEETS):
        raise UserFacingError("import.file_not_spreadsheet", name=name)
    if size > MAX_CSV_BYTES:
        raise UserFacingError("import.csv_too_large")
    encoding, _ = _encoding_of(handle)
    if encoding is None:
        raise UserFacingError("import.file_not_spreadsheet", name=name)
    start = ""
    for text in _text_blocks(handle, encoding):
        if _BINARY.search(text):
            raise UserFacingError("import.file_not_spreadsheet", name=name)
        if len(start) < 65536:
            start = (start + text).lstrip()[:65536]
    if not start:
        raise UserFacingError("import.file_empty")
    if start.startswith("<"):
        # Many school systems "export to Excel" as an HTML table or SpreadsheetML 2003 named .xls.
        head = start.lower()
        kind = ("SpreadsheetML 2003 XML" if "urn:schemas-microsoft-com:office:spreadsheet" in head
                else "HTML" if "<html" in head or "<table" in head else "XML")
        raise UserFacingError("import.file_unsupported_format", name=name, format=kind)
    return "csv"


# ---------------------------------------------------------------------------------------------------------
# Reading


def read_table(path: Path, fmt: str, columns: dict[str, tuple[str, ...]], required: set[str],
               *, text_only: Iterable[str] | None = None) -> Table:
    """The first worksheet (or the CSV) as a Table, every row read (stream_table reads them as they come).

    `columns` maps canonical fields to the header spellings accepted for them; headers match after
    normalize_text and case-folding, in any order, with a trailing "*" or "(必填)" ignored. The header row
    is the first of the first ten non-empty rows that holds every required column. Fully empty rows are
    skipped. A number where text was meant (see STORED_AS_NUMBER) is flagged in Row.problems, for the
    fields in `text_only`, or for every field when it is None.
    """
    with stream_table(path, fmt, columns, required, text_only=text_only) as table:
        table.rows = list(table.rows)
    return table


@contextlib.contextmanager
def stream_table(path: Path, fmt: str, columns: dict[str, tuple[str, ...]], required: set[str],
                 *, text_only: Iterable[str] | None = None) -> Iterator[Table]:
    """read_table's Table with `rows` an iterator, read once: a row is read when it is asked for, so a
    caller that handles rows a chunk at a time holds a chunk, whatever the size of the file (a CSV;
    a workbook's sheet is parsed whole by its child, within the child's limits). The header is checked
    on entry."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    source = _csv_rows(path) if fmt == "csv" else _workbook_rows(path)
    with contextlib.closing(source):
        yield _build_table(source, columns, required, None if text_only is None else set(text_only))


_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")
_MARKS = re.compile(r"^\*+|\*+$|\((?:必填|选填|可选|required|optional)\)$")


def _header_key(text: str) -> str:
    return normalize_text(text).casefold()


def _header_lookup(columns: dict[str, tuple[str, ...]]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, spellings in columns.items():
        for spelling in spellings:
            key = _header_key(spelling)
            if lookup.setdefault(key, name) != name:
                raise ValueError(f"header {spelling!r} is given for both {lookup[key]!r} and {name!r}")
    return lookup


def _match_headers(cells: list[str], lookup: dict[str, str]) -> tuple[dict[str, int], dict[str, list[int]]]:
    found: dict[str, int] = {}
    repeated: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        key = _header_key(cell)
        name = lookup.get(key) or lookup.get(_MARKS.sub("", key))
        if name is None:
            continue
        if name in found:
            repeated.setdefault(name, [found[name]]).append(index)
        else:
            found[name] = index
    return found, repeated


def _build_table(source: Iterator, columns: dict[str, tuple[str, ...]], required: set[str],
                 text_only: set[str] | None) -> Table:
    """The header, found and checked now; the rows below it, read as they are asked for. Each source first
    yields how many rows it expects, then (row number, cells, flagged column indexes or None) per row."""
    estimate = next(source, 0)
    lookup = _header_lookup(columns)
    candidates: list[tuple[int, list[str], dict[str, int], dict[str, list[int]]]] = []
    chosen = None
    for number, cells, _ in source:
        if not "".join(cells).strip():
            continue
        found, repeated = _match_headers(cells, lookup)
        candidates.append((number, cells, found, repeated))
        if found and required <= found.keys():
            chosen = candidates[-1]
            break
        if len(candidates) >= HEADER_SEARCH_ROWS:
            break
    if not candidates:
        raise UserFacingError("import.file_empty")
    if chosen is None and not required:
        chosen = next((c for c in candidates if c[2]), candidates[0])
    if chosen is None:
        best = max(candidates, key=lambda c: len(c[2]))  # the first of the best: max keeps the first
        missing = [name for name in columns if name in required and name not in best[2]]
        raise UserFacingError("import.header_missing",
                              missing="; ".join(" / ".join(columns.get(name, (name,))) for name in missing))
    header_row, headers, found, repeated = chosen
    if repeated:
        raise UserFacingError("import.header_duplicate", headers="; ".join(
            " / ".join(f"“{headers[i]}”" for i in indexes) for indexes in repeated.values()))

    fields = sorted(found, key=found.__getitem__)
    positions = [(name, found[name]) for name in fields]
    checked = set(fields) if text_only is None else set(fields) & text_only
    return Table(fields=fields, rows=_data_rows(source, positions, checked), headers=list(headers),
                 columns=dict(positions), header_row=header_row, estimated_rows=max(estimate - header_row, 0))


def _data_rows(source: Iterator, positions: list[tuple[str, int]], checked: set[str]) -> Iterator[Row]:
    at = {index: name for name, index in positions}
    for number, cells, flags in source:
        joined = "".join(cells)
        if not joined.strip():
            continue
        width = len(cells)
        values = {name: (cells[index].strip() if index < width else "") for name, index in positions}
        row = Row(number, values, cells)
        if flags:
            for index in flags:
                name = at.get(index)
                if name in checked:
                    row.problems[name] = STORED_AS_NUMBER
        if "E+" in joined or "e+" in joined:  # "4.30102E+17": an ID number Excel wrote to CSV as a number
            for name in checked:
                if _SCIENTIFIC.fullmatch(values[name]):
                    row.problems[name] = STORED_AS_NUMBER
        yield row


def _csv_rows(path: Path) -> Iterator:
    """A CSV's rows as they are read: the file is decoded a block at a time, never held whole."""
    if path.stat().st_size > MAX_CSV_BYTES:
        raise UserFacingError("import.csv_too_large")
    with path.open("rb") as handle:
        encoding, line_breaks = _encoding_of(handle)
        if encoding is None:
            raise UserFacingError("import.file_not_spreadsheet", name=path.name)
        yield line_breaks  # the estimate
        handle.seek(0)
        # Universal newlines as csv wants them ("\r", "\n", "\r\n" only; never U+2028 inside a cell), a block
        # at a time; the codec drops the BOM.
        lines = io.TextIOWrapper(handle, encoding=encoding, newline="")
        first_line = lines.readline(_TEXT_BLOCK)
        if len(first_line) == _TEXT_BLOCK and not first_line.endswith(("\n", "\r")):
            raise UserFacingError("import.file_unreadable")  # a first line of a million characters is no header
        first_line = first_line.lstrip("\ufeff")
        delimiter = "\t" if "\t" in first_line[:65536] and "," not in first_line[:65536] else ","
        records = csv.reader(itertools.chain([first_line], lines), delimiter=delimiter)
        try:
            for number, cells in enumerate(records, 1):
                if len(cells) > MAX_COLUMNS:
                    raise UserFacingError("import.file_too_many_columns", columns=len(cells), limit=MAX_COLUMNS)
                if number - 1 > MAX_CSV_ROWS:
                    total = number + sum(1 for _ in records)
                    raise UserFacingError("import.file_too_many_rows", rows=total - 1, limit=MAX_CSV_ROWS)
                yield number, cells, None
        except csv.Error:
            raise UserFacingError("import.file_unreadable") from None


# Workbooks, through the child ------------------------------------------------------------------------------

# The child is child.py, run by its file path in isolated mode (see its docstring for what it sends).
CHILD = Path(child_module.__file__)

_CHILD_ERRORS = {
    "encrypted": "import.file_encrypted",
    "unreadable": "import.file_unreadable",
    "empty": "import.file_empty",
    "too_many_rows": "import.file_too_many_rows",
    "too_many_columns": "import.file_too_many_columns",
    "too_many_cells": "import.file_too_many_cells",
    "too_complex": "import.file_too_complex",
}


def _workbook_rows(path: Path) -> Iterator[tuple[int, list[str], list[int] | None]]:
    limits = (READ_MEMORY_BYTES, READ_CPU_SECONDS, MAX_ROWS, MAX_COLUMNS, MAX_CELLS, MAX_TEXT_CHARS)
    command = [sys.executable, "-I", str(CHILD), str(path), *map(str, limits)]
    # The child parses hostile input: it gets no secrets from our environment, and no Rust backtraces.
    environment = {k: v for k, v in os.environ.items() if k in ("PATH", "LD_LIBRARY_PATH", "SYSTEMROOT")}
    environment["RUST_BACKTRACE"] = "0"
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors,
                                 env=environment, encoding="utf-8", close_fds=True)
        timer = threading.Timer(READ_WALL_SECONDS, child.kill)
        timer.start()
        message: dict = {}
        estimated = False  # the child's first line says how many rows the sheet's used range holds
        try:
            received = 0
            while True:
                line = child.stdout.readline(MAX_TEXT_CHARS + 4096 - received)
                if not line:
                    break
                received += len(line)
                if not line.endswith("\n"):  # more than the child may send: it is not our child any more
                    break
                batch = json.loads(line)
                if isinstance(batch, dict) and "estimate" in batch and not estimated:
                    estimated = True
                    yield int(batch["estimate"])
                    continue
                if isinstance(batch, dict):
                    message = batch
                    break
                if not estimated:
                    estimated = True
                    yield 0
                for item in batch:
                    flags = item[2] if len(item) > 2 else None
                    yield item[0], item[1], [int(k) for k in flags] if flags else None
        finally:
            timer.cancel()
            if child.poll() is None:
                child.kill()
            child.stdout.close()
            returncode = child.wait()
        if message.get("done"):
            return
        if not message:
            errors.seek(0)
            log.warning("workbook reader ended with %s: %s", returncode, errors.read(1000).decode("utf-8", "replace"))
            # Killed by a signal (the memory or CPU limit, or our timer): too much; else malformed.
            dead = returncode < 0
            raise UserFacingError("import.file_too_complex" if dead else "import.file_unreadable")
        code = _CHILD_ERRORS.get(message.get("error"), "import.file_unreadable")
        if message.get("detail"):
            log.info("workbook reader refused %s: %s", path.name, message["detail"])
        params = {key: message[key] for key in ("rows", "columns") if key in message}
        if code == "import.file_too_many_rows":
            params["limit"] = MAX_ROWS
        elif code == "import.file_too_many_columns":
            params["limit"] = MAX_COLUMNS
        elif code == "import.file_too_many_cells":
            params["limit"] = MAX_CELLS
        raise UserFacingError(code, **params)
