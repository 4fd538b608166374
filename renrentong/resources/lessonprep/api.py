"""Lesson preparation through the API under /api/v1/lessonprep (RES-4): the textbook catalogue (read by everyone
with a school or region; kept by province and city admins, importable), a teacher's prepared lessons, the
school's checking (school admin and prep checkers), missing-textbook reports and their queue. The same services
and selectors as the pages."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest, HttpResponse
from ninja import File, Path, Query, Router, Status
from ninja.files import UploadedFile

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job
from renrentong.rosters import jobs as import_jobs
from renrentong.rosters.schemas import ImportJobOut, ImportRowsOut
from renrentong.uploads.selectors import signed_url

from renrentong.resources.lessonprep import access, exporting, selectors, services
from renrentong.resources.lessonprep.schemas import (
    PrepAcceptIn, PrepChapterIn, PrepChapterOut, PrepChapterTitleIn, PrepCheckedLessonOut, PrepCheckerIn,
    PrepCheckerOut, PrepCommentIn, PrepCommentOut, PrepDeclineIn, PrepFileOut, PrepLessonIn, PrepLessonOut,
    PrepMissingIn, PrepMissingOut, PrepRetireIn, PrepTeacherOut, PrepTeachingOut, PrepTextbookDetailOut,
    PrepTextbookIn, PrepTextbookOut,
)

router = Router(tags=["lesson preparation"])
WRITE_ERRORS = {**ERRORS, 409: ERRORS[400]}
JOB_ERRORS = {**ERRORS, 409: ERRORS[400], 413: ERRORS[400]}
ObjectId = Path(..., ge=1, le=MAX_ID)


def _files(request, files) -> list[PrepFileOut]:
    return [PrepFileOut(id=f.file.pk, name=f.file.name, kind=f.file.kind, role=f.role,
                        url=signed_url(request.auth, f.file)) for f in files]


def _book(request, book, names=None) -> dict:
    names = names if names is not None else selectors.region_names([book.region_id])
    return dict(id=book.pk, region_id=book.region_id, region_name=names.get(book.region_id, ""), subject=book.subject,
                grade=book.grade, volume=book.volume, edition=book.edition, publisher=book.publisher,
                title=str(book), retired=book.retired_at is not None,
                editable=access.edits_textbook(request.auth, book.region_id),
                chapter_count=getattr(book, "chapter_count", 0))


def _detail(request, book, lessons=None) -> PrepTextbookDetailOut:
    lessons = lessons or {}
    return PrepTextbookDetailOut(**_book(request, book), chapters=[
        PrepChapterOut(id=c.pk, number=c.number, title=c.title, parent_id=c.parent_id, depth=c.depth,
                       lesson_state=lessons[c.pk].state if c.pk in lessons else None)
        for c in selectors.chapters(book)])


def _comments(comments) -> list[PrepCommentOut]:
    return [PrepCommentOut(id=c.pk, author_name=c.author_name, text=c.text, created_at=c.created_at) for c in comments]


# -- The catalogue ------------------------------------------------------------------------------------------

@router.get("/textbooks", response={200: list[PrepTextbookOut], **ERRORS},
            summary="The catalogue the actor sees: their region's books and every region's above (own_only: "
                    "the books the actor keeps)")
def textbooks(request: HttpRequest, subject: str = Query("", max_length=32), grade: int | None = Query(None, ge=1, le=12),
              retired: bool = False, own_only: bool = False):
    found = list(selectors.textbooks(request.auth, subject=subject, grade=grade, retired=retired, own_only=own_only))
    names = selectors.region_names([b.region_id for b in found])
    return [PrepTextbookOut(**_book(request, b, names)) for b in found]


@router.get("/textbooks.xlsx", response=EXPORT_RESPONSES,
            summary="The same catalogue as .xlsx with the same filters: at once, or a task (202) for a long one")
def textbooks_export(request: HttpRequest, subject: str = Query("", max_length=32),
                     grade: int | None = Query(None, ge=1, le=12), retired: bool = False, own_only: bool = False):
    actor = request.auth
    params = exporting.catalogue_params(subject=subject, grade=grade, retired=retired, own_only=own_only)
    return file_or_job(actor, exporting.catalogue_export, params, estimate=exporting.catalogue_size(actor, params),
                       title=str(exporting.CATALOGUE_TITLE))


@router.post("/textbooks", response={201: PrepTextbookDetailOut, **WRITE_ERRORS},
             summary="Add a textbook to the actor's region's catalogue (province or city admin)")
def add_textbook(request: HttpRequest, body: PrepTextbookIn):
    book = services.create_textbook(request.auth, services.TextbookFields(**body.dict()))
    return Status(201, _detail(request, selectors.textbook(request.auth, book.pk)))


@router.get("/textbooks/{textbook_id}", response={200: PrepTextbookDetailOut, **ERRORS},
            summary="One textbook with its contents (a teacher's: with their lesson's state per chapter)")
def textbook(request: HttpRequest, textbook_id: int = ObjectId):
    book = selectors.textbook(request.auth, textbook_id)
    lessons = None
    if access.prepares_lessons(request.auth):
        identity = request.auth.identity
        lessons = selectors.lessons_by_chapter(identity.pk, identity.school_id, book.pk)
    return _detail(request, book, lessons)


@router.put("/textbooks/{textbook_id}", response={200: PrepTextbookDetailOut, **WRITE_ERRORS},
            summary="Change a textbook the actor's region keeps")
def edit_textbook(request: HttpRequest, body: PrepTextbookIn, textbook_id: int = ObjectId):
    services.update_textbook(request.auth, textbook_id, services.TextbookFields(**body.dict()))
    return _detail(request, selectors.textbook(request.auth, textbook_id))


@router.post("/textbooks/{textbook_id}/retire", response={200: PrepTextbookDetailOut, **WRITE_ERRORS},
             summary="Retire (retired=true) or restore a textbook; prepared lessons on it stay")
def retire_textbook(request: HttpRequest, body: PrepRetireIn, textbook_id: int = ObjectId):
    services.retire_textbook(request.auth, textbook_id, body.retired)
    return _detail(request, selectors.textbook(request.auth, textbook_id))


@router.post("/textbooks/{textbook_id}/chapters", response={201: PrepChapterOut, **WRITE_ERRORS},
             summary="Add a chapter or section (its parent must exist)")
def add_chapter(request: HttpRequest, body: PrepChapterIn, textbook_id: int = ObjectId):
    made = services.add_chapter(request.auth, textbook_id, body.number, body.title)
    return Status(201, PrepChapterOut(id=made.pk, number=made.number, title=made.title, parent_id=made.parent_id,
                                      depth=made.number.count(".")))


@router.put("/chapters/{chapter_id}", response={200: PrepChapterOut, **WRITE_ERRORS}, summary="Rename a chapter")
def rename_chapter(request: HttpRequest, body: PrepChapterTitleIn, chapter_id: int = ObjectId):
    made = services.rename_chapter(request.auth, chapter_id, body.title)
    return PrepChapterOut(id=made.pk, number=made.number, title=made.title, parent_id=made.parent_id,
                          depth=made.number.count("."))


@router.delete("/chapters/{chapter_id}", response={204: None, **WRITE_ERRORS},
               summary="Delete a chapter with its sections (refused once a teacher prepared on it)")
def delete_chapter(request: HttpRequest, chapter_id: int = ObjectId):
    services.delete_chapter(request.auth, chapter_id)
    return Status(204, None)


# -- Catalogue imports (the roster machinery's shapes) ---------------------------------------------------------

@router.get("/imports/template", response={200: None, **ERRORS}, summary="The catalogue import template (.xlsx)")
def import_template(request: HttpRequest) -> HttpResponse:
    return exporting.template_response(request.auth)


@router.post("/imports", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Upload a catalogue file (one row per chapter); its per-row preview runs in the background")
def upload(request: HttpRequest, file: UploadedFile = File(...)):
    job = services.accept_catalogue_upload(request.auth, file.chunks(), file.name or "upload")
    return Status(202, import_jobs.job_out(job))


@router.get("/imports", response={200: list[ImportJobOut], **ERRORS}, summary="My region's catalogue imports")
def jobs(request: HttpRequest):
    return [import_jobs.job_out(j) for j in selectors.catalogue_jobs(request.auth)[:50]]


@router.get("/imports/{job_id}", response={200: ImportJobOut, **ERRORS}, summary="One catalogue import")
def job(request: HttpRequest, job_id: int = ObjectId):
    return import_jobs.job_out(selectors.catalogue_job(request.auth, job_id))


@router.get("/imports/{job_id}/rows", response={200: ImportRowsOut, **ERRORS},
            summary="Each row's outcome with its reason and who can fix it")
def rows(request: HttpRequest, job_id: int = ObjectId,
         outcome: Literal["create", "unchanged", "error"] | None = None, page: int = Query(1, ge=1, le=100_000)):
    found = selectors.catalogue_job(request.auth, job_id)
    return import_jobs.rows_out(found, outcome, page)


@router.post("/imports/{job_id}/commit", response={202: ImportJobOut, **JOB_ERRORS},
             summary="Write the previewed rows in the background")
def commit(request: HttpRequest, job_id: int = ObjectId):
    return Status(202, import_jobs.job_out(services.commit_catalogue_import(request.auth, job_id)))


@router.post("/imports/{job_id}/cancel", response={200: ImportJobOut, **JOB_ERRORS}, summary="Cancel an import")
def cancel(request: HttpRequest, job_id: int = ObjectId):
    return import_jobs.job_out(services.cancel_catalogue_import(request.auth, job_id))


@router.post("/imports/{job_id}/undo", response={200: ImportJobOut, **JOB_ERRORS},
             summary="Undo a committed import: its chapters and books go (those prepared on stay)")
def undo(request: HttpRequest, job_id: int = ObjectId):
    return import_jobs.job_out(services.undo_catalogue_import(request.auth, job_id))


@router.get("/imports/{job_id}/rejected", response={200: None, **ERRORS},
            summary="The rows that did not go in, with the reason and who can fix it (.xlsx)")
def rejected(request: HttpRequest, job_id: int = ObjectId) -> HttpResponse:
    return exporting.rejected_rows_response(request.auth, selectors.catalogue_job(request.auth, job_id))


# -- A teacher's preparation -----------------------------------------------------------------------------------

@router.get("/teaching", response={200: list[PrepTeachingOut], **ERRORS},
            summary="The subjects and grades the teacher teaches (ADM-2), with the classes")
def teaching(request: HttpRequest):
    return [PrepTeachingOut(subject=t.subject, grade=t.grade, classes=t.classes)
            for t in selectors.my_teaching(request.auth)]


@router.get("/my/textbooks", response={200: list[PrepTextbookOut], **ERRORS},
            summary="The catalogue's books matching the subjects and grades the teacher teaches")
def my_textbooks(request: HttpRequest):
    found = list(selectors.prep_textbooks(request.auth))
    names = selectors.region_names([b.region_id for b in found])
    return [PrepTextbookOut(**_book(request, b, names)) for b in found]


def _my_lesson_out(request, chapter, lesson) -> PrepLessonOut:
    return PrepLessonOut(
        id=lesson.pk if lesson else None, chapter_id=chapter.pk, chapter_number=chapter.number,
        chapter_title=chapter.title, textbook_id=chapter.textbook_id, state=lesson.state if lesson else "none",
        design=lesson.design if lesson else "", exercises=lesson.exercises if lesson else "",
        files=_files(request, lesson.files.all()) if lesson else [],
        comments=_comments(selectors.comments_of(lesson)) if lesson else [],
        updated_at=lesson.updated_at if lesson else None)


@router.get("/my/chapters/{chapter_id}", response={200: PrepLessonOut, **ERRORS},
            summary="The teacher's lesson for a chapter (state none before the first save), with comments")
def my_lesson(request: HttpRequest, chapter_id: int = ObjectId):
    chapter, lesson = selectors.my_lesson(request.auth, chapter_id)
    return _my_lesson_out(request, chapter, lesson)


@router.put("/my/chapters/{chapter_id}", response={200: PrepLessonOut, **WRITE_ERRORS},
            summary="Save the teacher's lesson for a chapter: design, exercises, files (ids from POST /files); "
                    "done=true marks it prepared, false keeps it a draft")
def save_lesson(request: HttpRequest, body: PrepLessonIn, chapter_id: int = ObjectId):
    services.save_lesson(request.auth, chapter_id, services.LessonDraft(**body.dict()))
    chapter, lesson = selectors.my_lesson(request.auth, chapter_id)
    return _my_lesson_out(request, chapter, lesson)


# -- Checking -------------------------------------------------------------------------------------------------

@router.get("/checking/teachers", response={200: list[PrepTeacherOut], **ERRORS},
            summary="Each teacher of the school: chapters prepared of the chapters of the books they teach")
def overview(request: HttpRequest):
    return [PrepTeacherOut(**t.__dict__) for t in selectors.overview(request.auth)]


@router.get("/checking/teachers.xlsx", response=EXPORT_RESPONSES,
            summary="The overview as .xlsx (the shared exporter): at once, or a task (202) for a large school")
def overview_export(request: HttpRequest):
    actor = request.auth
    return file_or_job(actor, exporting.overview_export, {}, estimate=exporting.overview_size(actor),
                       title=str(exporting.TITLE))


@router.get("/checking/teachers/{teacher_id}", response={200: list[PrepCheckedLessonOut], **ERRORS},
            summary="A teacher's prepared lessons (drafts too), with files and comments")
def teacher_lessons(request: HttpRequest, teacher_id: int = ObjectId):
    _, lessons = selectors.teacher_lessons(request.auth, teacher_id)
    return [PrepCheckedLessonOut(
        id=lesson.pk, textbook_id=lesson.textbook_id, textbook=str(lesson.textbook),
        chapter_number=lesson.chapter.number, chapter_title=lesson.chapter.title, state=lesson.state,
        design=lesson.design, exercises=lesson.exercises, files=_files(request, lesson.files.all()),
        comments=_comments(lesson.comments.all()), updated_at=lesson.updated_at) for lesson in lessons]


@router.post("/checking/lessons/{lesson_id}/comments", response={201: PrepCommentOut, **WRITE_ERRORS},
             summary="Comment on a prepared lesson; its teacher sees it")
def add_comment(request: HttpRequest, body: PrepCommentIn, lesson_id: int = ObjectId):
    made = services.comment(request.auth, lesson_id, body.text)
    return Status(201, _comments([made])[0])


@router.get("/checkers", response={200: list[PrepCheckerOut], **ERRORS}, summary="The school's prep checkers")
def checkers(request: HttpRequest):
    return [PrepCheckerOut(id=c.pk, teacher_id=c.teacher_id, name=selectors.teacher_name(c.teacher),
                           appointed_at=c.appointed_at) for c in selectors.checkers(request.auth)]


@router.post("/checkers", response={201: PrepCheckerOut, **WRITE_ERRORS},
             summary="Name a teacher of the school prep checker (school admin)")
def name_checker(request: HttpRequest, body: PrepCheckerIn):
    made = services.name_checker(request.auth, body.teacher_id)
    return Status(201, PrepCheckerOut(id=made.pk, teacher_id=made.teacher_id, name=selectors.teacher_name(made.teacher),
                                      appointed_at=made.appointed_at))


@router.delete("/checkers/{checker_id}", response={204: None, **WRITE_ERRORS}, summary="End a prep checker's role")
def end_checker(request: HttpRequest, checker_id: int = ObjectId):
    services.end_checker(request.auth, checker_id)
    return Status(204, None)


# -- Missing textbooks ------------------------------------------------------------------------------------------

def _report_out(request, report) -> PrepMissingOut:
    return PrepMissingOut(**selectors.report_fields(report), photos=_files(request, report.photos.all()))


@router.post("/missing", response={201: PrepMissingOut, **WRITE_ERRORS},
             summary="Report a textbook missing from the catalogue, with photos (image ids from POST /files) of "
                     "its cover, copyright page and contents")
def report_missing(request: HttpRequest, body: PrepMissingIn):
    made = services.report_missing(request.auth, services.MissingReport(**body.dict()))
    return Status(201, _report_out(request, selectors.my_reports(request.auth).get(pk=made.pk)))


@router.get("/missing", response={200: list[PrepMissingOut], **ERRORS}, summary="The teacher's own reports")
def my_reports(request: HttpRequest):
    return [_report_out(request, r) for r in selectors.my_reports(request.auth)[:100]]


@router.get("/missing/queue", response={200: list[PrepMissingOut], **ERRORS},
            summary="Reports from the schools below the catalogue admin's region (status: open by default)")
def queue(request: HttpRequest, status: Literal["open", "accepted", "declined", ""] = "open"):
    return [_report_out(request, r) for r in selectors.report_queue(request.auth, status)[:200]]


@router.post("/missing/{report_id}/accept", response={200: PrepMissingOut, **WRITE_ERRORS},
             summary="Accept a report, optionally linking the textbook added for it")
def accept(request: HttpRequest, body: PrepAcceptIn, report_id: int = ObjectId):
    services.accept_report(request.auth, report_id, body.textbook_id)
    return _report_out(request, selectors.queued_report(request.auth, report_id))


@router.post("/missing/{report_id}/decline", response={200: PrepMissingOut, **WRITE_ERRORS},
             summary="Decline a report with the reason the teacher sees")
def decline(request: HttpRequest, body: PrepDeclineIn, report_id: int = ObjectId):
    services.decline_report(request.auth, report_id, body.reason)
    return _report_out(request, selectors.queued_report(request.auth, report_id))
