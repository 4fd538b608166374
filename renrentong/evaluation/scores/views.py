"""Pages of the academic score import and the scores (EVA-6): the import page (template, upload, the level's
imports), a job's page (progress while the machinery works, every row's outcome, commit, cancel, undo, the
refused rows), and the school's scores table with its .xlsx export. Parse, call a service or selector,
render; the same rows as the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.masking import kept_out_of_urls
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.core.web.tables import Column, Table, TableRequest, page_of
from renrentong.exports.responses import export_response
from renrentong.rosters import jobs as import_jobs

from renrentong.evaluation.scores import access, exporting, selectors, services
from renrentong.evaluation.scores.forms import ScoreFilterForm, UploadForm
from renrentong.evaluation.views import bounded

JOB_ACTIONS = {"commit": services.commit, "cancel": services.cancel, "undo": services.undo}


def _imports(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    request.console_page = True
    actor = request.actor
    return render_page(request, "evaluation/scores/imports.html", {
        "jobs": list(selectors.score_jobs(actor)[:50]), "items": selectors.importable_items(actor),
        "city_level": access.source_of(actor) == "city"}, error)


@login_required
@on_refusal(_imports)
def imports_page(request: HttpRequest) -> HttpResponse:
    """成绩导入: the city admin's file for every school below the city, a school admin's for the school."""
    if request.method != "POST":
        return _imports(request)
    upload = valid(UploadForm(request.POST, request.FILES))["file"]
    if upload is None:
        raise UserFacingError("import.file_missing")
    job = services.accept_upload(request.actor, upload.chunks(), upload.name)
    return redirect("evaluation:score_job", job_id=job.pk)


def _job_context(request: HttpRequest, job) -> dict:
    return {**import_jobs.rows_context(request.GET, job),
            "status_url": reverse("evaluation:score_job_status", args=[job.pk])}


@login_required
@bounded
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    request.console_page = True
    job = selectors.score_job(request.actor, job_id)
    return render(request, "evaluation/scores/job.html", _job_context(request, job))


@login_required
@bounded
def job_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx while the job works (the roster machinery's fragment); a full reload once it is done."""
    job = selectors.score_job(request.actor, job_id)
    return import_jobs.status_response(request, job, _job_context(request, job))


@login_required
@bounded
@require_POST
def job_action(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    verb = JOB_ACTIONS.get(action)
    if verb is None:
        raise UserFacingError("request.not_found")
    verb(request.actor, job_id)
    return redirect("evaluation:score_job", job_id=job_id)


@login_required
@bounded
def rejected_download(request: HttpRequest, job_id: int) -> HttpResponse:
    return exporting.rejected_rows_response(request.actor, selectors.score_job(request.actor, job_id))


@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    return exporting.template_response(request.actor)


# The school's scores table --------------------------------------------------------------------------------

def _columns() -> list[Column]:
    return [Column("class", _("Class"), sort="class"), Column("name", _("Name"), sort="name"),
            Column("item", _("Item"), sort="item"), Column("score", _("Score"), sort="score", css="text-end"),
            Column("year", _("School year")), Column("updated", _("Imported"), css="text-nowrap")]


@login_required
def scores_page(request: HttpRequest) -> HttpResponse:
    """学业成绩: the school's imported scores, filtered by school year, item, class and name; .xlsx export."""
    request.console_page = True
    actor = request.actor
    chosen = valid(ScoreFilterForm(request.GET))
    chosen["name"] = kept_out_of_urls(chosen["name"])  # an ID number typed into the name box stays out of links
    params = {"school_year": chosen["school_year"], "item_id": chosen["item"], "class_id": chosen["class_id"],
              "name": chosen["name"]}
    asked = TableRequest.read(request.GET, _columns(), "class")
    found = selectors.ordered(selectors.school_scores(actor, **params), asked.sort)
    if request.GET.get("export") == "xlsx":
        return export_response(request, exporting.scores_export, {**params, "sort": asked.sort},
                               estimate=found.count(), title=str(exporting.TITLE))
    filters = {"school_year": chosen["school_year"] or "", "item": chosen["item"] or "",
               "class_id": chosen["class_id"] or "", "name": chosen["name"]}
    shown = page_of(found.select_related("item"), asked.page, asked.size)
    table = Table.build(_columns(), asked, shown, filters, name="scores", unit=_("scores"),
                        empty=_("No scores yet. The city bureau and the school import them."))
    table.export_url = table.link(export="xlsx", page="")
    names = selectors.class_names(actor.scope.school_ids, [s.class_id for s in table.rows])
    return render(request, "evaluation/scores/scores.html", {
        "table": table, "lines": [(s, names.get(s.class_id, "")) for s in table.rows], "filters": filters,
        **selectors.school_filters(actor)})

