"""API types of activities (ACT-1); names start with Activity so they stay unique in the OpenAPI schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema

Grade = Annotated[int, Field(ge=1, le=12)]


class ActivityIn(Schema):
    title: str = Field(..., max_length=100)
    starts_at: datetime
    ends_at: datetime
    place: str = Field(..., max_length=200)
    programme: str = Field("", max_length=5000, description="活动流程: what happens when")
    bring: str = Field("", max_length=2000, description="What to bring")
    capacity: int = Field(..., ge=1, le=10_000)
    signup_opens_at: datetime
    signup_closes_at: datetime
    cancel_until: datetime = Field(description="Parents may cancel until then")
    approval: Literal["auto", "school"] = Field("auto", description="auto: accepted at once up to the places; "
                                                "school: the child's school approves each sign-up")
    grades: list[Grade] = Field(default_factory=list, max_length=12, description="Grade numbers 1..12; empty: all")
    class_ids: list[Id] = Field(default_factory=list, max_length=500, description="A campus activity's classes")
    school_ids: list[Id] = Field(default_factory=list, max_length=500, description="A social practice's schools")


class ActivityOut(Schema):
    id: int
    kind: str = Field(description="campus (校园活动) | practice (社会实践)")
    organiser: str
    school_id: int | None
    region_id: int | None
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    programme: str
    bring: str
    capacity: int
    places_taken: int
    places_left: int
    grades: list[int]
    class_ids: list[int]
    school_ids: list[int]
    signup_opens_at: datetime
    signup_closes_at: datetime
    cancel_until: datetime
    approval: str


class ActivityNoticeOut(Schema):
    code: str
    message: str
    who_can_fix: str


class ActivitySignUpIn(Schema):
    child_id: Id = Field(description="The person id of a linked child (GET /children)")


class ActivitySignUpOut(Schema):
    id: int
    activity_id: int
    activity: str
    child_id: int
    child: str
    status: str = Field(description="pending | accepted | waiting | refused | cancelled")
    status_label: str
    waiting_position: int | None = Field(description="On the waiting list: its number (1 moves up first)")
    reason: str = Field(description="Why the school refused")
    created_at: datetime
    notice: ActivityNoticeOut | None = Field(None, description="activities.full when the child is waiting")


class ActivityChildOut(Schema):
    child_id: int
    name: str
    may_sign_up: bool
    why_not: str = Field(description="Why the child is outside the audience")
    sign_up: ActivitySignUpOut | None


class ActivityAdminSignUpOut(Schema):
    id: int
    queue_number: int
    child_id: int
    child: str
    school: str
    class_name: str
    parent: str
    parent_phone: str = Field(description="Masked")
    status: str
    reason: str
    created_at: datetime
    attended: bool | None


class ActivityRefuseIn(Schema):
    reason: str = Field(..., max_length=200)


class ActivityBulkApproveIn(Schema):
    sign_up_ids: list[Id] = Field(..., min_length=1, max_length=1000)


class ActivityAttendanceIn(Schema):
    attended: list[Id] = Field(default_factory=list, max_length=5000)
    absent: list[Id] = Field(default_factory=list, max_length=5000)


class ActivityCountOut(Schema):
    count: int


# Filing attendance as evaluation material (issue 14 item 9) ------------------------------------------------

class ActivityMaterialOut(Schema):
    record_id: int = Field(description="The written record filed from this attendance (a draft until submitted)")
    student_id: int
    state: str
    created: bool = Field(description="False: it was filed before and this is the same record")


class ActivityBulkFilingOut(Schema):
    filed: int
    already: int = Field(description="Filed before: nothing new")
    elsewhere: int = Field(description="Attended children no longer at the school: theirs to file")
