"""API types of lesson preparation (RES-4). Names carry the room's word so the OpenAPI schema stays unique."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema

Volume = Literal["first", "second", "whole"]


class PrepTextbookIn(Schema):
    subject: str = Field(..., max_length=32)
    grade: int = Field(..., ge=1, le=12)
    volume: Volume
    edition: str = Field(..., max_length=32)
    publisher: str = Field(..., max_length=64)
    title: str = Field("", max_length=80)


class PrepTextbookOut(Schema):
    id: int
    region_id: int
    region_name: str
    subject: str
    grade: int
    volume: str
    edition: str
    publisher: str
    title: str
    retired: bool
    editable: bool = Field(description="The actor's region keeps it (province or city admin)")
    chapter_count: int


class PrepChapterIn(Schema):
    number: str = Field(..., max_length=16, description='As the book prints it: "1", "1.2"')
    title: str = Field(..., max_length=80)


class PrepChapterTitleIn(Schema):
    title: str = Field(..., max_length=80)


class PrepChapterOut(Schema):
    id: int
    number: str
    title: str
    parent_id: int | None
    depth: int
    lesson_state: str | None = Field(None, description="A teacher's own lesson on it: draft, done or none")


class PrepTextbookDetailOut(PrepTextbookOut):
    chapters: list[PrepChapterOut]


class PrepRetireIn(Schema):
    retired: bool = True


class PrepTeachingOut(Schema):
    subject: str
    grade: int
    classes: list[str]


class PrepFileOut(Schema):
    id: int
    name: str
    kind: str
    role: str
    url: str


class PrepCommentOut(Schema):
    id: int
    author_name: str
    text: str
    created_at: datetime


class PrepLessonOut(Schema):
    id: int | None
    chapter_id: int
    chapter_number: str
    chapter_title: str
    textbook_id: int
    state: str = Field(description="none (not started), draft or done")
    design: str
    exercises: str
    files: list[PrepFileOut]
    comments: list[PrepCommentOut]
    updated_at: datetime | None


class PrepLessonIn(Schema):
    design: str = Field("", max_length=20_000)
    exercises: str = Field("", max_length=10_000)
    courseware_ids: list[Id] = Field(default_factory=list, max_length=20)
    exercise_file_ids: list[Id] = Field(default_factory=list, max_length=20)
    done: bool = False


class PrepTeacherOut(Schema):
    teacher_id: int
    name: str
    teaching: str
    prepared: int
    drafts: int
    total: int


class PrepCheckedLessonOut(Schema):
    id: int
    textbook_id: int
    textbook: str
    chapter_number: str
    chapter_title: str
    state: str
    design: str
    exercises: str
    files: list[PrepFileOut]
    comments: list[PrepCommentOut]
    updated_at: datetime


class PrepCommentIn(Schema):
    text: str = Field(..., max_length=500)


class PrepCheckerIn(Schema):
    teacher_id: Id


class PrepCheckerOut(Schema):
    id: int
    teacher_id: int
    name: str
    appointed_at: datetime


class PrepMissingIn(Schema):
    subject: str = Field(..., max_length=32)
    grade: int = Field(..., ge=1, le=12)
    volume: Volume | Literal[""] = ""
    edition: str = Field(..., max_length=32)
    publisher: str = Field(..., max_length=64)
    note: str = Field("", max_length=200)
    cover_ids: list[Id] = Field(..., max_length=5)
    copyright_ids: list[Id] = Field(..., max_length=5)
    contents_ids: list[Id] = Field(..., max_length=10)


class PrepMissingOut(Schema):
    id: int
    school_id: int
    school_name: str
    reporter_name: str
    subject: str
    grade: int
    volume: str
    edition: str
    publisher: str
    note: str
    status: str = Field(description="open, accepted or declined")
    reason: str
    textbook_id: int | None
    photos: list[PrepFileOut]
    created_at: datetime
    decided_at: datetime | None


class PrepAcceptIn(Schema):
    textbook_id: Id | None = None


class PrepDeclineIn(Schema):
    reason: str = Field(..., max_length=200)
