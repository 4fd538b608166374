"""Pages: the user's real-name verification, the admins' registry and the teacher-registration queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from renrentong.realname.registration import services as registration
from renrentong.core.web.client import client_address
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.text import parse_number

from renrentong.realname import selectors, services
from renrentong.realname.models import Binding, RegistrationApplication, RegistryEntry


def _error_page(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return render(request, "error.html", {"error": exc}, status=exc.status)


@login_required
def verify_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    error = None
    values = {key: request.POST.get(key, "") for key in ("role", "name", "id_number", "number")}
    if request.method == "POST":
        try:
            if request.POST.get("action") == "unbind":
                services.unbind(actor, parse_number(request.POST.get("binding_id")) or 0)
                return redirect(reverse("realname:verify") + "?unbound=1")
            binding = services.verify(actor, services.VerifyInput(
                continue_at_other_school=bool(request.POST.get("continue_at_other_school")), **values,
            ), source=client_address(request))
            return redirect(reverse("realname:verify") + f"?done={binding.pk}")
        except UserFacingError as exc:
            error = exc
    bindings = selectors.my_bindings(actor)
    done = next((b for b in bindings if str(b.pk) == request.GET.get("done")), None)
    return render(request, "realname/verify.html", {
        "bindings": bindings, "error": error, "values": values, "done": done,
        "unbound": request.GET.get("unbound") == "1",
        "ask_continue": error is not None and error.code == "realname.other_school",
        "roles": Binding.Role.choices,
    }, status=error.status if error else 200)


REGISTRY_ACTIONS = ("add", "correct", "replace", "reveal", "import", "holder")


@login_required
def registry_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    try:
        schools = list(services.schools_in_scope(actor).order_by("code")[:500])
    except UserFacingError as exc:
        return _error_page(request, exc)
    context: dict = {"error": None, "schools": schools, "is_region": actor.identity.kind == "region_admin"}
    # The search form posts (action "search"): an ID number searched for stays out of the URL (NFR-1).
    searched = request.method == "POST" and request.POST.get("action") == "search"
    params = request.POST if searched else request.GET
    if request.method == "POST" and not searched:
        action = request.POST.get("action", "")
        try:
            context.update(_registry_action(request, action))
        except UserFacingError as exc:
            context["error"] = exc
            context["failed_action"] = action
            context["form"] = request.POST
    query = params.get("q", "")
    role = params.get("role", "")
    class_id = parse_number(params.get("class_id"))
    found = selectors.search_entries(actor, query=query, role=role, school_id=parse_number(params.get("school_id")),
                                     class_id=class_id, retired=params.get("retired") == "1")
    page = Paginator(found, selectors.PAGE).get_page(params.get("page"))
    entries = list(page.object_list)
    bound = selectors.live_bindings(entries)
    context.update({
        "page": page, "rows": [(e, bound.get(e.pk)) for e in entries], "q": query, "role": role,
        "q_in_links": kept_out_of_urls(query),  # the pager's links are URLs; the search box echoes it too
        "retired": params.get("retired") == "1", "roles": RegistryEntry.Role.choices,
        "classes": selectors.classes_to_filter(actor), "class_id": class_id,
    })
    error = context["error"]
    return render(request, "realname/registry.html", context, status=error.status if error else 200)


def _registry_action(request: HttpRequest, action: str) -> dict:
    actor = request.actor
    post = request.POST
    school_id = parse_number(post.get("school_id"))
    entry_id = parse_number(post.get("entry_id")) or 0
    if action == "add":
        entry = services.add_entry(actor, services.EntryInput(
            role=post.get("role", ""), name=post.get("name", ""), id_number=post.get("id_number", ""),
            number=post.get("number", ""), class_text=post.get("class_name", ""),
        ), school_id=school_id)
        return {"added": entry}
    if action == "correct":
        return {"corrected": services.correct_name(actor, entry_id, post.get("name", ""))}
    if action == "replace":
        return {"replaced": services.replace_id_number(actor, entry_id, post.get("id_number", ""),
                                                       post.get("name", ""))}
    if action == "reveal":
        entry = services.entry_in_scope(actor, entry_id)
        return {"revealed": (entry, services.reveal_id_number(actor, entry_id))}
    if action == "import":
        upload = request.FILES.get("file")
        if upload is None:
            raise UserFacingError("realname.file_missing")
        return {"report": services.import_entries(actor, upload.chunks(), upload.name or "", school_id=school_id)}
    if action == "holder":
        return {"holders": selectors.holders_of(actor, post.get("holder_id_number", "")), "holder_asked": True}
    raise UserFacingError("request.invalid", detail="action")


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    try:
        services.require_admin(request.actor)
    except UserFacingError as exc:
        return _error_page(request, exc)
    from renrentong.core.web.downloads import download

    return download(services.template_xlsx(), "实名校验库导入模板.xlsx")


@login_required
def applications_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    error = None
    status = request.GET.get("status", RegistrationApplication.Status.PENDING)
    if request.method == "POST":
        application_id = parse_number(request.POST.get("application_id")) or 0
        try:
            if request.POST.get("action") == "approve":
                registration.approve(actor, application_id)
            else:
                registration.refuse(actor, application_id, request.POST.get("reason", ""))
            return redirect(reverse("realname:applications") + f"?status={status}")
        except UserFacingError as exc:
            error = exc
    try:
        items = registration.queue(actor, status)
    except UserFacingError as exc:
        return _error_page(request, exc)
    return render(request, "realname/applications.html", {
        "items": items, "error": error, "status": status, "statuses": RegistrationApplication.Status.choices,
    }, status=error.status if error else 200)
