"""API types of the school's review (issue 14 item 4). Names carry the app's word so the OpenAPI schema
stays unique."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema
from renrentong.evaluation.schemas import RecordFileOut


class EvaluationReviewRecordOut(Schema):
    id: int
    student_id: int
    student_name: str
    class_id: int | None
    class_name: str
    school_year: int
    kind: str
    title: str
    text: str
    happened_on: date
    item_id: int | None
    item_label: str
    dimension_label: str
    state: str = Field(description="pending, approved or failed")
    reason: str = Field(description="Why it did not pass, when failed; the student and parents see it")
    decided_by: str = Field(description="Who decided it (name), when decided")
    decided_at: datetime | None
    submitted_at: datetime | None
    version: int
    files: list[RecordFileOut] = Field(description="`url` is the audited download: GET it for the signed link")


class EvaluationReviewPageOut(Schema):
    items: list[EvaluationReviewRecordOut]
    next_before: int | None = Field(None, description="Send as `before` for the next page")


class EvaluationDecisionsIn(Schema):
    record_ids: list[Id] = Field(..., min_length=1, max_length=200)
    approve: bool
    reason: str = Field("", max_length=400, description="Required when not approving; the student and parents see it")


class EvaluationDecisionOut(Schema):
    record_id: int
    decided: bool
    message: str = Field(description="Why not: who decided it first, or that it is not yours to decide")


class EvaluationReviewDecisionIn(Schema):
    approve: bool
    reason: str = Field("", max_length=400)


class EvaluationFileLinkOut(Schema):
    url: str = Field(description="Signed link to the file, valid 15 minutes, for this account only")


class EvaluationReviewSettingOut(Schema):
    head_teachers_review: bool = Field(description="Class head teachers review their own class's material")


class EvaluationReviewSettingIn(Schema):
    head_teachers_review: bool


class EvaluationReviewerIn(Schema):
    teacher_id: Id = Field(..., description="The teacher's identity id (GET /reviewers lists the school's teachers)")
    whole_school: bool = False
    class_ids: list[Id] = Field(default_factory=list, max_length=200)
    grade_ids: list[Id] = Field(default_factory=list, max_length=50, description="Grades as cohort ids")


class EvaluationReviewerOut(Schema):
    id: int
    teacher_id: int
    teacher_name: str
    whole_school: bool
    class_ids: list[int]
    grade_ids: list[int]
    appointed_at: datetime


class EvaluationTeacherOut(Schema):
    teacher_id: int
    name: str


class EvaluationReviewersOut(Schema):
    reviewers: list[EvaluationReviewerOut]
    teachers: list[EvaluationTeacherOut]
    head_teachers_review: bool


class EvaluationDisplayIn(Schema):
    title: str = Field("综合素质评价材料公示", max_length=200)
    starts_on: date
    ends_on: date
    grade_id: Id | None = Field(None, description="A grade (cohort id); left out: the whole school")


class EvaluationDisplayOut(Schema):
    id: int
    title: str
    starts_on: date
    ends_on: date
    grade_id: int | None
    running: bool
    closed: bool


class EvaluationDisplayedRecordOut(Schema):
    """What a display shows: never ID numbers, phones or health items."""

    record_id: int
    title: str
    text: str
    item_label: str
    dimension_label: str
    student_name: str
    class_name: str
    my_objection: str | None = Field(None, description="The state of the caller's own objection, if any")


class EvaluationObjectionIn(Schema):
    record_id: Id
    reason: str = Field(..., max_length=400)


class EvaluationObjectionOut(Schema):
    id: int
    display_id: int
    record_id: int
    student_name: str
    record_title: str
    lodged_by: str
    reason: str
    lodged_at: datetime
    state: str = Field(description="open, upheld or dismissed")
    resolved_by: str
    note: str


class EvaluationResolveIn(Schema):
    uphold: bool
    note: str = Field(..., max_length=400, description="Upheld: the reason the student and parents see")


ObjectionState = Literal["open", "upheld", "dismissed"]
