from __future__ import annotations

from datetime import date, datetime

from ninja import Field

from renrentong.core.schemas import Id, MAX_ID, Schema


class ClassPlanOut(Schema):
    class_id: int
    name: str
    grade_before: int
    students: int


class SchoolPlanOut(Schema):
    school_id: int
    school_name: str
    school_year: int
    to_year: int
    state: str  # ready | done | behind
    in_window: bool
    window_start: date
    window_end: date
    classes_up: int
    students_up: int
    classes_graduating: int
    students_graduating: int
    moving_up: list[ClassPlanOut]
    graduating: list[ClassPlanOut]


class RunIn(Schema):
    # The schools to roll; none: every school in my scope that is due.
    school_ids: list[Id] | None = Field(None, max_length=10_000)


class RolloverRunOut(Schema):
    id: int
    school_id: int
    school_name: str
    from_year: int
    to_year: int
    status: str
    trigger: str
    run_on: date
    created_at: datetime
    undone_at: datetime | None
    counts: dict


class AlumniClassOut(Schema):
    class_id: int
    school_id: int
    name: str
    graduation_year: int
    graduates: list[str]


def check_ids(ids: list[int] | None) -> None:
    from renrentong.core.errors import UserFacingError

    if ids is not None and any(not 1 <= i <= MAX_ID for i in ids):
        raise UserFacingError("scope.not_found")
