"""Pages of peer evaluation (学生互评, EVA-5): the student's list of classmates and the rating of one classmate
in the phone shell (成长 tab); the switches and the school's aggregates in the console. Parse, call a service
or selector, render; the same rows as the API."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib import messages as flash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response

from renrentong.evaluation.peer import access, exporting, selectors, services
from renrentong.evaluation.peer.forms import ResultsFilterForm, SwitchForm, criteria_from, grades_from
from renrentong.evaluation.peer.standard import MIN_RATERS, STANDARD_CRITERIA


# The student's pages (phone, 成长 tab) ---------------------------------------------------------------------

@login_required
def classmates_page(request: HttpRequest) -> HttpResponse:
    """同学互评: the classmates of the student's class, each marked rated or not; when rating is closed, which
    switch is off and who turns it on (a catalogue message), the list still shown."""
    found = selectors.standing(request.actor)
    return render_page(request, "evaluation/peer/classmates.html", {"standing": found})


def _classmate(found: selectors.Standing, classmate_id: int) -> selectors.Classmate:
    if classmate_id == found.person.pk:
        raise UserFacingError("evaluation.peer_not_yourself")
    chosen = next((c for c in found.classmates if c.person.pk == classmate_id), None) if classmate_id <= MAX_ID else None
    if chosen is None:
        raise UserFacingError("evaluation.peer_not_classmate")
    return chosen


def _rate_page(request: HttpRequest, classmate_id: int, error: UserFacingError | None = None) -> HttpResponse:
    found = selectors.standing(request.actor)
    chosen = _classmate(found, classmate_id)
    picked = grades_from(request.POST, found.criteria) if request.method == "POST" else {}
    return render_page(request, "evaluation/peer/rate.html", {
        "standing": found, "classmate": chosen, "grades": selectors.GRADE_CHOICES, "picked": picked}, error)


@login_required
@on_refusal(_rate_page)
def rate_page(request: HttpRequest, classmate_id: int) -> HttpResponse:
    """Rate one classmate on every criterion (A..D), once: after submitting, the rating is final."""
    if request.method != "POST":
        return _rate_page(request, classmate_id)
    found = selectors.standing(request.actor)
    _classmate(found, classmate_id)
    services.rate(request.actor, classmate_id, grades_from(request.POST, found.criteria))
    flash.success(request, _("Your rating was submitted. It stays anonymous: nobody sees who rated whom."))
    return redirect("evaluation:peer")


# The switches (console) -----------------------------------------------------------------------------------

def _switches_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    if not access.sets_switch(actor):
        raise UserFacingError("evaluation.peer_switch_not_yours")
    found = selectors.switches_for(actor)
    context = {"switches": found, "sets_city": access.sets_city_switch(actor),
               "mine": found.city if access.sets_city_switch(actor) else found.school}
    if access.sets_criteria(actor):
        criteria = selectors.city_criteria(actor, found.school_year)
        if request.method == "POST" and "label_0" in request.POST:  # shown again as typed, with the refusal
            rows = criteria_from(request.POST, CRITERIA_ROWS)
        else:
            rows = [(c.label, c.hint) for c in criteria.criteria] or [(label, hint) for _, label, hint in STANDARD_CRITERIA]
        context["criteria"] = criteria
        context["criteria_rows"] = [(n, *row) for n, row in enumerate(rows + [("", "")] * (CRITERIA_ROWS - len(rows)))]
    return render_page(request, "evaluation/peer/switches.html", context, error)


@login_required
@on_refusal(_switches_page)
def switches_page(request: HttpRequest) -> HttpResponse:
    """学生互评开关: the city admin turns the city's on or off, a school admin the school's."""
    if request.method != "POST":
        return _switches_page(request)
    on = SwitchForm(request.POST).valid_data()["on"] == "1"
    services.set_switch(request.actor, selectors.switches_for(request.actor).school_year, on)
    return redirect("evaluation:peer_switches")


CRITERIA_ROWS = services.MAX_CRITERIA


@login_required
@on_refusal(_switches_page)
def criteria_page(request: HttpRequest) -> HttpResponse:
    """互评项目: the city admin names the year's criteria and their hints, in order, until the first rating."""
    if request.method != "POST":
        return redirect("evaluation:peer_switches")
    year = selectors.switches_for(request.actor).school_year
    services.set_criteria(request.actor, year, criteria_from(request.POST, CRITERIA_ROWS))
    flash.success(request, _("The criteria were saved."))
    return redirect("evaluation:peer_switches")


# The school's aggregates (console) -------------------------------------------------------------------------

def _results_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    asked = ResultsFilterForm(request.GET).valid_data()
    found = selectors.results(request.actor, asked["year"], asked["grade"], asked["klass"])
    return render_page(request, "evaluation/peer/results.html", {
        "results": found, "asked": asked, "min_raters": MIN_RATERS,
        "query": request.GET.urlencode()}, error)


@login_required
@on_refusal(_results_page)
def results_page(request: HttpRequest) -> HttpResponse:
    """互评汇总: per student and criterion, how many classmates rated them and the grades' counts and average,
    filtered by grade and class; exported with the same filters."""
    if request.GET.get("export") == "xlsx":
        asked = ResultsFilterForm(request.GET).valid_data()
        found = selectors.results(request.actor, asked["year"], asked["grade"], asked["klass"])
        return export_response(request, exporting.results_export,
                               exporting.params(asked["year"], asked["grade"], asked["klass"]),
                               estimate=len(found.rows), title=str(exporting.TITLE))
    return _results_page(request)


