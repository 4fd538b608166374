"""Pages of the school's review (issue 14 item 4): the review queue and a record's review page (console),
the audited file download, the school admin's reviewers and displays pages, and the public display (公示)
where the school's students, parents and teachers read approved material and object. Parse, call a
service or selector, render."""

from __future__ import annotations


from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.evaluation import selectors as material
from renrentong.evaluation.views import bounded, on_desk  # the pages' one id bound and desk shell
from renrentong.exports.responses import export_response

from renrentong.evaluation.review import access, exporting, selectors, services
from renrentong.evaluation.review.forms import (AppointForm, DecisionForm, DisplayActionForm, DisplayForm, EndForm,
                                                ObjectionFilterForm, ObjectionForm, QueueFilterForm, SettingForm)


def _reviewer(request: HttpRequest):
    actor = request.actor
    if not access.reviews_anything(actor):
        raise UserFacingError("evaluation.review_not_allowed")
    return actor


# The queue ---------------------------------------------------------------------------------------------

def _queue_filter(wanted: dict) -> selectors.QueueFilter:
    state = wanted["state"]
    return selectors.QueueFilter(state=None if state == "any" else state, cohort_id=wanted["grade"],
                                 class_id=wanted["class_id"], item_id=wanted["item_id"])


def _items(actor) -> list:
    school = selectors.school_of(access.remit_of(actor).school_id)
    return material.catalogue_at_school(school.pk, school.school_year).uploaded_items(with_retired=True)


def _link(wanted: dict, **changes) -> str:
    query = {k: v for k, v in {**wanted, **changes}.items() if v not in (None, "")}
    return f"{reverse('evaluation:review')}?{urlencode(query)}"


def _queue(request: HttpRequest, error: UserFacingError | None = None, error_record: int | None = None,
           ) -> HttpResponse:
    actor = _reviewer(request)
    wanted = QueueFilterForm(request.GET).filters()
    found = selectors.queue(actor, _queue_filter(wanted), wanted["before"])
    links = material.file_links(actor, found)
    classes = selectors.class_names(r.class_id for r in found)
    grades, class_choices = selectors.filter_choices(actor)
    rows = [{"record": r, "class_name": classes.get(r.class_id, ""), "files": links.get(r.pk, []),
             "decided_by": selectors.who_decided(r)} for r in found]
    more = found[-1].pk if len(found) == selectors.REVIEW_PAGE else None
    return render_page(request, "evaluation/review/queue.html", {
        "rows": rows, "wanted": wanted, "grades": grades, "classes": class_choices, "items": _items(actor),
        "next_link": _link(wanted, before=more) if more else "", "first_link": _link(wanted, before=None)
        if wanted["before"] else "", "export_link": _link(wanted, before=None, export="xlsx"),
        "manages": access.manages_review(actor), "error_record": error_record,
        "typed_reason": request.POST.get("reason", "") if error_record else "",
        "pending": selectors.pending_count(actor)}, error)


def _queue_on_refusal(request: HttpRequest, error: UserFacingError) -> HttpResponse:
    record_id = request.POST.get("record_id", "")
    return _queue(request, error, int(record_id) if record_id.isdigit() and len(record_id) < 19 else None)


def _outcomes(request: HttpRequest, outcomes) -> None:
    done = sum(1 for o in outcomes if o.decided)
    flash.success(request, _("%(n)s records passed.") % {"n": done})
    for outcome in outcomes:
        if not outcome.decided:
            flash.warning(request, outcome.message)


@login_required
@on_desk
@on_refusal(_queue_on_refusal)
def review_page(request: HttpRequest) -> HttpResponse:
    """审核: the records in the reviewer's remit, filtered by grade, class, item and state; pass one, pass the
    chosen ones, or fail one with a reason; export with the same filters."""
    actor = _reviewer(request)
    if request.method == "POST":
        data = DecisionForm(request.POST).valid_data()
        if data["action"] == "approve_chosen":
            _outcomes(request, services.decide_many(actor, data["record_ids"], True))
        else:
            services.decide(actor, data["record_id"] or 0, data["action"] == "approve", data["reason"])
            flash.success(request, _("Decision saved."))
        return redirect(request.get_full_path())
    if request.GET.get("export") == "xlsx":
        wanted = _queue_filter(QueueFilterForm(request.GET).filters())
        return export_response(request, exporting.review_export, wanted.as_params(),
                               estimate=exporting.review_size(actor, wanted), title=str(exporting.QUEUE_TITLE))
    return _queue(request)


# One record --------------------------------------------------------------------------------------------

def _record(request: HttpRequest, record_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = _reviewer(request)
    record = selectors.record_for_review(actor, record_id)
    return render_page(request, "evaluation/review/record.html", {
        "record": record, "files": material.file_links(actor, [record]).get(record.pk, []),
        "class_name": selectors.class_names([record.class_id]).get(record.class_id, ""),
        "decided_by": selectors.who_decided(record), "typed_reason": request.POST.get("reason", "")}, error)


@login_required
@on_desk
@bounded
@on_refusal(_record)
def review_record_page(request: HttpRequest, record_id: int) -> HttpResponse:
    """One submitted record for its reviewer: its text and files (each opening audited), pass or fail."""
    if request.method == "POST":
        data = DecisionForm(request.POST).valid_data()
        services.decide(_reviewer(request), record_id, data["action"] == "approve", data["reason"])
        flash.success(request, _("Decision saved."))
        return redirect("evaluation:review_record", record_id)
    return _record(request, record_id)


@login_required
@require_GET
@bounded
def review_file(request: HttpRequest, record_id: int, file_id: int) -> HttpResponse:
    """A reviewer opens a file: audited (who, which record, which file), then the signed link."""
    return redirect(services.open_file(request.actor, record_id, file_id))


# Reviewers and the setting (school admin) -------------------------------------------------------------

def _reviewers(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    found = selectors.appointments(actor)
    school_id = actor.identity.school_id
    grades = selectors.grade_choices(school_id)
    classes = selectors.classes_of_school(school_id)
    grade_names = {g.id: g.label for g in grades}
    class_names = {c.pk: c.display_name() for c in classes}
    rows = [{"appointment": a, "teacher": selectors.teacher_name(a.teacher),
             "grades": [grade_names.get(g, "") for g in a.cohort_ids],
             "classes": [class_names.get(c, "") for c in a.class_ids]} for a in found]
    return render_page(request, "evaluation/review/reviewers.html", {
        "rows": rows, "teachers": [(t.pk, selectors.teacher_name(t)) for t in selectors.teachers_of_school(actor)],
        "grades": grades, "classes": [(c.pk, class_names[c.pk]) for c in classes],
        "setting": selectors.setting_of(school_id)}, error)


@login_required
@on_refusal(_reviewers)
def reviewers_page(request: HttpRequest) -> HttpResponse:
    """审核人: the school admin appoints teachers to review (whole school, or classes and grades) and says
    whether class head teachers review their own class."""
    actor = request.actor
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "setting":
            services.set_head_teachers_review(actor, SettingForm(request.POST).valid_data()["head_teachers_review"])
        elif action == "appoint":
            data = AppointForm(request.POST).valid_data()
            services.appoint(actor, data["teacher_id"], services.Remit(data["whole_school"], data["class_ids"],
                                                                       data["grade_ids"]))
        elif action == "end":
            services.end_appointment(actor, EndForm(request.POST).valid_data()["appointment_id"])
        else:
            raise UserFacingError("field.invalid", field="action")
        flash.success(request, _("Saved."))
        return redirect("evaluation:reviewers")
    return _reviewers(request)


# Displays and objections (school admin) ---------------------------------------------------------------

def _displays(request: HttpRequest, error: UserFacingError | None = None, form: DisplayForm | None = None,
              ) -> HttpResponse:
    actor = request.actor
    found = list(selectors.displays_of_school(actor)[:50])
    school_id = actor.identity.school_id
    grades = selectors.grade_choices(school_id)
    if form is None:
        form = DisplayForm(request.POST if request.POST.get("action") == "open" else None, grades=grades)
    if error is not None:
        form.show_refusal(error)
    state = ObjectionFilterForm(request.GET).valid_data()["state"] if ObjectionFilterForm(request.GET).is_valid() else ""
    objections = list(selectors.objections_of_school(actor, state or None)[:200])
    grade_names = {g.id: g.label for g in grades}
    return render_page(request, "evaluation/review/displays.html", {
        "displays": [{"display": d, "running": selectors.is_running(d), "grade": grade_names.get(d.cohort_id, "")}
                     for d in found],
        "form": form, "objections": [{"objection": o, "lodged_by": selectors.person_name(o.lodged_by),
                                      "resolved_by": selectors.person_name(o.resolved_by)} for o in objections],
        "state": state, "export_link": f"{reverse('evaluation:displays')}?{urlencode({'state': state, 'export': 'xlsx'})}",
        "error_objection": request.POST.get("objection_id", "") if error else ""}, error)


@login_required
@on_refusal(_displays)
def displays_page(request: HttpRequest) -> HttpResponse:
    """公示: the school admin opens a display of approved material for a period (whole school or a grade),
    ends it early, and resolves the objections lodged against it; exports the objections."""
    actor = request.actor
    if request.method == "POST":
        if request.POST.get("action") == "open":
            form = DisplayForm(request.POST, grades=selectors.grade_choices(actor.identity.school_id)
                               if access.manages_review(actor) else ())
            if not form.is_valid():
                return _displays(request, form.first_refusal(), form)
            data = form.cleaned_data
            services.open_display(actor, data["title"], data["starts_on"], data["ends_on"], data["grade"])
        else:
            data = DisplayActionForm(request.POST).valid_data()
            if data["action"] == "close":
                services.close_display(actor, data["display_id"] or 0)
            else:
                services.resolve_objection(actor, data["objection_id"] or 0, data["action"] == "uphold", data["note"])
        flash.success(request, _("Saved."))
        return redirect("evaluation:displays")
    if request.GET.get("export") == "xlsx":
        state = ObjectionFilterForm(request.GET).valid_data()["state"]
        return export_response(request, exporting.objections_export, {"state": state},
                               estimate=exporting.objections_size(actor, state), title=str(exporting.OBJECTIONS_TITLE))
    return _displays(request)


# The public display (students, parents, teachers of the school) ---------------------------------------

def _display(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    if not access.sees_displays(actor):
        raise UserFacingError("evaluation.display_not_found")
    shown = []
    for display in selectors.current_displays(actor):
        records = selectors.displayed_records(display)
        classes = selectors.class_names(r.class_id for r in records)
        mine = selectors.my_objections(actor, display)
        shown.append({"display": display, "records": [
            {"record": r, "class_name": classes.get(r.class_id, ""), "mine": mine.get(r.pk)} for r in records]})
    return render_page(request, "evaluation/review/display.html", {
        "shown": shown, "error_record": request.POST.get("record_id", "") if error else "",
        "typed_reason": request.POST.get("reason", "") if error else ""}, error)


@login_required
@on_refusal(_display)
def display_page(request: HttpRequest) -> HttpResponse:
    """公示 for the school's students, parents and teachers: the approved material on display (title, text,
    item, the student's name and class only), and an objection with a reason."""
    if request.method == "POST":
        data = ObjectionForm(request.POST).valid_data()
        services.lodge_objection(request.actor, data["display_id"], data["record_id"], data["reason"])
        flash.success(request, _("Your objection was recorded; the school will look into it."))
        return redirect("evaluation:display")
    return _display(request)
