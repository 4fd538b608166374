"""Reads of the verification app, starting from what the Actor may see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_lazy as _

from renrentong.core.actor import Scope

from renrentong.verification.constants import CODE_LENGTH
from renrentong.verification.models import OutboxMessage
from renrentong.verification.services import mask_target

OUTBOX_PAGE = 100

# What each code was for, as an admin reading the outbox understands it (purposes are services.PURPOSES).
PURPOSE_LABELS = {
    "recover": _("Password recovery"),
    "recover_student": _("Student password recovery"),
    "login": _("Login by code"),
    "bind_phone": _("Binding a phone"),
    "second_factor": _("Admin login second factor"),
    "register": _("Teacher registration"),
    "link_child": _("Linking a child"),
    "link_notice": _("Notice to a parent of a link request"),  # accounts/children.py, no code in it
}

# The code in a message body: its digits standing alone (the minutes of validity have one or two).
_CODE = re.compile(rf"(?<!\d)\d{{{CODE_LENGTH}}}(?!\d)")


def purpose_label(purpose: str) -> str:
    label = PURPOSE_LABELS.get(purpose)
    return gettext(label) if label else purpose


def without_code(body: str) -> str:
    """The body with the code's digits hidden: whoever reads the outbox must not be able to use a code
    meant for someone else (a school admin once logged in as a parent that way)."""
    return _CODE.sub("******", body)


def outbox_messages(scope: Scope, *, unowned: bool = False) -> QuerySet[OutboxMessage]:
    """Messages to people of the scope's schools (or districts), newest first; `unowned` adds those to
    numbers that belong to no account yet. Who may read them is the caller's decision."""
    messages = OutboxMessage.objects.order_by("-created_at", "-pk")
    if not scope.whole_districts:
        return messages.filter(school_id__in=scope.school_ids)
    visible = Q(district_id__in=scope.district_ids)
    if unowned:
        visible |= Q(school_id__isnull=True)
    return messages.filter(visible)


@dataclass(frozen=True)
class OutboxRow:
    id: int
    created_at: datetime
    masked_target: str
    account_number: str
    name: str
    purpose: str
    purpose_label: str
    body: str


def outbox_row(message: OutboxMessage, account_number: str, name: str) -> OutboxRow:
    """A display row: the number masked, the code's digits hidden."""
    return OutboxRow(
        id=message.pk, created_at=message.created_at, masked_target=mask_target(message.target),
        account_number=account_number, name=name, purpose=message.purpose,
        purpose_label=purpose_label(message.purpose), body=without_code(message.body),
    )
