"""Read receipt pages (MSG-3): the notices I follow, one notice's figures per class or school with the
remind button, a class's unread by name and its spreadsheet."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.core import audit
from renrentong.core.web.forms import IdField, valid
from renrentong.core.web.tables import xlsx_response
from renrentong.notices.receipts import selectors, services


class RemindForm(forms.Form):
    class_id = IdField()


@login_required
def followed(request: HttpRequest) -> HttpResponse:
    return render(request, "notices/receipts/list.html", {"views": selectors.notices_followed(request.actor)})


@login_required
def notice_receipts(request: HttpRequest, notice_id: int) -> HttpResponse:
    receipts = selectors.receipts_of(request.actor, notice_id)
    return render(request, "notices/receipts/notice.html", {
        "receipts": receipts, "notice": receipts.view.notice, "view": receipts.view,
        "sent": receipts.view.sent,
    })


@login_required
def class_unread(request: HttpRequest, notice_id: int, class_id: int) -> HttpResponse:
    view, school_class, readers = selectors.unread_of_class(request.actor, notice_id, class_id)
    return render(request, "notices/receipts/class.html", {
        "view": view, "notice": view.notice, "school_class": school_class,
        "class_name": selectors.class_label(school_class), "readers": readers,
        "sent": view.sent,
    })


@login_required
def class_unread_export(request: HttpRequest, notice_id: int, class_id: int) -> HttpResponse:
    """The unread of a class as a spreadsheet; every cell is text (a name starting with "=" stays a name)."""
    view, school_class, readers = selectors.unread_of_class(request.actor, notice_id, class_id)
    audit.record(request.actor, "notice.unread_export", view.notice, {"class_id": school_class.pk, "rows": len(readers)},
                 school_id=school_class.school_id)
    class_name = selectors.class_label(school_class)
    rows = [[view.notice.title, class_name, r.display, r.role_label] for r in readers]
    return xlsx_response(_("Unread"), [_("Notice"), _("Class"), _("Name"), _("Role")], rows)


@login_required
@require_POST
def remind(request: HttpRequest, notice_id: int) -> HttpResponse:
    class_id = valid(RemindForm(request.POST))["class_id"]
    reminder = services.remind_unread(request.actor, notice_id, class_id)
    messages.success(request, _("Reminded %(n)s unread.") % {"n": reminder.reminded})
    if class_id is not None and request.POST.get("back") == "class":
        return redirect("notices:receipts_class", notice_id, class_id)
    return redirect("notices:receipts", notice_id)
