"""API of changing one's own password (AUTH-2, AUTH-3)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Status

from renrentong.core.schemas import ERRORS

from renrentong.accounts.login.auth import initial_token_auth
from renrentong.accounts.login.services import token_after_password_change
from renrentong.accounts.passwords import services
from renrentong.accounts.passwords.schemas import PasswordChangeIn

router = Router(tags=["accounts"])


@router.post("/me/password", auth=initial_token_auth, response={204: None, **ERRORS},
             summary="Change my password; ends my other sessions and tokens")
def change_password(request: HttpRequest, body: PasswordChangeIn):
    account = services.change_password(request.auth, body.current_password, body.new_password, body.repeat_password)
    token_after_password_change(request.api_token, account)
    return Status(204, None)
