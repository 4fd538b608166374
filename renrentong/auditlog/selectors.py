"""Reading the audit log (AUTH-5: who, whose, when, how), starting from what the Actor may read."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.core.models import AuditEvent
from renrentong.core.text import normalize_text
from renrentong.orgs.models import School

from renrentong.auditlog.access import can_read_audit_log, reads_for_regions

# The log page and API show school admins the records concerning their school, and region admins the
# records of every school below them plus those about admins of regions below them.

PAGE_SIZE = 50
EARLIEST, LATEST = date(2000, 1, 1), date(2999, 12, 31)


# The orders the log may be sorted by (?sort=at oldest first, -at newest first): the time index, then the id.
SORTS = {"at": ("at", "pk"), "-at": ("-at", "-pk")}


def visible_events(actor: Actor, *, verb: str = "", since: date | None = None,
                   until: date | None = None, sort: str = "-at") -> QuerySet[AuditEvent]:
    """The audit events the actor may read, newest first unless `sort` is "at"; `since` and `until` are
    dates, both included."""
    identity = actor.require_identity()
    if not can_read_audit_log(actor):
        raise UserFacingError("audit.not_allowed")
    if reads_for_regions(actor):
        scope = actor.scope
        below = sorted(scope.region_ids - {identity.region_id})
        allowed = Q(chain__in=School.objects.filter(district_id__in=scope.district_ids).values("pk"))
        if below:
            allowed |= Q(details__region_id__in=below)
    else:
        allowed = Q(chain=identity.school_id)
    # Days beyond any record are no filter at all (and would overflow the time zone arithmetic).
    since = since if since and since > EARLIEST else None
    until = until if until and until < LATEST else None
    # A school's entries are found through the chain's index, whose leading expression is the school (0 for the
    # region's chain): the log keeps no index on the school alone, one fewer to write with every entry.
    events = AuditEvent.objects.alias(chain=Coalesce("school_id", 0)).filter(allowed | Q(actor_account=actor.account))
    verb = normalize_text(verb)
    if verb:
        events = events.filter(verb=verb)
    zone = timezone.get_current_timezone()
    if since:
        events = events.filter(at__gte=datetime.combine(since, time.min, tzinfo=zone))
    if until:
        events = events.filter(at__lt=datetime.combine(until + timedelta(days=1), time.min, tzinfo=zone))
    return events.order_by(*SORTS.get(sort, SORTS["-at"]))
