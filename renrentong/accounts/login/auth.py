"""Bearer-token authentication for the API (AUTH-8)."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security.http import HttpAuthBase

from renrentong.core.actor import Actor
from renrentong.core.errors import UserFacingError

from renrentong.accounts.access import actor_for
from renrentong.accounts.login.services import token_for


class TokenAuth(HttpAuthBase):
    """`Authorization: Bearer <token>` from POST /auth/login. A token issued with an initial password
    works only for the endpoints that let the user change it (allow_initial=True)."""

    openapi_scheme = "bearer"

    def __init__(self, allow_initial: bool = False) -> None:
        self.allow_initial = allow_initial
        super().__init__()

    def __call__(self, request: HttpRequest) -> Actor | None:
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        token = token_for(raw.strip())
        if token is None:
            raise UserFacingError("auth.token_invalid")
        if token.must_change_password and not self.allow_initial:
            raise UserFacingError("password.change_required")
        request.api_token = token
        return actor_for(token.account, token.identity, via_token=True)


token_auth = TokenAuth()
initial_token_auth = TokenAuth(allow_initial=True)
