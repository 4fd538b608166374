"""API of online practice (RES-2) and the wrong-answer book (RES-1) under /api/v1/practice/: the same services
and selectors as the pages. Before an attempt is submitted its responses carry no key and no explanation."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.core.schemas import ERRORS, MAX_ID
from renrentong.core.web.downloads import download
from renrentong.exports import services as exports
from renrentong.exports.responses import EXPORT_RESPONSES, file_or_job
from renrentong.resources.practice import access, exporting, selectors, services
from renrentong.resources.practice.schemas import (
    PracticeAnswerIn, PracticeAnswerSavedOut, PracticeAttemptOut, PracticeAttemptSummaryOut, PracticeClassResultsOut,
    PracticeCountOut, PracticeGradedOut, PracticePaperIn, PracticePaperOut, PracticePaperQuestionsIn,
    PracticePublicationOut, PracticePublishIn, PracticeQuestionIn, PracticeQuestionOut, PracticeQuestionResultOut,
    PracticeStudentPaperOut, PracticeSubmitIn, PracticeTakerQuestionOut, PracticeWeakIn, PracticeWeakPointOut,
    PracticeWrongGroupOut, PracticeWrongOut,
)

router = Router(tags=["practice"])
ObjectId = Path(..., ge=1, le=MAX_ID)


def question_out(actor, q) -> PracticeQuestionOut:
    chapter = q.chapter
    return PracticeQuestionOut(
        id=q.pk, school_id=q.school_id, region_id=q.region_id, shared=q.shared, chapter_id=q.chapter_id,
        chapter=f"{chapter.textbook} · {chapter.number} {chapter.title}", subject=q.subject, kind=q.kind, stem=q.stem,
        options=q.options, key=q.key, knowledge_points=q.knowledge_points, explanation=q.explanation,
        retired=q.retired_at is not None, editable=access.may_edit_question(actor, q))


def _draft(body: PracticeQuestionIn) -> services.QuestionDraft:
    return services.QuestionDraft(**body.dict())


def _answer(body: PracticeAnswerIn) -> services.AnswerDraft:
    return services.AnswerDraft(choice=body.choice, choices=body.choices, truth=body.truth, blanks=body.blanks,
                                number=body.number)


def summary_out(a) -> PracticeAttemptSummaryOut:
    return PracticeAttemptSummaryOut(id=a.pk, number=a.number, state=a.state, started_at=a.started_at,
                                     submitted_at=a.submitted_at, correct=a.correct, total=a.total)


def attempt_out(attempt, questions=None, saved=None, rows=None) -> PracticeAttemptOut:
    """An attempt; a submit that graded just now passes what it graded, so nothing is read again."""
    graded = None
    if attempt.state == "submitted":
        rows = rows if rows is not None else selectors.graded_rows(attempt)
        # After submit, what was graded is what counts (answers sent with the submit included).
        saved = {r.question.pk: r.response for r in rows if r.response is not None}
        graded = [PracticeGradedOut(question_id=r.question.pk, number=r.number, kind=r.question.kind,
                                    stem=r.question.stem, options=r.question.options, response=r.response,
                                    your_answer=r.shown, correct=r.correct, right_answer=r.right_answer,
                                    explanation=r.question.explanation) for r in rows]
    else:
        questions = questions if questions is not None else selectors.paper_questions(attempt.paper)
    saved = saved if saved is not None else selectors.saved_answers(attempt)
    return PracticeAttemptOut(
        id=attempt.pk, paper_id=attempt.paper_id, title=attempt.paper.title, number=attempt.number,
        state=attempt.state, started_at=attempt.started_at, submitted_at=attempt.submitted_at,
        correct=attempt.correct, total=attempt.total,
        questions=[] if graded is not None else [PracticeTakerQuestionOut(**t.__dict__)
                                                 for t in selectors.taker_questions(questions)],
        saved={str(k): v for k, v in saved.items()}, graded=graded)


# The question bank (teachers, region admins) --------------------------------------------------------------

@router.get("/questions", response={200: list[PracticeQuestionOut], **ERRORS},
            summary="The question bank I may use: my school's, the district's shared ones, my regions'")
def questions(request: HttpRequest, chapter_id: int | None = Query(None, ge=1, le=MAX_ID),
              point: str = Query("", max_length=64), kind: str = Query("", max_length=12),
              retired: bool = False):
    actor = request.auth
    return [question_out(actor, q) for q in selectors.bank(actor, chapter_id=chapter_id, point=point, kind=kind,
                                                           retired=retired)[:500]]


@router.get("/questions.xlsx", response=EXPORT_RESPONSES,
            summary="The same bank as .xlsx with the same filters: at once, or a task (202) for a long one")
def questions_export(request: HttpRequest, chapter_id: int | None = Query(None, ge=1, le=MAX_ID),
                     point: str = Query("", max_length=64), kind: str = Query("", max_length=12)):
    actor = request.auth
    params = exporting.bank_params(chapter_id=chapter_id, kind=kind, point=point)
    return file_or_job(actor, exporting.bank_export, params, estimate=exporting.bank_size(actor, params),
                       title=str(exporting.BANK_TITLE))


@router.post("/questions", response={201: PracticeQuestionOut, **ERRORS}, summary="Add a question to my bank")
def create_question(request: HttpRequest, body: PracticeQuestionIn):
    question = services.create_question(request.auth, _draft(body))
    return Status(201, question_out(request.auth, selectors.question_for_keeper(request.auth, question.pk)))


@router.get("/questions/{question_id}", response={200: PracticeQuestionOut, **ERRORS}, summary="A question")
def question(request: HttpRequest, question_id: int = ObjectId):
    return question_out(request.auth, selectors.question_for_keeper(request.auth, question_id))


@router.put("/questions/{question_id}", response={200: PracticeQuestionOut, **ERRORS},
            summary="Edit a question of my own bank")
def edit_question(request: HttpRequest, body: PracticeQuestionIn, question_id: int = ObjectId):
    services.update_question(request.auth, question_id, _draft(body))
    return question_out(request.auth, selectors.question_for_keeper(request.auth, question_id))


@router.post("/questions/{question_id}/retire", response={200: PracticeQuestionOut, **ERRORS},
             summary="Retire a question: out of new papers, kept where used")
def retire_question(request: HttpRequest, question_id: int = ObjectId):
    services.retire_question(request.auth, question_id)
    return question_out(request.auth, selectors.question_for_keeper(request.auth, question_id))


# Papers ---------------------------------------------------------------------------------------------------

def paper_out(actor, paper) -> PracticePaperOut:
    return PracticePaperOut(
        id=paper.pk, title=paper.title, subject=paper.subject, created_at=paper.created_at,
        questions=[question_out(actor, q) for q in selectors.paper_questions(paper)],
        publications=[PracticePublicationOut(class_id=p.class_id, class_name=name, published_at=p.published_at)
                      for p, name in selectors.publications(paper)])


def student_paper_out(found) -> PracticeStudentPaperOut:
    paper = found.paper
    return PracticeStudentPaperOut(id=paper.pk, kind=paper.kind, title=paper.title, subject=paper.subject,
                                   questions=paper.items.count(), attempts=[summary_out(a) for a in found.attempts])


@router.get("/papers", response={200: list[PracticeStudentPaperOut] | list[PracticePaperOut], **ERRORS},
            summary="Students: papers published to my class and my weak-point sets; teachers: my school's papers")
def papers(request: HttpRequest):
    actor = request.auth
    if access.takes_practice(actor):
        return [student_paper_out(p) for p in selectors.papers_for_student(actor)]
    return [paper_out(actor, p) for p in selectors.papers_of_school(actor)[:200]]


@router.post("/papers", response={201: PracticePaperOut, **ERRORS}, summary="Assemble a paper (teachers)")
def create_paper(request: HttpRequest, body: PracticePaperIn):
    return Status(201, paper_out(request.auth, services.create_paper(request.auth, body.title, body.question_ids)))


@router.get("/papers/{paper_id}", response={200: PracticeStudentPaperOut | PracticePaperOut, **ERRORS},
            summary="A paper: a student sees its title and their attempts, a teacher its questions")
def paper(request: HttpRequest, paper_id: int = ObjectId):
    actor = request.auth
    if access.takes_practice(actor):
        return student_paper_out(selectors.paper_for_student(actor, paper_id))
    return paper_out(actor, selectors.paper_for_staff(actor, paper_id))


@router.put("/papers/{paper_id}/questions", response={200: PracticePaperOut, **ERRORS},
            summary="Change a paper's questions (until it is published)")
def paper_questions(request: HttpRequest, body: PracticePaperQuestionsIn, paper_id: int = ObjectId):
    return paper_out(request.auth, services.set_paper_questions(request.auth, paper_id, body.question_ids))


@router.post("/papers/{paper_id}/publications", response={200: PracticeCountOut, **ERRORS},
             summary="Publish to classes I teach; how many classes were new")
def publish(request: HttpRequest, body: PracticePublishIn, paper_id: int = ObjectId):
    return PracticeCountOut(count=services.publish_paper(request.auth, paper_id, body.class_ids))


@router.get("/papers/{paper_id}/classes/{class_id}/results", response={200: PracticeClassResultsOut, **ERRORS},
            summary="A class's first attempts per question: correct rate and common wrong answers")
def results(request: HttpRequest, paper_id: int = ObjectId, class_id: int = ObjectId):
    found = selectors.class_results(request.auth, paper_id, class_id)
    return PracticeClassResultsOut(
        paper_id=found.paper.pk, class_id=found.class_id, class_name=found.class_name, students=found.students,
        submitted=found.submitted,
        questions=[PracticeQuestionResultOut(question_id=r.question.pk, number=r.number, kind=r.question.kind,
                                             stem=r.question.stem, answered=r.answered, correct=r.correct,
                                             correct_rate=r.rate, common_wrong=r.wrong) for r in found.questions])


@router.get("/papers/{paper_id}/classes/{class_id}/results.xlsx", response={200: None, **ERRORS},
            summary="The same results as .xlsx (formula-safe)")
def results_xlsx(request: HttpRequest, paper_id: int = ObjectId, class_id: int = ObjectId):
    name, content = exports.write_now(request.auth, exporting.results_export, exporting.params(paper_id, class_id))
    return download(content, name)


# Taking a paper (students) ---------------------------------------------------------------------------------

@router.post("/papers/{paper_id}/attempts", response={200: PracticeAttemptOut, **ERRORS},
             summary="Open my attempt: the open one with its saved answers, or a new one")
def open_attempt(request: HttpRequest, paper_id: int = ObjectId):
    return attempt_out(services.open_attempt(request.auth, paper_id))


@router.get("/attempts/{attempt_id}", response={200: PracticeAttemptOut, **ERRORS},
            summary="An attempt: its questions and saved answers; once submitted, each answer graded")
def attempt(request: HttpRequest, attempt_id: int = ObjectId):
    return attempt_out(selectors.attempt_for_student(request.auth, attempt_id))


@router.put("/attempts/{attempt_id}/answers/{question_id}", response={200: PracticeAnswerSavedOut, **ERRORS},
            summary="Save one answer as typed (sending it again changes nothing; empty clears it)")
def save_answer(request: HttpRequest, body: PracticeAnswerIn, attempt_id: int = ObjectId,
                question_id: int = ObjectId):
    response = services.save_answer(request.auth, attempt_id, question_id, _answer(body))
    return PracticeAnswerSavedOut(question_id=question_id, response=response, saved=response is not None)


@router.post("/attempts/{attempt_id}/submit", response={200: PracticeAttemptOut, **ERRORS},
             summary="Submit: graded at once; a second submit returns the same result and counts nothing")
def submit(request: HttpRequest, body: PracticeSubmitIn, attempt_id: int = ObjectId):
    answers = {item.question_id: _answer(item) for item in body.answers}
    done = services.submit(request.auth, attempt_id, answers)
    return attempt_out(done.attempt, done.questions, done.saved, done.rows)


# The wrong-answer book and weak points (RES-1) ----------------------------------------------------------------

@router.get("/wrong-answers", response={200: list[PracticeWrongGroupOut], **ERRORS},
            summary="My wrong-answer book (错题本), by chapter or by knowledge point")
def wrong_answers(request: HttpRequest, by: str = Query("chapter", pattern="^(chapter|point)$")):
    return [PracticeWrongGroupOut(label=g.label, entries=[
        PracticeWrongOut(question_id=e.question.pk, stem=e.question.stem, kind=e.question.kind, your_answer=e.shown,
                         right_answer=e.right_answer, explanation=e.question.explanation,
                         knowledge_points=e.question.knowledge_points, times_wrong=e.times_wrong)
        for e in g.entries]) for g in selectors.wrong_book(request.auth, by)]


@router.get("/weak-points", response={200: list[PracticeWeakPointOut], **ERRORS},
            summary="My weakest knowledge points, from my wrong answers")
def weak_points(request: HttpRequest):
    return [PracticeWeakPointOut(point=p, wrong=n) for p, n in selectors.weak_points(request.auth)]


@router.post("/weak-points/practice", response={201: PracticeAttemptOut, **ERRORS},
             summary="Practise my weak points: a set of questions on them, opened at once")
def practise_weak_points(request: HttpRequest, body: PracticeWeakIn):
    return Status(201, attempt_out(services.practise_weak_points(request.auth, body.points)))
