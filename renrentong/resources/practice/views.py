"""Online practice pages (RES-2, RES-1 personalised learning). Students on the phone: the papers published to
their class, taking one (each answer saved as typed through htmx, so a lost connection loses nothing), the
graded result with right answers and explanations, attempts, the wrong-answer book and "practise my weak
points". Teachers in the console: the question bank, papers and publishing, a class's results per question
with their export."""

from __future__ import annotations

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response
from renrentong.resources.practice import access, exporting, selectors, services
from renrentong.resources.practice.forms import (
    BankFilterForm, PaperForm, PublishForm, QuestionForm, WeakForm, WrongBookForm, answer_from_post, answers_from_post,
)


# Students (phone) -------------------------------------------------------------------------------------------

@login_required
def index(request: HttpRequest) -> HttpResponse:
    """My practice: papers of my class and my weak-point sets, with my attempts."""
    actor = request.actor
    if access.sees_results_at_all(actor):
        return redirect("practice:manage")
    if access.keeps_questions(actor):
        return redirect("practice:bank")
    return render_page(request, "practice/index.html", {"papers": selectors.papers_for_student(actor)})


def _paper_page(request: HttpRequest, paper_id: int, error: UserFacingError | None = None) -> HttpResponse:
    found = selectors.paper_for_student(request.actor, paper_id)
    return render_page(request, "practice/paper.html", {"found": found, "paper": found.paper,
                                                        "max_attempts": services.MAX_ATTEMPTS}, error)


@login_required
def paper(request: HttpRequest, paper_id: int) -> HttpResponse:
    """A paper: my attempts (history) and start, continue or try again."""
    return _paper_page(request, paper_id)


@login_required
@require_POST
@on_refusal(_paper_page)
def start(request: HttpRequest, paper_id: int) -> HttpResponse:
    attempt = services.open_attempt(request.actor, paper_id)
    return redirect("practice:attempt", attempt.pk)


def _attempt_page(request: HttpRequest, attempt_id: int, error: UserFacingError | None = None) -> HttpResponse:
    attempt = selectors.attempt_for_student(request.actor, attempt_id)
    if attempt.state == "submitted":
        return render_page(request, "practice/result.html", {"attempt": attempt,
                                                             "rows": selectors.graded_rows(attempt)}, error)
    return render_page(request, "practice/take.html", {"attempt": attempt, "items": selectors.take_items(attempt)},
                       error)


@login_required
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Taking the paper (answers as saved so far), or, once submitted, each answer graded."""
    return _attempt_page(request, attempt_id)


@login_required
@require_POST
def save(request: HttpRequest, attempt_id: int, question_id: int) -> HttpResponse:
    """htmx: save one answer as typed; the fragment says it is saved (a refusal shows in its place)."""
    response = services.save_answer(request.actor, attempt_id, question_id, answer_from_post(request.POST, question_id))
    return render(request, "practice/_saved.html", {"question_id": question_id, "saved": response is not None})


@login_required
@require_POST
@on_refusal(_attempt_page)
def submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """Submit with the answers as they stand on the page (one typed just now included); every question is
    graded at once; a second submit changes nothing."""
    done = services.submit(request.actor, attempt_id, answers_from_post(request.POST))
    if done.graded_now:
        flash.success(request, _("Submitted: %(correct)s of %(total)s right.") % {
            "correct": done.attempt.correct, "total": done.attempt.total})
    return redirect("practice:attempt", attempt_id)


def _wrong_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    by = valid(WrongBookForm(request.GET))["by"] or "chapter"
    return render_page(request, "practice/wrong.html", {"groups": selectors.wrong_book(actor, by), "by": by,
                                                        "weak": selectors.weak_points(actor)}, error)


@login_required
def wrong(request: HttpRequest) -> HttpResponse:
    """My wrong-answer book (错题本) by chapter or knowledge point, and my weak points."""
    return _wrong_page(request)


@login_required
@require_POST
@on_refusal(_wrong_page)
def practise_weak(request: HttpRequest) -> HttpResponse:
    """Practise my weak points: a set of questions on them, opened at once."""
    points = [p for p, _n in selectors.weak_points(request.actor)]
    chosen = valid(WeakForm(request.POST, points=points))["points"]
    attempt = services.practise_weak_points(request.actor, chosen)
    return redirect("practice:attempt", attempt.pk)


# Teachers (console) --------------------------------------------------------------------------------------------

@login_required
def manage(request: HttpRequest) -> HttpResponse:
    """My school's practice papers, their classes and results."""
    actor = request.actor
    rows = [(p, selectors.publications(p)) for p in selectors.papers_of_school(actor)[:200]]
    return render_page(request, "practice/manage.html", {"rows": rows, "builds": access.builds_papers(actor),
                                                         "keeps": access.keeps_questions(actor)})


@login_required
def bank(request: HttpRequest) -> HttpResponse:
    """The question bank I may use, by chapter, kind and knowledge point; export with the same filters."""
    actor = request.actor
    asked = valid(BankFilterForm(request.GET))
    if request.GET.get("export") == "xlsx":
        params = exporting.bank_params(chapter_id=asked["chapter_id"], kind=asked["kind"], point=asked["point"])
        return export_response(request, exporting.bank_export, params, estimate=exporting.bank_size(actor, params),
                               title=str(exporting.BANK_TITLE))
    questions = list(selectors.bank(actor, chapter_id=asked["chapter_id"], kind=asked["kind"],
                                    point=asked["point"])[:300])
    return render_page(request, "practice/bank.html", {
        "rows": [(q, access.may_edit_question(actor, q)) for q in questions], "chapters": selectors.chapters(actor),
        "asked": asked, "kinds": QuestionForm.base_fields["kind"].choices, "builds": access.builds_papers(actor)})


def _question_page(request: HttpRequest, form: QuestionForm, question=None, error: UserFacingError | None = None):
    return render_page(request, "practice/question_form.html", {"form": form, "question": question}, error)


@login_required
def question_new(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not access.keeps_questions(actor):
        raise UserFacingError("practice.not_a_keeper")
    chapters = selectors.chapters(actor)
    if request.method != "POST":
        return _question_page(request, QuestionForm(chapters=chapters, initial={"kind": "single"}))
    form = QuestionForm(request.POST, chapters=chapters)
    if not form.is_valid():
        return _question_page(request, form, error=UserFacingError("field.invalid", field=next(iter(form.errors))))
    try:
        services.create_question(actor, form.draft())
    except UserFacingError as error:
        return _question_page(request, form, error=error)
    flash.success(request, _("The question was added to the bank."))
    return redirect("practice:bank")


@login_required
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    actor = request.actor
    question = selectors.question_for_keeper(actor, question_id)
    chapters = selectors.chapters(actor)
    if request.method != "POST":
        return _question_page(request, QuestionForm(chapters=chapters, initial=QuestionForm.initial_of(question)),
                              question)
    form = QuestionForm(request.POST, chapters=chapters)
    if not form.is_valid():
        return _question_page(request, form, question, UserFacingError("field.invalid", field=next(iter(form.errors))))
    try:
        if request.POST.get("action") == "retire":
            services.retire_question(actor, question_id)
        else:
            services.update_question(actor, question_id, form.draft())
    except UserFacingError as error:
        return _question_page(request, form, question, error)
    flash.success(request, _("The question was saved."))
    return redirect("practice:bank")


def _paper_form_page(request: HttpRequest, form: PaperForm, questions, error: UserFacingError | None = None):
    return render_page(request, "practice/paper_form.html", {"form": form, "questions": questions}, error)


@login_required
def paper_new(request: HttpRequest) -> HttpResponse:
    """Assemble a paper from the bank, in the order ticked."""
    actor = request.actor
    if not access.builds_papers(actor):
        raise UserFacingError("practice.teachers_only")
    questions = list(selectors.bank(actor)[:300])
    if request.method != "POST":
        return _paper_form_page(request, PaperForm(questions=questions), questions)
    form = PaperForm(request.POST, questions=questions)
    if not form.is_valid():
        return _paper_form_page(request, form, questions,
                                UserFacingError("field.invalid", field=next(iter(form.errors))))
    try:
        made = services.create_paper(actor, form.cleaned_data["title"], form.cleaned_data["question_ids"])
    except UserFacingError as error:
        return _paper_form_page(request, form, questions, error)
    flash.success(request, _("The paper was saved: publish it to your classes."))
    return redirect("practice:paper_manage", made.pk)


def _paper_manage_page(request: HttpRequest, paper_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    found = selectors.paper_for_staff(actor, paper_id)
    return render_page(request, "practice/paper_manage.html", {
        "paper": found, "questions": selectors.paper_questions(found), "publications": selectors.publications(found),
        "classes": selectors.taught_classes(actor)}, error)


@login_required
@on_refusal(_paper_manage_page)
def paper_manage(request: HttpRequest, paper_id: int) -> HttpResponse:
    """A paper's questions with their keys, its classes, and publishing to more classes I teach."""
    if request.method == "POST":
        classes = selectors.taught_classes(request.actor)
        made = services.publish_paper(request.actor, paper_id,
                                      valid(PublishForm(request.POST, classes=classes))["class_ids"])
        flash.success(request, _("Published to %(n)s more classes.") % {"n": made})
        return redirect("practice:paper_manage", paper_id)
    return _paper_manage_page(request, paper_id)


@login_required
def results(request: HttpRequest, paper_id: int, class_id: int) -> HttpResponse:
    """A class's results per question: correct rate and common wrong answers; export."""
    if request.GET.get("export") == "xlsx":
        return export_response(request, exporting.results_export, exporting.params(paper_id, class_id),
                               estimate=1, title=str(exporting.TITLE))
    found = selectors.class_results(request.actor, paper_id, class_id)
    return render_page(request, "practice/results.html", {"found": found})
