"""Page input through Django forms: one rule for ids and numbers, and an invalid field as a 400 naming it.

A view binds a form to request.GET or request.POST and calls `valid(form)`: it returns the cleaned data
or raises the refusal "field.invalid" (400) naming the first bad field, which RefusalMiddleware (or the
view's @on_refusal page) renders. No view parses numbers or dates by hand.
"""

from __future__ import annotations

from django import forms

from renrentong.core.errors import UserFacingError
from renrentong.core.schemas import MAX_ID


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


def valid(form: forms.Form) -> dict:
    """The form's cleaned data, or the refusal naming the first invalid field (400)."""
    if form.is_valid():
        return form.cleaned_data
    name = next(iter(form.errors))
    field = form.fields.get(name)
    label = str(field.label) if field is not None and field.label else name
    raise UserFacingError("field.invalid", field=label)


class IdListField(forms.Field):
    """Several ids sent under one name (checkboxes): each one an id as IdField reads it."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        one = IdField(required=True)
        return [one.clean(item) for item in (value or []) if item not in ("", None)]
