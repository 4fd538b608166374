"""The inbox pages (issue 13 item 2): the list lives on the phone shell's 消息 tab (home:messages, which
renders notices/inbox/_list.html); here are the "more" fragment, the opened notice and its receipt button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from renrentong.notices.inbox import selectors, services


@login_required
def more(request: HttpRequest) -> HttpResponse:
    """The next page of the inbox, appended by htmx below the list (a plain link works without script)."""
    return render(request, "notices/inbox/_items.html", selectors.messages_tab(request.actor, request.GET))


@login_required
def item(request: HttpRequest, notice_id: int) -> HttpResponse:
    """An opened notice; opening it marks it read."""
    entry = services.open_notice(request.actor, notice_id)
    return render(request, "notices/inbox/item.html", {"entry": entry, "notice": entry.notice})


@login_required
@require_POST
def confirm(request: HttpRequest, notice_id: int) -> HttpResponse:
    services.confirm_receipt(request.actor, notice_id)
    messages.success(request, _("Receipt confirmed. The sender sees it."))
    return redirect("notices:inbox_item", notice_id)
