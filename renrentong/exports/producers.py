"""Export producers (issue 12, item 5): an app describes an export as a function marked @producer that
takes the Actor and the export's JSON parameters, checks scope as any service does, and returns an Export.
See docs/exports.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Callable

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet


@dataclass
class Export:
    """What a producer returns: the sheet, the download's name, and what the audit log records."""

    file_name: str
    sheet: Sheet
    audit_verb: str
    audit_target: Any = None
    audit_details: dict = field(default_factory=dict)
    school_id: int | None = None


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
