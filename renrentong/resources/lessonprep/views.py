"""Pages of lesson preparation (RES-4): a teacher's books, chapters and lessons and their missing-textbook reports
(phone shell or console, by device); the school's checking and its prep checkers; the catalogue, its imports and
the missing-textbook queue for province and city admins (console). Parse, call a service or selector, render."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.rosters import jobs as import_jobs
from renrentong.uploads.selectors import signed_url, thumbnail_url

from renrentong.resources.lessonprep import access, exporting, selectors, services
from renrentong.resources.lessonprep.forms import (
    ChapterForm, ChapterIdForm, ChapterTitleForm, CheckerForm, CommentForm, DecisionForm, LessonForm,
    MissingForm, TextbookForm, UploadForm,
)


def bounded(view):
    """An id in the path beyond what a row can have names nothing: "not found", never a database overflow."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            raise UserFacingError("scope.not_found")
        return view(request, *args, **kwargs)

    return wrapped


def console(view):
    """Admin pages: the console shell, whoever opens them."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.console_page = True
        return view(request, *args, **kwargs)

    return wrapped


def _files(actor, files) -> list[dict]:
    return [{"id": f.file.pk, "name": f.file.name, "role": f.role, "url": signed_url(actor, f.file),
             "thumbnail": thumbnail_url(actor, f.file)} for f in files]


# -- A teacher's preparation ------------------------------------------------------------------------------

@login_required
def index_page(request: HttpRequest) -> HttpResponse:
    """网络备课: the subjects and grades the teacher teaches and the catalogue's books for them."""
    actor = request.actor
    books = list(selectors.prep_textbooks(actor))
    done = selectors.done_counts(actor, [b.pk for b in books])
    return render(request, "resources/lessonprep/index.html", {
        "teaching": selectors.my_teaching(actor), "books": [(b, done.get(b.pk, 0)) for b in books]})


@login_required
@bounded
def book_page(request: HttpRequest, textbook_id: int) -> HttpResponse:
    actor = request.actor
    book = selectors.prep_textbook(actor, textbook_id)
    lessons = selectors.lessons_by_chapter(actor.identity.pk, actor.identity.school_id, book.pk)
    return render(request, "resources/lessonprep/book.html", {
        "book": book, "chapters": [(c, lessons.get(c.pk)) for c in selectors.chapters(book)]})


def _chapter(request: HttpRequest, chapter_id: int, error: UserFacingError | None = None, saved: bool = False):
    actor = request.actor
    chapter, lesson = selectors.my_lesson(actor, chapter_id)
    files = _files(actor, lesson.files.all()) if lesson else []
    return render_page(request, "resources/lessonprep/chapter.html", {
        "chapter": chapter, "book": chapter.textbook, "lesson": lesson, "saved": saved,
        "courseware": [f for f in files if f["role"] == "courseware"],
        "exercise_files": [f for f in files if f["role"] == "exercise"],
        "comments": selectors.comments_of(lesson) if lesson else []}, error)


@login_required
@bounded
@on_refusal(_chapter)
def chapter_page(request: HttpRequest, chapter_id: int) -> HttpResponse:
    if request.method != "POST":
        return _chapter(request, chapter_id, saved=request.GET.get("saved") == "1")
    data = valid(LessonForm(request.POST))
    services.save_lesson(request.actor, chapter_id, services.LessonDraft(
        design=data["design"], exercises=data["exercises"], courseware_ids=data["courseware_ids"] or [],
        exercise_file_ids=data["exercise_file_ids"] or [], done=request.POST.get("action") == "done"))
    return redirect(reverse("lessonprep:chapter", args=[chapter_id]) + "?saved=1")


def _missing(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    reports = [(r, _files(actor, r.photos.all())) for r in selectors.my_reports(actor)[:50]]
    return render_page(request, "resources/lessonprep/missing.html", {"reports": reports, "form": MissingForm()},
                       error)


@login_required
@on_refusal(_missing)
def missing_page(request: HttpRequest) -> HttpResponse:
    """教材反馈: report a textbook the catalogue lacks (seed 002) and see what became of earlier reports."""
    if request.method != "POST":
        return _missing(request)
    data = valid(MissingForm(request.POST))
    services.report_missing(request.actor, services.MissingReport(
        subject=data["subject"], grade=data["grade"], volume=data["volume"], edition=data["edition"],
        publisher=data["publisher"], note=data["note"], cover_ids=data["cover_ids"] or [],
        copyright_ids=data["copyright_ids"] or [], contents_ids=data["contents_ids"] or []))
    return redirect("lessonprep:missing")


# -- Checking ----------------------------------------------------------------------------------------------

@login_required
@console
def checking_page(request: HttpRequest) -> HttpResponse:
    """备课检查: each teacher's chapters prepared of total; .xlsx export through the shared exporter."""
    if request.GET.get("export") == "xlsx":
        return exporting.overview_page_response(request)
    return render(request, "resources/lessonprep/checking.html", {"rows": selectors.overview(request.actor)})


def _teacher(request: HttpRequest, teacher_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    teacher, lessons = selectors.teacher_lessons(actor, teacher_id)
    return render_page(request, "resources/lessonprep/teacher.html", {
        "teacher": teacher, "name": selectors.teacher_name(teacher),
        "lessons": [(lesson, _files(actor, lesson.files.all()), lesson.comments.all()) for lesson in lessons]}, error)


@login_required
@console
@bounded
@on_refusal(_teacher)
def teacher_page(request: HttpRequest, teacher_id: int) -> HttpResponse:
    if request.method != "POST":
        return _teacher(request, teacher_id)
    data = valid(CommentForm(request.POST))
    services.comment(request.actor, data["lesson_id"], data["text"])
    return redirect("lessonprep:checking_teacher", teacher_id=teacher_id)


def _checkers(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    current = selectors.checkers(actor)
    named = {c.teacher_id for c in current}
    return render_page(request, "resources/lessonprep/checkers.html", {
        "checkers": [(c, selectors.teacher_name(c.teacher)) for c in current],
        "candidates": [(t.pk, selectors.teacher_name(t)) for t in selectors.checker_candidates(actor)
                       if t.pk not in named]}, error)


@login_required
@console
@on_refusal(_checkers)
def checkers_page(request: HttpRequest) -> HttpResponse:
    """备课检查员: the school admin names teachers who check the school's lesson preparation."""
    if request.method != "POST":
        return _checkers(request)
    data = valid(CheckerForm(request.POST))
    if request.POST.get("action") == "end":
        services.end_checker(request.actor, data["checker_id"] or 0)
    else:
        services.name_checker(request.actor, data["teacher_id"] or 0)
    return redirect("lessonprep:checkers")


# -- The catalogue (province and city admins keep it; school admins read it) -------------------------------

def _catalogue(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    books = list(selectors.textbooks(actor, retired=access.keeps_catalogue(actor)))
    names = selectors.region_names([b.region_id for b in books])
    return render_page(request, "resources/lessonprep/catalogue.html", {
        "books": [(b, names.get(b.region_id, ""), access.edits_textbook(actor, b.region_id)) for b in books],
        "keeps": access.keeps_catalogue(actor), "form": TextbookForm()}, error)


@login_required
@console
@on_refusal(_catalogue)
def catalogue_page(request: HttpRequest) -> HttpResponse:
    """教材目录: the books of the actor's region and every region above; keepers add their own; export."""
    if request.method != "POST":
        if request.GET.get("export") == "xlsx":
            return exporting.catalogue_page_response(request)
        return _catalogue(request)
    data = valid(TextbookForm(request.POST))
    book = services.create_textbook(request.actor, services.TextbookFields(**data))
    return redirect("lessonprep:catalogue_book", textbook_id=book.pk)


def _catalogue_book(request: HttpRequest, textbook_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    book = selectors.textbook(actor, textbook_id)
    form = TextbookForm(initial={name: getattr(book, name) for name in TextbookForm.base_fields})
    return render_page(request, "resources/lessonprep/catalogue_book.html", {
        "book": book, "chapters": selectors.chapters(book), "editable": access.edits_textbook(actor, book.region_id),
        "region": selectors.region_name(book.region_id), "form": form}, error)


CHAPTER_ACTIONS = ("edit", "retire", "restore", "add", "rename", "delete")


@login_required
@console
@bounded
@on_refusal(_catalogue_book)
def catalogue_book_page(request: HttpRequest, textbook_id: int) -> HttpResponse:
    if request.method != "POST":
        return _catalogue_book(request, textbook_id)
    actor, action = request.actor, request.POST.get("action", "")
    if action == "edit":
        services.update_textbook(actor, textbook_id, services.TextbookFields(**valid(TextbookForm(request.POST))))
    elif action in ("retire", "restore"):
        services.retire_textbook(actor, textbook_id, action == "retire")
    elif action == "add":
        data = valid(ChapterForm(request.POST))
        services.add_chapter(actor, textbook_id, data["number"], data["title"])
    elif action == "rename":
        data = valid(ChapterTitleForm(request.POST))
        services.rename_chapter(actor, selectors.chapter_in(actor, textbook_id, data["chapter_id"]), data["title"])
    elif action == "delete":
        data = valid(ChapterIdForm(request.POST))
        services.delete_chapter(actor, selectors.chapter_in(actor, textbook_id, data["chapter_id"]))
    else:
        raise UserFacingError("scope.not_found")
    return redirect("lessonprep:catalogue_book", textbook_id=textbook_id)


def _queue(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    status = request.GET.get("status", "open")
    reports = [(r, _files(actor, r.photos.all())) for r in selectors.report_queue(actor, status)[:100]]
    return render_page(request, "resources/lessonprep/queue.html", {
        "reports": reports, "status": status,
        "books": [(b.pk, str(b)) for b in selectors.textbooks(actor, own_only=True)]}, error)


@login_required
@console
@on_refusal(_queue)
def queue_page(request: HttpRequest) -> HttpResponse:
    """教材反馈处理: reports from the schools below; accept (linking the book added) or decline with a reason."""
    if request.method != "POST":
        return _queue(request)
    data = valid(DecisionForm(request.POST))
    if request.POST.get("action") == "decline":
        services.decline_report(request.actor, data["report_id"], data["reason"])
    else:
        services.accept_report(request.actor, data["report_id"], data["textbook_id"])
    return redirect("lessonprep:queue")


# -- Catalogue imports ------------------------------------------------------------------------------------

def _imports(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    return render_page(request, "resources/lessonprep/imports.html", {
        "jobs": list(selectors.catalogue_jobs(request.actor)[:50])}, error)


@login_required
@console
@on_refusal(_imports)
def imports_page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _imports(request)
    upload = valid(UploadForm(request.POST, request.FILES))["file"]
    if upload is None:
        raise UserFacingError("import.file_missing")
    job = services.accept_catalogue_upload(request.actor, upload.chunks(), upload.name)
    return redirect("lessonprep:import_job", job_id=job.pk)


def _job_context(request: HttpRequest, job) -> dict:
    return {**import_jobs.rows_context(request.GET, job),
            "status_url": reverse("lessonprep:import_status", args=[job.pk])}


@login_required
@console
@bounded
def import_job_page(request: HttpRequest, job_id: int) -> HttpResponse:
    job = selectors.catalogue_job(request.actor, job_id)
    return render(request, "resources/lessonprep/job.html", _job_context(request, job))


@login_required
@bounded
def import_status(request: HttpRequest, job_id: int) -> HttpResponse:
    """Polled by htmx while the job works (the roster machinery's fragment); a full reload once it is done."""
    job = selectors.catalogue_job(request.actor, job_id)
    return import_jobs.status_response(request, job, _job_context(request, job))


JOB_ACTIONS = {"commit": services.commit_catalogue_import, "cancel": services.cancel_catalogue_import,
               "undo": services.undo_catalogue_import}


@login_required
@bounded
@require_POST
def import_action(request: HttpRequest, job_id: int, action: str) -> HttpResponse:
    verb = JOB_ACTIONS.get(action)
    if verb is None:
        raise UserFacingError("scope.not_found")
    verb(request.actor, job_id)
    return redirect("lessonprep:import_job", job_id=job_id)


@login_required
@bounded
def import_rejected(request: HttpRequest, job_id: int) -> HttpResponse:
    return exporting.rejected_rows_response(request.actor, selectors.catalogue_job(request.actor, job_id))


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    return exporting.template_response(request.actor)
