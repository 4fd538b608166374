"""Pages: one full phone or ID number revealed in a table cell with a click (issue 12, NFR-1).

The cell is `{% include "accounts/_reveal.html" with person_id=... which="phone"|"id_number" masked=... %}`;
its button POSTs here with htmx and the answer replaces the cell. The number travels only in this
answer's body: never in a URL, a log line or a cache (the answer is marked no-store)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from renrentong.core.errors import UserFacingError

from renrentong.accounts.privacy import services

REVEALS = {"phone": services.reveal_phone, "id_number": services.reveal_id_number}


@never_cache
@login_required
@require_POST
def reveal_fragment(request: HttpRequest, person_id: int, which: str) -> HttpResponse:
    """The full number in place of the masked one; each read is audited by the service. A refusal (not
    an admin, a person out of scope) becomes the error fragment in the cell, with who can help."""
    reveal = REVEALS.get(which)
    if reveal is None:
        raise UserFacingError("request.not_found")
    value = reveal(request.actor, person_id)
    return render(request, "accounts/_reveal.html", {"which": which, "person_id": person_id, "revealed": value})
