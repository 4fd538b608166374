import functools
import types
import typing
from typing import Annotated, Any

import ninja
from ninja import Field
from ninja.schema import DjangoGetter
from pydantic import ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError


def _alternatives(annotation: Any) -> list[Any]:
    """The plain types a field admits: Annotated and unions unwrapped (int | None gives int and None)."""
    origin = typing.get_origin(annotation)
    if origin is Annotated:
        return _alternatives(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for arg in typing.get_args(annotation) for t in _alternatives(arg)]
    return [annotation]


def _admits_bool(annotation: Any) -> bool:
    return any(t is bool or t is Any for t in _alternatives(annotation))


@functools.lru_cache(maxsize=None)
def _only_bool(annotation: Any) -> bool:
    """A field that takes true or false and nothing else (None aside)."""
    kinds = _alternatives(annotation)
    return bool in kinds and all(t is bool or t is type(None) for t in kinds)


def _item_type(annotation: Any) -> Any:
    """What a list field holds (list[Id] | None gives Id), or None when the field is no list."""
    for t in _alternatives(annotation):
        if typing.get_origin(t) is list:
            args = typing.get_args(t)
            return args[0] if args else Any
    return None


class Schema(ninja.Schema):
    """The base of every API type. JSON's true and false are no numbers: pydantic's lax mode reads true as 1 in
    an int field, so `{"school_id": true}` would have named school 1 (schemathesis found it)."""

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, values: Any, handler: Any, info: ValidationInfo) -> Any:
        """Ninja's own validator of this name, which reads any value through attribute lookups, so a body of
        JSON `true` or `[]` became an empty change to a type whose fields all have defaults (schemathesis
        found it). A JSON value that is no object is refused here, before those lookups."""
        if values is None or isinstance(values, (bool, int, float, str, bytes, list, tuple)):
            raise PydanticCustomError("model_type", "Input should be an object")
        if cls.model_config.get("extra") == "forbid" or cls.model_config.get("validate_assignment", False):
            handler(values)
        return handler(DjangoGetter(values, cls, info.context))

    @field_validator("*", mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, value: Any, info: ValidationInfo) -> Any:
        kind = type(value)
        if kind is int or kind is float:
            # The other way round too: lax mode reads 0 and 1 as false and true. Only numbers (a query string's
            # "true" is text) and only in a request as ninja reads it (its context holds the request and no
            # response status): what our code builds or answers is ours, not typed by a client.
            context = info.context or {}
            if "request" in context and "response_status" not in context and _only_bool(
                    cls.model_fields[info.field_name].annotation):
                raise ValueError("a number where true or false is expected")
            return value
        if kind is not bool and kind is not list:
            return value
        annotation = cls.model_fields[info.field_name].annotation
        if kind is bool:
            if not _admits_bool(annotation):
                raise ValueError("true or false where a number or text is expected")
        elif any(type(item) is bool for item in value):
            item = _item_type(annotation)
            if item is not None and not _admits_bool(item):
                raise ValueError("true or false in a list of numbers or texts")
        return value


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

