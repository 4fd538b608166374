"""Pages: the push outbox (MSG-4), for admins."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from renrentong.push import selectors


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    return render(request, "push/outbox.html", {
        "rows": selectors.outbox(request.actor),
        "refused": not getattr(settings, "RRT_SMS_OUTBOX_ALLOWED", False),
    })
