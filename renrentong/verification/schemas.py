from datetime import datetime

from ninja import Field

from renrentong.core.schemas import Schema


class OutboxMessageOut(Schema):
    id: int
    created_at: datetime
    to: str = Field(description="The recipient's number, masked")
    account_number: str
    name: str = Field(description="In full for the school's own admin, masked for admins above it")
    purpose: str = Field(description="What the code was for, as a code: recover, login, bind_phone, ...")
    purpose_label: str = Field(description="What the code was for, in the request's language")
    body: str = Field(description="The message as sent, with the code's digits hidden")


class ChallengeOut(Schema):
    token: str = Field(description="Send it back with the code; it is not the code")
    masked_target: str
    expires_at: datetime
    resend_at: datetime


class PhoneOut(Schema):
    bound: bool
    phone: str = Field(description="Masked, e.g. 138****5678")
    required: bool = Field(False, description="The region requires this account to bind a phone before going on")


class PhoneCodeIn(Schema):
    phone: str = Field(max_length=32)


class PhoneBindIn(Schema):
    token: str = Field(max_length=64)
    code: str = Field(max_length=16)
    current_password: str = Field("", max_length=128, description="Required when a phone is already bound")


class PhoneHolderQueryIn(Schema):
    phone: str = Field(max_length=32)


class PhoneHolderOut(Schema):
    account_id: int
    account_number: str
    name: str
    phone: str = Field(description="Masked")
    identities: list[str]
    children: list[str]
