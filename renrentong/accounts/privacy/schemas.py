from __future__ import annotations

from ninja import Schema


class IdNumberOut(Schema):
    id_number: str


class NationalStudentNumberOut(Schema):
    national_student_number: str
