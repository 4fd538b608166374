"""API of phone binding (ACC-8) and the SMS outbox (admins), under /api/v1/verification/ as before.

Codes are requested and confirmed inside the flows that need them (phone binding here; recovery and
login by code in their own rooms); there is deliberately no free-standing "send a code" endpoint.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Path, Query, Router, Status

from renrentong.accounts.phones import services as phones
from renrentong.core.web.client import client_address
from renrentong.core.masking import mask_phone
from renrentong.core.schemas import ERRORS, MAX_ID, ErrorOut
from renrentong.verification.selectors import OUTBOX_PAGE
from renrentong.verification.schemas import (
    ChallengeOut, OutboxMessageOut, PhoneBindIn, PhoneCodeIn, PhoneHolderOut, PhoneHolderQueryIn, PhoneOut,
)

from renrentong.accounts.phones import selectors
from renrentong.accounts.phones.access import must_bind_phone

router = Router(tags=["verification"])
SEND_ERRORS = {**ERRORS, 409: ErrorOut, 424: ErrorOut}


@router.get("/outbox", response={200: list[OutboxMessageOut], **ERRORS},
            summary="Messages of the development SMS outbox to people I answer for (admins)")
def outbox(request: HttpRequest, limit: int = Query(50, ge=1, le=OUTBOX_PAGE)):
    return [OutboxMessageOut(id=r.id, created_at=r.created_at, to=r.masked_target, account_number=r.account_number,
                             name=r.name, purpose=r.purpose, purpose_label=r.purpose_label, body=r.body)
            for r in selectors.outbox(request.auth, limit)]


@router.get("/phone", response={200: PhoneOut, **ERRORS}, summary="My bound phone (masked)")
def my_phone(request: HttpRequest):
    account = request.auth.account
    return PhoneOut(bound=bool(account.phone), phone=mask_phone(account.phone or ""),
                    required=must_bind_phone(request.auth))


@router.post("/phone/code", response={200: ChallengeOut, **SEND_ERRORS},
             summary="Send a code to the phone I want to bind; refused if another account holds it")
def phone_code(request: HttpRequest, body: PhoneCodeIn):
    challenge = phones.request_code(request.auth, body.phone, source=client_address(request))
    return ChallengeOut(token=challenge.token, masked_target=challenge.masked_target,
                        expires_at=challenge.expires_at, resend_at=challenge.resend_at)


@router.post("/phone", response={200: PhoneOut, **SEND_ERRORS},
             summary="Bind or change my phone with the code (a change also needs the current password)")
def bind_phone(request: HttpRequest, body: PhoneBindIn):
    account = phones.bind(request.auth, token=body.token, code=body.code, current_password=body.current_password,
                          source=client_address(request))
    return PhoneOut(bound=True, phone=mask_phone(account.phone))


# POST, though it reads: the phone travels in the body, never in a URL that access logs keep (NFR-1).
@router.post("/phone-holders", response={200: PhoneHolderOut, **ERRORS},
             summary="The account holding a phone, if I answer for it (school and region admins)")
def phone_holder(request: HttpRequest, body: PhoneHolderQueryIn):
    holder = phones.holder_of(request.auth, body.phone)
    return PhoneHolderOut(account_id=holder.account.pk, account_number=holder.account.number, name=holder.name,
                          phone=mask_phone(holder.account.phone), identities=holder.identities,
                          children=holder.children)


@router.delete("/accounts/{account_id}/phone", response={204: None, **ERRORS},
               summary="Unbind the phone of an account I answer for (school and region admins)")
def unbind_phone(request: HttpRequest, account_id: int = Path(..., ge=1, le=MAX_ID)):
    phones.unbind(request.auth, account_id)
    return Status(204, None)
