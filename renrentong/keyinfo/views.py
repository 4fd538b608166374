"""Key information pages (KEY-1..KEY-3): the school's completion table and approval queue, class lists,
one student's numbers (edited at once by the school, proposed by the student or a parent), the
side-by-side approval, the incomplete export and the registry comparison. Thin: parse, call, render.
A refusal is rendered by RefusalMiddleware, or beside the typed form by @on_refusal."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from renrentong.accounts.selectors import children_of
from renrentong.accounts.privacy.services import reveal_id_number, reveal_national_student_number
from renrentong.core.errors import UserFacingError
from renrentong.core.web.forms import valid
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.core.web.tables import EXPORT_LIMIT, Column, Table, TableRequest, page_of, xlsx_response

from renrentong.keyinfo import access
from renrentong.keyinfo import services as keyinfo
from renrentong.keyinfo.forms import DecisionForm, KeyInfoForm, SchoolForm


@login_required
def keyinfo_page(request: HttpRequest) -> HttpResponse:
    """School admins: completion per class, waiting requests, export, registry. Students: their own page.
    Parents: their children."""
    actor = request.actor
    if access.is_student(actor) and actor.account.person_id:
        return redirect("keyinfo:person", person_id=actor.account.person_id)
    if access.is_parent(actor):
        return render(request, "keyinfo/children.html", {"children": children_of(actor)})
    if access.follows_schools_below(actor) and not request.GET.get("school_id"):
        return _schools_page(request)
    return _school_page(request)


def _school_columns() -> list[Column]:
    return [Column("name", _("School"), sort="name"), Column("district", _("District"), sort="code")]


def _schools_page(request: HttpRequest) -> HttpResponse:
    """A region admin's schools, paged: the way into each school's completion table."""
    asked = TableRequest.read(request.GET, _school_columns(), "code")
    schools = keyinfo.schools_listed(request.actor, sort=asked.sort)
    if request.GET.get("export") == "xlsx":
        rows = [[s.name, s.code, s.district.name] for s in schools[:EXPORT_LIMIT]]
        keyinfo.record_export(request.actor, "schools", rows=len(rows))
        return xlsx_response(_("Schools"), [_("School"), _("Code"), _("District")], rows)
    table = Table.build(_school_columns(), asked, page_of(schools, asked.page, asked.size), {}, name="schools",
                        unit=_("schools"), empty=_("No schools yet. The region admin adds them under Structure."))
    table.export_url = table.link(export="xlsx", page="")
    return render(request, "keyinfo/schools.html", {"schools": table.rows, "table": table})

# The completion table's orders: the classes in grade order (as the service gives them), or by a count.
COMPLETION_SORTS = {"total": "total", "missing": "missing", "waiting": "waiting", "complete": "complete"}


def _completion_columns() -> list[Column]:
    return [Column("class", _("Class"), sort="class"), Column("total", _("Students"), sort="total"),
            Column("complete", _("Complete"), sort="complete"), Column("missing", _("Missing"), sort="missing"),
            Column("waiting", _("Waiting"), sort="waiting")]


def _sorted(items: list, sort: str, keys: dict[str, str]) -> list:
    """A bounded list (one school's classes, one class's students) in the asked order; stable, so that
    equal rows keep the service's order."""
    key = keys.get(sort.removeprefix("-"))
    if key:
        items = sorted(items, key=lambda item: getattr(item, key))
    return list(reversed(items)) if sort.startswith("-") else items


def _school_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    school_id = valid(SchoolForm(request.GET))["school_id"]
    school, classes, total = keyinfo.completion(actor, school_id)
    is_admin = access.can_decide(actor)
    asked = TableRequest.read(request.GET, _completion_columns(), "class")
    classes = _sorted(classes, asked.sort, COMPLETION_SORTS)
    if request.GET.get("export") == "xlsx" and error is None:
        rows = [[c.name, c.total, c.complete, c.missing, c.waiting] for c in classes]
        keyinfo.record_export(actor, "completion", rows=len(rows), school=school)
        return xlsx_response(_("Key information completion"), [c.label for c in _completion_columns()], rows)
    kept = {"school_id": school.pk} if not is_admin else {}
    table = Table.build(_completion_columns(), asked, page_of(classes, asked.page, asked.size), kept,
                        name="class-completion", unit=_("classes"),
                        empty=_("No students enrolled yet. The school admin imports a roster."))
    table.export_url = table.link(export="xlsx", page="")
    return render_page(request, "keyinfo/school.html", {
        "school": school, "classes": table.rows, "table": table, "total": total,
        "pending": keyinfo.pending_changes(actor) if is_admin else [],
        "comparisons": keyinfo.recent_comparisons(actor, school), "is_admin": is_admin,
    }, error)


STATES = (("complete", gettext_lazy("Complete")), ("missing", gettext_lazy("Missing")),
          ("waiting", gettext_lazy("Waiting")))


def _class_columns() -> list[Column]:
    return [Column("name", _("Name"), sort="name"), Column("local", _("Local student number")),
            Column("national", _("National student number")), Column("id_number", _("ID number")),
            Column("state", _("State"), sort="state")]


@login_required
def keyinfo_class(request: HttpRequest, class_id: int) -> HttpResponse:
    school_class, students = keyinfo.class_key_info(request.actor, class_id)
    state = str(request.GET.get("state", ""))
    state = state if state in dict(STATES) else ""
    if state:
        students = [s for s in students if s.state == state]
    asked = TableRequest.read(request.GET, _class_columns(), "name")
    students = _sorted(students, asked.sort, {"name": "name", "state": "state"})
    if request.GET.get("export") == "xlsx":
        # The numbers as the page shows them: ID and national student numbers masked.
        names = dict(STATES)
        rows = [[s.name, s.account, s.values["local_student_number"], s.values["national_student_number"],
                 s.values["id_number"], names[s.state]] for s in students]
        keyinfo.record_export(request.actor, "class", rows=len(rows), school=school_class.school,
                              class_id=school_class.pk, state=state)
        return xlsx_response(f"{_('Key information')}-{school_class.display_name()}",
                             [_("Name"), _("Account"), _("Local student number"), _("National student number"),
                              _("ID number"), _("State")], rows)
    table = Table.build(_class_columns(), asked, page_of(students, asked.page, asked.size), {"state": state},
                        name="class-students", unit=_("people"),
                        empty=_("No students in this class yet. The school admin places them in it."),
                        empty_id="class-students-empty")
    table.export_url = table.link(export="xlsx", page="")
    return render(request, "keyinfo/class.html", {"school_class": school_class, "students": table.rows,
                                                  "table": table, "states": STATES, "state": state})


def _person_page(request: HttpRequest, person_id: int, error: UserFacingError | None = None,
                 saved: str | None = None) -> HttpResponse:
    actor = request.actor
    person, enrollment, pending = keyinfo.person_view(actor, person_id)
    values = keyinfo.current_values(person)
    # After a refusal the form shows what was typed; after a save it starts empty again.
    typed = request.POST if error is not None and request.method == "POST" else {}
    return render_page(request, "keyinfo/person.html", {
        "person": person, "enrollment": enrollment, "pending": pending, "saved": saved,
        "rows": [(f, keyinfo.field_name(f), values[f], typed.get(f, "") if str(typed.get(f, "")).strip() else "")
                 for f in keyinfo.FIELDS],
        "is_admin": access.applies_at_once(actor),
    }, error)


@login_required
@on_refusal(_person_page)
def keyinfo_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """One student's numbers; a school admin's save applies at once, anyone else's waits for approval."""
    if request.method != "POST":
        return _person_page(request, person_id)
    form = KeyInfoForm(request.POST)
    valid(form)
    applied = keyinfo.save_key_information(request.actor, person_id, form.changes())
    return _person_page(request, person_id, saved="applied" if applied else "waiting")


def _request_page(request: HttpRequest, change_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    change = keyinfo.change_in_scope(actor, change_id)
    current = keyinfo.current_values(change.person)
    rows = [(row, keyinfo.field_name(row.field), current[row.field])
            for row in sorted(change.fields.all(), key=lambda r: keyinfo.FIELDS.index(r.field))]
    return render_page(request, "keyinfo/request.html", {
        "change": change, "rows": rows, "is_admin": access.can_decide(actor),
    }, error)


@login_required
@on_refusal(_request_page)
def keyinfo_request(request: HttpRequest, change_id: int) -> HttpResponse:
    """The side-by-side approval: each field's platform value beside the proposed one, accept or refuse."""
    if request.method != "POST":
        return _request_page(request, change_id)
    form = DecisionForm(request.POST)
    valid(form)
    keyinfo.decide(request.actor, change_id, form.decisions())
    return redirect("keyinfo:request", change_id=change_id)


@login_required
@require_POST
def keyinfo_reveal(request: HttpRequest, change_id: int, which: str) -> HttpResponse:
    """A full ID number or national student number in place of the masked one (htmx); each read is
    audited (NFR-1). `which`: proposed, current, proposed_national, current_national."""
    actor = request.actor
    if which == "proposed":
        number = keyinfo.reveal_proposed(actor, change_id, "id_number")
    elif which == "proposed_national":
        number = keyinfo.reveal_proposed(actor, change_id, "national_student_number")
    elif which == "current":
        number = reveal_id_number(actor, keyinfo.change_in_scope(actor, change_id).person_id)
    elif which == "current_national":
        number = reveal_national_student_number(actor, keyinfo.change_in_scope(actor, change_id).person_id)
    else:
        raise UserFacingError("request.not_found")
    return HttpResponse(format_html('<span class="code" data-testid="revealed-{}">{}</span>', which, number))


@login_required
def keyinfo_incomplete(request: HttpRequest) -> HttpResponse:
    # Through renrentong.exports: at once for a small school, else a task with a progress page (issue 12).
    from renrentong.exports.responses import export_response
    from renrentong.keyinfo import exporting

    school_id = valid(SchoolForm(request.GET))["school_id"]
    return export_response(request, exporting.incomplete_export, {"school_id": school_id},
                           estimate=exporting.incomplete_size(request.actor, school_id), title=str(exporting.TITLE))


@login_required
@require_POST
@on_refusal(_school_page)
def keyinfo_registry_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        raise UserFacingError("import.file_missing")
    school_id = valid(SchoolForm(request.POST))["school_id"]
    comparison = keyinfo.compare_registry(request.actor, upload.chunks(), upload.name or "registry", school_id)
    return redirect("keyinfo:registry", comparison_id=comparison.pk)


@login_required
def keyinfo_registry(request: HttpRequest, comparison_id: int) -> HttpResponse:
    comparison = keyinfo.comparison_in_scope(request.actor, comparison_id)
    return render(request, "keyinfo/registry.html", {
        "comparison": comparison, "items": keyinfo.comparison_items(comparison),
        "kinds": [(k, keyinfo.MISMATCH_LABELS[k], comparison.counts.get(k, 0)) for k in keyinfo.MISMATCHES],
        "labels": keyinfo.MISMATCH_LABELS,
    })
