"""Pages of evaluation (EVA-1..EVA-3): the growth record (成长记录) in the phone shell, the written records
desk (写实记录: sort, select and submit) in the console, one record's page, the catalogue and the windows.
Parse, call a service or selector, render; the same rows as the API."""

from __future__ import annotations

import functools

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.exports.responses import export_response

from renrentong.evaluation import access, selectors, services
from renrentong.evaluation.progress import exporting as progress_exporting, selectors as progress_selectors
from renrentong.evaluation.scores import selectors as scores_selectors
from renrentong.evaluation.forms import CatalogueActionForm, RecordForm, SortForm, StudentForm, WindowForm, YearForm

MAX_UPLOAD_FILES = services.MAX_FILES


def bounded(view):
    """An id in the path beyond what a row can have names nothing: "not found", never a database overflow."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if any(isinstance(v, int) and v > MAX_ID for v in kwargs.values()):
            raise UserFacingError("evaluation.record_not_found")
        return view(request, *args, **kwargs)

    return wrapped


def on_desk(view):
    """The written records desk is a desk page: the console shell, whoever opens it."""
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        request.console_page = True
        return view(request, *args, **kwargs)

    return wrapped


def _uploads(request: HttpRequest) -> list[tuple[str, bytes]]:
    files = request.FILES.getlist("images")
    if len(files) > MAX_UPLOAD_FILES:
        raise UserFacingError("evaluation.too_many_files", limit=MAX_UPLOAD_FILES)
    return [(f.name, f.read()) for f in files]


def _keeper_context(request: HttpRequest) -> dict:
    """Whose material the page shows (a parent picks a child with ?student=), their records and the items
    they may be filed under."""
    actor = request.actor
    if not access.keeps_material(actor):
        raise UserFacingError("evaluation.not_for_you")
    wanted = StudentForm(request.GET).valid_data()["student"]
    people = selectors.students_of(actor)
    if wanted is None and people:
        wanted = people[0].pk
    student = selectors.student_for(actor, wanted)
    found = list(selectors.records(actor, student.pk))
    school = selectors.place_of(student).school
    catalogue = selectors.catalogue_at_school(school.pk, school.school_year)
    return {"student": student, "children": people if access.is_parent(actor) else [], "records": found,
            "links": selectors.file_links(actor, found), "items": catalogue.uploaded_items(),
            "counts": selectors.counts_by_state(actor, student.pk), "max_images": MAX_UPLOAD_FILES}


def _cards(context: dict) -> list[dict]:
    return [{"record": r, "files": context["links"].get(r.pk, [])} for r in context["records"]]


def _record_draft(request: HttpRequest, data: dict, student_id: int) -> services.RecordDraft:
    return services.RecordDraft(text=data["text"], happened_on=data["happened_on"], kind=data["kind"],
                                title=data["title"], student_id=student_id, item_id=data["item_id"],
                                uploads=_uploads(request), client_key=data["client_key"])


def _with_student(name: str, student_id: int, anchor: str = "") -> str:
    return f"{reverse(name)}?student={student_id}{anchor}"


# The phone's growth record (成长记录) ---------------------------------------------------------------------

def _growth(request: HttpRequest, error: UserFacingError | None = None, form: RecordForm | None = None) -> HttpResponse:
    context = _keeper_context(request)
    if form is None:
        form = RecordForm(request.POST or None, items=context["items"])
    if error is not None:
        form.show_refusal(error)
    progress = progress_selectors.student_progress(request.actor, context["student"].pk)  # the 成长 tab's block (EVA-4)
    scores = scores_selectors.scores_of_student(request.actor, context["student"].pk)[1]  # imported scores (EVA-6)
    return render_page(request, "evaluation/growth.html", {**context, "form": form, "cards": _cards(context),
                                                           "progress": progress, "scores": scores}, error)


@login_required
@on_refusal(_growth)
def growth_page(request: HttpRequest) -> HttpResponse:
    """成长记录: write a record with photos on the phone; the list below is the same store the desk sorts."""
    if request.method != "POST":
        return _growth(request)
    context = _keeper_context(request)
    form = RecordForm(request.POST, items=context["items"])
    if not form.is_valid():
        return _growth(request, form.first_refusal(), form)
    services.create_record(request.actor, _record_draft(request, form.cleaned_data, context["student"].pk))
    return redirect(_with_student("evaluation:growth", context["student"].pk))


# The desk (写实记录: sort, select, submit) ------------------------------------------------------------------

def _desk(request: HttpRequest, error: UserFacingError | None = None, form: RecordForm | None = None) -> HttpResponse:
    request.console_page = True
    context = _keeper_context(request)
    if form is None:
        form = RecordForm(request.POST if request.POST.get("action") == "create" else None, items=context["items"])
    if error is not None:
        form.show_refusal(error)
    windows = selectors.windows_for(request.actor)
    return render_page(request, "evaluation/desk.html", {
        **context, "form": form, "cards": _cards(context), "windows": windows}, error)


@login_required
@on_desk
@on_refusal(_desk)
def desk_page(request: HttpRequest) -> HttpResponse:
    """写实记录 at a desk: every record of the student (from the phone or here), classified under one of the
    uploaded items (遴选), then the chosen ones submitted (上报)."""
    if request.method != "POST":
        if request.GET.get("export") == "xlsx":
            return _desk_export(request)
        return _desk(request)
    actor = request.actor
    context = _keeper_context(request)
    student_id = context["student"].pk
    if request.POST.get("action") == "create":
        form = RecordForm(request.POST, items=context["items"])
        if not form.is_valid():
            return _desk(request, form.first_refusal(), form)
        services.create_record(actor, _record_draft(request, form.cleaned_data, student_id))
        return redirect(_with_student("evaluation:desk", student_id))
    chosen = SortForm(request.POST).valid_data()
    shown = [r for r in context["records"] if r.state == "draft"]
    for record in shown:
        wanted = _item_choice(request.POST.get(f"item_{record.pk}"))
        if wanted is not None and wanted != record.item_id:
            services.update_record(actor, record.pk, services.RecordChange(item_id=wanted))
    if chosen["action"] == "submit":
        services.submit(actor, chosen["record_ids"])
    return redirect(_with_student("evaluation:desk", student_id))


def _desk_export(request: HttpRequest) -> HttpResponse:
    """The desk's list as .xlsx (issue 14 item 10), for the child shown and the state chosen, if any."""
    student_id = StudentForm(request.GET).valid_data()["student"]
    state = request.GET.get("state", "")
    params = {"student_id": student_id, "state": state}
    return export_response(request, progress_exporting.records_export, params, title=str(progress_exporting.RECORDS_TITLE),
                           estimate=progress_exporting.records_size(request.actor, student_id, state))


def _item_choice(value: str | None) -> int | None:
    value = value or ""
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    return int(value) or None


# One record ----------------------------------------------------------------------------------------------

def _items_for(actor, record) -> list:
    """The items a record's form offers: those in use, and the record's own even when it was retired."""
    if not access.keeps_material(actor):
        return []
    items = selectors.catalogue_at_school(record.school_id, record.school_year).uploaded_items()
    if record.item is not None and record.item not in items:
        items.append(record.item)
    return items


def _record(request: HttpRequest, record_id: int, error: UserFacingError | None = None,
            form: RecordForm | None = None) -> HttpResponse:
    actor = request.actor
    record = selectors.record_for(actor, record_id)
    items = _items_for(actor, record)
    if form is None:
        initial = {"kind": record.kind, "title": record.title, "text": record.text,
                   "happened_on": record.happened_on, "item_id": record.item_id}
        form = RecordForm(request.POST or None, items=items, initial=initial)
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "evaluation/record.html", {
        "record": record, "files": selectors.file_links(actor, [record]).get(record.pk, []), "form": form,
        "editable": access.keeps_material(actor) and record.state == "draft",
        "may_withdraw": access.keeps_material(actor) and record.state != "draft",
        "may_reopen": access.may_reopen(actor, record.school_id) and record.state == "approved"
        and record.reopened_at is None,
        "max_images": MAX_UPLOAD_FILES}, error)


@login_required
@bounded
@on_refusal(_record)
def record_page(request: HttpRequest, record_id: int) -> HttpResponse:
    if request.method != "POST":
        return _record(request, record_id)
    actor = request.actor
    record = selectors.record_for(actor, record_id)
    form = RecordForm(request.POST, items=_items_for(actor, record))
    if not form.is_valid():
        return _record(request, record_id, form.first_refusal(), form)
    data = form.cleaned_data
    kept = [f["id"] for f in selectors.file_links(actor, [record]).get(record.pk, [])
            if str(f["id"]) not in request.POST.getlist("drop_file_ids")]
    services.update_record(actor, record_id, services.RecordChange(
        text=data["text"], title=data["title"], kind=data["kind"], happened_on=data["happened_on"],
        item_id=data["item_id"], clear_item=data["item_id"] is None, file_ids=kept, uploads=_uploads(request)))
    return redirect("evaluation:record", record_id)


def _back(request: HttpRequest, student_id: int) -> HttpResponse:
    name = "evaluation:desk" if request.POST.get("next") == "desk" else "evaluation:growth"
    return redirect(_with_student(name, student_id))


@login_required
@bounded
@require_POST
@on_refusal(_record)
def record_delete(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.record_for(request.actor, record_id)
    services.delete_record(request.actor, record_id)
    return _back(request, record.student_id)


def _state_change(service):
    """A POST on one record that changes its state (withdraw, reopen), then back to the record's page."""
    @login_required
    @bounded
    @require_POST
    @on_refusal(_record)
    def view(request: HttpRequest, record_id: int) -> HttpResponse:
        service(request.actor, record_id)
        return redirect("evaluation:record", record_id)

    return view


record_withdraw = _state_change(services.withdraw)
record_reopen = _state_change(services.reopen)


# The catalogue and the windows (console) ---------------------------------------------------------------

def _catalogue(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    if not access.reads_catalogue_page(actor):
        raise UserFacingError("evaluation.not_city_admin")
    year = YearForm(request.GET).valid_data()["year"]
    catalogue = selectors.catalogue_for(actor, year)
    return render_page(request, "evaluation/catalogue.html", {
        "catalogue": catalogue, "years": selectors.school_years(catalogue.city),
        "editable": access.edits_catalogue(actor),
        "uploaded": len(catalogue.uploaded_items()),
        "imported": sum(1 for d in catalogue.dimensions for i in d.items if i.kind == "imported" and not i.retired_at),
    }, error)


@login_required
@on_refusal(_catalogue)
def catalogue_page(request: HttpRequest) -> HttpResponse:
    """The city's dimensions and items for a school year: the city admin edits, admins below read."""
    if request.method != "POST":
        return _catalogue(request)
    actor = request.actor
    data = CatalogueActionForm(request.POST).valid_data()
    action, year = data["action"], data["school_year"]
    if action == "start_year":
        services.start_year(actor, year or 0)
    elif action == "add_dimension":
        year = services.add_dimension(actor, year or 0, data["code"], data["label"]).school_year
    elif action == "rename_dimension":
        year = services.rename_dimension(actor, data["dimension_id"] or 0, data["label"]).school_year
    elif action == "add_item":
        year = services.add_item(actor, data["dimension_id"] or 0, data["code"], data["label"],
                                 data["source"] or "family").school_year
    elif action == "rename_item":
        year = services.rename_item(actor, data["item_id"] or 0, data["label"]).school_year
    else:
        year = services.retire_item(actor, data["item_id"] or 0, retired=action == "retire_item").school_year
    return redirect(f"{reverse('evaluation:catalogue')}?year={year}")


def _windows(request: HttpRequest, error: UserFacingError | None = None, form: WindowForm | None = None) -> HttpResponse:
    actor = request.actor
    if not access.sets_window(actor):
        raise UserFacingError("evaluation.window_not_yours")
    windows = selectors.windows_for(actor)
    mine = windows.city if access.is_city_admin(actor) else windows.school
    if form is None:
        initial = {"opens_on": mine.opens_on, "closes_on": mine.closes_on} if mine else {}
        form = WindowForm(request.POST or None, initial=initial)
    if error is not None:
        form.show_refusal(error)
    return render_page(request, "evaluation/windows.html", {
        "windows": windows, "form": form, "sets_city": access.is_city_admin(actor)}, error)


@login_required
@on_refusal(_windows)
def windows_page(request: HttpRequest) -> HttpResponse:
    """When students and parents may submit: the city admin sets the city's dates, a school admin the school's."""
    if request.method != "POST":
        return _windows(request)
    form = WindowForm(request.POST)
    if not form.is_valid():
        return _windows(request, form.first_refusal(), form)
    data = valid(form)
    services.set_window(request.actor, selectors.windows_for(request.actor).school_year, data["opens_on"],
                        data["closes_on"])
    return redirect("evaluation:windows")
