"""The sender's notice pages (MSG-1): compose with the audience size shown before sending, the sent list,
a sent notice with its progress, recall and correction. Thin: parse with a form, call notices.services
and notices.selectors, render; a refusal re-renders the form with what was typed (@on_refusal)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError
from renrentong.core.web.refusals import on_refusal, render_page
from renrentong.notices import access, selectors, services
from renrentong.notices.forms import AudienceForm, BeforeForm, ComposeForm, CorrectForm, DistrictForm, checked
from renrentong.uploads.services import store_upload

PAGE_SIZE = 20


def _store_files(request: HttpRequest, already: int) -> list[int]:
    """The files picked in the plain file input, stored (type read from content) before the notice; if the
    send is then refused they are carried in the re-rendered form, and the uploads sweep takes the rest."""
    uploads = request.FILES.getlist("files")
    if not uploads:
        return []
    if already + len(uploads) > services.MAX_FILES:
        raise UserFacingError("notices.too_many_files")
    identity = request.actor.identity
    stored = []
    for upload in uploads:
        found = store_upload(request.actor, upload.read(), upload.name, purpose="notice",
                             school_id=identity.school_id, region_id=None if identity.school_id else identity.region_id)
        stored.append(found.pk)
        request.stored_file_ids = [*getattr(request, "stored_file_ids", []), found.pk]
    return stored


def _district(request: HttpRequest) -> int | None:
    form = DistrictForm(request.GET)
    return form.cleaned_data["district"] if form.is_valid() else None


def _compose_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    choices = selectors.compose_choices(actor, _district(request))
    form = ComposeForm(request.POST if request.method == "POST" else None)
    kept_files = []
    if request.method == "POST":
        form.is_valid()
        if error is not None:
            form.show_refusal(error)
        kept = [*(form.cleaned_data.get("file_ids") or []), *getattr(request, "stored_file_ids", [])]
        kept_files = list(selectors.own_files(actor, kept))
    picked = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else {}
    return render_page(request, "notices/compose.html", {
        "form": form, "choices": choices, "kept_files": kept_files, "max_files": services.MAX_FILES,
        "paused_pushes": selectors.paused_pushes(actor),
        "may_urgent": access.may_send_urgent(actor), "addresses_classes": access.addresses_classes(actor),
        "picked_roles": picked.get("roles") or ([] if form.is_bound else ["parent"]),
        "picked_classes": set(picked.get("class_ids") or []), "picked_grades": set(picked.get("grade_ids") or []),
        "picked_schools": set(picked.get("school_ids") or []),
        "picked_districts": set(picked.get("district_ids") or []),
        "homework": choices.homework,
    }, error)


@login_required
@on_refusal(_compose_page)
def compose_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not access.may_send(actor):
        raise UserFacingError("notices.not_allowed")
    if request.method != "POST":
        return _compose_page(request)
    form = checked(ComposeForm(request.POST))
    draft = form.draft([])
    # The audience is checked before files are stored, so a refused audience leaves no file behind.
    services.resolve_audience(actor, draft)
    draft.file_ids = [*draft.file_ids, *_store_files(request, len(draft.file_ids))]
    notice = services.send_notice(actor, draft)
    return redirect(reverse("notices:sent_detail", args=[notice.pk]) + "?sent=1")


@login_required
def audience_fragment(request: HttpRequest) -> HttpResponse:
    """htmx: "about N parents, M students" for the audience chosen so far, or what is wrong with it."""
    actor = request.actor
    form = checked(AudienceForm(request.GET))
    picked = form.audience()
    draft = services.NoticeDraft(title="-", **picked)
    try:
        audience = services.resolve_audience(actor, draft)
        sizes = selectors.audience_size(selectors.today(), roles=audience.roles, class_ids=audience.class_ids,
                                        school_ids=audience.school_ids)
    except UserFacingError as refusal:
        if refusal.code == "notices.not_allowed":
            raise
        return render(request, "notices/_audience_size.html", {"refusal": refusal})
    places = len(audience.class_ids or audience.school_ids or [])
    return render(request, "notices/_audience_size.html", {
        "sizes": sizes, "places": places, "by_class": audience.class_ids is not None,
        "empty": [role for role, n in sizes.items() if n == 0]})


@login_required
def sent_page(request: HttpRequest) -> HttpResponse:
    actor = request.actor
    if not access.may_send(actor):
        raise UserFacingError("notices.not_allowed")
    before = BeforeForm(request.GET)
    before_id = before.cleaned_data["before"] if before.is_valid() else None
    notices = selectors.sent_page(actor, before=before_id, limit=PAGE_SIZE + 1)
    more = len(notices) > PAGE_SIZE
    notices = notices[:PAGE_SIZE]
    return render(request, "notices/sent.html", {
        "notices": [(n, selectors.progress_of(n)) for n in notices],
        "next_before": notices[-1].pk if more else None,
    })


def _detail_page(request: HttpRequest, notice_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    notice = selectors.notice_for_sender(actor, notice_id)
    return render_page(request, "notices/sent_detail.html", {
        "notice": notice, "attachments": selectors.attachments_of(actor, notice),
        "summary": selectors.audience_summary(notice), "progress": selectors.progress_of(notice),
        "may_recall": access.may_recall(actor, notice) and not selectors.is_recalled(notice),
        "may_correct": access.may_correct(actor, notice) and not selectors.is_recalled(notice),
        "just_sent": request.GET.get("sent") == "1", "sender": selectors.sender_shown(notice), "is_sender": access.is_sender(actor, notice),
        "pushes": selectors.push_progress(notice),
    }, error)


@login_required
def sent_detail_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    return _detail_page(request, notice_id)


@login_required
def status_fragment(request: HttpRequest, notice_id: int) -> HttpResponse:
    """htmx: a sent notice's status line, polled while its fan-out runs."""
    notice = selectors.notice_for_sender(request.actor, notice_id)
    return render(request, "notices/_status_line.html", {"notice": notice, "progress": selectors.progress_of(notice)})


def _rerender_detail(request: HttpRequest, notice_id: int, error: UserFacingError) -> HttpResponse:
    if error.code == "notices.not_found":
        raise error
    return _detail_page(request, notice_id, error)


@login_required
@require_POST
@on_refusal(_rerender_detail)
def recall_action(request: HttpRequest, notice_id: int) -> HttpResponse:
    services.recall_notice(request.actor, notice_id)
    return redirect(reverse("notices:sent_detail", args=[notice_id]))


def _correct_page(request: HttpRequest, notice_id: int, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    notice = selectors.notice_for_sender(actor, notice_id)
    if not access.may_correct(actor, notice):
        raise UserFacingError("notices.correct_not_allowed")
    attachments = selectors.attachments_of(actor, notice)
    if request.method == "POST":
        form = CorrectForm(request.POST)
        form.is_valid()
        if error is not None:
            form.show_refusal(error)
        keep = set(form.cleaned_data.get("keep_file_ids") or [])
    else:
        form = CorrectForm(initial={"title": notice.title, "body": notice.body})
        keep = {a.file_id for a in attachments}
    return render_page(request, "notices/correct.html", {
        "notice": notice, "form": form, "attachments": attachments, "keep": keep,
        "max_files": services.MAX_FILES}, error)


@login_required
@on_refusal(_correct_page)
def correct_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    actor = request.actor
    if request.method != "POST":
        return _correct_page(request, notice_id)
    notice = selectors.notice_for_sender(actor, notice_id)
    if not access.may_correct(actor, notice):
        raise UserFacingError("notices.correct_not_allowed")
    form = checked(CorrectForm(request.POST))
    kept = form.cleaned_data.get("keep_file_ids") or []
    added = _store_files(request, len(kept))
    services.correct_notice(actor, notice_id, form.correction(added))
    return redirect(reverse("notices:sent_detail", args=[notice_id]))
