from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from ninja import Field

from renrentong.core.schemas import Schema


class RegionOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    parent_id: int | None


Level = Literal["primary", "junior", "senior"]
System = Literal["6-3", "5-4"]
DecisionStatus = Literal["pending", "approved", "refused", "withdrawn"]


class SchoolOut(Schema):
    id: int
    name: str
    code: str
    district_id: int
    district_name: str
    registered: bool
    school_year: int
    system: str
    levels: list[str]

    @classmethod
    def of(cls, school) -> SchoolOut:
        return cls(id=school.pk, name=school.name, code=school.code, district_id=school.district_id,
                   district_name=school.district.name, registered=school.registered,
                   school_year=school.school_year, system=school.system, levels=school.registered_levels())


class ClassOut(Schema):
    id: int
    name: str
    code: str
    kind: str
    school_id: int
    students: int
    enrollment_year: int = Field(description="入学年份")
    graduation_year: int = Field(description="毕业年份: the enrollment year plus the stage's years")


class GradeOut(Schema):
    cohort_id: int
    enrollment_year: int
    graduation_year: int = Field(description="毕业年份")
    name: str
    classes: list[ClassOut]


class StageOut(Schema):
    id: int
    level: str
    system: str
    first_grade: int
    years: int
    grade_names: dict[str, str]
    class_pattern: str
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
    student_transfer_approval: str
    second_factor_region_admins: bool
    second_factor_school_admins: bool
    recovery_misses_per_hour: int
    sms_code_minutes: int
    sms_province: str
    sms_daily_per_target: int
    sms_resend_seconds: int
    sms_max_attempts: int
    sms_daily_per_source: int
    sms_daily_per_account: int
    phone_binding_required: bool
    co_teaching: bool
    realname_attempts_per_hour: int
    realname_source_attempts_per_hour: int
    registration_attempts_per_hour: int
    rollover_window_start: str
    rollover_window_end: str
    rollover_auto_date: str
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
    student_transfer_approval: Literal["both", "target"] | None = None
    second_factor_region_admins: bool | None = None
    second_factor_school_admins: bool | None = None
    recovery_misses_per_hour: int | None = Field(None, ge=1, le=1000)
    sms_code_minutes: int | None = Field(None, ge=1, le=60)
    sms_province: str | None = Field(None, max_length=16, description="Province name as the phone geocoder gives it, e.g. 湖南省; empty for any")
    sms_daily_per_target: int | None = Field(None, ge=1, le=50)
    sms_resend_seconds: int | None = Field(None, ge=30, le=600)
    sms_max_attempts: int | None = Field(None, ge=1, le=10)
    sms_daily_per_source: int | None = Field(None, ge=1, le=100_000)
    sms_daily_per_account: int | None = Field(None, ge=1, le=200)
    phone_binding_required: bool | None = None
    co_teaching: bool | None = Field(None, description="Two teachers may share a class's subject (合作教学)")
    realname_attempts_per_hour: int | None = Field(None, ge=1, le=1000)
    realname_source_attempts_per_hour: int | None = Field(None, ge=1, le=100_000)
    registration_attempts_per_hour: int | None = Field(None, ge=1, le=100_000)
    rollover_window_start: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", description="MM-DD")
    rollover_window_end: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", description="MM-DD")
    rollover_auto_date: str | None = Field(None, pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$", description="MM-DD")


# --- Structure (ORG-4, ORG-5) ---

ClassCounts = Annotated[list[Annotated[int, Field(ge=0, le=50)]], Field(
    max_length=6, description="Classes in each grade of the stage, its first grade first; 0 creates no grade")]


class StageSpecIn(Schema):
    level: Level
    classes: ClassCounts


class CampusIn(Schema):
    name: str = Field(..., max_length=64)
    stages: dict[Level, ClassCounts] = Field(..., min_length=1, description="e.g. {\"primary\": [5, 5, 5, 5, 5, 5]}")


class GradeIn(Schema):
    grade: int = Field(..., ge=1, le=12, description="Grade number 1-12 (junior 7-9 in 6-3, 6-9 in 5-4)")
    first: int = Field(1, ge=1, le=99)
    last: int = Field(..., ge=1, le=99)


class ClassesIn(Schema):
    first: int = Field(..., ge=1, le=99)
    last: int = Field(..., ge=1, le=99)
    kind: Literal["administrative", "teaching"] = "administrative"


class NamingIn(Schema):
    grade_names: dict[int, str] = Field(default_factory=dict, description="Grade number -> name; \"\" resets")
    class_pattern: str = Field("", max_length=64, description="e.g. \"{grade}({n})班\"; \"\" resets")


class NamingOut(Schema):
    stage_id: int
    grade_names: dict[str, str]
    class_pattern: str


class StructureCreatedOut(Schema):
    campus_id: int | None
    stage_ids: list[int]
    cohort_ids: list[int]
    class_ids: list[int]
    skipped_numbers: list[int]


# --- Tenants and the school system (ORG-2, ORG-6) ---

class SchoolIn(Schema):
    district_id: int = Field(..., ge=1)
    name: str = Field(..., max_length=128)
    code: str = Field(..., max_length=32)
    system: System = "6-3"
    levels: list[Level] = Field(..., min_length=1, max_length=3)
    school_year: int | None = Field(None, ge=2000, le=2100)


class SchoolPatch(Schema):
    registered: bool | None = None
    system: System | None = None
    levels: list[Level] | None = Field(None, min_length=1, max_length=3)


class SystemRequestIn(Schema):
    system: System
    levels: list[Level] = Field(..., min_length=1, max_length=3)
    reason: str = Field("", max_length=200)


class ApprovalDecisionIn(Schema):
    approve: bool
    note: str = Field("", max_length=200)


class SystemRequestOut(Schema):
    id: int
    school_id: int
    school_name: str
    system: str
    levels: list[str]
    reason: str
    status: str
    requested_by: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str


# --- School admin roles (ADM-6) ---

class AdminOut(Schema):
    identity_id: int
    account_id: int
    name: str
    account_number: str


class AppointIn(Schema):
    account_id: int = Field(..., ge=1)


class AdminApplicationIn(Schema):
    reason: str = Field("", max_length=200)


class AdminApplicationOut(Schema):
    id: int
    school_id: int
    school_name: str
    applicant: str
    account_number: str
    reason: str
    status: str
    requested_at: datetime
    decided_at: datetime | None
    decision_note: str
