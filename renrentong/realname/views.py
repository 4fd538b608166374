"""Pages: the user's real-name verification, the admins' registry and the teacher-registration queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from renrentong.core.web.forms import valid
from renrentong.realname.registration import services as registration
from renrentong.core.web.client import client_address
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.core.web.tables import (
    EXPORT_LIMIT, Column, Table, TableRequest, carried_search, page_of, search_token, xlsx_response,
)

from renrentong.realname import access, selectors, services
from renrentong.realname.forms import (
    ApplicationDecisionForm, RegistryActionForm, RegistrySearchForm, UnbindForm, VerifyForm,
)


def _verify_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    values = {key: request.POST.get(key, "") for key in ("role", "name", "id_number", "number")}
    bindings = selectors.my_bindings(actor)
    done = next((b for b in bindings if str(b.pk) == request.GET.get("done")), None)
    form = VerifyForm(request.POST if request.method == "POST" else None, roles=selectors.binding_roles())
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "realname/verify.html", {
        "bindings": bindings, "values": values, "done": done, "form": form,
        "unbound": request.GET.get("unbound") == "1",
        "ask_continue": error is not None and error.code == "realname.other_school",
        "roles": selectors.binding_roles(),
    }, error)


@login_required
@on_refusal(_verify_form_page)
def verify_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if request.method != "POST":
        return _verify_form_page(request)
    data = valid(VerifyForm(request.POST))
    if data["action"] == "unbind":
        services.unbind(actor, valid(UnbindForm(request.POST))["binding_id"])
        return redirect(reverse("realname:verify") + "?unbound=1")
    binding = services.verify(actor, services.VerifyInput(
        role=data["role"], name=data["name"], id_number=data["id_number"], number=data["number"],
        continue_at_other_school=bool(data["continue_at_other_school"]),
    ), source=client_address(request))
    return redirect(reverse("realname:verify") + f"?done={binding.pk}")


def _registry_form_page(request: HttpRequest, error: UserFacingError | None = None,
                        outcome: dict | None = None) -> HttpResponse:
    actor = request.actor
    schools = list(services.schools_in_scope(actor).order_by("code")[:500])  # refused: the error page
    context: dict = {"schools": schools, "is_region": access.picks_school(actor), **(outcome or {})}
    if error is not None:
        context["failed_action"] = request.POST.get("action", "")
        context["form"] = request.POST
    # The search form posts (action "search"): an ID number searched for stays out of the URL (NFR-1);
    # the table's links carry it under a token (core.web.tables.carried_search).
    searched = request.method == "POST" and request.POST.get("action") == "search"
    params, query, carried = _registry_search(request, searched)
    role, class_id = params["role"], params["class_id"]
    asked = TableRequest.read(request.GET, _entry_columns(), "role")
    found = selectors.search_entries(actor, query=query, role=role, school_id=params["school_id"],
                                     class_id=class_id, retired=params["retired"] == "1", sort=asked.sort)
    kept = {**carried, "role": role, "class_id": class_id or "", "school_id": params["school_id"] or "",
            "retired": "1" if params["retired"] == "1" else ""}
    table = Table.build(_entry_columns(), asked, page_of(found, asked.page, asked.size), kept, name="entries",
                        unit=_("people"), empty=_("No records yet. The school admin adds people or imports a list below."),
                        empty_id="entries-empty")
    table.export_url = reverse("realname:registry") + table.link(export="xlsx", page="")
    entries = table.rows
    bound = selectors.live_bindings(entries)
    table.rows = [(e, bound.get(e.pk)) for e in entries]
    context.update({
        "table": table, "rows": table.rows, "q": query, "role": role,
        "q_in_links": kept_out_of_urls(query),  # the search box echoes no ID number
        "retired": params["retired"] == "1", "roles": selectors.entry_roles(),
        "classes": selectors.classes_to_filter(actor), "class_id": class_id,
    })
    return render_page(request, "realname/registry.html", context, error)


def _entry_columns() -> list[Column]:
    return [Column("name", _("Name"), sort="name", css="text-nowrap"), Column("id_number", _("ID number")),
            Column("role", _("Role"), sort="role"), Column("number", _("Number")), Column("class", _("Class")),
            Column("bound", _("Verified by")), Column("actions", _("Actions"))]


def _registry_search(request: HttpRequest, searched: bool) -> tuple[dict, str, dict]:
    """(the filters, the search text, how links carry it)."""
    params = valid(RegistrySearchForm(request.POST if searched else request.GET))
    query, carried = carried_search(request, params["q"] if searched else None, search_token(request.GET.get("t")))
    if not searched and not carried:
        query = params["q"]
        carried = {"q": kept_out_of_urls(query)}
    return params, query, carried



def _registry_export(request: HttpRequest) -> HttpResponse:
    """The filtered registry as .xlsx: ID numbers masked as on the page; the export is audited."""
    actor = request.actor
    params, query, _carried = _registry_search(request, False)
    sort = TableRequest.read(request.GET, _entry_columns(), "role").sort
    found = selectors.search_entries(actor, query=query, role=params["role"], school_id=params["school_id"],
                                     class_id=params["class_id"], retired=params["retired"] == "1",
                                     sort=sort)[:EXPORT_LIMIT]
    rows = [[e.name, e.school.name, e.id_number_masked, e.get_role_display(), e.number,
             e.school_class.display_name() if e.school_class_id else e.class_text] for e in found]
    services.record_registry_export(actor, rows=len(rows), searched=bool(query),
                                    filters={"role": params["role"], "class_id": params["class_id"],
                                             "school_id": params["school_id"], "retired": params["retired"]})
    return xlsx_response(_("Real-name registry"), [_("Name"), _("School"), _("ID number"), _("Role"),
                                                   _("Number"), _("Class")], rows)


REGISTRY_ACTIONS = ("add", "correct", "replace", "reveal", "import", "holder")


@login_required
@on_refusal(_registry_form_page)
def registry_page(request: HttpRequest) -> HttpResponse:
    services.schools_in_scope(request.actor)  # only admins: anyone else gets the refusal's page
    if request.method == "POST" and request.POST.get("action") != "search":
        return _registry_form_page(request, outcome=_registry_action(request))
    if request.method == "GET" and request.GET.get("export") == "xlsx":
        return _registry_export(request)
    return _registry_form_page(request)


def _registry_action(request: HttpRequest) -> dict:
    actor = request.actor
    data = valid(RegistryActionForm(request.POST))
    action, school_id, entry_id = data["action"], data["school_id"], data["entry_id"] or 0
    if action == "add":
        entry = services.add_entry(actor, services.EntryInput(
            role=data["role"], name=data["name"], id_number=data["id_number"],
            number=data["number"], class_text=data["class_name"],
        ), school_id=school_id)
        return {"added": entry}
    if action == "correct":
        return {"corrected": services.correct_name(actor, entry_id, data["name"])}
    if action == "replace":
        return {"replaced": services.replace_id_number(actor, entry_id, data["id_number"], data["name"])}
    if action == "reveal":
        entry = services.entry_in_scope(actor, entry_id)
        return {"revealed": (entry, services.reveal_id_number(actor, entry_id))}
    if action == "import":
        upload = request.FILES.get("file")
        if upload is None:
            raise UserFacingError("realname.file_missing")
        return {"report": services.import_entries(actor, upload.chunks(), upload.name or "", school_id=school_id)}
    if action == "holder":
        return {"holders": selectors.holders_of(actor, data["holder_id_number"]), "holder_asked": True}
    raise UserFacingError("request.invalid", detail="action")


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    services.require_admin(request.actor)  # a refusal is rendered by the refusal middleware
    from renrentong.rosters.exports import download

    return download(services.template_xlsx(), "实名校验库导入模板.xlsx")


def _application_columns() -> list[Column]:
    return [Column("name", _("Name"), css="text-nowrap"), Column("account", _("Account name")),
            Column("id_number", _("ID number")), Column("phone", _("Phone")), Column("school", _("School")),
            Column("registry", _("In the registry")), Column("created", _("Applied"), sort="created"),
            Column("actions", _("Actions"))]


def _application_status(request: HttpRequest) -> str:
    status = str(request.GET.get("status", registration.PENDING))
    return status if status in dict(registration.application_statuses()) else registration.PENDING


def _applications_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    status = _application_status(request)
    asked = TableRequest.read(request.GET, _application_columns(), "")
    found = registration.applications_listed(request.actor, status, asked.sort)  # refused: the error page
    paged = page_of(found, asked.page, asked.size)
    paged.rows = registration.application_views(paged.rows)
    table = Table.build(_application_columns(), asked, paged, {"status": status}, name="applications",
                        unit=_("applications"), empty=_("No registrations yet. Teachers apply on the registration page."),
                        empty_id="applications-empty")
    table.export_url = table.link(export="xlsx", page="")
    return render_page(request, "realname/applications.html", {
        "items": table.rows, "table": table, "status": status, "statuses": registration.application_statuses(),
        "here": table.here,
    }, error)


def _applications_export(request: HttpRequest) -> HttpResponse:
    """The applications of the chosen state as .xlsx: ID numbers and phones masked as on the page; audited."""
    status = _application_status(request)
    sort = TableRequest.read(request.GET, _application_columns(), "").sort
    found = list(registration.applications_listed(request.actor, status, sort)[:EXPORT_LIMIT])
    rows = [[v.name, v.application.account.number, v.id_number, v.phone, v.application.school.name,
             _("Yes") if v.in_registry else _("No"), v.application.get_status_display(),
             v.application.created_at.strftime("%Y-%m-%d") if v.application.created_at else "",
             v.application.reason] for v in registration.application_views(found)]
    registration.record_export(request.actor, rows=len(rows), status=status)
    return xlsx_response(_("Teacher registrations"), [_("Name"), _("Account name"), _("ID number"), _("Phone"),
                                                      _("School"), _("In the registry"), _("Status"),
                                                      _("Applied"), _("Reason")], rows)


@login_required
@on_refusal(_applications_form_page)
def applications_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if request.method != "POST":
        if request.GET.get("export") == "xlsx":
            return _applications_export(request)
        return _applications_form_page(request)
    status = _application_status(request)
    data = valid(ApplicationDecisionForm(request.POST))
    if data["action"] == "approve":
        registration.approve(actor, data["application_id"])
    else:
        registration.refuse(actor, data["application_id"], data["reason"])
    return redirect(reverse("realname:applications") + f"?status={status}")
