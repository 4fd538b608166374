"""Who may read the audit log (AUTH-5, NFR-1): school admins the records concerning their school, region
admins those of the schools and regions below them (and everyone their own records, when allowed in)."""

from __future__ import annotations

from renrentong.core.actor import Actor

from renrentong.accounts.models import Identity


def can_read_audit_log(actor: Actor) -> bool:
    return actor.identity is not None and actor.identity.kind in (Identity.Kind.SCHOOL_ADMIN,
                                                                   Identity.Kind.REGION_ADMIN)


def reads_for_regions(actor: Actor) -> bool:
    """A region admin reads the log of every school and region below its region."""
    return actor.identity is not None and actor.identity.kind == Identity.Kind.REGION_ADMIN
