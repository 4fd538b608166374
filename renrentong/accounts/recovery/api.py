"""API of password recovery (AUTH-4) and the second factor at login (login by SMS code: code_login/api.py).

docs/api.md ("Recovery, code login, second factor") describes the sequence of calls.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Status

from renrentong.core.schemas import ERRORS, ErrorOut, Schema

from renrentong.core.web.client import client_address

from renrentong.accounts.login import second_factor
from renrentong.accounts.login.auth import initial_token_auth
from renrentong.accounts.login.schemas import LoginOut, login_out
from renrentong.accounts.login.services import issue_token
from renrentong.accounts.recovery import services as recovery

router = Router(tags=["recovery"])
FLOW_ERRORS = {**ERRORS, 424: ErrorOut}


class RecoveryStartIn(Schema):
    identifier: str = Field(..., max_length=64, description="Account number, bound phone or email (ID and "
                                                            "student numbers also work)")
    destination: int | None = Field(None, ge=0, le=20, description="Index into `destinations` when asked to choose")
    phone: str = Field("", max_length=32, description="Optional with an account number: the phone the user expects "
                                                      "the code on; refused with the bound phone (masked) when it "
                                                      "is not the account's")


class StudentRecoveryIn(Schema):
    name: str = Field(..., max_length=64)
    id_number: str = Field(..., max_length=32)
    school: str = Field(..., max_length=64, description="The school's name or code")
    destination: int | None = Field(None, ge=0, le=20)


class RecoveryCodeSentOut(Schema):
    status: Literal["code_sent", "choose_destination"]
    token: str = ""
    masked_target: str = ""
    expires_at: datetime | None = None
    resend_at: datetime | None = None
    destinations: list[str] = Field(default_factory=list, description="Masked phones to choose from")


class RecoveryCodeIn(Schema):
    token: str = Field(..., max_length=64)
    code: str = Field(..., max_length=16)


class RecoveryAccountOut(Schema):
    id: int
    account_number: str = Field(description="Masked, e.g. 20****01")
    name: str = Field(description="Masked, e.g. 李*明")
    identities: list[str]
    label: str = Field(description="Who the account is to the holder of the phone, e.g. 本人（家长 叶丽娟） or "
                                   "孩子 叶思（一年级1班）")


class RecoveryGrantOut(Schema):
    grant: str
    expires_at: datetime
    accounts: list[RecoveryAccountOut]


class RecoveryResetIn(Schema):
    grant: str = Field(..., max_length=64)
    account_id: int = Field(..., ge=1, le=2**63 - 1)
    new_password: str = Field(..., max_length=128)
    repeat_password: str = Field(..., max_length=128)
    totp_code: str = Field("", max_length=16, description="Only for admins with an authenticator app")


class RecoveryResetOut(Schema):
    account_number: str
    who: str = Field(description="Whose password changed, e.g. 孩子 叶思（一年级1班）")
    must_change_at_next_login: bool = Field(
        False, description="A child's password set by a parent the school has not recorded: the child changes it")


class SecondFactorIn(Schema):
    challenge: str = Field(..., max_length=64)
    method: Literal["totp", "sms"]
    code: str = Field(..., max_length=16)


class SecondFactorChallengeIn(Schema):
    challenge: str = Field(..., max_length=64)


class SecondFactorOut(Schema):
    challenge: str
    methods: list[str]
    masked_phone: str
    code_sent: bool
    expires_at: datetime
    resend_at: datetime | None


class SecondFactorTotpOut(Schema):
    secret: str
    otpauth_uri: str


class SecondFactorTotpIn(Schema):
    code: str = Field(..., max_length=16)


class SecondFactorStatusOut(Schema):
    required: bool
    totp_enrolled: bool
    masked_phone: str


def code_sent_out(result: recovery.CodeSent | recovery.Choices) -> RecoveryCodeSentOut:
    if isinstance(result, recovery.Choices):
        return RecoveryCodeSentOut(status="choose_destination", destinations=result.destinations)
    return RecoveryCodeSentOut(status="code_sent", token=result.token, masked_target=result.masked_target,
                       expires_at=result.expires_at, resend_at=result.resend_at)


def grant_out(grant: recovery.Grant) -> RecoveryGrantOut:
    return RecoveryGrantOut(grant=grant.grant, expires_at=grant.expires_at, accounts=[
        RecoveryAccountOut(**vars(choice)) for choice in recovery.account_choices([a.pk for a in grant.accounts])
    ])


@router.post("/auth/recovery/start", auth=None, response={200: RecoveryCodeSentOut, **FLOW_ERRORS},
             summary="Forgot password, step 1: send a code to the bound phone or email")
def recovery_start(request: HttpRequest, body: RecoveryStartIn):
    return code_sent_out(recovery.start_recovery(body.identifier, source=client_address(request),
                                                 choice=body.destination, phone=body.phone))


@router.post("/auth/recovery/student", auth=None, response={200: RecoveryCodeSentOut, **FLOW_ERRORS},
             summary="Forgot password, step 1 for a student: name, ID number and school; code to a parent's phone")
def recovery_student(request: HttpRequest, body: StudentRecoveryIn):
    return code_sent_out(recovery.start_student_recovery(body.name, body.id_number, body.school,
                                                         source=client_address(request), choice=body.destination))


@router.post("/auth/recovery/verify", auth=None, response={200: RecoveryGrantOut, **ERRORS},
             summary="Forgot password, step 2: confirm the code; lists the accounts it may recover")
def recovery_verify(request: HttpRequest, body: RecoveryCodeIn):
    return grant_out(recovery.verify_recovery(body.token, body.code))


@router.post("/auth/recovery/reset", auth=None, response={200: RecoveryResetOut, **ERRORS},
             summary="Forgot password, step 3: set a new password; ends every session and token of the account")
def recovery_reset(request: HttpRequest, body: RecoveryResetIn):
    account = recovery.reset_password(body.grant, body.account_id, body.new_password, body.repeat_password,
                                      totp_code=body.totp_code)
    return RecoveryResetOut(account_number=account.number, who=account.who,
                            must_change_at_next_login=account.forced_change)


@router.post("/auth/second-factor", auth=None, response={200: LoginOut, **ERRORS},
             summary="Complete a login that answered second_factor.required; returns the bearer token")
def second_factor_complete(request: HttpRequest, body: SecondFactorIn):
    outcome = second_factor.complete(body.challenge, method=body.method, code=body.code, source=client_address(request))
    return login_out(outcome, issue_token(outcome))


@router.post("/auth/second-factor/sms", auth=None, response={200: SecondFactorOut, **FLOW_ERRORS},
             summary="Send (again) the second-factor code to the bound phone")
def second_factor_sms(request: HttpRequest, body: SecondFactorChallengeIn):
    pending = second_factor.send_sms(body.challenge, source=client_address(request))
    return SecondFactorOut(**pending.__dict__)


@router.get("/me/second-factor", auth=initial_token_auth, response={200: SecondFactorStatusOut, **ERRORS},
            summary="Whether my logins need a second factor, and which I have")
def my_second_factor(request: HttpRequest):
    from renrentong.core.masking import mask_phone
    from renrentong.verification.totp import has_totp

    account = request.auth.account
    return SecondFactorStatusOut(required=second_factor.required(account), totp_enrolled=has_totp(account),
                                 masked_phone=mask_phone(account.phone or ""))


@router.post("/me/totp", response={200: SecondFactorTotpOut, **ERRORS},
             summary="Start adding an authenticator app: the secret and otpauth:// URI to scan")
def totp_start(request: HttpRequest):
    secret, uri = second_factor.start_totp(request.auth)
    return SecondFactorTotpOut(secret=secret, otpauth_uri=uri)


@router.post("/me/totp/confirm", response={204: None, **ERRORS},
             summary="Finish adding the authenticator app with the code it shows now")
def totp_confirm(request: HttpRequest, body: SecondFactorTotpIn):
    second_factor.confirm_totp(request.auth, body.code)
    return Status(204, None)
