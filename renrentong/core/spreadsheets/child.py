"""The sandboxed child that parses a workbook (see reader.py's docstring for why it is a child).

Run by reader._workbook_rows as `python -I child.py PATH MEMORY CPU MAX_ROWS MAX_COLUMNS MAX_CELLS MAX_CHARS`:
isolated mode, so nothing from the project, no environment and no current directory is on its path,
and this module imports nothing but the standard library and python_calamine. It limits its own address
space and CPU time first, then writes JSON lines to stdout: {"estimate": the used range's last row number},
batches of [row number, [cell texts], {column: flag}?] (rows with no text are left out), then {"done": true},
or {"error": code, ...}.
"""

from __future__ import annotations

import datetime
import json
import sys
from decimal import Decimal

LIMIT = 10 ** 15  # Excel keeps 15 significant digits
BATCH_ROWS = 500


class _Finished(Exception):
    """The child's last message has been sent."""


def _limit(memory: int, cpu: int) -> None:
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    except (ValueError, OSError):  # macOS cannot limit the address space; production runs on Linux
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))


def _send(out, message) -> None:
    out.write(json.dumps(message, ensure_ascii=False))
    out.write("\n")
    out.flush()


def digits(value: float) -> str:
    """As Excel shows it: 4.30102201505171e17 is 430102201505171000, not ...171008."""
    return str(int(Decimal(format(value, ".15g"))))


def text(value, index: int, flags: dict) -> str:
    """A cell's value as the text the user sees; `flags[index] = "n"` when it was a number that cannot
    be the text the user meant (more digits than Excel keeps, or a fraction)."""
    kind = type(value)
    if kind is float:
        if value.is_integer():
            if abs(value) >= LIMIT:
                flags[index] = "n"
                return digits(value)
            return str(int(value))
        flags[index] = "n"
        return format(value, ".15g")
    if kind is int:
        if abs(value) >= LIMIT:
            flags[index] = "n"
        return str(value)
    if kind is bool:
        return "TRUE" if value else "FALSE"
    if kind is datetime.datetime:
        return value.isoformat(sep=" ")
    if kind is datetime.date or kind is datetime.time:
        return value.isoformat()
    return str(value)


def _first_sheet(path: str):
    import python_calamine as calamine

    with open(path, "rb") as handle:
        book = calamine.CalamineWorkbook.from_filelike(handle)
    worksheets = [s for s in book.sheets_metadata if s.typ == calamine.SheetTypeEnum.WorkSheet]
    visible = [s for s in worksheets if s.visible == calamine.SheetVisibleEnum.Visible]
    if not worksheets:
        return None
    return book.get_sheet_by_name((visible or worksheets)[0].name)


def read(path: str, out, max_rows: int, max_columns: int, max_cells: int, max_chars: int) -> dict:
    """Write the first worksheet's rows to `out` in batches; returns the last message to send."""
    try:
        sheet = _first_sheet(path)
    except MemoryError:
        return {"error": "too_complex"}
    except BaseException as exc:  # calamine's errors, and pyo3's PanicException, which is no Exception
        if isinstance(exc, SystemExit):
            raise
        return {"error": "encrypted" if type(exc).__name__ == "PasswordError" else "unreadable",
                "detail": f"{type(exc).__name__}: {exc}"[:500]}
    if sheet is None or sheet.end is None:
        return {"error": "empty"}
    rows, width, height = sheet.end[0] + 1, sheet.width, sheet.height
    if rows - 1 > max_rows:
        return {"error": "too_many_rows", "rows": rows - 1}
    if width > max_columns:
        return {"error": "too_many_columns", "columns": width}
    if width * height > max_cells:
        return {"error": "too_many_cells", "rows": height, "columns": width}

    _send(out, {"estimate": rows})  # rows from the first, as reader counts a CSV's lines
    batch, sent = [], 0
    pad = [""] * sheet.start[1]  # calamine's rows begin at the first used column; ours begin at column A
    try:
        for number, values in enumerate(sheet.iter_rows(), 1):
            if not any(values) and all(v == "" for v in values):  # 0 and False are values too
                continue
            flags: dict = {}
            cells = [v if type(v) is str else text(v, i, flags) for i, v in enumerate(values, len(pad))]
            if pad:
                cells = pad + cells
            batch.append([number, cells, flags] if flags else [number, cells])
            if len(batch) == BATCH_ROWS:
                line = json.dumps(batch, ensure_ascii=False)
                sent += len(line)
                if sent > max_chars:
                    return {"error": "too_complex"}
                out.write(line)
                out.write("\n")
                batch = []
        if batch:
            line = json.dumps(batch, ensure_ascii=False)
            if sent + len(line) > max_chars:
                return {"error": "too_complex"}
            out.write(line)
            out.write("\n")
    except MemoryError:
        return {"error": "too_complex"}
    return {"done": True}


def main(argv: list[str]) -> int:
    path = argv[0]
    memory, cpu, max_rows, max_columns, max_cells, max_chars = map(int, argv[1:7])
    _limit(memory, cpu)
    sys.stdout.reconfigure(encoding="utf-8")
    out = sys.stdout
    _send(out, read(path, out, max_rows, max_columns, max_cells, max_chars))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
