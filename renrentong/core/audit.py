"""audit.record(actor, verb, target, details): call inside the transaction of the change.

Reading the log (the page, the API, the words for every app's verbs) is the auditlog app's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
