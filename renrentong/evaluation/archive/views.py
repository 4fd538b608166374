"""Pages of the archive (综合素质档案, issue 14 item 8): students and parents download their own on the
phone; the school admin picks a class (current or graduated) in the console, downloads one student's PDF
or exports the class's or all graduates' archives as a .zip (a task with a progress page)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.downloads import download
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response

from renrentong.evaluation import access as evaluation_access
from renrentong.evaluation import selectors as evaluation_selectors
from renrentong.evaluation.archive import access, exporting, selectors, services
from renrentong.evaluation.archive.forms import ArchiveExportForm
from renrentong.evaluation.views import bounded


def _archive_page(request: HttpRequest, error=None) -> HttpResponse:
    actor = request.actor
    if access.reads_school_archives(actor):
        request.console_page = True
        classes = selectors.school_classes(actor)
        return render_page(request, "evaluation/archive/school.html", {
            "classes": classes, "graduates": selectors.graduates(actor).count()}, error)
    if not evaluation_access.keeps_material(actor):
        raise UserFacingError("evaluation.archive_not_allowed")
    return render_page(request, "evaluation/archive/mine.html",
                       {"students": evaluation_selectors.students_of(actor)}, error)


@login_required
def archive_page(request: HttpRequest) -> HttpResponse:
    """综合素质档案: a student's or parent's download (phone), the school admin's classes (console)."""
    return _archive_page(request)


@login_required
@bounded
def class_page(request: HttpRequest, class_id: int) -> HttpResponse:
    """One class's students (today's, or a graduated class's graduates), each with their PDF."""
    request.console_page = True
    actor = request.actor
    school_class = selectors.class_of_school(actor, class_id)
    return render_page(request, "evaluation/archive/class.html", {
        "school_class": school_class, "students": list(selectors.students_of_class(actor, school_class))})


@login_required
@bounded
def student_pdf(request: HttpRequest, student_id: int) -> HttpResponse:
    name, content = services.archive_pdf(request.actor, student_id)
    return download(content, name, "application/pdf")


@login_required
@require_POST
@on_refusal(_archive_page)
def export(request: HttpRequest) -> HttpResponse:
    """The chosen class's or all graduates' archives as a .zip: always a task (a PDF costs far more than a
    spreadsheet row), whose page shows the students done of the total."""
    data = valid(ArchiveExportForm(request.POST))
    params = {"class_id": data["class_id"]} if data["class_id"] else {}
    exporting.chosen_students(request.actor, params)  # refuse a class out of scope or an empty one now
    return export_response(request, exporting.archives_export, params, estimate=None, title=str(exporting.TITLE))
