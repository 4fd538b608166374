"""The verbs of lesson preparation (RES-4): keeping the catalogue (province and city admins), preparing lessons
(teachers), naming prep checkers and commenting (the school), reporting missing textbooks and deciding them.
Each takes the Actor first, checks through access and the selectors (which start from what the actor may see),
runs in one transaction, writes its audit record and refuses with a UserFacingError."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.rosters import services as rosters
from renrentong.uploads.models import StoredFile

from renrentong.resources.lessonprep import access, selectors
from renrentong.resources.models import (
    Chapter, MissingTextbookPhoto, MissingTextbookReport, PrepChecker, PreparedLesson, PreparedLessonFile,
    PrepComment, Textbook,
)

MAX_DESIGN = 20_000
MAX_EXERCISES = 10_000
MAX_COMMENT = 500
MAX_FILES = 20


# -- The catalogue ------------------------------------------------------------------------------------------

@dataclass
class TextbookFields:
    subject: str
    grade: int
    volume: str
    edition: str
    publisher: str
    title: str = ""


def _clean_book(fields: TextbookFields) -> dict:
    values = {"subject": selectors.clean_label(fields.subject)[:32],
              "edition": selectors.clean_label(fields.edition)[:32],
              "publisher": selectors.clean_label(fields.publisher)[:64], "title": selectors.clean_label(fields.title)[:80]}
    for name, label in (("subject", "subject"), ("edition", "edition"), ("publisher", "publisher")):
        if not values[name]:
            raise UserFacingError("resources.textbook_field_missing", field=label)
    if not 1 <= int(fields.grade) <= 12:
        raise UserFacingError("resources.textbook_field_missing", field="grade")
    if fields.volume not in Textbook.Volume.values:
        raise UserFacingError("resources.textbook_field_missing", field="volume")
    return {**values, "grade": int(fields.grade), "volume": fields.volume}


def _same_book_exists(region_id: int, values: dict, exclude: int | None = None) -> bool:
    found = Textbook.objects.filter(region_id=region_id, school_id__isnull=True, subject=values["subject"],
                                    grade=values["grade"], volume=values["volume"], edition=values["edition"],
                                    publisher=values["publisher"])
    return found.exclude(pk=exclude).exists() if exclude else found.exists()


def create_textbook(actor: Actor, fields: TextbookFields) -> Textbook:
    if not access.keeps_catalogue(actor):
        raise UserFacingError("resources.catalogue_not_allowed")
    region_id = actor.identity.region_id
    values = _clean_book(fields)
    if _same_book_exists(region_id, values):
        raise UserFacingError("resources.textbook_exists")
    try:
        with transaction.atomic():
            book = Textbook.objects.create(region_id=region_id, **values)
            audit.record(actor, "resources.textbook_create", book, values)
    except IntegrityError:
        raise UserFacingError("resources.textbook_exists") from None
    return book


def update_textbook(actor: Actor, textbook_id: int, fields: TextbookFields) -> Textbook:
    book = selectors.editable_textbook(actor, textbook_id)
    values = _clean_book(fields)
    if _same_book_exists(book.region_id, values, exclude=book.pk):
        raise UserFacingError("resources.textbook_exists")
    before = {name: getattr(book, name) for name in values}
    try:
        with transaction.atomic():
            Textbook.objects.filter(pk=book.pk).update(**values)
            audit.record(actor, "resources.textbook_update", book, {"before": before, "after": values})
    except IntegrityError:
        raise UserFacingError("resources.textbook_exists") from None
    book.refresh_from_db()
    return book


def retire_textbook(actor: Actor, textbook_id: int, retired: bool = True) -> Textbook:
    """Retiring hides a book from new choices; lessons prepared on it stay. Restoring brings it back."""
    book = selectors.editable_textbook(actor, textbook_id)
    with transaction.atomic():
        book.retired_at = timezone.now() if retired else None
        book.save(update_fields=["retired_at"])
        audit.record(actor, "resources.textbook_retire" if retired else "resources.textbook_restore", book,
                     {"title": str(book)})
    return book


def renumber(textbook_id: int) -> None:
    """Positions follow the numbers' natural order, so a section added later sits where the book prints it."""
    found = list(Chapter.objects.filter(textbook_id=textbook_id).only("pk", "number", "position"))
    found.sort(key=lambda c: selectors.number_key(c.number))
    changed = []
    for position, chapter in enumerate(found):
        if chapter.position != position:
            chapter.position = position
            changed.append(chapter)
    Chapter.objects.bulk_update(changed, ["position"], batch_size=1000)


def _clean_chapter(number: str, title: str) -> tuple[str, str]:
    number, title = selectors.clean_label(number).replace(" ", ""), selectors.clean_label(title)[:80]
    if not selectors.NUMBER.match(number):
        raise UserFacingError("resources.chapter_number_invalid")
    if not title:
        raise UserFacingError("resources.textbook_field_missing", field="title")
    return number, title


def add_chapter(actor: Actor, textbook_id: int, number: str, title: str) -> Chapter:
    book = selectors.editable_textbook(actor, textbook_id)
    number, title = _clean_chapter(number, title)
    parent = None
    if "." in number:
        parent_number = number.rsplit(".", 1)[0]
        parent = Chapter.objects.filter(textbook=book, number=parent_number).first()
        if parent is None:
            raise UserFacingError("resources.chapter_parent_missing", parent=parent_number)
    if Chapter.objects.filter(textbook=book, number=number).exists():
        raise UserFacingError("resources.chapter_number_taken", number=number)
    try:
        with transaction.atomic():
            chapter = Chapter.objects.create(region_id=book.region_id, textbook=book, parent=parent, number=number,
                                             title=title)
            renumber(book.pk)
            audit.record(actor, "resources.chapter_add", chapter, {"textbook": book.pk, "number": number,
                                                                   "title": title})
    except IntegrityError:
        raise UserFacingError("resources.chapter_number_taken", number=number) from None
    return chapter


def rename_chapter(actor: Actor, chapter_id: int, title: str) -> Chapter:
    chapter = selectors.editable_chapter(actor, chapter_id)
    _, title = _clean_chapter(chapter.number, title)
    with transaction.atomic():
        before = chapter.title
        chapter.title = title
        chapter.save(update_fields=["title"])
        audit.record(actor, "resources.chapter_rename", chapter, {"before": before, "after": title})
    return chapter


def delete_chapter(actor: Actor, chapter_id: int) -> None:
    """A chapter goes with its sections, unless a teacher prepared any of them (retire the book instead)."""
    chapter = selectors.editable_chapter(actor, chapter_id)
    prefix = chapter.number + "."
    doomed = [c.pk for c in Chapter.objects.filter(textbook_id=chapter.textbook_id)
              if c.pk == chapter.pk or c.number.startswith(prefix)]
    if PreparedLesson.objects.filter(chapter_id__in=doomed).exists():
        raise UserFacingError("resources.chapter_has_lessons")
    with transaction.atomic():
        audit.record(actor, "resources.chapter_delete", chapter, {"textbook": chapter.textbook_id,
                                                                  "number": chapter.number, "title": chapter.title,
                                                                  "with_sections": len(doomed) - 1})
        Chapter.objects.filter(pk__in=doomed).order_by("-number").delete()
        renumber(chapter.textbook_id)


# -- Preparing ----------------------------------------------------------------------------------------------

@dataclass
class LessonDraft:
    design: str = ""
    exercises: str = ""
    courseware_ids: list[int] = field(default_factory=list)
    exercise_file_ids: list[int] = field(default_factory=list)
    done: bool = False


def _own_files(actor: Actor, ids: list[int]) -> list[StoredFile]:
    wanted = list(dict.fromkeys(ids))[:MAX_FILES]
    found = {f.pk: f for f in StoredFile.objects.filter(pk__in=wanted, owner=actor.account)}
    if len(found) != len(wanted):
        raise UserFacingError("resources.prep_file_not_yours")
    return [found[i] for i in wanted]


def save_lesson(actor: Actor, chapter_id: int, draft: LessonDraft) -> PreparedLesson:
    """Write the teacher's lesson for a chapter (made on first save): the text and the files as given now.
    `done` marks it prepared; saving without it keeps (or makes) it a draft."""
    chapter, lesson = selectors.my_lesson(actor, chapter_id)
    if lesson is None and chapter.textbook.retired_at is not None:
        raise UserFacingError("resources.textbook_retired_for_prep")
    design, exercises = draft.design.strip(), draft.exercises.strip()
    if len(design) > MAX_DESIGN:
        raise UserFacingError("resources.prep_text_too_long", field="design", limit=MAX_DESIGN)
    if len(exercises) > MAX_EXERCISES:
        raise UserFacingError("resources.prep_text_too_long", field="exercises", limit=MAX_EXERCISES)
    courseware = _own_files(actor, draft.courseware_ids)
    exercise_files = _own_files(actor, draft.exercise_file_ids)
    if draft.done and not (design or exercises or courseware or exercise_files):
        raise UserFacingError("resources.prep_empty")
    identity = actor.identity
    now = timezone.now()
    state = PreparedLesson.State.DONE if draft.done else PreparedLesson.State.DRAFT
    with transaction.atomic():
        lesson, created = PreparedLesson.objects.select_for_update().get_or_create(
            school_id=identity.school_id, teacher=identity, chapter=chapter,
            defaults={"textbook_id": chapter.textbook_id, "created_at": now})
        lesson.design, lesson.exercises, lesson.state, lesson.updated_at = design, exercises, state, now
        lesson.done_at = (lesson.done_at or now) if draft.done else None
        lesson.save()
        PreparedLessonFile.objects.filter(school_id=lesson.school_id, lesson=lesson).delete()
        PreparedLessonFile.objects.bulk_create(
            [PreparedLessonFile(school_id=lesson.school_id, lesson=lesson, file=f,
                                role=PreparedLessonFile.Role.COURSEWARE) for f in courseware]
            + [PreparedLessonFile(school_id=lesson.school_id, lesson=lesson, file=f,
                                  role=PreparedLessonFile.Role.EXERCISE) for f in exercise_files
               if f not in courseware])
        audit.record(actor, "resources.lesson_save", lesson, {
            "chapter": chapter.pk, "state": state, "created": created, "design_chars": len(design),
            "files": len(courseware) + len(exercise_files)}, school_id=lesson.school_id)
    return lesson


# -- Checking -----------------------------------------------------------------------------------------------

def name_checker(actor: Actor, teacher_id: int) -> PrepChecker:
    if not access.names_checkers(actor):
        raise UserFacingError("resources.prep_school_admins_only")
    school_id = actor.identity.school_id
    teacher = next((t for t in selectors.school_teachers(school_id) if t.pk == teacher_id), None)
    if teacher is None:
        raise UserFacingError("resources.prep_checker_not_teacher")
    try:
        with transaction.atomic():
            checker, created = PrepChecker.objects.get_or_create(
                school_id=school_id, teacher=teacher, ended_at__isnull=True, defaults={"appointed_by": actor.account})
            if created:
                audit.record(actor, "resources.checker_name", checker, {"teacher": selectors.teacher_name(teacher)},
                             school_id=school_id)
    except IntegrityError:
        # Two admins named the same teacher at once: the other's row stands, and it is the same role.
        checker = PrepChecker.objects.get(school_id=school_id, teacher=teacher, ended_at__isnull=True)
    return checker


def end_checker(actor: Actor, checker_id: int) -> PrepChecker:
    if not access.names_checkers(actor):
        raise UserFacingError("resources.prep_school_admins_only")
    school_id = actor.identity.school_id
    with transaction.atomic():
        checker = PrepChecker.objects.select_for_update(of=("self",)).filter(
            pk=checker_id, school_id=school_id, ended_at__isnull=True).select_related("teacher__account__person").first()
        if checker is None:
            raise UserFacingError("resources.prep_checker_not_found")
        checker.ended_at = timezone.now()
        checker.save(update_fields=["ended_at"])
        audit.record(actor, "resources.checker_end", checker, {"teacher": selectors.teacher_name(checker.teacher)},
                     school_id=school_id)
    return checker


def comment(actor: Actor, lesson_id: int, text: str) -> PrepComment:
    lesson = selectors.checked_lesson(actor, lesson_id)
    text = text.strip()
    if not text or len(text) > MAX_COMMENT:
        raise UserFacingError("resources.prep_comment_empty")
    person = actor.account.person
    with transaction.atomic():
        made = PrepComment.objects.create(school_id=lesson.school_id, lesson=lesson, author=actor.account,
                                          author_name=(person.name if person else actor.account.number)[:64],
                                          text=text)
        audit.record(actor, "resources.lesson_comment", lesson, {"comment": made.pk}, school_id=lesson.school_id)
    return made


# -- Missing textbooks ---------------------------------------------------------------------------------------

@dataclass
class MissingReport:
    subject: str
    grade: int
    edition: str
    publisher: str
    volume: str = ""
    note: str = ""
    cover_ids: list[int] = field(default_factory=list)
    copyright_ids: list[int] = field(default_factory=list)
    contents_ids: list[int] = field(default_factory=list)


def report_missing(actor: Actor, report: MissingReport) -> MissingTextbookReport:
    """A teacher reports a textbook the catalogue lacks, with photos of its cover, copyright page and contents
    (seed 002); the catalogue admins above the school see it in their queue."""
    if not access.reports_missing(actor):
        raise UserFacingError("resources.prep_teachers_only")
    values = _clean_book(TextbookFields(report.subject, report.grade, report.volume or Textbook.Volume.WHOLE,
                                        report.edition, report.publisher))
    photos = {role: _own_files(actor, ids) for role, ids in (
        (MissingTextbookPhoto.Role.COVER, report.cover_ids), (MissingTextbookPhoto.Role.COPYRIGHT, report.copyright_ids),
        (MissingTextbookPhoto.Role.CONTENTS, report.contents_ids))}
    if not all(photos.values()):
        raise UserFacingError("resources.missing_photos_required")
    if any(f.kind != StoredFile.Kind.IMAGE for files in photos.values() for f in files):
        raise UserFacingError("resources.missing_photo_not_image")
    school_id = actor.identity.school_id
    with transaction.atomic():
        made = MissingTextbookReport.objects.create(
            school_id=school_id, reporter=actor.identity, subject=values["subject"], grade=values["grade"],
            volume=report.volume if report.volume in Textbook.Volume.values else "", edition=values["edition"],
            publisher=values["publisher"], note=selectors.clean_label(report.note)[:200])
        MissingTextbookPhoto.objects.bulk_create([
            MissingTextbookPhoto(school_id=school_id, report=made, file=f, role=role)
            for role, files in photos.items() for f in dict.fromkeys(files)], ignore_conflicts=True)
        audit.record(actor, "resources.missing_report", made, {k: values[k] for k in (
            "subject", "grade", "edition", "publisher")}, school_id=school_id)
    return made


def _open_report(actor: Actor, report_id: int) -> MissingTextbookReport:
    found = selectors.queued_report(actor, report_id)
    report = MissingTextbookReport.objects.select_for_update().get(pk=found.pk)
    if report.status != MissingTextbookReport.Status.OPEN:
        raise UserFacingError("resources.missing_report_decided", state=report.get_status_display())
    return report


def accept_report(actor: Actor, report_id: int, textbook_id: int | None = None) -> MissingTextbookReport:
    """Accepted: the admin added (or will add) the book; linking it shows the teacher which one."""
    book = selectors.textbook(actor, textbook_id) if textbook_id else None
    with transaction.atomic():
        report = _open_report(actor, report_id)
        report.status, report.textbook = MissingTextbookReport.Status.ACCEPTED, book
        report.decided_by, report.decided_at = actor.account, timezone.now()
        report.decided_region_id = actor.identity.region_id
        report.save()
        audit.record(actor, "resources.missing_accept", report, {"textbook": book.pk if book else None},
                     school_id=report.school_id)
    return report


def decline_report(actor: Actor, report_id: int, reason: str) -> MissingTextbookReport:
    reason = selectors.clean_label(reason)[:200]
    if not reason:
        raise UserFacingError("resources.missing_reason_required")
    with transaction.atomic():
        report = _open_report(actor, report_id)
        report.status, report.reason = MissingTextbookReport.Status.DECLINED, reason
        report.decided_by, report.decided_at = actor.account, timezone.now()
        report.decided_region_id = actor.identity.region_id
        report.save()
        audit.record(actor, "resources.missing_decline", report, {"reason": reason}, school_id=report.school_id)
    return report


# -- Catalogue imports: the roster machinery does the work (stored, screened, previewed, committed in chunks,
# audited as import.*); these check first that the actor keeps a catalogue and acts on this job. ------------

def accept_catalogue_upload(actor: Actor, chunks, original_name: str):
    if not access.keeps_catalogue(actor):
        raise UserFacingError("resources.catalogue_not_allowed")
    return rosters.accept_upload(actor, chunks, original_name, "textbooks", None, registered_by_owner=True)


def commit_catalogue_import(actor: Actor, job_id: int):
    return rosters.request_commit(actor, selectors.catalogue_job(actor, job_id))


def cancel_catalogue_import(actor: Actor, job_id: int):
    return rosters.cancel(actor, selectors.catalogue_job(actor, job_id))


def undo_catalogue_import(actor: Actor, job_id: int):
    return rosters.undo_import(actor, selectors.catalogue_job(actor, job_id))
