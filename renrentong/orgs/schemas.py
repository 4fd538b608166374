from __future__ import annotations

from ninja import Schema


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
