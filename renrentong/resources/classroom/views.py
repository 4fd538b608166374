"""Smart classroom pages (RES-1, RES-3): browsing for students (phone, and a desk page) and teachers, the
grade 1-2 page, the parent's "switch to your child" page; a keeper's own resources with upload, edit, delete
and export; the school admin's shared resources with take-down and export; recommended courses."""

from __future__ import annotations

import functools

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import IdField, valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response
from renrentong.resources.classroom import access, exporting, selectors, services
from renrentong.resources.classroom.forms import (
    BrowseForm, RecommendForm, RemoveRecommendationForm, ResourceForm, TakeDownForm,
)
from renrentong.uploads.selectors import signed_url


def on_desk(view):
    """The classroom at a desk (电脑网页): the console shell, whoever opens it."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.console_page = True
        return view(request, *args, **kwargs)

    return wrapped


def _asked(request: HttpRequest) -> selectors.Filters:
    data = valid(BrowseForm(request.GET))
    return selectors.Filters(stage=data["stage"], subject=data["subject"].strip(), grade=data["grade"],
                             term=data["term"], edition=data["edition"].strip(), chapter_id=data["chapter_id"],
                             module=data["module"], kind=data["kind"])


def _browse(request: HttpRequest, template: str) -> HttpResponse:
    actor = request.actor
    refusal = selectors.opening_refusal(actor)
    if refusal is not None:
        # A parent is shown the way to the child's identity; an admin the way to the console's pages.
        return render_page(request, "resources/classroom/closed.html", {
            "refusal": refusal, "parent": access.is_guardian(actor), "keeps": access.keeps_resources(actor)})
    try:
        f, place = selectors.defaults_for(actor, _asked(request))
    except UserFacingError as error:
        if error.code != "classroom.none_for_grade":
            raise
        return render_page(request, "resources/classroom/none_for_grade.html", {"refusal": error})
    books = selectors.textbooks(actor, f) if f.subject and f.grade else []
    return render_page(request, template, {
        "filters": f, "place": place, "modules": selectors.modules(actor, f),
        "recommended": selectors.recommended(actor, f), "resources": selectors.browse(actor, f),
        "choices": selectors.choices(actor), "chapters": selectors.chapters_of(books) if books else [],
        "keeps": access.keeps_resources(actor), "query": f.as_params()})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """智慧学堂 on the phone: the five modules, recommended courses and resources for my grade and term."""
    return _browse(request, "resources/classroom/index.html")


@login_required
@on_desk
def desk(request: HttpRequest) -> HttpResponse:
    """The same classroom at a desk (seed 000: 电脑网页上登录), with the filters beside the list."""
    return _browse(request, "resources/classroom/desk.html")


@login_required
def resource(request: HttpRequest, resource_id: int) -> HttpResponse:
    """A resource: what it is, where it sits, and the way to open it (a link, or a signed download)."""
    actor = request.actor
    found = selectors.resource_for(actor, resource_id)
    opened = found.url or (signed_url(actor, found.file) if found.file_id else "")
    return render_page(request, "resources/classroom/resource.html", {
        "resource": found, "open_url": opened, "external": bool(found.url), "owns": access.owns(actor, found),
        "takes_down": access.may_take_down(actor, found) and found.taken_down_at is None,
        "placement": selectors.placement(found)})


# Keepers -----------------------------------------------------------------------------------------------

def _mine_page(request: HttpRequest, error: UserFacingError | None = None, **kwargs) -> HttpResponse:
    actor = request.actor
    f = _asked(request)
    shared = request.GET.get("shared") != "0"
    return render_page(request, "resources/classroom/mine.html", {
        "resources": list(selectors.mine(actor, f, shared=shared)[:200]), "shared": shared, "filters": f,
        "choices": selectors.choices(actor), "query": f.as_params()}, error)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My resources and those shared with me; upload, edit, delete; export."""
    if request.GET.get("export") == "xlsx":
        params = {"which": "mine", **_asked(request).as_params()}
        return export_response(request, exporting.resources_export, params,
                               estimate=exporting.export_size(request.actor, params), title=str(exporting.TITLE))
    return _mine_page(request)


def _file_id(request: HttpRequest) -> int | None:
    picked = [IdField().clean(v) for v in request.POST.getlist("file_ids")[:1]]
    return picked[0] if picked else None


def _form_page(request: HttpRequest, form: ResourceForm, found=None, error: UserFacingError | None = None):
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "resources/classroom/form.html", {"form": form, "resource": found}, error)


def _form(request: HttpRequest, data=None, initial=None) -> ResourceForm:
    asked = selectors.Filters(subject=(data or initial or {}).get("subject", ""))
    books = selectors.textbooks(request.actor, asked) if asked.subject else selectors.textbooks(
        request.actor, selectors.Filters())
    return ResourceForm(data, initial=initial, chapters=selectors.chapters_of(books))


@login_required
def new(request: HttpRequest) -> HttpResponse:
    """Upload a lesson plan or courseware, or curate a free resource link."""
    if not access.keeps_resources(request.actor):
        raise UserFacingError("classroom.not_keeper")
    if request.method != "POST":
        return _form_page(request, _form(request, initial={"kind": request.GET.get("kind", "lesson_plan"),
                                                           "module": "review", "sharing": "me", "is_basic": True,
                                                           "stage": "primary", "grade": 3,
                                                           "term": selectors.current_term()}))
    form = _form(request, request.POST)
    if not form.is_valid():
        return _form_page(request, form, error=form.first_refusal())
    try:
        made = services.create(request.actor, form.draft(_file_id(request)))
    except UserFacingError as error:
        return _form_page(request, form, error=error)
    flash.success(request, _("The resource was saved."))
    return redirect("classroom:resource", made.pk)


@login_required
def edit(request: HttpRequest, resource_id: int) -> HttpResponse:
    found = selectors.own_resource(request.actor, resource_id)
    if request.method != "POST":
        return _form_page(request, _form(request, initial=ResourceForm.initial_of(found)), found)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _form_page(request, form, found, error=form.first_refusal())
    # No new file and no link: the resource keeps the file it has.
    file_id = _file_id(request) or (found.file_id if not form.cleaned_data["url"] else None)
    try:
        services.update(request.actor, resource_id, form.draft(file_id))
    except UserFacingError as error:
        return _form_page(request, form, found, error=error)
    flash.success(request, _("The resource was saved."))
    return redirect("classroom:resource", resource_id)


@login_required
@require_POST
@on_refusal(_mine_page)
def delete(request: HttpRequest, resource_id: int) -> HttpResponse:
    services.delete(request.actor, resource_id)
    flash.success(request, _("The resource was deleted."))
    return redirect("classroom:mine")


# The school admin ------------------------------------------------------------------------------------------

def _school_page(request: HttpRequest, error: UserFacingError | None = None, **kwargs) -> HttpResponse:
    actor = request.actor
    found = list(selectors.school_shared(actor).select_related("chapter").order_by("-pk")[:500])
    return render_page(request, "resources/classroom/school.html", {"resources": found}, error)


@login_required
def school(request: HttpRequest) -> HttpResponse:
    """What the school's teachers share with the school or district; take one down; export."""
    if request.GET.get("export") == "xlsx":
        params = {"which": "school"}
        return export_response(request, exporting.resources_export, params,
                               estimate=exporting.export_size(request.actor, params), title=str(exporting.TITLE))
    return _school_page(request)


@login_required
@require_POST
@on_refusal(_school_page)
def take_down(request: HttpRequest, resource_id: int) -> HttpResponse:
    services.take_down(request.actor, resource_id, valid(TakeDownForm(request.POST))["reason"])
    flash.success(request, _("The resource was taken down; its owner sees why."))
    return redirect("classroom:school")


# Recommended courses ----------------------------------------------------------------------------------------

def _recommend_form(request: HttpRequest, data=None) -> RecommendForm:
    shared = selectors.visible(request.actor).filter(taken_down_at__isnull=True).exclude(sharing="me")
    return RecommendForm(data, resources=shared.order_by("-pk")[:500],
                         initial={"term": selectors.current_term()})


def _recommendations_page(request: HttpRequest, error: UserFacingError | None = None, form=None,
                          **kwargs) -> HttpResponse:
    found = list(selectors.managed_recommendations(request.actor))
    form = form or _recommend_form(request)
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "resources/classroom/recommendations.html", {"rows": found, "form": form}, error)


@login_required
@on_refusal(_recommendations_page)
def recommendations(request: HttpRequest) -> HttpResponse:
    """推荐课程: a school admin recommends for the school, a district or city admin for the region."""
    if request.method != "POST":
        return _recommendations_page(request)
    actor = request.actor
    if request.POST.get("action") == "remove":
        services.unrecommend(actor, valid(RemoveRecommendationForm(request.POST))["recommendation_id"])
        flash.success(request, _("The recommendation was withdrawn."))
        return redirect("classroom:recommendations")
    form = _recommend_form(request, request.POST)
    if not form.is_valid():
        return _recommendations_page(request, form.first_refusal(), form)
    data = form.cleaned_data
    try:
        services.recommend(actor, data["resource_id"], stage=data["stage"], subject=data["subject"],
                           term=data["term"], note=data["note"])
    except UserFacingError as error:
        return _recommendations_page(request, error, form)
    flash.success(request, _("The course was recommended."))
    return redirect("classroom:recommendations")
