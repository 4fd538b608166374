"""audit.record(actor, verb, target, details): call inside the transaction of the change.

Reading the log (the page, the API, the words for every app's verbs) is the auditlog app's."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.db import connection

from renrentong.core.models import AuditEvent

if TYPE_CHECKING:
    from renrentong.core.actor import Actor


def record(
    actor: Actor | None,
    verb: str,
    target: Any = None,
    details: dict | None = None,
    *,
    account: Any = None,
    school_id: int | None = None,
) -> AuditEvent:
    return AuditEvent.objects.create(
        actor_account=actor.account if actor else account,
        actor_identity_id=actor.identity.pk if actor and actor.identity else None,
        verb=verb,
        target_type=target._meta.model_name if target is not None else "",
        target_id=target.pk if target is not None else None,
        school_id=school_id,
        details=details or {},
    )


def complete(event: AuditEvent, details: dict) -> None:
    """Add what was only known later in the same transaction to an event's details, in one small statement: a
    change that must hold a hot row lock as briefly as possible records its event before taking the lock and
    completes it after (activities.services: the place a sign-up got)."""
    event.details = {**event.details, **details}
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET details = %s WHERE id = %s", [json.dumps(event.details), event.pk])
