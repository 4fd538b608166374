"""Export producers (issue 12, item 5): an app describes an export as a function marked @producer that
takes the Actor and the export's JSON parameters, checks scope as any service does, and returns an Export.
See docs/exports.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
import io
import zipfile
from typing import Any, Callable, Iterable

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet


# A document's content: bytes, or byte chunks for one too big to hold whole.
Content = bytes | Iterable[bytes]


@dataclass
class Export:
    """What a producer returns: the sheet, the download's name, and what the audit log records.

    Instead of a sheet (None), an export may be a set of documents written into one .zip: each a function
    returning (name inside the zip, content), called one at a time so that the progress bar counts them
    and only one document is in memory besides the zip (the evaluation archives, one PDF per student). The
    content is bytes, or for a document too big to hold whole an iterable of byte chunks, written into the zip
    as they come (the OneRoster CSV files, read back from disk)."""

    file_name: str
    sheet: Sheet | None
    audit_verb: str
    audit_target: Any = None
    audit_details: dict = field(default_factory=dict)
    school_id: int | None = None
    documents: list[Callable[[], tuple[str, Content]]] | None = None


def write_documents(documents: Iterable[Callable[[], tuple[str, Content]]]) -> bytes:
    """The documents as one .zip (deflated; names as given, a repeated name numbered)."""
    out = io.BytesIO()
    seen: set[str] = set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for make in documents:
            name, content = make()
            stem, dot, ext = name.rpartition(".")
            n = 1
            while name in seen:
                n += 1
                name = f"{stem}-{n}{dot}{ext}" if dot else f"{ext}-{n}"
            seen.add(name)
            if isinstance(content, (bytes, str)):
                archive.writestr(name, content)
            else:
                with archive.open(name, "w") as entry:
                    for chunk in content:
                        entry.write(chunk)
    return out.getvalue()


Producer = Callable[[Actor, dict], Export]


def producer(function: Producer) -> Producer:
    """Marks a function as an export producer: only marked functions are run by the worker."""
    function.is_export_producer = True  # type: ignore[attr-defined]
    return function


def producer_path(function: Producer) -> str:
    if not getattr(function, "is_export_producer", False):
        raise ValueError(f"{function!r} is not an @exports.producer")
    return f"{function.__module__}.{function.__qualname__}"


def load_producer(path: str) -> Producer:
    module, _, name = path.rpartition(".")
    if not module.startswith("renrentong."):
        raise ValueError(f"not a producer of ours: {path!r}")
    function = getattr(import_module(module), name)
    if not getattr(function, "is_export_producer", False):
        raise ValueError(f"not an @exports.producer: {path!r}")
    return function
