"""Pages: the user's real-name verification, the admins' registry and the teacher-registration queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from renrentong.core.web.forms import valid
from renrentong.realname.registration import services as registration
from renrentong.core.web.client import client_address
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.web.refusals import on_refusal, render_page

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
    # The search form posts (action "search"): an ID number searched for stays out of the URL (NFR-1).
    searched = request.method == "POST" and request.POST.get("action") == "search"
    params = valid(RegistrySearchForm(request.POST if searched else request.GET))
    query, role, class_id = params["q"], params["role"], params["class_id"]
    found = selectors.search_entries(actor, query=query, role=role, school_id=params["school_id"],
                                     class_id=class_id, retired=params["retired"] == "1")
    page = Paginator(found, selectors.PAGE).get_page(params["page"])
    entries = list(page.object_list)
    bound = selectors.live_bindings(entries)
    context.update({
        "page": page, "rows": [(e, bound.get(e.pk)) for e in entries], "q": query, "role": role,
        "q_in_links": kept_out_of_urls(query),  # the pager's links are URLs; the search box echoes it too
        "retired": params["retired"] == "1", "roles": selectors.entry_roles(),
        "classes": selectors.classes_to_filter(actor), "class_id": class_id,
    })
    return render_page(request, "realname/registry.html", context, error)


REGISTRY_ACTIONS = ("add", "correct", "replace", "reveal", "import", "holder")


@login_required
@on_refusal(_registry_form_page)
def registry_page(request: HttpRequest) -> HttpResponse:
    services.schools_in_scope(request.actor)  # only admins: anyone else gets the refusal's page
    if request.method == "POST" and request.POST.get("action") != "search":
        return _registry_form_page(request, outcome=_registry_action(request))
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


def _applications_form_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    status = request.GET.get("status", registration.PENDING)
    items = registration.queue(request.actor, status)  # refused: the error page
    return render_page(request, "realname/applications.html", {
        "items": items, "status": status, "statuses": registration.application_statuses(),
    }, error)


@login_required
@on_refusal(_applications_form_page)
def applications_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if request.method != "POST":
        return _applications_form_page(request)
    status = request.GET.get("status", registration.PENDING)
    data = valid(ApplicationDecisionForm(request.POST))
    if data["action"] == "approve":
        registration.approve(actor, data["application_id"])
    else:
        registration.refuse(actor, data["application_id"], data["reason"])
    return redirect(reverse("realname:applications") + f"?status={status}")
