from typing import Annotated

from ninja import Field, Schema


class FieldErrorOut(Schema):
    field: str = Field(description="The field's path in the request, e.g. relation or children.0.name")
    code: str
    message: str = Field(description="In the request's language, naming the field as users know it")


class ErrorOut(Schema):
    code: str
    message: str
    who_can_fix: str
    contact: str
    fields: list[FieldErrorOut] | None = Field(None, description="For request.invalid: one entry per field")


# Ids are positive 64-bit integers. A larger number names nothing, and SQLite cannot even compare
# with it (OverflowError, a 500), so id parameters declare the range and refuse the rest with a 400.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]  # for ids inside lists and bodies

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def require_json_object(request) -> None:
    """A body whose fields are all optional must still be a JSON object: `[]` is not "no changes"."""
    import json

    from renrentong.core.errors import UserFacingError

    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise UserFacingError("request.invalid", detail="body: a JSON object is required")
