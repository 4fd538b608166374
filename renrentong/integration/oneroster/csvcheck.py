"""Check a OneRoster 1.2 CSV package (a zip of CSV files) before anything is imported (INT-2).

Pure Python, no database: the caller passes what the database already holds as `known_sourced_ids`. Every
problem is collected, not just the first, so a school can fix its export in one round; each names the file,
the line (the header is line 1) and the column, in a stable snake_case code the pages translate.

A district's package holds a hundred thousand users, so each file is read once, references are set lookups,
and a cell is checked with string tests and small caches rather than a regular expression."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.utils.translation import gettext as _

from renrentong.integration.oneroster import csvformat as fmt
from renrentong.integration.oneroster.csvformat import FileFormat

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ENTRIES = 50_000
MAX_PROBLEMS = 1_000
# Problems that leave the package importable: we read the rostering files and say which others we skipped.
WARNING_CODES = frozenset({"unsupported_file"})

_BOM = b"\xef\xbb\xbf"
_SHOWN = 40  # characters of an offending value quoted back in a problem's detail


@dataclass(frozen=True)
class Problem:
    code: str
    file: str
    row: int | None
    column: str | None
    detail: str

    @property
    def blocking(self) -> bool:
        return self.code not in WARNING_CODES

    def message(self) -> str:
        values = {"file": self.file, "row": self.row, "column": self.column, "detail": self.detail}
        if self.row is not None and self.column is not None:
            return _("%(file)s line %(row)s, column %(column)s: %(detail)s") % values
        if self.row is not None:
            return _("%(file)s line %(row)s: %(detail)s") % values
        if self.column is not None:
            return _("%(file)s, column %(column)s: %(detail)s") % values
        if self.file:
            return _("%(file)s: %(detail)s") % values
        return self.detail


class Package(dict):
    """The files of a zip by name. When the zip could not be read safely it holds no files, and `problems`
    says why; check_package reports those instead of checking."""

    def __init__(self, files: Mapping[str, bytes] = (), problems: list[Problem] | tuple = ()):
        super().__init__(files)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Checked:
    mode: dict[str, str]  # every manifest file ("users.csv") -> bulk, delta or absent
    rows: dict[str, list[dict[str, str]]]  # each rostering file checked -> its rows ([] if unreadable)
    problems: list[Problem]
    lines: dict[str, list[int]] = field(default_factory=dict)  # each file's rows -> the line each was on

    @property
    def blocking(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.blocking]


class _Full(Exception):
    """Raised by _Problems once the cap is reached: a broken export would otherwise list a problem per cell."""


class _Problems:
    def __init__(self, initial: tuple[Problem, ...] = ()):
        self.items = list(initial)

    def add(self, code: str, file: str, row: int | None, column: str | None, detail: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.items.append(Problem("too_many_problems", "", None, None, f"stopped after {MAX_PROBLEMS} problems"))
            raise _Full
        self.items.append(Problem(code, file, row, column, detail))


def _shown(value: str) -> str:
    return repr(value if len(value) <= _SHOWN else value[:_SHOWN] + "…")


# --- the zip ---------------------------------------------------------------------------------------------------

def read_package(data: bytes) -> Package:
    """The zip's files by name, or an empty Package whose `problems` say why it was refused."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:  # zipfile raises a zoo of types on corrupt input; each means "not a zip we can read"
        return Package(problems=[Problem("not_zip", "", None, None, "not a zip file")])
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            return Package(problems=[Problem("package_too_large", "", None, None,
                                             f"{len(entries)} entries, at most {MAX_ENTRIES} allowed")])
        # The declared sizes bound what reading inflates (zipfile stops at file_size and checks the CRC),
        # so summing them refuses a zip bomb before any of it is decompressed.
        if sum(entry.file_size for entry in entries) > MAX_UNCOMPRESSED:
            return Package(problems=[Problem("package_too_large", "", None, None,
                                             f"over {MAX_UNCOMPRESSED // (1024 * 1024)} MB uncompressed")])
        problems = _Problems()
        try:
            _check_entry_names(entries, problems)
        except _Full:
            pass
        if problems.items:
            return Package(problems=problems.items)
        files = {}
        for entry in entries:
            try:
                files[entry.filename] = archive.read(entry)
            except Exception:  # a bad CRC, an unknown compression method, an encrypted entry ...
                return Package(problems=[Problem("not_zip", entry.filename, None, None, "entry cannot be read")])
    return Package(files)


def _check_entry_names(entries: list[zipfile.ZipInfo], problems: _Problems) -> None:
    # The binding puts every file at the top of the zip; a folder (even one wrapping them all) is refused, so a
    # name means one thing and nothing can point outside the package.
    seen: set[str] = set()
    reported: set[str] = set()
    for entry in entries:
        name = entry.filename
        if not name or "/" in name or "\\" in name or name in (".", "..") or "\x00" in name:
            problems.add("bad_entry_name", name, None, None, "files must sit at the top of the zip, not in folders")
        elif name in seen:
            if name not in reported:
                reported.add(name)
                problems.add("duplicate_entry", name, None, None, "the zip holds this name more than once")
        seen.add(name)


# --- one CSV file ------------------------------------------------------------------------------------------------

class _Table:
    """A CSV file's header and its records with their line numbers, read lazily so a big file is never held
    twice. `broken` turns true when the file cannot be read to its end."""

    def __init__(self, name: str, text: str, problems: _Problems):
        self.name, self.problems, self.broken = name, problems, False
        self._reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        self.header: list[str] | None = None
        first = self._next()
        if first is not None:
            self.header = first[1]

    def _next(self) -> tuple[int, list[str]] | None:
        while True:
            # A record's line is where it starts; a quoted field may carry it over several lines.
            line = self._reader.line_num + 1
            try:
                fields = next(self._reader)
            except StopIteration:
                return None
            except csv.Error:
                self.broken = True
                self.problems.add("bad_csv", self.name, line, None, "unbalanced quotes or stray characters")
                return None
            if fields:  # a blank line is no record
                return line, fields

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        while (record := self._next()) is not None:
            yield record


def _open(name: str, data: bytes, problems: _Problems) -> _Table | None:
    if data.startswith(_BOM):
        data = data[len(_BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        problems.add("not_utf8", name, line, None, "not UTF-8 text (saved as GBK or ANSI?); save it as UTF-8")
        return None
    table = _Table(name, text, problems)
    if table.header is None:
        if not table.broken:
            problems.add("header_order", name, 1, None, "the file is empty; expected the header line")
        return None
    return table


def _check_header(table: _Table, expected: tuple[str, ...], extensions: bool, problems: _Problems) -> bool:
    header = table.header
    width = len(expected)
    for position, wanted in enumerate(expected):
        found = header[position] if position < len(header) else ""
        if found != wanted:
            problems.add("header_order", table.name, 1, wanted,
                         f"column {position + 1} is {_shown(found)}, expected {wanted!r}")
            return False
    extra = header[width:]
    for position, name in enumerate(extra, start=width):
        if not (extensions and name.startswith(fmt.METADATA_PREFIX)) or name in header[:position]:
            allowed = "only unique metadata.* columns may follow" if extensions else f"expected {width} columns"
            problems.add("header_order", table.name, 1, name, f"column {position + 1} is {_shown(name)}; {allowed}")
            return False
    return True


# --- cells -------------------------------------------------------------------------------------------------------

def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


@lru_cache(maxsize=65536)
def _is_date(value: str) -> bool:
    if len(value) != 10 or value[4] != "-" or value[7] != "-" or not _digits(value[:4] + value[5:7] + value[8:]):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=65536)
def _is_datetime(value: str) -> bool:
    # 2026-12-06T10:00:00.000Z or 2026-12-06T10:00:00Z: UTC, said with the Z.
    if len(value) == 24:
        if value[19] != "." or not _digits(value[20:23]):
            return False
    elif len(value) != 20:
        return False
    if value[-1] != "Z" or value[10] != "T" or value[13] != ":" or value[16] != ":" or not _is_date(value[:10]):
        return False
    if not _digits(value[11:13] + value[14:16] + value[17:19]):
        return False
    try:
        datetime.fromisoformat(value[:19])
    except ValueError:
        return False
    return True


def _is_user_ids(value: str) -> bool:
    for item in value.split(","):
        item = item.strip()
        kind, colon, identifier = item[1:-1].partition(":")
        if not (item.startswith("{") and item.endswith("}") and colon and kind.strip() and identifier.strip()):
            return False
    return True


def listed(value: str) -> list[str]:
    if "," not in value:  # one reference, as nearly all are (3.4 million calls for a 100,000-student package)
        value = value.strip()
        return [value] if value else []
    return [item for item in (part.strip() for part in value.split(",")) if item]


# --- the package -------------------------------------------------------------------------------------------------

class _Ids:
    """The sourcedIds each checked file declared, split by whether the package deletes them, and the files that
    could not be read (references into those are not judged: their one problem is already reported)."""

    def __init__(self, modes: dict[str, str], known: set[str] | frozenset[str]):
        self.modes, self.known = modes, known
        self.active: dict[str, set[str]] = {}
        self.deleted: dict[str, set[str]] = {}
        self.unreadable: set[str] = set()

    def resolves(self, target: str, sourced_id: str) -> bool:
        if sourced_id in self.active.get(target, ()):
            return True
        # A bulk file is the whole truth about its objects; otherwise what the database holds still stands,
        # unless this package deletes it.
        return (self.modes.get(target) != "bulk" and sourced_id in self.known
                and sourced_id not in self.deleted.get(target, ()))

    def where(self, target: str) -> str:
        return target if self.modes.get(target) == "bulk" else f"{target} nor already imported"

    def judged(self, target: str) -> bool:
        return target not in self.unreadable


def check_package(files: Mapping[str, bytes], *, known_sourced_ids: set[str] | frozenset[str] = frozenset()) -> Checked:
    """Check every file of a package (read_package's result, or any name -> bytes mapping)."""
    modes = {name + ".csv": "absent" for name in fmt.MANIFEST_FILES}
    rows: dict[str, list[dict[str, str]]] = {}
    lines: dict[str, list[int]] = {}
    refused = getattr(files, "problems", ())
    problems = _Problems(refused)
    if not refused:
        try:
            _check(files, known_sourced_ids, modes, rows, lines, problems)
        except _Full:
            pass
    return Checked(mode=modes, rows=rows, problems=problems.items, lines=lines)


def _check(files: Mapping[str, bytes], known: set[str] | frozenset[str], modes: dict[str, str],
           rows: dict[str, list[dict[str, str]]], lines: dict[str, list[int]], problems: _Problems) -> None:
    if fmt.MANIFEST not in files:
        problems.add("manifest_missing", fmt.MANIFEST, None, None, "the package has no manifest.csv")
        return
    manifest = _read_manifest(files[fmt.MANIFEST], modes, problems)
    if manifest is None:
        return
    to_check = _match_files(files, modes, manifest, problems)
    ids = _Ids(modes, known)
    for form in fmt.ROSTERING.values():
        if form.name in to_check:
            rows[form.name], lines[form.name] = [], []
            _check_file(form, modes[form.name], files[form.name], ids, problems, rows[form.name], lines[form.name])


def _read_manifest(data: bytes, modes: dict[str, str], problems: _Problems) -> dict[str, int | None] | None:
    """Sets each listed file's mode; returns the manifest line of each file property (None for a property whose
    value is no mode: its problem is reported, and the file is neither checked nor reported again), or None
    when the manifest cannot be read."""
    name = fmt.MANIFEST
    table = _open(name, data, problems)
    if table is None or not _check_header(table, fmt.MANIFEST_HEADER, False, problems):
        return None
    file_properties = {"file." + f: f + ".csv" for f in fmt.MANIFEST_FILES}
    seen: dict[str, int] = {}
    lines: dict[str, int | None] = {}
    for line, fields in table:
        if len(fields) != 2:
            problems.add("bad_csv", name, line, None, f"expected 2 fields, found {len(fields)}")
            continue
        prop, value = fields
        if prop in seen:
            problems.add("manifest_property", name, line, "propertyName", f"{_shown(prop)} again (line {seen[prop]})")
            continue
        seen[prop] = line
        if prop in fmt.MANIFEST_VERSIONS:
            if value != fmt.MANIFEST_VERSIONS[prop]:
                problems.add("manifest_property", name, line, "value",
                             f"{prop} is {_shown(value)}, expected {fmt.MANIFEST_VERSIONS[prop]!r}")
        elif prop in file_properties:
            if value in fmt.MODES:
                modes[file_properties[prop]] = value
                lines[file_properties[prop]] = line
            else:
                lines[file_properties[prop]] = None
                problems.add("manifest_property", name, line, "value",
                             f"{_shown(value)}, expected one of: absent, bulk, delta")
        elif prop not in fmt.MANIFEST_OPTIONAL:
            problems.add("manifest_property", name, line, "propertyName", f"unknown property {_shown(prop)}")
    if table.broken:
        return None
    for prop in (*fmt.MANIFEST_VERSIONS, *file_properties):
        if prop not in seen:
            problems.add("manifest_property", name, None, "propertyName", f"the property {prop!r} is missing")
    return lines


def _match_files(files: Mapping[str, bytes], modes: dict[str, str], lines: dict[str, int | None],
                 problems: _Problems) -> set[str]:
    """Holds the manifest against the zip's contents; returns the rostering files to check."""
    to_check = set()
    for file, mode in modes.items():
        present = file in files
        if file in lines and lines[file] is None:
            continue
        if mode != "absent" and not present:
            problems.add("manifest_file_absent", fmt.MANIFEST, lines.get(file), "value",
                         f"{file} is marked {mode} but is not in the package")
        elif mode == "absent" and present:
            problems.add("manifest_file_not_listed", fmt.MANIFEST, lines.get(file), "value",
                         f"{file} is in the package but not listed as bulk or delta")
        elif present and file not in fmt.ROSTERING:
            problems.add("unsupported_file", file, None, None, "not a rostering file; it is not read")
        elif present:
            to_check.add(file)
    for file in files:
        if file != fmt.MANIFEST and file not in modes:
            problems.add("manifest_file_not_listed", file, None, None, "not a file of a OneRoster 1.2 package")
    return to_check


def _check_file(form: FileFormat, mode: str, data: bytes, ids: _Ids, problems: _Problems,
                out: list[dict[str, str]], out_lines: list[int]) -> None:
    """Check one file, appending its rows (and the line of each) to `out` (and `out_lines`) as they are read:
    what was read before the checker stopped stays readable."""
    name = form.name
    table = _open(name, data, problems)
    if table is None or not _check_header(table, form.header, True, problems):
        ids.unreadable.add(name)
        return
    header = table.header
    index = {column: position for position, column in enumerate(header)}
    width = len(header)
    required = [(index[c], c) for c in form.required]
    enums = [(index[c], c, allowed, ", ".join(sorted(allowed))) for c, allowed in form.enums.items()]
    dates = [(index[c], c) for c in form.dates]
    years = [(index[c], c) for c in form.years]
    grades = [(index[c], c) for c in form.grades]
    user_ids = [(index[c], c) for c in form.user_ids]
    # References into this same file wait until the whole file is read; the others resolve at once, since
    # fmt.ROSTERING orders every file after the files it points into.
    references = [(index[r.column], r.column, r.target, r.many) for r in form.references if ids.judged(r.target)]
    bulk = mode == "bulk"
    active: set[str] = set()
    deleted: set[str] = set()
    first_line: dict[str, int] = {}
    pending: list[tuple[int, str, str]] = []
    add = problems.add

    for line, fields in table:
        if len(fields) != width:
            add("bad_csv", name, line, None, f"expected {width} fields, found {len(fields)}")
            if fields[0]:
                # Still a declared object, so references to it do not pile up as a second problem.
                active.add(fields[0])
            continue
        out.append(dict(zip(header, fields)))
        out_lines.append(line)
        sourced_id, status, modified = fields[0], fields[1], fields[2]
        deleting = False
        if bulk:
            if status:
                add("bulk_status_not_blank", name, line, fmt.STATUS, "must be blank in a bulk file")
            if modified:
                add("bulk_status_not_blank", name, line, fmt.DATE_LAST_MODIFIED, "must be blank in a bulk file")
        else:
            if not status:
                add("delta_status_required", name, line, fmt.STATUS, "required in a delta file: active or tobedeleted")
            elif status not in fmt.DELTA_STATUSES:
                add("enum", name, line, fmt.STATUS, f"{_shown(status)}, expected one of: active, tobedeleted")
            else:
                deleting = status == fmt.TO_BE_DELETED
            if not modified:
                add("delta_status_required", name, line, fmt.DATE_LAST_MODIFIED,
                    "required in a delta file, like 2026-12-06T10:00:00.000Z")
            elif not _is_datetime(modified):
                add("datetime_format", name, line, fmt.DATE_LAST_MODIFIED,
                    f"{_shown(modified)}, expected UTC like 2026-12-06T10:00:00.000Z")
        if sourced_id and not sourced_id.isspace():
            if sourced_id in first_line:
                add("duplicate_sourced_id", name, line, "sourcedId",
                    f"{_shown(sourced_id)} is also on line {first_line[sourced_id]}")
            else:
                first_line[sourced_id] = line
                (deleted if deleting else active).add(sourced_id)
        # A row that deletes an object needs only its sourcedId; whatever else it carries must still be well
        # formed, but need not be complete nor point at anything that still exists.
        for position, column in required:
            value = fields[position]
            if (not value or value.isspace()) and (not deleting or column == "sourcedId"):
                add("required", name, line, column, "required, but blank")
        for position, column, allowed, choices in enums:
            value = fields[position]
            if value and value not in allowed:
                add("enum", name, line, column, f"{_shown(value)}, expected one of: {choices}")
        for position, column in dates:
            value = fields[position]
            if value and not _is_date(value):
                add("date_format", name, line, column, f"{_shown(value)}, expected a date like 2026-09-01")
        for position, column in years:
            value = fields[position]
            if value and not (len(value) == 4 and _digits(value)):
                add("date_format", name, line, column, f"{_shown(value)}, expected a year like 2027")
        for position, column in grades:
            value = fields[position]
            if value:
                for grade in value.split(","):
                    if grade.strip() not in fmt.GRADES:
                        add("enum", name, line, column,
                            f"grade {_shown(grade.strip())}, expected CEDS levels like 01..13, KG, PK, Other")
        for position, column in user_ids:
            value = fields[position]
            if value and not _is_user_ids(value):
                add("user_ids_format", name, line, column, f"{_shown(value)}, expected {{type:identifier}},...")
        if deleting:
            continue
        for position, column, target, many in references:
            value = fields[position]
            if not value:
                continue
            for target_id in (listed(value) if many else (value,)):
                if target == name:
                    pending.append((line, column, target_id))
                elif not ids.resolves(target, target_id):
                    add("unresolved_reference", name, line, column,
                        f"{_shown(target_id)} is not in {ids.where(target)}")

    ids.active[name], ids.deleted[name] = active, deleted
    if table.broken:
        ids.unreadable.add(name)
        return
    for line, column, target_id in pending:
        if not ids.resolves(name, target_id):
            add("unresolved_reference", name, line, column, f"{_shown(target_id)} is not in {ids.where(name)}")
