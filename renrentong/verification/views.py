"""Pages: the SMS outbox (admins), binding one's phone (ACC-8), and unbinding a phone (admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from renrentong.accounts.phones import services as phones
from renrentong.core.web.client import client_address
from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.core.text import parse_number

from renrentong.verification import selectors
from renrentong.verification.middleware import phone_binding_required
from renrentong.verification.models import Challenge

SESSION_CHALLENGE = "phone_challenge"


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    try:
        messages = list(selectors.outbox_messages(request.actor)[:selectors.OUTBOX_PAGE])
    except UserFacingError as exc:
        return render(request, "error.html", {"error": exc}, status=exc.status)
    rows = selectors.outbox_rows(request.actor, messages)
    return render(request, "verification/outbox.html", {"rows": rows})


def _pending(request: HttpRequest) -> Challenge | None:
    token = request.session.get(SESSION_CHALLENGE)
    if not token:
        return None
    challenge = Challenge.objects.filter(token=token, account_id=request.user.pk, used_at__isnull=True).first()
    if challenge is None or challenge.expires_at <= timezone.now() or challenge.voided:
        request.session.pop(SESSION_CHALLENGE, None)
        return None
    return challenge


@login_required
def phone_page(request: HttpRequest) -> HttpResponse:
    """Bind or change one's phone: ask for a code to the new phone, then enter it (and the password)."""
    actor = request.actor
    error = None
    done = request.GET.get("done") == "1"
    new_phone = ""
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "send":
                new_phone = request.POST.get("phone", "")
                challenge = phones.request_code(actor, new_phone, source=client_address(request))
                request.session[SESSION_CHALLENGE] = challenge.token
            elif action == "confirm":
                phones.bind(actor, token=request.session.get(SESSION_CHALLENGE, ""),
                            code=request.POST.get("code", ""),
                            current_password=request.POST.get("current_password", ""),
                            source=client_address(request))
                request.session.pop(SESSION_CHALLENGE, None)
                return redirect(f"{request.path}?done=1")
        except UserFacingError as exc:
            error = exc
    account = request.user
    account.refresh_from_db(fields=["phone"])
    is_admin = bool(actor.identity and actor.identity.kind in phones.UNBINDING_KINDS)
    return render(request, "accounts/phone.html", {
        "error": error, "done": done, "masked_phone": mask_phone(account.phone or ""),
        "has_phone": bool(account.phone), "pending": _pending(request), "new_phone": new_phone,
        "is_admin": is_admin, "required": phone_binding_required(actor),
    }, status=error.status if error else 200)


@login_required
def phone_unbind_page(request: HttpRequest) -> HttpResponse:
    """Admins: find who holds a phone (within their scope) and unbind it (seed 002)."""
    actor = request.actor
    error = None
    holder = None
    unbound = None
    # Looked up by POST: a phone in a query string would sit in every access log (NFR-1).
    phone = request.POST.get("phone", "") if request.method == "POST" else ""
    try:
        if request.method == "POST" and request.POST.get("account_id"):
            account = phones.unbind(actor, parse_number(request.POST.get("account_id")) or 0)
            unbound = account
        elif phone:
            holder = phones.holder_of(actor, phone)
        else:
            phones.check_may_unbind(actor)
    except ValueError:
        error = UserFacingError("scope.not_found")
    except UserFacingError as exc:
        error = exc
    return render(request, "accounts/phone_unbind.html", {
        "error": error, "holder": holder, "unbound": unbound, "phone": phone,
        "masked_phone": mask_phone(holder.account.phone) if holder else "",
    }, status=error.status if error else 200)
