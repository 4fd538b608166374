"""One shape for approval flows: a row waits, then is approved, refused with a reason, or withdrawn by
whoever asked (admin applications, school-system changes, transfers, class changes, key information).

Each flow declares an `Approval` with its own statuses and error codes (codes stay as each flow had
them, so clients keep working) and its decide/refuse/withdraw verbs go through the same steps here:

    flow.open(row, to=Status.REFUSED)      -> True if the row is already so (a repeat: nothing to do);
                                              else refuses a row no longer pending ("already decided")
    flow.reason(text)                      -> the cleaned reason, or the "reason required" refusal
    flow.own(is_own)                       -> the "not yours to withdraw" refusal
    flow.close(row, status, actor, **more) -> status, decided_at, decided_by (and e.g. the reason) saved

What a decision does (grant a role, move a student, apply a change) and its audit record stay in the
flow's own service; only the state transitions and their refusals live here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import timezone

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError


def _display(row: models.Model) -> str:
    return str(row.get_status_display())


def _squeeze(text: str) -> str:
    return " ".join((text or "").split())


@dataclass(frozen=True)
class Approval:
    """The vocabulary of one approval flow; see the module docstring for the steps."""

    pending: str
    closed_code: str  # the row was decided or withdrawn already; the message gets {state}
    reason_code: str = ""  # a refusal without a (short enough) reason; "" for flows refused without one
    not_yours_code: str = ""  # someone else's request; "" where scope alone keeps others out
    reason_max: int | None = 200  # a longer reason is refused; None: the cleaner shortens it instead
    clean_reason: Callable[[str], str] = _squeeze
    describe_state: Callable[[models.Model], str] = _display
    repeat_is_noop: bool = True  # asking for the state the row is already in changes nothing
    reason_params: tuple[tuple[str, Any], ...] = ()  # placeholders of the reason message, e.g. its limit

    def open(self, row: models.Model, to: str | None = None) -> bool:
        """True when the row already is `to` and repeats are no-ops; a refusal when it is no longer pending."""
        if self.repeat_is_noop and to is not None and row.status == to:
            return True
        if row.status != self.pending:
            raise UserFacingError(self.closed_code, state=self.describe_state(row))
        return False

    def reason(self, text: str, *, required: bool = True) -> str:
        cleaned = self.clean_reason(text or "")
        if required and (not cleaned or (self.reason_max is not None and len(cleaned) > self.reason_max)):
            raise UserFacingError(self.reason_code, **dict(self.reason_params))
        return cleaned

    def own(self, is_own: bool) -> None:
        if not is_own:
            raise UserFacingError(self.not_yours_code)

    def close(self, row: models.Model, status: str, actor: Actor, **more: Any) -> None:
        """Record the decision (or withdrawal) on the row: its status, when, by whom, and `more` fields."""
        row.status, row.decided_at, row.decided_by = status, timezone.now(), actor.account
        for name, value in more.items():
            setattr(row, name, value)
        row.save(update_fields=["status", "decided_at", "decided_by", *more])
