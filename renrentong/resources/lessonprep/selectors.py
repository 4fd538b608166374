"""Reading lesson preparation (RES-4), always from what the actor may see (NFR-2): the catalogue of the actor's
region and every region above it; a teacher's own prepared lessons; a school's teachers only for its admin and
its prep checkers; missing-textbook reports for their reporter and the catalogue admins above the school. Any
other id is "not found"."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from renrentong.accounts.models import Identity, TeachingAssignment
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs.models import Region, School
from renrentong.orgs.policy import region_chain
from renrentong.rosters import selectors as rosters
from renrentong.schooladmin.teaching.subjects import subject_label

from renrentong.resources.lessonprep import access
from renrentong.resources.models import (
    Chapter, MissingTextbookReport, PrepChecker, PreparedLesson, PrepComment, Textbook,
)

NUMBER = re.compile(r"^[1-9][0-9]{0,2}(\.[1-9][0-9]{0,2}){0,3}$")


def clean_label(value: str) -> str:
    """A title or name as typed: full-width folded (NFKC), control characters gone, runs of spaces one space
    ("Unit 1 My classroom" keeps its spaces, unlike an identifier)."""
    folded = unicodedata.normalize("NFKC", value or "")
    folded = "".join(ch for ch in folded if unicodedata.category(ch)[0] != "C" or ch in "\t\n")
    return " ".join(folded.split())


def number_key(number: str) -> tuple[int, ...]:
    """A chapter number's natural order: "1.10" after "1.9"."""
    return tuple(int(part) for part in number.split("."))


# -- The catalogue ------------------------------------------------------------------------------------------

def catalogue_region_ids(actor: Actor) -> list[int]:
    """The regions whose catalogue the actor sees: their own region (or school's district) and all above."""
    identity = actor.identity
    if identity is None or not access.reads_catalogue(actor):
        return []
    if identity.region_id:
        return [r.pk for r in region_chain(identity.region)]
    if identity.school_id:
        return [r.pk for r in region_chain(identity.school.district)]
    return []


def textbooks(actor: Actor, *, subject: str = "", grade: int | None = None, retired: bool = False,
              own_only: bool = False) -> QuerySet[Textbook]:
    if not access.reads_catalogue(actor):
        raise UserFacingError("resources.catalogue_not_allowed")
    found = Textbook.objects.filter(region_id__in=catalogue_region_ids(actor), school_id__isnull=True)
    if own_only:
        found = found.filter(region_id=actor.identity.region_id)
    if not retired:
        found = found.filter(retired_at__isnull=True)
    if subject:
        found = found.filter(subject=subject)
    if grade:
        found = found.filter(grade=grade)
    return found.annotate(chapter_count=Count("chapters")).order_by("grade", "subject", "volume", "edition", "pk")


def textbook(actor: Actor, textbook_id: int) -> Textbook:
    """A textbook the actor sees (retired ones too), else "not found"."""
    found = textbooks(actor, retired=True).filter(pk=textbook_id).first()
    if found is None:
        raise UserFacingError("resources.textbook_not_found")
    return found


def editable_textbook(actor: Actor, textbook_id: int) -> Textbook:
    """A textbook the actor keeps; another region's book they see is refused naming its keeper."""
    if not access.keeps_catalogue(actor):
        raise UserFacingError("resources.catalogue_not_allowed")
    book = textbook(actor, textbook_id)
    if not access.edits_textbook(actor, book.region_id):
        raise UserFacingError("resources.textbook_not_yours", region=region_name(book.region_id))
    return book


def region_name(region_id: int) -> str:
    return Region.objects.filter(pk=region_id).values_list("name", flat=True).first() or ""


def region_names(region_ids) -> dict[int, str]:
    return dict(Region.objects.filter(pk__in=set(region_ids)).values_list("pk", "name"))


def chapters(book: Textbook) -> list[Chapter]:
    """The book's contents in order, each with its depth (0 for a chapter, 1 for its sections...)."""
    found = sorted(Chapter.objects.filter(textbook=book), key=lambda c: number_key(c.number))
    for chapter in found:
        chapter.depth = chapter.number.count(".")
    return found


def chapter(actor: Actor, chapter_id: int) -> Chapter:
    found = Chapter.objects.filter(pk=chapter_id, region_id__in=catalogue_region_ids(actor)).select_related(
        "textbook").first()
    if found is None:
        raise UserFacingError("resources.chapter_not_found")
    return found


def editable_chapter(actor: Actor, chapter_id: int) -> Chapter:
    found = chapter(actor, chapter_id)
    editable_textbook(actor, found.textbook_id)
    return found


# -- What a teacher teaches ------------------------------------------------------------------------------

@dataclass
class Teaching:
    subject: str
    grade: int
    classes: list[str] = field(default_factory=list)


def teaching_of(identity: Identity) -> list[Teaching]:
    """The subjects and grades a teacher teaches (ADM-2 teaching assignments), the classes named."""
    found: dict[tuple[str, int], Teaching] = {}
    assignments = TeachingAssignment.objects.filter(teacher=identity).select_related(
        "school_class__cohort__stage", "school_class__school")
    for assignment in assignments:
        school_class = assignment.school_class
        year = school_class.school.school_year
        if school_class.cohort.is_graduated(year):
            continue
        grade = school_class.cohort.grade_number(year)
        entry = found.setdefault((assignment.subject, grade), Teaching(assignment.subject, grade))
        entry.classes.append(school_class.display_name(year))
    return sorted(found.values(), key=lambda t: (t.grade, t.subject))


def my_teaching(actor: Actor) -> list[Teaching]:
    if not access.prepares_lessons(actor):
        raise UserFacingError("resources.prep_teachers_only")
    return teaching_of(actor.identity)


def _matching(books: QuerySet[Textbook], teaching: list[Teaching]) -> QuerySet[Textbook]:
    if not teaching:
        return books.none()
    wanted = Q()
    for entry in teaching:
        wanted |= Q(subject=entry.subject, grade=entry.grade)
    return books.filter(wanted)


def prep_textbooks(actor: Actor) -> QuerySet[Textbook]:
    """The books a teacher prepares on: the catalogue's books of the subjects and grades they teach."""
    return _matching(textbooks(actor), my_teaching(actor))


def prep_textbook(actor: Actor, textbook_id: int) -> Textbook:
    """One of the teacher's books: a book of the catalogue they do not teach is refused saying so."""
    book = textbook(actor, textbook_id)
    teaching = my_teaching(actor)
    if not any(t.subject == book.subject and t.grade == book.grade for t in teaching):
        raise UserFacingError("resources.prep_not_teaching")
    return book


def lessons_by_chapter(identity_id: int, school_id: int, textbook_id: int) -> dict[int, PreparedLesson]:
    return {lesson.chapter_id: lesson for lesson in PreparedLesson.objects.filter(
        school_id=school_id, teacher_id=identity_id, textbook_id=textbook_id)}


def my_lesson(actor: Actor, chapter_id: int) -> tuple[Chapter, PreparedLesson | None]:
    """The teacher's lesson for a chapter of a book they teach (None: not started)."""
    found = chapter(actor, chapter_id)
    prep_textbook(actor, found.textbook_id)
    lesson = PreparedLesson.objects.filter(school_id=actor.identity.school_id, teacher=actor.identity,
                                           chapter=found).prefetch_related("files__file").first()
    return found, lesson


def my_lesson_by_id(actor: Actor, lesson_id: int) -> PreparedLesson:
    if not access.prepares_lessons(actor):
        raise UserFacingError("resources.prep_teachers_only")
    lesson = PreparedLesson.objects.filter(pk=lesson_id, school_id=actor.identity.school_id,
                                           teacher=actor.identity).first()
    if lesson is None:
        raise UserFacingError("resources.prep_lesson_not_found")
    return lesson


def comments_of(lesson: PreparedLesson) -> list[PrepComment]:
    return list(PrepComment.objects.filter(school_id=lesson.school_id, lesson=lesson).order_by("created_at", "pk"))


# -- Checking --------------------------------------------------------------------------------------------

def is_checker(actor: Actor) -> bool:
    identity = actor.identity
    return bool(identity is not None and identity.school_id and PrepChecker.objects.filter(
        school_id=identity.school_id, teacher=identity, ended_at__isnull=True).exists())


def checks(actor: Actor) -> bool:
    return access.checks_school(actor, is_checker(actor))


def checked_school(actor: Actor) -> int:
    if not checks(actor):
        raise UserFacingError("resources.prep_not_checker")
    return actor.identity.school_id


def checkers(actor: Actor) -> list[PrepChecker]:
    if not access.names_checkers(actor):
        raise UserFacingError("resources.prep_school_admins_only")
    return list(PrepChecker.objects.filter(school_id=actor.identity.school_id, ended_at__isnull=True)
                .select_related("teacher__account__person").order_by("appointed_at", "pk"))


def school_teachers(school_id: int) -> list[Identity]:
    return list(Identity.objects.filter(school_id=school_id, kind=access.teacher_identity_kind())
                .select_related("account__person").order_by("account__person__name", "pk"))


def teacher_name(identity: Identity) -> str:
    person = identity.account.person
    return person.name if person is not None else identity.account.number


@dataclass
class TeacherProgress:
    teacher_id: int
    name: str
    teaching: str
    prepared: int
    drafts: int
    total: int


def overview(actor: Actor) -> list[TeacherProgress]:
    """Each teacher of the school: chapters prepared (done) of the chapters of the books matching what they
    teach, and drafts. A fixed number of queries for the whole school."""
    school_id = checked_school(actor)
    teachers = school_teachers(school_id)
    pairs: dict[int, set[tuple[str, int]]] = {t.pk: set() for t in teachers}
    labels: dict[int, list[str]] = {t.pk: [] for t in teachers}
    school = School.objects.select_related("district").get(pk=school_id)
    year = school.school_year
    for assignment in TeachingAssignment.objects.filter(teacher_id__in=pairs.keys()).select_related(
            "school_class__cohort__stage"):
        cohort = assignment.school_class.cohort
        if cohort.is_graduated(year):
            continue
        key = (assignment.subject, cohort.grade_number(year))
        if key not in pairs[assignment.teacher_id]:
            pairs[assignment.teacher_id].add(key)
            labels[assignment.teacher_id].append(f"{subject_label(key[0])} {key[1]}")
    regions = [r.pk for r in region_chain(school.district)]
    chapters_of: dict[tuple[str, int], int] = {}
    book_pairs: dict[int, tuple[str, int]] = {}
    for pk, subject, grade, count in Textbook.objects.filter(
            region_id__in=regions, school_id__isnull=True, retired_at__isnull=True).annotate(
            n=Count("chapters")).values_list("pk", "subject", "grade", "n"):
        chapters_of[(subject, grade)] = chapters_of.get((subject, grade), 0) + count
        book_pairs[pk] = (subject, grade)
    done: dict[int, int] = {}
    drafts: dict[int, int] = {}
    for teacher_id, book_id, state, n in PreparedLesson.objects.filter(school_id=school_id).values_list(
            "teacher_id", "textbook_id", "state").annotate(n=Count("pk")).values_list(
            "teacher_id", "textbook_id", "state", "n"):
        if teacher_id not in pairs or book_pairs.get(book_id) not in pairs[teacher_id]:
            continue
        target = done if state == PreparedLesson.State.DONE else drafts
        target[teacher_id] = target.get(teacher_id, 0) + n
    return [TeacherProgress(t.pk, teacher_name(t), "、".join(sorted(labels[t.pk])), done.get(t.pk, 0),
                            drafts.get(t.pk, 0), sum(chapters_of.get(p, 0) for p in pairs[t.pk]))
            for t in teachers]


def checked_teacher(actor: Actor, teacher_id: int) -> Identity:
    school_id = checked_school(actor)
    found = Identity.objects.filter(pk=teacher_id, school_id=school_id, kind=access.teacher_identity_kind()
                                    ).select_related("account__person").first()
    if found is None:
        raise UserFacingError("resources.prep_teacher_not_found")
    return found


def teacher_lessons(actor: Actor, teacher_id: int) -> tuple[Identity, list[PreparedLesson]]:
    teacher = checked_teacher(actor, teacher_id)
    lessons = list(PreparedLesson.objects.filter(school_id=teacher.school_id, teacher=teacher)
                   .select_related("chapter", "textbook").prefetch_related("files__file", "comments")
                   .order_by("textbook__grade", "textbook__subject", "textbook_id", "chapter__position"))
    return teacher, lessons


def checked_lesson(actor: Actor, lesson_id: int) -> PreparedLesson:
    school_id = checked_school(actor)
    lesson = PreparedLesson.objects.filter(pk=lesson_id, school_id=school_id).select_related(
        "chapter", "textbook", "teacher__account__person").first()
    if lesson is None:
        raise UserFacingError("resources.prep_lesson_not_found")
    return lesson


def checker_candidates(actor: Actor) -> list[Identity]:
    if not access.names_checkers(actor):
        raise UserFacingError("resources.prep_school_admins_only")
    return school_teachers(actor.identity.school_id)


# -- Missing textbook reports ------------------------------------------------------------------------------

def my_reports(actor: Actor) -> QuerySet[MissingTextbookReport]:
    if not access.reports_missing(actor):
        raise UserFacingError("resources.prep_teachers_only")
    return MissingTextbookReport.objects.filter(school_id=actor.identity.school_id, reporter=actor.identity).select_related(
        "reporter__account__person", "reporter__school"
    ).prefetch_related("photos__file").order_by("-created_at", "-pk")


def report_queue(actor: Actor, status: str = "open") -> QuerySet[MissingTextbookReport]:
    """The reports of the schools below a catalogue admin's region (a city's, or the whole province's)."""
    if not access.keeps_catalogue(actor):
        raise UserFacingError("resources.catalogue_not_allowed")
    schools = actor.scope.schools(School.objects.all()).values("pk")
    found = MissingTextbookReport.objects.filter(school_id__in=schools).select_related(
        "reporter__account__person", "reporter__school", "textbook").prefetch_related("photos__file")
    if status in MissingTextbookReport.Status.values:
        found = found.filter(status=status)
    return found.order_by("-created_at", "-pk")


def queued_report(actor: Actor, report_id: int) -> MissingTextbookReport:
    found = report_queue(actor, status="").filter(pk=report_id).first()
    if found is None:
        raise UserFacingError("resources.missing_report_not_found")
    return found


def open_report_count(actor: Actor) -> int:
    """The console badge of the catalogue admins' queue."""
    return report_queue(actor).count() if access.keeps_catalogue(actor) else 0


# -- Catalogue imports (the roster machinery's jobs of kind "textbooks") --------------------------------------

def catalogue_jobs(actor: Actor):
    """The actor's own region's catalogue imports, newest first."""
    if not access.keeps_catalogue(actor):
        raise UserFacingError("resources.catalogue_not_allowed")
    return rosters.jobs_in_scope(actor, kinds=("textbooks",)).filter(
        school__isnull=True, region_id=actor.identity.region_id)


def catalogue_job(actor: Actor, job_id: int):
    job = catalogue_jobs(actor).filter(pk=job_id).first()
    if job is None:
        raise UserFacingError("resources.catalogue_import_not_found")
    return job



def report_fields(report: MissingTextbookReport) -> dict:
    return dict(id=report.pk, school_id=report.school_id, school_name=report.reporter.school.name,
                reporter_name=teacher_name(report.reporter), subject=report.subject, grade=report.grade,
                volume=report.volume, edition=report.edition, publisher=report.publisher, note=report.note,
                status=report.status, reason=report.reason, textbook_id=report.textbook_id,
                created_at=report.created_at, decided_at=report.decided_at)


def done_counts(actor: Actor, textbook_ids: list[int]) -> dict[int, int]:
    """The teacher's chapters done per book (the index page's figure)."""
    identity = actor.identity
    return dict(PreparedLesson.objects.filter(school_id=identity.school_id, teacher=identity,
                                              textbook_id__in=textbook_ids, state=PreparedLesson.State.DONE)
                .values_list("textbook_id").annotate(n=Count("pk")).values_list("textbook_id", "n"))


def chapter_in(actor: Actor, textbook_id: int, chapter_id: int) -> int:
    """A chapter id sent with a book's page must be that book's."""
    found = chapter(actor, chapter_id)
    if found.textbook_id != textbook_id:
        raise UserFacingError("resources.chapter_not_found")
    return found.pk
