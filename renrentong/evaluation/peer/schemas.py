"""Peer evaluation API types (EVA-5). Names carry "Peer" so the OpenAPI schema stays unique. No type has a
rater beside a ratee: what a student rated is only "rated", and the school reads aggregates."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field

from renrentong.core.schemas import Id, Schema


class PeerRefusalOut(Schema):
    code: str
    message: str
    who_can_fix: str
    contact: str


class PeerCriterionOut(Schema):
    id: int
    code: str
    label: str
    hint: str


class PeerCriterionIn(Schema):
    label: str = Field(max_length=200, description="1 to 32 characters, unique in the list")
    hint: str = Field("", max_length=400, description="at most 100 characters")


class PeerCriteriaIn(Schema):
    school_year: int | None = Field(None, ge=2000, le=2100, description="default: the current school year")
    criteria: list[PeerCriterionIn] = Field(max_length=50, description="in order; 1 to 10")


class PeerCriteriaOut(Schema):
    school_year: int
    in_use: bool = Field(description="a student has rated this year: the criteria can no longer change")
    criteria: list[PeerCriterionOut]


class PeerClassmateOut(Schema):
    id: int = Field(description="The classmate's person id (send it as classmate_id)")
    name: str
    rated: bool = Field(description="You have rated this classmate (final)")


class PeerStandingOut(Schema):
    school_year: int
    class_name: str
    open: bool
    closed: PeerRefusalOut | None = Field(description="Why rating is closed: the switch that is off and who turns "
                                                      "it on, or that peer evaluation is for grade 9 only")
    criteria: list[PeerCriterionOut]
    grades: list[str] = Field(description="A (excellent), B (good), C (satisfactory), D (needs to improve)")
    classmates: list[PeerClassmateOut]
    rated: int


class PeerGradeIn(Schema):
    criterion_id: Id
    grade: Literal["A", "B", "C", "D"]


class PeerRatingIn(Schema):
    classmate_id: Id
    grades: list[PeerGradeIn] = Field(..., min_length=1, max_length=20, description="One grade per criterion, all "
                                                                                      "criteria at once")


class PeerRatingOut(Schema):
    classmate_id: int
    rated: bool
    rated_count: int = Field(description="How many classmates you have rated now")


class PeerSwitchOut(Schema):
    on: bool
    updated_at: datetime | None


class PeerSwitchesOut(Schema):
    school_year: int
    open: bool = Field(description="Both switches on: grade-9 students may rate")
    city: PeerSwitchOut
    school: PeerSwitchOut | None = Field(description="The school's switch (None for the city admin)")


class PeerSwitchIn(Schema):
    school_year: int = Field(..., ge=2000, le=2100)
    on: bool


class PeerCellOut(Schema):
    criterion_id: int
    average: float | None = Field(description="A=4 .. D=1")
    a: int
    b: int
    c: int
    d: int


class PeerResultRowOut(Schema):
    student_id: int
    name: str
    class_name: str
    raters: int | None = Field(description="How many classmates rated the student; None while rating is open")
    cells: list[PeerCellOut] = Field(description="Empty while rating is open or from fewer than min_raters raters")


class PeerClassProgressOut(Schema):
    class_name: str
    ratings: int = Field(description="Classmate ratings submitted in the class so far")


class PeerResultsOut(Schema):
    school_year: int
    held: bool = Field(description="Rating is open: grades are shown once a switch is off")
    min_raters: int
    criteria: list[PeerCriterionOut]
    rows: list[PeerResultRowOut]
    progress: list[PeerClassProgressOut]
