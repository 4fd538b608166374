"""What every page form of accounts shares: a form that does not validate is a 400 that names the field."""

from __future__ import annotations

from django import forms

from renrentong.core.errors import UserFacingError

MAX_ID = 2**63 - 1


def cleaned(form: forms.Form) -> dict:
    """The form's cleaned data, or the refusal request.invalid (400) naming the fields that were wrong."""
    if form.is_valid():
        return form.cleaned_data
    detail = "; ".join(f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in form.errors.items())
    raise UserFacingError("request.invalid", detail=detail, status=400)


class IdField(forms.IntegerField):
    """A row id typed nowhere but posted by a button: positive, within a database key."""

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class OptionalIdField(forms.Field):
    """An id in a search filter: anything that is not one (a unicode digit, a negative number, 10,000
    characters) filters nothing, as a missing value does."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> int | None:
        value = value if isinstance(value, str) else ""
        if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
            return None
        number = int(value)
        return number if 0 < number <= MAX_ID else None
