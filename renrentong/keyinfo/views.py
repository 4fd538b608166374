"""Key information pages (KEY-1..KEY-3): the school's completion table and approval queue, class lists,
one student's numbers (edited at once by the school, proposed by the student or a parent), the
side-by-side approval, the incomplete export and the registry comparison. Thin: parse, call, render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from renrentong.accounts.models import Identity
from renrentong.accounts.selectors import children_of
from renrentong.accounts.services import reveal_id_number, reveal_national_student_number
from renrentong.core.errors import UserFacingError
from renrentong.core.text import parse_number
from renrentong.orgs.selectors import visible_schools
from renrentong.core.web.downloads import download

from renrentong.keyinfo import services as keyinfo
ADMIN = Identity.Kind.SCHOOL_ADMIN


def _error_page(request: HttpRequest, exc: UserFacingError) -> HttpResponse:
    return render(request, "error.html", {"error": exc}, status=exc.status)


@login_required
def keyinfo_page(request: HttpRequest) -> HttpResponse:
    """School admins: completion per class, waiting requests, export, registry. Students: their own page.
    Parents: their children."""
    actor = request.actor
    kind = actor.identity.kind
    if kind == Identity.Kind.STUDENT and actor.account.person_id:
        return redirect("schooladmin:keyinfo_person", person_id=actor.account.person_id)
    if kind == Identity.Kind.GUARDIAN:
        return render(request, "keyinfo/children.html", {"children": children_of(actor)})
    if kind == Identity.Kind.REGION_ADMIN and not request.GET.get("school_id"):
        return render(request, "keyinfo/schools.html", {"schools": visible_schools(actor)[:500]})
    return _school_page(request, None)


def _school_page(request: HttpRequest, error: UserFacingError | None) -> HttpResponse:
    actor = request.actor
    try:
        school, classes, total = keyinfo.completion(actor, parse_number(request.GET.get("school_id")))
        pending = keyinfo.pending_changes(actor) if actor.identity.kind == ADMIN else []
    except UserFacingError as exc:
        return _error_page(request, exc)
    return render(request, "keyinfo/school.html", {
        "school": school, "classes": classes, "total": total, "pending": pending, "error": error,
        "comparisons": keyinfo.recent_comparisons(actor, school), "is_admin": actor.identity.kind == ADMIN,
    }, status=error.status if error else 200)


@login_required
def keyinfo_class(request: HttpRequest, class_id: int) -> HttpResponse:
    try:
        school_class, students = keyinfo.class_key_info(request.actor, class_id)
    except UserFacingError as exc:
        return _error_page(request, exc)
    return render(request, "keyinfo/class.html", {"school_class": school_class, "students": students})


@login_required
def keyinfo_person(request: HttpRequest, person_id: int) -> HttpResponse:
    """One student's numbers; a school admin's save applies at once, anyone else's waits for approval."""
    actor = request.actor
    error = saved = None
    typed: dict[str, str] = {}
    if request.method == "POST":
        typed = {f: request.POST.get(f, "") for f in keyinfo.FIELDS if request.POST.get(f, "").strip()}
        try:
            if actor.identity.kind == ADMIN:
                keyinfo.update_key_information(actor, person_id, typed)
                saved = "applied"
            else:
                keyinfo.propose_key_information(actor, person_id, typed)
                saved = "waiting"
        except UserFacingError as exc:
            error = exc
        else:
            typed = {}
    try:
        person, enrollment, pending = keyinfo.person_view(actor, person_id)
    except UserFacingError as exc:
        return _error_page(request, exc)
    values = keyinfo.current_values(person)
    return render(request, "keyinfo/person.html", {
        "person": person, "enrollment": enrollment, "pending": pending, "error": error, "saved": saved,
        "rows": [(f, keyinfo.field_name(f), values[f], typed.get(f, "")) for f in keyinfo.FIELDS],
        "is_admin": actor.identity.kind == ADMIN,
    }, status=error.status if error else 200)


@login_required
def keyinfo_request(request: HttpRequest, change_id: int) -> HttpResponse:
    """The side-by-side approval: each field's platform value beside the proposed one, accept or refuse."""
    actor = request.actor
    error = None
    if request.method == "POST":
        decisions = {f: request.POST[f"decision_{f}"] for f in keyinfo.FIELDS if request.POST.get(f"decision_{f}")}
        try:
            keyinfo.decide(actor, change_id, decisions)
        except UserFacingError as exc:
            error = exc
        else:
            return redirect("schooladmin:keyinfo_request", change_id=change_id)
    try:
        change = keyinfo.change_in_scope(actor, change_id)
    except UserFacingError as exc:
        return _error_page(request, exc)
    current = keyinfo.current_values(change.person)
    rows = [(row, keyinfo.field_name(row.field), current[row.field])
            for row in sorted(change.fields.all(), key=lambda r: keyinfo.FIELDS.index(r.field))]
    return render(request, "keyinfo/request.html", {
        "change": change, "rows": rows, "error": error, "is_admin": actor.identity.kind == ADMIN,
    }, status=error.status if error else 200)


@login_required
@require_POST
def keyinfo_reveal(request: HttpRequest, change_id: int, which: str) -> HttpResponse:
    """A full ID number or national student number in place of the masked one (htmx); each read is
    audited (NFR-1). `which`: proposed, current, proposed_national, current_national."""
    actor = request.actor
    try:
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
    except UserFacingError as exc:
        return render(request, "error_fragment.html", {"error": exc}, status=exc.status)
    return HttpResponse(format_html('<span class="code" data-testid="revealed-{}">{}</span>', which, number))


@login_required
def keyinfo_incomplete(request: HttpRequest) -> HttpResponse:
    try:
        school, content = keyinfo.incomplete_export(request.actor, parse_number(request.GET.get("school_id")))
    except UserFacingError as exc:
        return _error_page(request, exc)
    return download(content, f"关键信息未完成名单-{school.name}.xlsx")


@login_required
@require_POST
def keyinfo_registry_upload(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise UserFacingError("import.file_missing")
        comparison = keyinfo.compare_registry(request.actor, upload.chunks(), upload.name or "registry",
                                              parse_number(request.POST.get("school_id")))
    except UserFacingError as exc:
        return _school_page(request, exc)
    return redirect("schooladmin:keyinfo_registry", comparison_id=comparison.pk)


@login_required
def keyinfo_registry(request: HttpRequest, comparison_id: int) -> HttpResponse:
    try:
        comparison = keyinfo.comparison_in_scope(request.actor, comparison_id)
    except UserFacingError as exc:
        return _error_page(request, exc)
    return render(request, "keyinfo/registry.html", {
        "comparison": comparison,
        "kinds": [(k, keyinfo.MISMATCH_LABELS[k], comparison.counts.get(k, 0)) for k in keyinfo.MISMATCHES],
        "labels": keyinfo.MISMATCH_LABELS,
    })
