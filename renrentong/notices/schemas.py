"""API types of the sender's notice endpoints (MSG-1)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema

Role = Literal["parent", "student", "teacher"]


class NoticeIn(Schema):
    title: str = Field(..., max_length=200, description="At most 60 characters after trimming")
    body: str = Field("", max_length=20000, description="At most 5,000 characters after trimming")
    roles: list[Role] = Field(..., max_length=3)
    class_ids: list[Id] = Field([], max_length=2000, description="School and homework notices: classes")
    grade_ids: list[Id] = Field([], max_length=100, description="School notices: grades (cohorts), all their classes")
    school_ids: list[Id] = Field([], max_length=20000, description="A region's notice: schools below the sender")
    district_ids: list[Id] = Field([], max_length=500, description="A region's notice: every school of these districts")
    file_ids: list[Id] = Field([], max_length=50, description="Uploaded files (at most 9)")
    confirm_required: bool = False
    urgent: bool = Field(False, description="Pushed even in quiet hours; admins only")
    send_at: datetime | None = Field(None, description="Scheduled send time; none sends now")


class AudienceIn(Schema):
    roles: list[Role] = Field(..., max_length=3)
    class_ids: list[Id] = Field([], max_length=2000)
    grade_ids: list[Id] = Field([], max_length=100)
    school_ids: list[Id] = Field([], max_length=20000)
    district_ids: list[Id] = Field([], max_length=500)


class AudienceSizeOut(Schema):
    parent: int | None = None
    student: int | None = None
    teacher: int | None = None
    classes: int
    schools: int


class CorrectIn(Schema):
    title: str | None = Field(None, max_length=200)
    body: str | None = Field(None, max_length=20000)
    file_ids: list[Id] | None = Field(None, max_length=50, description="The files it carries afterwards (all of them)")


class AttachmentOut(Schema):
    file_id: int
    name: str
    kind: str
    size: int
    url: str


class ProgressOut(Schema):
    units_done: int
    units: int
    addressed: int


class NoticeOut(Schema):
    id: int
    kind: Literal["school", "homework", "region", "class_message"]
    status: Literal["scheduled", "sending", "sent", "recalled"]
    title: str
    body: str
    sender_label: str
    school_id: int | None
    region_id: int | None
    roles: list[str]
    class_ids: list[int] | None
    school_ids: list[int] | None
    places: list[str]
    confirm_required: bool
    urgent: bool
    send_at: datetime
    created_at: datetime
    sent_at: datetime | None
    edited_at: datetime | None
    recalled_at: datetime | None
    progress: ProgressOut
    attachments: list[AttachmentOut]


class SentItemOut(Schema):
    id: int
    kind: str
    status: str
    title: str
    send_at: datetime
    edited: bool
    addressed: int


class SentPageOut(Schema):
    items: list[SentItemOut]
    next_before: int | None = Field(None, description="Pass as ?before= for the next (older) page")
