"""Transfer pages (ADM-5): a student or teacher applies and follows their request; a school admin works
through the approval queues. Thin: parse with a form, call schooladmin.transfers, render; a refusal is
rendered by RefusalMiddleware or beside the page by @on_refusal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.spreadsheets import writer as spreadsheets
from renrentong.core.web.downloads import download
from renrentong.core.web.refusals import on_refusal, render_page, unless_unseen
from renrentong.core.web.tables import EXPORT_LIMIT, Column, Table, TableRequest, page_of

from renrentong.schooladmin.transfers import access
from renrentong.schooladmin.transfers import services as transfers
from renrentong.schooladmin.transfers.forms import SchoolSearchForm, TransferDecisionForm, TransferRequestForm


def _render(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    """The queues of a school admin, or a person's own requests with the form to apply; with `error` shown."""
    actor = request.actor
    if access.can_decide(actor):
        queues = transfers.queue(actor)
        incoming = [(r, transfers.target_classes(r.to_school) if r.moves_student else [])
                    for r in queues["incoming"]]
        table = _decided_table(request)
        return render_page(request, "schooladmin/transfer_queue.html", {
            "incoming": incoming, "outgoing": queues["outgoing"], "elsewhere": queues["elsewhere"],
            "decided": table.rows, "table": table, "statuses": transfers.DECIDED_STATUSES,
            "status": table.filters.get("status", ""), "school": actor.identity.school,
        }, error)
    if access.follows_schools_below(actor):
        # Region admins follow the transfers of the schools below them; the schools decide.
        found = list(transfers.transfers_in_scope(actor).order_by("-created_at", "-pk")[:100])
    elif access.follows_own(actor):
        found = transfers.own_transfers(actor, limit=50)
    else:
        raise UserFacingError("transfer.not_allowed")
    can_apply = access.can_request(actor)
    query = _query(request) if can_apply else ""
    return render_page(request, "schooladmin/transfer_mine.html", {
        "requests": found, "query": query,
        "schools": transfers.target_schools(query) if query else [], "can_apply": can_apply,
    }, error)


def _decided_columns() -> list[Column]:
    return [Column("person", _("Name")), Column("kind", _("Kind")), Column("route", _("From → to")),
            Column("status", _("Decision")), Column("created", _("Requested"), sort="created", css="text-nowrap"),
            Column("decided", _("Decided"), sort="decided", css="text-nowrap")]


def _decided_filters(request: HttpRequest) -> dict[str, str]:
    status = str(request.GET.get("status", ""))
    return {"status": status if status in dict(transfers.DECIDED_STATUSES) else ""}


def _decided_table(request: HttpRequest) -> Table:
    filters = _decided_filters(request)
    asked = TableRequest.read(request.GET, _decided_columns(), "-decided")
    found = page_of(transfers.decided_transfers(request.actor, sort=asked.sort, **filters), asked.page, asked.size)
    table = Table.build(_decided_columns(), asked, found, filters, name="decided", unit=_("requests"),
                        empty=_("No decided transfers yet."))
    table.export_url = table.link(export="xlsx", page="")
    return table


def _decided_export(request: HttpRequest) -> HttpResponse:
    """The decided transfers, filtered, as .xlsx (names and schools as the page shows them), audited."""
    filters = _decided_filters(request)
    sort = TableRequest.read(request.GET, _decided_columns(), "-decided").sort
    found = transfers.decided_transfers(request.actor, sort=sort, **filters)[:EXPORT_LIMIT]

    def when(at) -> str:
        return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""
    data = [[r.person.name, r.get_kind_display(), f"{r.from_school.name} → {r.to_school.name}",
             r.get_status_display() + (f" · {r.reason}" if r.reason else ""), when(r.created_at), when(r.decided_at)]
            for r in found]
    transfers.record_export(request.actor, rows=len(data), filters=filters)
    headers = [str(c.label) for c in _decided_columns()]
    title = _("Decided transfers")
    sheet = spreadsheets.Sheet(name=title, headers=headers, rows=data, text_columns=set(headers))
    return download(spreadsheets.write_xlsx([sheet]), f"{title}-{timezone.localtime():%Y%m%d-%H%M}.xlsx")



def _query(request: HttpRequest) -> str:
    form = SchoolSearchForm(request.GET)
    valid(form)
    return form.query()


@login_required
@on_refusal(_render)
def transfers_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        to_school = valid(TransferRequestForm(request.POST))["to_school_id"]
        if to_school is None:
            raise UserFacingError("transfer.unknown_school")
        transfers.request_transfer(request.actor, to_school)
        return redirect("schooladmin:transfers")
    if request.GET.get("export") == "xlsx" and access.can_decide(request.actor):
        return _decided_export(request)
    return _render(request)


@login_required
@require_POST
@on_refusal(unless_unseen(_render))
def transfer_action(request: HttpRequest, request_id: int, action: str) -> HttpResponse:
    actor = request.actor
    form = valid(TransferDecisionForm(request.POST))
    if action == "approve":
        transfers.approve(actor, request_id, form["class_id"])
    elif action == "refuse":
        transfers.refuse(actor, request_id, form["reason"])
    elif action == "withdraw":
        transfers.withdraw(actor, request_id)
    else:
        raise UserFacingError("request.not_found")
    return redirect("schooladmin:transfers")
