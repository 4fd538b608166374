"""Page input through Django forms: one rule for ids and numbers, and an invalid field as a 400 naming it.

A view binds a form to request.GET or request.POST and calls `valid(form)`: it returns the cleaned data
or raises the refusal "field.invalid" (400) naming the first bad field, which RefusalMiddleware (or the
view's @on_refusal page) renders. No view parses numbers or dates by hand.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID
from renrentong.core.text import parse_number

Refusal = Callable[[], UserFacingError]


class IdField(forms.IntegerField):
    """A row id typed in a form or query string: ASCII digits only, 1..MAX_ID.

    Django's IntegerField reads full-width and other scripts' digits and " 12"; an id is never typed by
    a person, so anything but plain ASCII digits is invalid."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value)
        if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_ID)):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)


class WholeNumberField(IdField):
    """A count or page number typed by a person (ASCII digits), 0 or more unless told otherwise."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 0)
        super().__init__(**kwargs)


def refusal_for(form: forms.Form, name: str) -> UserFacingError:
    """The refusal for one invalid field: "field.invalid" naming it as the page labels it."""
    field = form.fields.get(name)
    label = str(field.label) if field is not None and field.label else name
    return UserFacingError("field.invalid", field=label)


def valid(form: forms.Form) -> dict:
    """The form's cleaned data, or the refusal naming the first invalid field (400)."""
    if form.is_valid():
        return form.cleaned_data
    raise refusal_for(form, next(iter(form.errors)))


class IdListField(forms.Field):
    """Several ids sent under one name (checkboxes): each one an id as IdField reads it."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        one = IdField(required=True)
        return [one.clean(item) for item in (value or []) if item not in ("", None)]


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


class NumberField(forms.CharField):
    """A whole number typed in ASCII digits (no "²", no full-width "１２", no sign), at most `maximum`;
    empty gives `empty_value` (None unless set)."""

    # Django's own message (and its translation): "Enter a whole number."
    default_error_messages = {"invalid": forms.IntegerField.default_error_messages["invalid"]}

    def __init__(self, *, maximum: int = MAX_ID, empty_value: int | None = None, **kwargs) -> None:
        self.maximum = maximum
        super().__init__(required=False, empty_value=empty_value, max_length=None, **kwargs)

    def to_python(self, value):
        text = super().to_python(value)  # stripped; empty gives empty_value
        if text == self.empty_value:
            return text
        number = parse_number(text, self.maximum)
        if number is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class PageForm(forms.Form):
    """A form whose invalid input is raised as a refusal; `refusals` names a field's own refusal."""

    refusals: dict[str, Refusal] = {}

    def refusal_for(self, field: str) -> UserFacingError:
        if field in self.refusals:
            return self.refusals[field]()
        return refusal_for(self, field)

    def valid_data(self) -> dict:
        """The cleaned values, or the refusal of the first field that is wrong."""
        if not self.is_valid():
            raise self.refusal_for(next(iter(self.errors)))
        return self.cleaned_data
