"""People through the API: the students of a class. Mounted under /orgs in renrentong/api.py."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from renrentong.accounts.selectors import students_of_class
from renrentong.core.schemas import ERRORS
from renrentong.orgs.schemas import ClassMemberOut

router = Router(tags=["orgs"])


@router.get("/classes/{class_id}/students", response={200: list[ClassMemberOut], **ERRORS},
            summary="Students of a class whose members I may see")
def class_students(request: HttpRequest, class_id: int):
    return [
        ClassMemberOut(person_id=p.pk, name=p.name, sex=p.sex, account_number=number)
        for p, number in students_of_class(request.auth, class_id)
    ]
