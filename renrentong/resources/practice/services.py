"""Online practice verbs (RES-2): keep questions, assemble and publish papers, open an attempt, save answers as
typed, submit (graded at once), and practise one's weak points (RES-1). Each takes the Actor first, checks
through access and selectors, runs in one transaction and is audited.

The submit is a few set-based statements whatever the paper's length: the paper's questions and the saved
answers are read in one query each, one conditional UPDATE moves the attempt from open to submitted (a second
submit finds nothing to move and grades nothing), and the graded answers go in with one bulk INSERT."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from renrentong.core.text import clean_text
from renrentong.core import audit
from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError
from renrentong.resources.models import (
    PracticeAnswer, PracticeAttempt, PracticeGrade, PracticePaper, PracticePaperQuestion, PracticePoint,
    PracticePublication, PracticeQuestion,
)
from renrentong.resources.practice import access, grading, selectors

MAX_PAPER_QUESTIONS = 100
MAX_ATTEMPTS = 20
MAX_OPTIONS = 8
MAX_BLANKS = 10
WEAK_SET_SIZE = 10
KINDS = [k.value for k in PracticeQuestion.Kind]


def refuse_number(text: str, refused: grading.NumberRefused) -> UserFacingError:
    shown = clean_text(text)[:40]
    if refused.reason == "comma":
        return UserFacingError("practice.number_comma", text=shown)
    return UserFacingError("practice.number_invalid", text=shown)


# The question bank ---------------------------------------------------------------------------------------

@dataclass
class QuestionDraft:
    chapter_id: int
    kind: str
    stem: str
    key: object  # single: int; multiple: list[int]; true_false: bool; fill: list[list[str]];
    # numeric: {"value": str, "tolerance": str}
    options: list[str] = field(default_factory=list)
    knowledge_points: list[str] = field(default_factory=list)
    explanation: str = ""
    shared: bool = False


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _checked_key(kind: str, key, options: list[str]):
    if kind == "single":
        if not _is_int(key) or not 0 <= key < len(options):
            raise UserFacingError("practice.key_invalid", why="choose one of the options")
        return key
    if kind == "multiple":
        if (not isinstance(key, list) or not key or not all(_is_int(k) and 0 <= k < len(options) for k in key)
                or len(set(key)) != len(key)):
            raise UserFacingError("practice.key_invalid", why="choose one or more of the options, each once")
        return sorted(key)
    if kind == "true_false":
        if not isinstance(key, bool):
            raise UserFacingError("practice.key_invalid", why="true or false")
        return key
    if kind == "fill":
        if not isinstance(key, list) or not 1 <= len(key) <= MAX_BLANKS:
            raise UserFacingError("practice.blanks_invalid")
        blanks = []
        for accepted in key:
            texts = [clean_text(a) for a in accepted if isinstance(a, str)] if isinstance(accepted, list) else []
            texts = [t for t in texts if t]
            if not texts or len(texts) > 20 or any(len(t) > grading.MAX_BLANK for t in texts):
                raise UserFacingError("practice.blanks_invalid")
            blanks.append(texts)
        return blanks
    if not isinstance(key, dict):
        raise UserFacingError("practice.key_invalid", why="a value and a tolerance")
    value_text, tolerance_text = str(key.get("value", "")), str(key.get("tolerance", "0") or "0")
    try:
        value = grading.parse_number(value_text)
    except grading.NumberRefused as refused:
        raise refuse_number(value_text, refused) from None
    try:
        tolerance = grading.parse_number(tolerance_text)
    except grading.NumberRefused:
        raise UserFacingError("practice.tolerance_invalid") from None
    if tolerance < 0:
        raise UserFacingError("practice.tolerance_invalid")
    return {"value": str(value), "tolerance": str(tolerance)}


def _checked(actor: Actor, draft: QuestionDraft) -> dict:
    if draft.kind not in KINDS:
        raise UserFacingError("field.invalid", field="kind")
    chapter = selectors.chapter_for(actor, draft.chapter_id)
    stem = clean_text(draft.stem)[:2000]
    if not stem:
        raise UserFacingError("practice.stem_required")
    options: list[str] = []
    if draft.kind in ("single", "multiple"):
        options = [clean_text(o)[:200] for o in draft.options]
        if not 2 <= len(options) <= MAX_OPTIONS or not all(options):
            raise UserFacingError("practice.options_invalid")
    points = list(dict.fromkeys(clean_text(p) for p in draft.knowledge_points if clean_text(p)))
    if len(points) > 10 or any(len(p) > 64 for p in points):
        raise UserFacingError("practice.points_invalid")
    return {"chapter": chapter, "subject": chapter.textbook.subject, "kind": draft.kind, "stem": stem,
            "options": options, "key": _checked_key(draft.kind, draft.key, options), "knowledge_points": points,
            "explanation": clean_text(draft.explanation)[:4000]}


def _write_points(question: PracticeQuestion) -> None:
    PracticePoint.objects.filter(question=question).delete()
    PracticePoint.objects.bulk_create([PracticePoint(school_id=question.school_id, question=question, point=p)
                                       for p in question.knowledge_points])


def create_question(actor: Actor, draft: QuestionDraft) -> PracticeQuestion:
    """A teacher adds a question to their school's bank (shared with the district if asked); a region admin
    to their region's."""
    if not access.keeps_questions(actor):
        raise UserFacingError("practice.not_a_keeper")
    values = _checked(actor, draft)
    identity = actor.identity
    if access.keeps_for_region(actor):
        owner = {"region_id": identity.region_id, "school_id": None, "district_id": None, "shared": False}
    else:
        owner = {"school_id": identity.school_id, "region_id": None, "district_id": identity.school.district_id,
                 "shared": bool(draft.shared)}
    with transaction.atomic():
        question = PracticeQuestion.objects.create(**values, **owner, created_by=actor.account)
        _write_points(question)
        audit.record(actor, "practice.question_create", question, {"kind": question.kind, "chapter": values[
            "chapter"].pk, "shared": question.shared}, school_id=question.school_id)
    return question


def _editable(actor: Actor, question_id: int) -> PracticeQuestion:
    question = selectors.question_for_keeper(actor, question_id)
    if not access.may_edit_question(actor, question):
        raise UserFacingError("practice.not_editable", owner=selectors.owner_name(question))
    return question


def update_question(actor: Actor, question_id: int, draft: QuestionDraft) -> PracticeQuestion:
    """Edit a question of one's own bank. Attempts already graded keep their grades."""
    question = _editable(actor, question_id)
    values = _checked(actor, draft)
    with transaction.atomic():
        for name, value in values.items():
            setattr(question, name, value)
        if question.school_id is not None:
            question.shared = bool(draft.shared)
        question.updated_at = timezone.now()
        question.save()
        _write_points(question)
        audit.record(actor, "practice.question_update", question, {"kind": question.kind},
                     school_id=question.school_id)
    return question


def retire_question(actor: Actor, question_id: int) -> PracticeQuestion:
    """Out of the bank for new papers; papers and attempts that hold it keep it."""
    question = _editable(actor, question_id)
    with transaction.atomic():
        question.retired_at = question.retired_at or timezone.now()
        question.save(update_fields=["retired_at"])
        audit.record(actor, "practice.question_retire", question, {}, school_id=question.school_id)
    return question


# Papers ----------------------------------------------------------------------------------------------------

def _paper_items(actor: Actor, question_ids: list[int]) -> list[int]:
    if not 1 <= len(question_ids) <= MAX_PAPER_QUESTIONS or len(set(question_ids)) != len(question_ids):
        raise UserFacingError("practice.paper_size", max=MAX_PAPER_QUESTIONS)
    usable = selectors.usable_questions(actor, question_ids)
    for n, pk in enumerate(question_ids, 1):
        if pk not in usable:
            raise UserFacingError("practice.question_unavailable", n=n)
    return question_ids


def create_paper(actor: Actor, title: str, question_ids: list[int]) -> PracticePaper:
    """A teacher assembles a paper (练习卷) of questions from the bank, in the given order."""
    if not access.builds_papers(actor):
        raise UserFacingError("practice.teachers_only")
    name = clean_text(title)[:100]
    if not name:
        raise UserFacingError("practice.title_required")
    ids = _paper_items(actor, question_ids)
    school_id = actor.identity.school_id
    with transaction.atomic():
        paper = PracticePaper.objects.create(school_id=school_id, title=name, created_by=actor.account)
        PracticePaperQuestion.objects.bulk_create([PracticePaperQuestion(school_id=school_id, paper=paper, question_id=pk,
                                                                         position=n) for n, pk in enumerate(ids, 1)])
        subjects = set(PracticeQuestion.objects.filter(pk__in=ids).values_list("subject", flat=True))
        paper.subject = subjects.pop() if len(subjects) == 1 else ""
        paper.save(update_fields=["subject"])
        audit.record(actor, "practice.paper_create", paper, {"title": name, "questions": len(ids)},
                     school_id=school_id)
    return paper


def set_paper_questions(actor: Actor, paper_id: int, question_ids: list[int]) -> PracticePaper:
    """Change a paper's questions until it is published; then they are fixed."""
    paper = selectors.paper_for_staff(actor, paper_id)
    if not access.builds_papers(actor):
        raise UserFacingError("practice.teachers_only")
    ids = _paper_items(actor, question_ids)
    with transaction.atomic():
        if PracticePublication.objects.filter(school_id=paper.school_id, paper=paper).exists():
            raise UserFacingError("practice.paper_published")
        PracticePaperQuestion.objects.filter(school_id=paper.school_id, paper=paper).delete()
        PracticePaperQuestion.objects.bulk_create([PracticePaperQuestion(school_id=paper.school_id, paper=paper,
                                                                         question_id=pk, position=n)
                                                   for n, pk in enumerate(ids, 1)])
        audit.record(actor, "practice.paper_update", paper, {"questions": len(ids)}, school_id=paper.school_id)
    return paper


def publish_paper(actor: Actor, paper_id: int, class_ids: list[int]) -> int:
    """Publish to classes the teacher teaches; publishing again to a class changes nothing. How many new."""
    if not access.builds_papers(actor):
        raise UserFacingError("practice.teachers_only")
    paper = selectors.paper_for_staff(actor, paper_id)
    wanted = sorted(set(class_ids))
    if not wanted:
        raise UserFacingError("field.invalid", field="class_ids")
    for class_id in wanted:
        if not access.may_publish_to(actor, class_id):
            raise UserFacingError("practice.class_not_taught")
    with transaction.atomic():
        before = PracticePublication.objects.filter(school_id=paper.school_id, paper=paper).count()
        PracticePublication.objects.bulk_create(
            [PracticePublication(school_id=paper.school_id, paper=paper, class_id=c, published_by=actor.account)
             for c in wanted], ignore_conflicts=True)
        made = PracticePublication.objects.filter(school_id=paper.school_id, paper=paper).count() - before
        audit.record(actor, "practice.publish", paper, {"classes": wanted, "new": made}, school_id=paper.school_id)
    return made


# Taking a paper ----------------------------------------------------------------------------------------

def open_attempt(actor: Actor, paper_id: int) -> PracticeAttempt:
    """The open attempt of this paper, or a new one numbered after the last (at most MAX_ATTEMPTS)."""
    found = selectors.paper_for_student(actor, paper_id)
    if found.open_attempt is not None:
        return found.open_attempt
    if len(found.attempts) >= MAX_ATTEMPTS:
        raise UserFacingError("practice.too_many_attempts", max=MAX_ATTEMPTS)
    student, class_id = selectors.student_place(actor)
    paper = found.paper
    try:
        with transaction.atomic():
            attempt = PracticeAttempt.objects.create(
                school_id=paper.school_id, paper=paper, student_id=student, class_id=found.class_id or class_id,
                number=selectors.attempt_numbers(paper.school_id, paper.pk, student) + 1)
            audit.record(actor, "practice.attempt_open", attempt, {"paper": paper.pk, "number": attempt.number},
                         school_id=paper.school_id)
    except IntegrityError:  # a second tab opened it at the same moment: use that one
        attempt = PracticeAttempt.objects.get(school_id=paper.school_id, paper=paper, student_id=student,
                                              state=PracticeAttempt.State.OPEN)
    return attempt


@dataclass
class AnswerDraft:
    """What a student sent for one question; only the field of the question's kind is read."""

    choice: int | None = None
    choices: list[int] | None = None
    truth: bool | None = None
    blanks: list[str] | None = None
    number: str | None = None


def response_of(question: PracticeQuestion, draft: AnswerDraft):
    """The response to store, None when the answer was cleared; a refusal when it does not fit."""
    kind = question.kind
    if kind == "single":
        if draft.choice is None:
            return None
        if not 0 <= draft.choice < len(question.options):
            raise UserFacingError("practice.answer_invalid", why="choose one of the options")
        return draft.choice
    if kind == "multiple":
        if not draft.choices:
            return None
        if not all(0 <= c < len(question.options) for c in draft.choices):
            raise UserFacingError("practice.answer_invalid", why="choose among the options")
        return sorted(set(draft.choices))
    if kind == "true_false":
        return draft.truth
    if kind == "fill":
        if draft.blanks is None or not any(b.strip() for b in draft.blanks):
            return None
        if len(draft.blanks) != len(question.key):
            raise UserFacingError("practice.answer_invalid", why=f"{len(question.key)} blanks")
        return [clean_text(b)[:grading.MAX_BLANK] for b in draft.blanks]
    text = (draft.number or "").strip()
    if not text:
        return None
    try:
        grading.parse_number(text)
    except grading.NumberRefused as refused:
        raise refuse_number(text, refused) from None
    return "".join(clean_text(text).split())[:grading.MAX_NUMBER_CHARS]


def _open_for_change(attempt: PracticeAttempt) -> None:
    """Lock the attempt while it is open (the submit takes the same lock), else refuse: a late save never
    lands after the grades."""
    if not PracticeAttempt.objects.select_for_update().filter(pk=attempt.pk, state=PracticeAttempt.State.OPEN).exists():
        raise UserFacingError("practice.already_submitted")


def _store(attempt: PracticeAttempt, responses: dict[int, object]) -> None:
    now = timezone.now()
    cleared = [q for q, r in responses.items() if r is None]
    kept = [PracticeAnswer(school_id=attempt.school_id, attempt=attempt, question_id=q, response=r, saved_at=now)
            for q, r in responses.items() if r is not None]
    if cleared:
        PracticeAnswer.objects.filter(school_id=attempt.school_id, attempt=attempt, question_id__in=cleared).delete()
    if kept:
        PracticeAnswer.objects.bulk_create(kept, update_conflicts=True,
                                           unique_fields=["school_id", "attempt", "question"],
                                           update_fields=["response", "saved_at"])


def save_answer(actor: Actor, attempt_id: int, question_id: int, draft: AnswerDraft) -> object:
    """Save one answer as typed; the same answer sent again changes nothing. Saved answers are not audited one
    by one (the submit is); the stored response is returned."""
    attempt = selectors.attempt_for_student(actor, attempt_id)
    if attempt.state != PracticeAttempt.State.OPEN:
        raise UserFacingError("practice.already_submitted")
    question = next((q for q in selectors.paper_questions(attempt.paper) if q.pk == question_id), None)
    if question is None:
        raise UserFacingError("practice.question_not_in_paper")
    response = response_of(question, draft)
    with transaction.atomic():
        _open_for_change(attempt)
        _store(attempt, {question.pk: response})
    return response


@dataclass
class Submitted:
    attempt: PracticeAttempt
    graded_now: bool  # False: it had been submitted before, and nothing was counted again
    questions: list[PracticeQuestion] | None = None  # graded now: what was graded, so the answer needs no re-read
    saved: dict[int, object] | None = None
    rows: list[selectors.GradedRow] | None = None


def submit(actor: Actor, attempt_id: int, answers: dict[int, AnswerDraft] | None = None) -> Submitted:
    """Grade every question of the paper at once (the last answers may come along) and end the attempt.

    The attempt leaves the open state first (a conditional UPDATE, which waits for a save in flight to
    commit and refuses the ones after it), then the saved answers are read once, merged with the ones sent
    along, graded, and inserted with one statement; the sent answers are graded and kept with the grades, not
    saved as drafts first."""
    attempt = selectors.attempt_for_student(actor, attempt_id)
    if attempt.state != PracticeAttempt.State.OPEN:
        return Submitted(attempt, False)
    questions = selectors.paper_questions(attempt.paper)
    by_id = {q.pk: q for q in questions}
    last: dict[int, object] = {}
    for question_id, draft in (answers or {}).items():
        if question_id not in by_id:
            raise UserFacingError("practice.question_not_in_paper")
        last[question_id] = response_of(by_id[question_id], draft)
    now = timezone.now()
    with transaction.atomic():
        moved = PracticeAttempt.objects.filter(pk=attempt.pk, state=PracticeAttempt.State.OPEN).update(
            state=PracticeAttempt.State.SUBMITTED, submitted_at=now, total=len(questions))
        if not moved:  # another submit of the same attempt won: it graded, this one counts nothing
            attempt.refresh_from_db()
            return Submitted(attempt, False)
        saved = {**selectors.saved_answers(attempt), **last}
        saved = {pk: response for pk, response in saved.items() if response is not None}
        graded = {q.pk: grading.grade(q.kind, q.key, saved.get(q.pk)) for q in questions}
        correct = sum(g.correct for g in graded.values())
        PracticeGrade.objects.bulk_create([
            PracticeGrade(school_id=attempt.school_id, attempt=attempt, student_id=attempt.student_id, question_id=pk,
                          response=saved.get(pk), shown=g.shown, correct=g.correct, graded_at=now)
            for pk, g in graded.items()])
        PracticeAttempt.objects.filter(pk=attempt.pk).update(correct=correct)
        audit.record(actor, "practice.submit", attempt, {"paper": attempt.paper_id, "number": attempt.number,
                                                         "correct": correct, "total": len(questions)},
                     school_id=attempt.school_id)
    attempt.state, attempt.submitted_at, attempt.correct, attempt.total = (
        PracticeAttempt.State.SUBMITTED, now, correct, len(questions))
    rows = [selectors.GradedRow(n, q, saved.get(q.pk), graded[q.pk].shown, graded[q.pk].correct,
                                grading.shown_key(q.kind, q.key)) for n, q in enumerate(questions, 1)]
    return Submitted(attempt, True, questions, saved, rows)


# Personalised learning (RES-1): practise my weak points ------------------------------------------------

def practise_weak_points(actor: Actor, points: list[str] | None = None) -> PracticeAttempt:
    """A personal paper of questions on the student's weak knowledge points (those of their wrong answers,
    or the ones chosen), questions never answered right first; its attempt is opened at once."""
    weak = [p for p, _ in selectors.weak_points(actor)]
    if not weak:
        raise UserFacingError("practice.no_weak_points")
    chosen = [p for p in (points or []) if p in weak] or weak
    questions = selectors.questions_on_points(actor, chosen, WEAK_SET_SIZE)
    if not questions:
        raise UserFacingError("practice.no_questions_for_points")
    student, class_id = selectors.student_place(actor)
    school_id = min(actor.scope.school_ids)
    with transaction.atomic():
        paper = PracticePaper.objects.create(school_id=school_id, kind=PracticePaper.Kind.PERSONAL, student_id=student,
                                             title="、".join(chosen)[:100], created_by=actor.account)
        PracticePaperQuestion.objects.bulk_create([PracticePaperQuestion(school_id=school_id, paper=paper,
                                                                         question=q, position=n)
                                                   for n, q in enumerate(questions, 1)])
        attempt = PracticeAttempt.objects.create(school_id=school_id, paper=paper, student_id=student,
                                                 class_id=class_id, number=1)
        audit.record(actor, "practice.weak_points", paper, {"points": chosen, "questions": len(questions)},
                     school_id=school_id)
    return attempt
