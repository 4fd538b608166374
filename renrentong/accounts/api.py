"""The accounts API: one router joining the rooms' routers (paths as before), and the person in scope."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from renrentong.core.schemas import ERRORS

from renrentong.accounts import selectors
from renrentong.accounts.code_login.api import router as code_login_router
from renrentong.accounts.login.api import router as login_router
from renrentong.accounts.passwords.api import router as passwords_router
from renrentong.accounts.privacy.api import router as privacy_router
from renrentong.accounts.schemas import PersonOut

router = Router(tags=["accounts"])
router.add_router("", login_router)
router.add_router("", passwords_router)
router.add_router("", privacy_router)
router.add_router("", code_login_router)


@router.get("/people/{person_id}", response={200: PersonOut, **ERRORS}, summary="A person within my scope")
def person(request: HttpRequest, person_id: int):
    found = selectors.person_in_scope(request.auth, person_id)
    enrollment = selectors.current_enrollment(found.pk)
    account = getattr(found, "account", None)
    return PersonOut(
        id=found.pk, name=found.name, sex=found.sex, id_number=found.id_number_masked,
        account_number=account.number if account else "",
        school_id=enrollment.school_id if enrollment else None,
        class_id=enrollment.school_class_id if enrollment else None,
    )
