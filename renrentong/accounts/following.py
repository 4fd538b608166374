"""What a student keeps per school follows them to a new school (issue 14 item 8).

A student changes school in two places: an approved transfer (ADM-5, schooladmin.transfers) and a roster
import that takes in a student who graduated or left elsewhere (IMP-3a, rosters). The apps that keep rows
per school for a student (evaluation material, scores, reviews ...) sit above both, so they cannot be
called by name: each registers a mover here when it starts (AppConfig.ready), and the code that moves
students calls `students_moved` inside its own transaction. A mover that raises rolls the move back with
everything else, so a student is never half moved (NFR-3).

A mover takes the moves of one transaction (a transfer: one; an import chunk: many) and changes its rows
set-based, never a query per student; it returns how many rows it moved, which goes to the audit record.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.db import transaction


@dataclass(frozen=True)
class StudentMove:
    person_id: int
    to_school_id: int
    to_class_id: int | None


Mover = Callable[[Sequence[StudentMove]], int]

_movers: dict[str, Mover] = {}


def register(name: str, mover: Mover) -> None:
    """Register (or replace, by name: AppConfig.ready may run twice in tests) what follows a student."""
    _movers[name] = mover


def registered() -> list[str]:
    return sorted(_movers)


def students_moved(moves: Sequence[StudentMove]) -> dict[str, int]:
    """Call every mover for these moves; inside the caller's transaction. Returns rows moved per mover."""
    if not moves:
        return {}
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("students_moved must run inside the transaction that moves the students")
    return {name: _movers[name](moves) for name in sorted(_movers)}
