"""Batch actions on the chosen rows of the user table (ADM-1): freeze, unfreeze, leave school, delete to
the recycle bin. A batch is all or nothing: every row is tried in one transaction, and if any is refused
the whole batch is rolled back and one refusal names every refused row with its reason and who can fix it.
Each row goes through the same service as the row's own button, so the rules and audit records are theirs.
"""

from __future__ import annotations

from django.db import transaction

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError, in_language
from renrentong.schooladmin.users import services as users

ACTIONS = {
    "freeze": users.freeze, "unfreeze": users.unfreeze, "leave": users.leave_school, "delete": users.delete,
}
# How the refusal names the action ("cannot be frozen"), in both languages.
DONE_WORDS = {
    "freeze": ("冻结", "frozen"), "unfreeze": ("解冻", "unfrozen"), "leave": ("标记为离校", "marked as left"),
    "delete": ("删除", "deleted"),
}
# At most this many refused rows are named in the message; the count says how many there were.
NAMED = 20


def _label(actor: Actor, account_id: int) -> str:
    try:
        _, row, _ = users.user_detail(actor, account_id)
    except UserFacingError:
        return f"#{account_id}"
    return f"{row.name} {row.number}".strip()


def run_batch(actor: Actor, action: str, account_ids: list[int]) -> int:
    """Apply one state change to every chosen account, all or none; the number changed."""
    if action not in ACTIONS:
        raise UserFacingError("request.not_found")
    ids = users._batch(account_ids)
    change = ACTIONS[action]
    refused: list[tuple[int, UserFacingError]] = []
    with transaction.atomic():
        for account_id in ids:
            try:
                change(actor, account_id)  # its own atomic block: a savepoint, rolled back on refusal
            except UserFacingError as error:
                if error.code in ("users.not_allowed", "users.school_required"):
                    raise  # not about this row: the actor may not do it at all
                refused.append((account_id, error))
        if refused:
            named = "；".join(f"{_label(actor, pk)}：{error.message.rstrip('。.')}（{error.who_can_fix}）"
                             for pk, error in refused[:NAMED])
            if len(refused) > NAMED:
                named += in_language(f"……等 {len(refused)} 行", f"… {len(refused)} rows in all")
            raise UserFacingError("users.batch_refused", count=len(ids), refused=len(refused),
                                  action=in_language(*DONE_WORDS[action]), rows=named)
    return len(ids)


def record_export(actor: Actor, school, kind: str, *, rows: int, chosen: bool, filters: dict,
                  searched: bool) -> None:
    """An export of a user table is an audited event, like the roster and audit log exports: what was
    exported (the filters, never the search text, which may hold a phone or ID number) and how many rows."""
    with transaction.atomic():
        audit.record(actor, "users.export", None,
                     {"kind": kind, "rows": rows, "chosen": chosen, "searched": searched,
                      **{k: str(v) for k, v in filters.items()}}, school_id=school.pk)
