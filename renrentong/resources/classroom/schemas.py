"""API types of the smart classroom (RES-1, RES-3); names start with Classroom, unique in the OpenAPI schema."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema

Grade = Annotated[int, Field(ge=1, le=12)]
Stage = Literal["primary", "junior", "senior"]
Term = Literal["first", "second"]
Kind = Literal["video", "document", "courseware", "exercises", "lesson_plan", "link"]
Module = Literal["review", "topic", "practice", "personalised", "centre"]
Sharing = Literal["me", "school", "district"]


class ClassroomResourceIn(Schema):
    title: str = Field(..., max_length=100)
    kind: Kind = Field(description="video (微课视频链接) | document | courseware (课件) | exercises | lesson_plan (教案) | "
                                   "link (免费资源链接)")
    module: Module = Field("review", description="One of the five modules of seed 000")
    stage: Stage
    subject: str = Field(..., max_length=32)
    grade: Grade
    term: Term
    edition: str = Field("", max_length=32, description="版本; empty: fits every edition")
    chapter_id: Id | None = Field(None, description="A chapter of the region's textbook catalogue")
    description: str = Field("", max_length=500)
    is_basic: bool = Field(True, description="Basic resources are free to every student")
    file_id: Id | None = Field(None, description="A file uploaded by you through POST /api/v1/files")
    url: str = Field("", max_length=500, description="An http(s) address; give a file or a URL, not both")
    sharing: Sharing = Field("me", description="me: only you; school: your school; district: your district's schools "
                                               "(a region admin's: their region's)")


class ClassroomResourceOut(Schema):
    id: int
    title: str
    description: str
    kind: str
    kind_label: str
    module: str
    stage: str
    subject: str
    grade: int
    term: str
    edition: str
    chapter_id: int | None
    chapter: str
    is_basic: bool
    sharing: str
    owner: str
    mine: bool
    school_id: int | None
    region_id: int
    url: str = Field(description="The link, for a link resource")
    file_name: str
    open_url: str = Field(description="Where to open it: the link, or a signed download valid 15 minutes")
    created_at: datetime
    taken_down_at: datetime | None
    taken_down_reason: str


class ClassroomModuleOut(Schema):
    key: str
    label: str
    count: int
    link: str | None = Field(description="Another room's page (online practice, personalised learning), when "
                                         "installed")
    extra: dict[str, str | None]


class ClassroomRecommendationOut(Schema):
    id: int
    school_id: int | None
    region_id: int | None
    stage: str
    subject: str
    term: str
    note: str
    resource_id: int
    title: str


class ClassroomBrowseOut(Schema):
    stage: str
    subject: str
    grade: int | None
    term: str
    edition: str
    chapter_id: int | None
    module: str
    class_name: str
    modules: list[ClassroomModuleOut]
    recommended: list[ClassroomRecommendationOut]
    resources: list[ClassroomResourceOut]
    next_before: int | None


class ClassroomTakeDownIn(Schema):
    reason: str = Field(..., max_length=200)


class ClassroomRecommendIn(Schema):
    resource_id: Id
    stage: Stage
    subject: str = Field(..., max_length=32)
    term: Term
    note: str = Field("", max_length=200)


class ClassroomChapterOut(Schema):
    id: int
    textbook_id: int
    textbook: str
    edition: str
    number: str
    title: str
    parent_id: int | None
