"""Pages for school, district and city admins: upload, preview, progress, result with downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from renrentong.core.errors import CATALOGUE, UserFacingError
from renrentong.core.text import parse_number
from renrentong.orgs.models import School

from renrentong.rosters import exports, selectors, services
from renrentong.rosters.models import ImportJob, ImportRow

OUTCOMES = [o for o, _ in ImportRow.Outcome.choices]


def _error_page(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return render(request, "error.html", {"error": exc}, status=exc.status)


@login_required
def imports_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if actor.identity.kind not in ("school_admin", "region_admin"):
        return _error_page(request, UserFacingError("import.not_allowed"))
    error = None
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise UserFacingError("import.file_missing")
            job = services.accept_upload(actor, upload.chunks(), upload.name, request.POST.get("kind", "students"),
                                         parse_number(request.POST.get("school_id")))
        except UserFacingError as exc:
            error = exc
        else:
            return redirect("rosters:job", job_id=job.pk)
    schools = list(actor.scope.schools(School.objects.all()).order_by("code")[:500]) \
        if actor.identity.kind == "region_admin" else []
    return render(request, "rosters/imports.html", {
        "jobs": selectors.jobs_in_scope(actor)[:30], "error": error, "schools": schools,
    }, status=error.status if error else 200)


def _job_context(request: HttpRequest, job: ImportJob) -> dict:
    outcome = request.GET.get("outcome") or None
    if outcome not in OUTCOMES:
        outcome = None
    page = parse_number(request.GET.get("page")) or 1
    rows, total = selectors.job_rows(job, outcome, page)
    return {
        "job": job, "rows": [(r, selectors.row_message(r), selectors.row_fixer(r)) for r in rows],
        "total": total, "outcome": outcome, "page": page, "pages": (total + selectors.ROWS_PAGE - 1)
        // selectors.ROWS_PAGE, "outcomes": [(o, label, job.counts.get(o, 0)) for o, label in
                                             ImportRow.Outcome.choices],
        "progress": int(job.rows_done * 100 / job.total_rows) if job.total_rows else 0,
        "rejected": job.counts.get("error", 0) + job.counts.get("conflict", 0),
        "job_error": UserFacingError(job.error_code) if job.error_code in CATALOGUE else None,
        "slip_classes": _slip_classes(job),
    }


def _slip_classes(job: ImportJob) -> list:
    """The classes a committed student import put people in, for their students' and parents' slips."""
    from renrentong.orgs.models import SchoolClass

    ids = job.result.get("slip_classes")
    if job.status != ImportJob.Status.COMMITTED or not ids:
        return []
    classes = SchoolClass.objects.filter(pk__in=ids[:200]).select_related("school", "cohort__stage").order_by(
        "school__name", "-cohort__enrollment_year", "number")
    return [(c.pk, c.display_name()) for c in classes]


@login_required
def job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        job = selectors.job_in_scope(request.actor, job_id)
    except UserFacingError as exc:
        return _error_page(request, exc)
    return render(request, "rosters/job.html", _job_context(request, job))


@login_required
def job_status_fragment(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx while the job works; asks for a full reload once it has finished."""
    try:
        job = selectors.job_in_scope(request.actor, job_id)
    except UserFacingError as exc:
        return render(request, "error_fragment.html", {"error": exc}, status=exc.status)
    if job.status == ImportJob.Status.COMMITTING and services.is_stalled(job):
        services.resume_stalled()
    response = render(request, "rosters/_status.html", _job_context(request, job))
    if job.status not in (ImportJob.Status.PREVIEWING, ImportJob.Status.COMMITTING):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_action(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    actor = request.actor
    try:
        job = selectors.job_in_scope(actor, job_id)
        if action == "commit":
            services.request_commit(actor, job, request.POST.get("create_missing_classes") == "on")
        elif action == "cancel":
            services.cancel(actor, job)
        elif action == "undo":
            services.undo_import(actor, job)
        else:
            raise UserFacingError("request.not_found")
    except UserFacingError as exc:
        return _error_page(request, exc)
    return redirect("rosters:job", job_id=job_id)


@login_required
def rejected_download(request: HttpRequest, job_id: int) -> HttpResponse:
    try:
        return exports.rejected_rows_response(request.actor, selectors.job_in_scope(request.actor, job_id))
    except UserFacingError as exc:
        return _error_page(request, exc)


@login_required
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        return exports.template_response(kind)
    except UserFacingError as exc:
        return _error_page(request, exc)


@login_required
def slips_download(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        return exports.slips_response(request.actor, class_id, request.build_absolute_uri("/"),
                                      request.GET.get("who", "students"))
    except UserFacingError as exc:
        return _error_page(request, exc)


@login_required
def roster_download(request: HttpRequest, kind: str) -> HttpResponse:
    try:
        return exports.roster_response(request.actor, kind, parse_number(request.GET.get("school_id")),
                                       parse_number(request.GET.get("class_id")))
    except UserFacingError as exc:
        return _error_page(request, exc)
