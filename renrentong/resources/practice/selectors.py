"""Reads of online practice (RES-2) and the wrong-answer book (RES-1), each starting from what the actor may
see: an object outside it is "not found", whatever id arrives. Nothing here hands a student a question's key
or explanation before their attempt is submitted: `TakerQuestion` has no such field."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet

from renrentong.accounts.models import Enrollment
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.orgs import access as orgs_access
from renrentong.orgs.models import Region, School, SchoolClass
from renrentong.resources.models import (
    Chapter, PracticeAttempt, PracticeGrade, PracticePaper, PracticePaperQuestion, PracticePoint,
    PracticePublication, PracticeQuestion,
)
from renrentong.resources.practice import access, grading


# Where the actor stands: a school (teachers, students) or a region (region admins) ----------------------

def _chain_ids(region_id: int | None) -> list[int]:
    """The region and every region above it (district, city, province)."""
    found: list[int] = []
    while region_id is not None and len(found) < 8:
        found.append(region_id)
        region_id = Region.objects.filter(pk=region_id).values_list("parent_id", flat=True).first()
    return found


def school_of(actor: Actor) -> School | None:
    """The school a teacher or student practises in."""
    identity = actor.identity
    if identity is None:
        return None
    if orgs_access.acts_as_teacher(actor) or orgs_access.acts_as_school_admin(actor):
        return identity.school
    if access.takes_practice(actor) and actor.scope.school_ids:
        return School.objects.filter(pk__in=actor.scope.school_ids).order_by("pk").first()
    return None


def _catalogue_regions(actor: Actor) -> list[int]:
    """Regions whose textbooks and region questions the actor uses: those above their school or region, and
    (region admins) those below."""
    if access.keeps_for_region(actor):
        return sorted(set(_chain_ids(actor.identity.region_id)) | set(actor.scope.region_ids))
    school = school_of(actor)
    return _chain_ids(school.district_id) if school else []


def _bank(actor: Actor) -> Q:
    """The questions the actor may use: their school's, those the district's schools share, their regions'."""
    if access.keeps_for_region(actor):
        return (Q(region_id__in=_catalogue_regions(actor))
                | Q(shared=True, district_id__in=actor.scope.district_ids))
    school = school_of(actor)
    if school is None:
        return Q(pk__in=[])
    return (Q(school_id=school.pk) | Q(shared=True, district_id=school.district_id)
            | Q(region_id__in=_chain_ids(school.district_id)))


def chapter_for(actor: Actor, chapter_id: int) -> Chapter:
    found = (Chapter.objects.select_related("textbook")
             .filter(pk=chapter_id, textbook__region_id__in=_catalogue_regions(actor)).first())
    if found is None:
        raise UserFacingError("practice.chapter_not_found")
    return found


def chapters(actor: Actor) -> list[Chapter]:
    """The chapters of the catalogue the actor may use, book by book (the question form's choice)."""
    return list(Chapter.objects.select_related("textbook").filter(
        textbook__region_id__in=_catalogue_regions(actor), textbook__retired_at__isnull=True)
        .order_by("textbook__subject", "textbook__grade", "textbook_id", "position")[:3000])


# The question bank ---------------------------------------------------------------------------------------

def bank(actor: Actor, *, chapter_id: int | None = None, point: str = "", kind: str = "",
         retired: bool = False) -> QuerySet:
    if not access.keeps_questions(actor):
        raise UserFacingError("practice.not_a_keeper")
    found = PracticeQuestion.objects.filter(_bank(actor)).select_related("chapter__textbook")
    if not retired:
        found = found.filter(retired_at__isnull=True)
    if chapter_id:
        found = found.filter(chapter_id=chapter_id)
    if point:
        found = found.filter(points__point=point)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-created_at", "-pk")


def question_for_keeper(actor: Actor, question_id: int) -> PracticeQuestion:
    found = bank(actor, retired=True).filter(pk=question_id).first()
    if found is None:
        raise UserFacingError("practice.not_found")
    return found


def usable_questions(actor: Actor, question_ids: list[int]) -> dict[int, PracticeQuestion]:
    """Of these, the questions the actor may put on a paper now (in their bank, not retired)."""
    return PracticeQuestion.objects.filter(_bank(actor), pk__in=question_ids, retired_at__isnull=True).in_bulk()


def owner_name(question: PracticeQuestion) -> str:
    if question.school_id is not None:
        return School.objects.filter(pk=question.school_id).values_list("name", flat=True).first() or ""
    return Region.objects.filter(pk=question.region_id).values_list("name", flat=True).first() or ""


# Papers: a teacher's -----------------------------------------------------------------------------------

def papers_of_school(actor: Actor) -> QuerySet:
    """The class papers of the teacher's (or school admin's) school."""
    if not access.sees_results_at_all(actor):
        raise UserFacingError("practice.students_only" if access.is_parent(actor) else "practice.teachers_only")
    return (PracticePaper.objects.filter(school_id=actor.identity.school_id, kind=PracticePaper.Kind.CLASS)
            .order_by("-created_at", "-pk"))


def paper_for_staff(actor: Actor, paper_id: int) -> PracticePaper:
    found = papers_of_school(actor).filter(pk=paper_id).first()
    if found is None:
        raise UserFacingError("practice.not_found")
    return found


def paper_questions(paper: PracticePaper) -> list[PracticeQuestion]:
    """The paper's questions in order, in one query."""
    return [item.question for item in PracticePaperQuestion.objects.filter(
        school_id=paper.school_id, paper=paper).select_related("question").order_by("position")]


def publications(paper: PracticePaper) -> list[tuple[PracticePublication, str]]:
    rows = list(PracticePublication.objects.filter(school_id=paper.school_id, paper=paper).order_by("class_id"))
    names = class_names([p.class_id for p in rows])
    return [(p, names.get(p.class_id, "")) for p in rows]


def class_names(class_ids: list[int]) -> dict[int, str]:
    return {c.pk: c.display_name() for c in SchoolClass.objects.filter(pk__in=class_ids)
            .select_related("school", "cohort__stage")}


def taught_classes(actor: Actor) -> list[tuple[int, str]]:
    """The classes a teacher may publish to: those they teach or head."""
    if not access.builds_papers(actor):
        return []
    names = class_names(sorted(actor.scope.class_ids))
    return sorted(names.items(), key=lambda item: item[1])


# Papers: a student's -----------------------------------------------------------------------------------

def _student_id(actor: Actor) -> int:
    person = access.practising_person(actor)
    if person is None:
        raise UserFacingError("practice.students_only")
    return person


@dataclass
class StudentPaper:
    paper: PracticePaper
    class_id: int | None
    attempts: list[PracticeAttempt] = field(default_factory=list)

    @property
    def open_attempt(self) -> PracticeAttempt | None:
        return next((a for a in self.attempts if a.state == PracticeAttempt.State.OPEN), None)

    @property
    def best(self) -> PracticeAttempt | None:
        done = [a for a in self.attempts if a.state == PracticeAttempt.State.SUBMITTED]
        return max(done, key=lambda a: (a.correct, -a.number)) if done else None


def papers_for_student(actor: Actor) -> list[StudentPaper]:
    """Papers published to my class, and my own weak-point sets, newest first, with my attempts."""
    student = _student_id(actor)
    published = (PracticePublication.objects.filter(school_id__in=actor.scope.school_ids,
                                                    class_id__in=actor.scope.class_ids)
                 .select_related("paper").order_by("-published_at"))
    found: dict[int, StudentPaper] = {}
    for publication in published:
        found.setdefault(publication.paper_id, StudentPaper(publication.paper, publication.class_id))
    for paper in PracticePaper.objects.filter(school_id__in=actor.scope.school_ids, kind=PracticePaper.Kind.PERSONAL,
                                              student_id=student).order_by("-created_at")[:50]:
        found.setdefault(paper.pk, StudentPaper(paper, None))
    for attempt in PracticeAttempt.objects.filter(school_id__in=actor.scope.school_ids, student_id=student,
                                                  paper_id__in=list(found)).order_by("number"):
        found[attempt.paper_id].attempts.append(attempt)
    return sorted(found.values(), key=lambda p: p.paper.created_at, reverse=True)


def paper_for_student(actor: Actor, paper_id: int) -> StudentPaper:
    student = _student_id(actor)
    publication = (PracticePublication.objects.filter(school_id__in=actor.scope.school_ids, paper_id=paper_id,
                                                      class_id__in=actor.scope.class_ids)
                   .select_related("paper").first())
    if publication is not None:
        found = StudentPaper(publication.paper, publication.class_id)
    else:
        paper = PracticePaper.objects.filter(pk=paper_id, kind=PracticePaper.Kind.PERSONAL, student_id=student,
                                             school_id__in=actor.scope.school_ids).first()
        if paper is None:
            raise UserFacingError("practice.not_found")
        found = StudentPaper(paper, None)
    found.attempts = list(PracticeAttempt.objects.filter(school_id=found.paper.school_id, paper=found.paper,
                                                         student_id=student).order_by("number"))
    return found


def attempt_for_student(actor: Actor, attempt_id: int) -> PracticeAttempt:
    """One of the student's own attempts (student_id is the scope: a student sees their own attempts, at the
    school they took them in, also after moving on)."""
    student = _student_id(actor)
    found = PracticeAttempt.objects.select_related("paper").filter(pk=attempt_id, student_id=student).first()
    if found is None:
        raise UserFacingError("practice.attempt_not_found")
    return found


def student_place(actor: Actor) -> tuple[int, int | None]:
    """The student's person id and current class (for a personal paper's attempt)."""
    student = _student_id(actor)
    class_id = (Enrollment.objects.filter(person_id=student, ended_on__isnull=True)
                .values_list("school_class_id", flat=True).first())
    return student, class_id


@dataclass(frozen=True)
class TakerQuestion:
    """A question as a student sees it before submitting: no key, no explanation."""

    id: int
    number: int
    kind: str
    stem: str
    options: list[str]
    blanks: int


def taker_questions(questions: list[PracticeQuestion]) -> list[TakerQuestion]:
    return [TakerQuestion(q.pk, n, q.kind, q.stem, list(q.options) if q.kind in ("single", "multiple") else [],
                          len(q.key) if q.kind == "fill" else 0) for n, q in enumerate(questions, 1)]


def saved_answers(attempt: PracticeAttempt) -> dict[int, object]:
    return dict(attempt.answers.filter(school_id=attempt.school_id).values_list("question_id", "response"))


@dataclass(frozen=True)
class GradedRow:
    number: int
    question: PracticeQuestion
    response: object
    shown: str
    correct: bool
    right_answer: str


def graded_rows(attempt: PracticeAttempt) -> list[GradedRow]:
    """A submitted attempt: each answer, the right answer and the explanation (via the question)."""
    if attempt.state != PracticeAttempt.State.SUBMITTED:
        return []
    grades = {g.question_id: g for g in PracticeGrade.objects.filter(school_id=attempt.school_id, attempt=attempt)}
    rows = []
    for number, question in enumerate(paper_questions(attempt.paper), 1):
        g = grades.get(question.pk)
        rows.append(GradedRow(number, question, g.response if g else None, g.shown if g else "",
                              bool(g and g.correct), grading.shown_key(question.kind, question.key)))
    return rows


# Class results (teachers) ------------------------------------------------------------------------------

@dataclass
class QuestionResult:
    number: int
    question: PracticeQuestion
    answered: int = 0
    correct: int = 0
    wrong: list[tuple[str, int]] = field(default_factory=list)  # the commonest wrong answers and their counts

    @property
    def rate(self) -> float | None:
        return self.correct / self.answered if self.answered else None


@dataclass
class ClassResults:
    paper: PracticePaper
    class_id: int
    class_name: str
    students: int  # in the class now
    submitted: int  # who submitted a first attempt
    questions: list[QuestionResult]


def class_results(actor: Actor, paper_id: int, class_id: int) -> ClassResults:
    """Per question of the paper: how many of the class's first submitted attempts got it right, and the
    commonest wrong answers. A first attempt is the honest one; later ones are practice."""
    paper = paper_for_staff(actor, paper_id)
    if not PracticePublication.objects.filter(school_id=paper.school_id, paper=paper, class_id=class_id).exists():
        raise UserFacingError("practice.not_found")
    if not access.sees_class_results(actor, paper, class_id):
        raise UserFacingError("practice.results_not_allowed")
    questions = paper_questions(paper)
    results = {q.pk: QuestionResult(n, q) for n, q in enumerate(questions, 1)}
    wrong: dict[int, Counter] = defaultdict(Counter)
    attempts = PracticeAttempt.objects.filter(school_id=paper.school_id, paper=paper, class_id=class_id, number=1,
                                              state=PracticeAttempt.State.SUBMITTED)
    for question_id, correct, shown in PracticeGrade.objects.filter(
            school_id=paper.school_id, attempt__in=attempts).values_list("question_id", "correct", "shown"):
        result = results.get(question_id)
        if result is None:
            continue
        if shown:
            result.answered += 1
        if correct:
            result.correct += 1
        elif shown:
            wrong[question_id][shown] += 1
    for question_id, counter in wrong.items():
        results[question_id].wrong = counter.most_common(3)
    students = Enrollment.objects.filter(school_class_id=class_id, ended_on__isnull=True).count()
    return ClassResults(paper, class_id, class_names([class_id]).get(class_id, ""), students, attempts.count(),
                        [results[q.pk] for q in questions])


# The wrong-answer book and weak points (RES-1 personalised learning) ------------------------------------

@dataclass
class WrongEntry:
    question: PracticeQuestion
    shown: str
    right_answer: str
    times_wrong: int
    last_at: object


@dataclass
class WrongGroup:
    label: str  # the chapter, or the knowledge point
    entries: list[WrongEntry]


def _latest_grades(student: int, school_ids) -> tuple[dict[int, PracticeGrade], Counter]:
    latest: dict[int, PracticeGrade] = {}
    wrong_counts: Counter = Counter()
    for g in (PracticeGrade.objects.filter(school_id__in=school_ids, student_id=student)
              .select_related("question__chapter__textbook").order_by("graded_at", "pk")[:20000]):
        latest[g.question_id] = g
        if not g.correct:
            wrong_counts[g.question_id] += 1
    return latest, wrong_counts


def wrong_answers(actor: Actor) -> list[WrongEntry]:
    """Questions whose latest answer was wrong (a question answered right later leaves the book)."""
    student = _student_id(actor)
    latest, counts = _latest_grades(student, actor.scope.school_ids)
    return [WrongEntry(g.question, g.shown, grading.shown_key(g.question.kind, g.question.key), counts[q], g.graded_at)
            for q, g in latest.items() if not g.correct]


def wrong_book(actor: Actor, by: str = "chapter") -> list[WrongGroup]:
    groups: dict[str, list[WrongEntry]] = defaultdict(list)
    for entry in wrong_answers(actor):
        q = entry.question
        if by == "point":
            for point in (q.knowledge_points or ["-"]):
                groups[point].append(entry)
        else:
            groups[f"{q.chapter.textbook.subject} · {q.chapter.number} {q.chapter.title}"].append(entry)
    return [WrongGroup(label, entries) for label, entries in
            sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))]


def weak_points(actor: Actor, limit: int = 5) -> list[tuple[str, int]]:
    counter: Counter = Counter()
    for entry in wrong_answers(actor):
        for point in entry.question.knowledge_points:
            counter[point] += entry.times_wrong
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))[:limit]


def questions_on_points(actor: Actor, points: list[str], size: int) -> list[PracticeQuestion]:
    """Questions of the student's bank on these points: first those never answered right, then the rest."""
    student = _student_id(actor)
    right = set(PracticeGrade.objects.filter(school_id__in=actor.scope.school_ids, student_id=student, correct=True)
                .values_list("question_id", flat=True))
    on_points = PracticePoint.objects.filter(point__in=points).values("question_id")
    found = list(PracticeQuestion.objects.filter(_bank(actor), pk__in=on_points, retired_at__isnull=True)
                 .order_by("pk")[:500])
    found.sort(key=lambda q: (q.pk in right, q.pk))
    return found[:size]


def attempt_numbers(school_id: int, paper_id: int, student_id: int) -> int:
    return PracticeAttempt.objects.filter(school_id=school_id, paper_id=paper_id, student_id=student_id).aggregate(
        top=Max("number"))["top"] or 0


@dataclass(frozen=True)
class TakeItem:
    """A question on the take page with what was saved: options as (index, letter, text, checked), the blanks'
    saved texts, the truth and number saved. No key, no explanation."""

    question: TakerQuestion
    options: list[tuple[int, str, str, bool]]
    blanks: list[str]
    truth: bool | None
    number: str
    answered: bool


def take_items(attempt: PracticeAttempt) -> list[TakeItem]:
    saved = saved_answers(attempt)
    items = []
    for q in taker_questions(paper_questions(attempt.paper)):
        response = saved.get(q.id)
        chosen = set(response if isinstance(response, list) and q.kind == "multiple" else
                     [response] if q.kind == "single" and response is not None else [])
        blanks = list(response) if q.kind == "fill" and response else [""] * q.blanks
        items.append(TakeItem(q, [(i, chr(ord("A") + i), text, i in chosen) for i, text in enumerate(q.options)],
                              blanks, response if q.kind == "true_false" else None,
                              response if q.kind == "numeric" and response else "", response is not None))
    return items
