"""How recovery names the accounts a phone serves: the kind that labels an account in the pick list."""

from __future__ import annotations

from renrentong.accounts.models import Identity


def is_student_only_label(kind: str | None) -> bool:
    """An account whose first identity in the pick list is a student's: it is shown as the student."""
    return kind == Identity.Kind.STUDENT
