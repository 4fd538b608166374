"""API of login by phone and SMS code (AUTH-6); docs/api.md ("Recovery, code login, second factor")."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Router

from renrentong.core.schemas import ERRORS, Schema
from renrentong.core.web.client import client_address

from renrentong.accounts.code_login import services as code_login
from renrentong.accounts.login.schemas import LoginOut, login_out
from renrentong.accounts.login.services import issue_token
from renrentong.accounts.recovery.api import (
    FLOW_ERRORS, RecoveryCodeIn, RecoveryCodeSentOut, RecoveryGrantOut, code_sent_out, grant_out,
)

router = Router(tags=["recovery"])


class CodeLoginPhoneIn(Schema):
    phone: str = Field(..., max_length=20)


class CodeLoginCompleteIn(Schema):
    grant: str = Field(..., max_length=64)
    account_id: int = Field(..., ge=1, le=2**63 - 1)


@router.post("/auth/code-login/start", auth=None, response={200: RecoveryCodeSentOut, **FLOW_ERRORS},
             summary="Log in by phone and SMS code, step 1: send the code")
def code_login_start(request: HttpRequest, body: CodeLoginPhoneIn):
    return code_sent_out(code_login.start_code_login(body.phone, source=client_address(request), channel="api"))


@router.post("/auth/code-login/verify", auth=None, response={200: RecoveryGrantOut, **ERRORS},
             summary="Log in by code, step 2: confirm the code; lists the accounts the phone may log in as")
def code_login_verify(request: HttpRequest, body: RecoveryCodeIn):
    return grant_out(code_login.verify_code_login(body.token, body.code, source=client_address(request),
                                                channel="api"))


@router.post("/auth/code-login/complete", auth=None, response={200: LoginOut, **FLOW_ERRORS},
             summary="Log in by code, step 3: get a bearer token for one of the accounts")
def code_login_complete(request: HttpRequest, body: CodeLoginCompleteIn):
    outcome = code_login.complete_code_login(body.grant, body.account_id, source=client_address(request), channel="api")
    return login_out(outcome, issue_token(outcome))
