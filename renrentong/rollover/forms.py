"""Page input of the rollover page (ORG-7): the ticked schools."""

from __future__ import annotations

from django import forms

from renrentong.core.text import parse_number
from renrentong.core.web.forms import PageForm


class SchoolIdsField(forms.Field):
    """Ids of ticked checkboxes: each in ASCII digits; none ticked is an empty list."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": forms.IntegerField.default_error_messages["invalid"]}

    def to_python(self, value) -> list[int]:
        numbers = [parse_number(v) for v in (value or [])]
        if any(n is None for n in numbers):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return numbers


class RunForm(PageForm):
    # The ticked schools only: none ticked rolls none (the API's "all that are due" is its default).
    school_id = SchoolIdsField(required=False)
