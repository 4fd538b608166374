from __future__ import annotations

from renrentong.core.schemas import Schema




class IdNumberOut(Schema):
    id_number: str


class NationalStudentNumberOut(Schema):
    national_student_number: str
