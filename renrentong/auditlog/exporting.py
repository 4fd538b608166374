"""The audit log export as an export job (issue 12, item 5): the filtered log, written in the request when
it is small and by the worker with a progress page when it is big (renrentong.exports). The words are
the page's: names masked, no ID numbers, every cell a neutralised string."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from renrentong.core.actor import Actor
from renrentong.core.spreadsheets.writer import Sheet
from renrentong.exports import producers

from renrentong.auditlog import selectors
from renrentong.auditlog.describe import describe

# An export is for reading and filing, not a dump of the database: the newest rows up to this many.
EXPORT_LIMIT = 50_000


def _events(actor: Actor, params: dict):
    since = date.fromisoformat(params["since"]) if params.get("since") else None
    until = date.fromisoformat(params["until"]) if params.get("until") else None
    return selectors.visible_events(actor, verb=params.get("kind") or "", since=since, until=until,
                                    sort=params.get("sort") or "-at")


def export_params(filters: dict, since: date | None, until: date | None) -> dict:
    return {**{k: v for k, v in filters.items() if v}, "kind": filters.get("kind") or "",
            "since": since.isoformat() if since else "", "until": until.isoformat() if until else ""}


def export_size(actor: Actor, params: dict) -> int:
    return min(_events(actor, params).count(), EXPORT_LIMIT)


@producers.producer
def audit_log_export(actor: Actor, params: dict) -> producers.Export:
    rows = describe(list(_events(actor, params)[:EXPORT_LIMIT]))
    identity = actor.require_identity()
    headers = [_("When"), _("What"), _("Done by"), _("Account"), _("Identity"), _("Whose"), _("How")]
    zone = timezone.get_current_timezone()
    data = [[timezone.localtime(r["at"], zone).strftime("%Y-%m-%d %H:%M:%S"), r["kind"], r["who_name"],
             r["who_account"], r["who_identity"],
             " ".join(v for v in (r["whose_name"], r["whose_account"], r["target"]) if v), r["how"]]
            for r in rows]
    order = (_("Audit log exported %(at)s by %(who)s; %(n)s records, oldest first.") if params.get("sort") == "at"
             else _("Audit log exported %(at)s by %(who)s; %(n)s records, newest first."))
    notes = [order % {
        "at": timezone.localtime(timezone.now(), zone).strftime("%Y-%m-%d %H:%M"),
        "who": actor.account.number, "n": len(data)}]
    title = _("Audit log")
    stamp = timezone.localtime(timezone.now(), zone).strftime("%Y%m%d-%H%M")
    filters = {k: v for k, v in params.items() if v and k not in ("since", "until", "sort")}
    return producers.Export(
        file_name=f"{title}-{stamp}.xlsx",
        sheet=Sheet(name=title, headers=headers, rows=data, text_columns=set(headers), notes=notes),
        audit_verb="audit.export",
        audit_details={**filters, **({"region_id": identity.region_id} if identity.region_id else {})},
        school_id=identity.school_id)
