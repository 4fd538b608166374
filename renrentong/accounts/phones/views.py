"""Pages: binding one's phone (ACC-8), unbinding a phone (admins, seed 002), and the SMS outbox (admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from renrentong.core.errors import UserFacingError
from renrentong.core.masking import mask_phone
from renrentong.core.web.client import client_address
from renrentong.core.web.refusals import on_refusal, render_page

from renrentong.accounts.phones import selectors
from renrentong.accounts.phones import services as phones
from renrentong.accounts.phones.access import can_unbind_phones, must_bind_phone
from renrentong.accounts.phones.forms import PhoneBindForm, PhoneCodeForm, PhoneLookupForm, UnbindForm

SESSION_CHALLENGE = "phone_challenge"


@login_required
def outbox_page(request: HttpRequest) -> HttpResponse:
    return render(request, "verification/outbox.html", {"rows": selectors.outbox(request.actor)})


def _phone_page(request: HttpRequest, error: UserFacingError | None = None) -> HttpResponse:
    actor = request.actor
    account = request.user
    account.refresh_from_db(fields=["phone"])
    pending = selectors.pending_challenge(account, request.session.get(SESSION_CHALLENGE))
    if pending is None:
        request.session.pop(SESSION_CHALLENGE, None)
    sending = request.method == "POST" and request.POST.get("action", "") == "send"
    form = PhoneCodeForm(request.POST if sending else None)
    new_phone = form.cleaned_data["phone"] if sending and form.is_valid() else ""
    return render_page(request, "accounts/phone.html", {
        "done": request.GET.get("done") == "1", "masked_phone": mask_phone(account.phone or ""),
        "has_phone": bool(account.phone), "pending": pending, "new_phone": new_phone,
        "is_admin": can_unbind_phones(actor), "required": must_bind_phone(actor),
    }, error)


@login_required
@on_refusal(_phone_page)
def phone_page(request: HttpRequest) -> HttpResponse:
    """Bind or change one's phone: ask for a code to the new phone, then enter it (and the password)."""
    actor = request.actor
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action == "send":
        form = PhoneCodeForm(request.POST)
        form.is_valid()
        challenge = phones.request_code(actor, form.cleaned_data.get("phone", ""), source=client_address(request))
        request.session[SESSION_CHALLENGE] = challenge.token
    elif action == "confirm":
        form = PhoneBindForm(request.POST)
        form.is_valid()
        phones.bind(actor, token=request.session.get(SESSION_CHALLENGE, ""), code=form.cleaned_data.get("code", ""),
                    current_password=form.cleaned_data.get("current_password", ""), source=client_address(request))
        request.session.pop(SESSION_CHALLENGE, None)
        return redirect(f"{request.path}?done=1")
    return _phone_page(request)


def _unbind_page(request: HttpRequest, error: UserFacingError | None = None, holder=None, unbound=None,
                 ) -> HttpResponse:
    # The typed phone is never echoed back into the box (NFR-1: a full number stays out of answers).
    return render_page(request, "accounts/phone_unbind.html", {
        "holder": holder, "unbound": unbound,
        "masked_phone": mask_phone(holder.account.phone) if holder else "",
    }, error)


@login_required
@on_refusal(_unbind_page)
def phone_unbind_page(request: HttpRequest) -> HttpResponse:
    """Admins: find who holds a phone (within their scope) and unbind it (seed 002)."""
    actor = request.actor
    if request.method == "POST" and request.POST.get("account_id"):
        form = UnbindForm(request.POST)
        if not form.is_valid():
            raise UserFacingError("scope.not_found")  # no such account, as for an id out of scope
        return _unbind_page(request, unbound=phones.unbind(actor, form.cleaned_data["account_id"]))
    # Looked up by POST: a phone in a query string would sit in every access log (NFR-1).
    lookup = PhoneLookupForm(request.POST if request.method == "POST" else None)
    phone = lookup.cleaned_data["phone"] if request.method == "POST" and lookup.is_valid() else ""
    if phone:
        return _unbind_page(request, holder=phones.holder_of(actor, phone))
    phones.check_may_unbind(actor)
    return _unbind_page(request)
