from __future__ import annotations

from typing import Literal

from ninja import Field, Schema


class RegionOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    parent_id: int | None


class SchoolOut(Schema):
    id: int
    name: str
    code: str
    district_id: int
    district_name: str
    registered: bool
    school_year: int


class ClassOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    school_id: int
    students: int


class GradeOut(Schema):
    cohort_id: int
    enrollment_year: int
    name: str
    classes: list[ClassOut]


class StageOut(Schema):
    id: int
    level: str
    system: str
    grades: list[GradeOut]


class CampusOut(Schema):
    id: int
    name: str
    stages: list[StageOut]


class SchoolTreeOut(Schema):
    school: SchoolOut
    campuses: list[CampusOut]


class ClassMemberOut(Schema):
    person_id: int
    name: str
    sex: str
    account_number: str


class PolicyOut(Schema):
    password_rule: str
    student_initial_rule: str
    parent_initial_rule: str
    teacher_initial_rule: str
    school_default_password: str
    initial_password_days: int
    login_free_failures: int
    login_lock_failures: int
    login_lock_minutes: int
    spray_distinct_accounts: int
    spray_pause_minutes: int
    recycle_retention_days: int
    weak_initial_rules: list[str]


class PolicyIn(Schema):
    password_rule: Literal["S", "Z"] | None = None
    student_initial_rule: Literal["pw_account_last6", "school_default", "random"] | None = None
    parent_initial_rule: Literal["pw_phone_last6", "school_default", "random"] | None = None
    teacher_initial_rule: Literal["phone_last6", "school_default", "random"] | None = None
    school_default_password: str | None = Field(None, max_length=20)
    initial_password_days: int | None = Field(None, ge=1, le=365)
    login_free_failures: int | None = Field(None, ge=1, le=10)
    login_lock_failures: int | None = Field(None, ge=3, le=50)
    login_lock_minutes: int | None = Field(None, ge=1, le=1440)
    spray_distinct_accounts: int | None = Field(None, ge=10, le=10_000)
    spray_pause_minutes: int | None = Field(None, ge=1, le=1440)
    recycle_retention_days: int | None = Field(None, ge=1, le=3650)
