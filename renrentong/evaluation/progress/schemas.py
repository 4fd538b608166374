"""Progress API types (EVA-4). Names carry the area's word so the OpenAPI schema stays unique."""

from __future__ import annotations

from ninja import Field

from renrentong.core.schemas import Id, Schema


class ProgressCountsOut(Schema):
    uploaded: int = Field(description="every record of the school year")
    submitted: int = Field(description="pending + approved + failed")
    draft: int
    pending: int
    approved: int
    failed: int


class ProgressSchoolOut(Schema):
    school_id: int
    school_name: str
    district_name: str
    students: int
    counts: ProgressCountsOut
    nothing_submitted: int = Field(description="students of the school with nothing submitted this school year")


class ProgressClassOut(Schema):
    class_id: int
    class_name: str
    grade_id: int
    students: int
    counts: ProgressCountsOut
    nothing_submitted: int


class ProgressStudentRowOut(Schema):
    student_id: int
    name: str
    class_id: int
    class_name: str
    counts: ProgressCountsOut
    reason: str = Field(description="why the student shows 0 submitted; empty when something is submitted")


class ProgressItemOut(Schema):
    item_id: int | None = Field(description="None: records not classified yet")
    label: str
    dimension: str
    counts: ProgressCountsOut


class ProgressStudentOut(Schema):
    student_id: int
    name: str
    school_id: int
    class_name: str
    school_year: int
    counts: ProgressCountsOut
    reasons: list[str] = Field(description="what to do next: nothing uploaded, sort and submit, waiting, failed")
    items: list[ProgressItemOut]


class ProgressReminderIn(Schema):
    school_id: Id | None = Field(None, description="default: the actor's school")
    grade_id: Id | None = Field(None, description="a grade (cohort) of the school: its classes")
    class_id: Id | None = Field(None, description="one class; neither: every class the actor reminds")


class ProgressReminderOut(Schema):
    notice_id: int
    students: int = Field(description="students with nothing submitted reminded (their parents too)")
    classes: list[str]
    skipped: list[str] = Field(description="classes reminded earlier today, left out")
