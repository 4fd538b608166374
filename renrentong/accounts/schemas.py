from __future__ import annotations

from ninja import Field

from renrentong.core.schemas import Schema


class PersonOut(Schema):
    id: int
    name: str
    sex: str
    id_number: str = Field(description="Masked")
    account_number: str
    school_id: int | None
    class_id: int | None
