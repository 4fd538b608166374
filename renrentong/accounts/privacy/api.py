"""The audited reads of a person's full numbers (admins only)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from renrentong.core.schemas import ERRORS

from renrentong.accounts.privacy import services
from renrentong.accounts.privacy.schemas import IdNumberOut, NationalStudentNumberOut

router = Router(tags=["accounts"])


@router.get("/people/{person_id}/id-number", response={200: IdNumberOut, **ERRORS},
            summary="A person's full ID number (admins only; every read is audited)")
def person_id_number(request: HttpRequest, person_id: int):
    return IdNumberOut(id_number=services.reveal_id_number(request.auth, person_id))


@router.get("/people/{person_id}/national-student-number", response={200: NationalStudentNumberOut, **ERRORS},
            summary="A student's full national student number (admins only; every read is audited)")
def person_national_student_number(request: HttpRequest, person_id: int):
    return NationalStudentNumberOut(
        national_student_number=services.reveal_national_student_number(request.auth, person_id))
