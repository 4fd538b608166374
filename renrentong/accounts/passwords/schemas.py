from __future__ import annotations

from ninja import Field

from renrentong.core.schemas import Schema


class PasswordChangeIn(Schema):
    current_password: str = Field(..., max_length=128)
    new_password: str = Field(..., max_length=128)
    repeat_password: str = Field(..., max_length=128)
