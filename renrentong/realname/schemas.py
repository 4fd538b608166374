from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import field_validator
from ninja import Field

from renrentong.core.schemas import MAX_ID, Schema


class VerifyIn(Schema):
    role: Literal["teacher", "student", "parent"] = Field(
        ..., description="Verify as this teacher or student, or as a parent of this student")
    name: str = Field(..., max_length=64)
    id_number: str = Field(..., max_length=32)
    number: str = Field("", max_length=32, description="Teacher certificate number or student number")
    continue_at_other_school: bool = Field(
        False, description="Verify even though the record is at another school than the account's (then request "
                           "a transfer)")


class BindingOut(Schema):
    id: int
    role: str
    name: str
    id_number: str = Field(description="Masked")
    school_id: int
    school: str
    created_at: datetime
    ended_at: datetime | None
    end_reason: str


class EntryIn(Schema):
    role: Literal["teacher", "student"]
    name: str = Field(..., max_length=64)
    id_number: str = Field(..., max_length=32)
    number: str = Field("", max_length=32)
    class_name: str = Field("", max_length=32, description="Grade and class, e.g. 三年级1班; students only")
    school_id: int | None = Field(None, ge=1, description="Region admins name the school")


class EntryPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=64)
    # Accepted only to be refused with the way to replace an ID number (never silently ignored).
    id_number: str | None = Field(None, max_length=32, description="Refused: replace the ID number instead")


class ReplaceIn(Schema):
    id_number: str = Field(..., max_length=32)
    name: str = Field("", max_length=64, description="Optional corrected name for the new record")


class EntryOut(Schema):
    id: int
    school_id: int
    role: str
    name: str
    id_number: str = Field(description="Masked")
    number: str
    class_id: int | None
    class_name: str
    class_exists: bool
    retired: bool
    replaced_by: int | None
    verified_by: str = Field(description="Account number of the account verified with it, if any")


class EntryPage(Schema):
    total: int
    page: int
    items: list[EntryOut]


class RealnameIdNumberOut(Schema):
    id_number: str


class EntrySearchIn(Schema):
    q: str = Field("", max_length=64, description="Name (part), a full ID number, a certificate or student number")
    role: str = Field("", max_length=8)
    class_id: int | None = Field(None, ge=1, le=MAX_ID)
    school_id: int | None = Field(None, ge=1, le=MAX_ID)
    retired: bool = False
    page: int = Field(1, ge=1, le=100_000)

    @field_validator("class_id", "school_id", "page", mode="before")
    @classmethod
    def _not_true_or_false(cls, value):
        # Lax parsing reads a JSON true as the number 1 (class 1); schemathesis caught it.
        if isinstance(value, bool):
            raise ValueError("a number, not true or false")
        return value


class HolderQueryIn(Schema):
    id_number: str = Field(..., max_length=32)


class HolderOut(Schema):
    account_number: str
    name: str
    phone: str = Field(description="Masked")
    status: str
    how: Literal["verified", "person"]
    entry_id: int | None


class ImportProblemOut(Schema):
    row: int
    code: str
    message: str
    who_can_fix: str
    created: bool


class ImportOut(Schema):
    created: int
    unchanged: int
    rejected: int
    problems: list[ImportProblemOut]


class CodeIn(Schema):
    phone: str = Field(..., max_length=20)
    school: str = Field("", max_length=128)


class CodeOut(Schema):
    token: str
    masked_phone: str
    expires_at: datetime
    resend_at: datetime


class RegistrationIn(Schema):
    school: str = Field(..., max_length=128, description="School code or full name")
    account_name: str = Field(..., max_length=32, description="6-16 letters or digits, at least one letter")
    name: str = Field(..., max_length=64)
    id_number: str = Field(..., max_length=32)
    phone: str = Field(..., max_length=20)
    password: str = Field(..., max_length=128)
    repeat_password: str = Field(..., max_length=128)
    token: str = Field(..., max_length=64, description="From POST /realname/registration/code")
    code: str = Field(..., max_length=12)


class ApplicantIn(Schema):
    identifier: str = Field(..., max_length=32, description="Account name or phone")
    password: str = Field(..., max_length=128)


class ReapplyIn(ApplicantIn):
    school: str = Field(..., max_length=128)


class ApplicationOut(Schema):
    id: int
    account_name: str
    status: Literal["pending", "approved", "refused"]
    reason: str
    school_id: int
    school: str
    created_at: datetime
    decided_at: datetime | None


class QueueItemOut(ApplicationOut):
    name: str
    id_number: str = Field(description="Masked")
    phone: str = Field(description="Masked")
    in_registry: bool = Field(description="The school's real-name registry lists this ID number as a teacher")


class RealnameRefuseIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200, description="The applicant sees it")


class RealnameSchoolOut(Schema):
    id: int
    code: str
    name: str
