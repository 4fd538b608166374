"""Page input through Django forms: one rule for ids and numbers, an invalid field as a 400 naming it, and
the template pack (FormRenderer, ShownForm) for pages that show their form with the errors inline.

A view binds a form to request.GET or request.POST and calls `valid(form)`: it returns the cleaned data
or raises the refusal "field.invalid" (400) naming the first bad field, which RefusalMiddleware (or the
view's @on_refusal page) renders. No view parses numbers or dates by hand.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.template import TemplateDoesNotExist

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


# The template pack (issue 12): pages that show their form with inline errors build it on ShownForm and
# render it with `{{ form }}` or `{{ form.<name>.as_field_group }}`. Hand-written pages keep valid()/PageForm.

class PageBoundField(BoundField):
    """A field as the pack renders it: markup for both shells (Bootstrap's form-control and is-invalid are
    inert in the WeUI shells, where app.css styles inputs), the error and help tied to the input."""

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id else ""

    def build_widget_attrs(self, attrs, widget=None):
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden or getattr(widget, "input_type", "") in ("checkbox", "radio"):
            return attrs
        base = "form-select" if isinstance(widget, forms.Select) else "form-control"
        classes = [attrs.get("class", ""), base, "is-invalid" if self.errors else ""]
        attrs["class"] = " ".join(name for name in classes if name)
        described = [self.error_id if self.errors and self.error_id else "",
                     f"{self.auto_id}_helptext" if self.help_text and self.auto_id else "",
                     f"{self.auto_id}_rules" if getattr(self.field, "rules", None) and self.auto_id else ""]
        described = " ".join(name for name in described if name)
        if described:
            attrs["aria-describedby"] = described
        return attrs


class FormRenderer(TemplatesSetting):
    """FORM_RENDERER: our templates/forms/ for forms and fields, Django's own widget templates for the rest
    (so "django.forms" need not be an installed app)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return _django_widgets().get_template(template_name)


@functools.cache
def _django_widgets() -> DjangoTemplates:
    return DjangoTemplates()


class PasswordField(forms.CharField):
    """A password typed on a page: never stripped, never sent back on a re-render (what was typed in the
    other fields is). `rules` (a list of password rule lines, see accounts.passwords.rules) adds the live
    checklist under the input; forms.js adds the show-password toggle to every password input."""

    widget = forms.PasswordInput

    def __init__(self, *, autocomplete: str = "current-password", **kwargs) -> None:
        kwargs.setdefault("strip", False)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs["autocomplete"] = autocomplete
        self.rules: list = []


class ShownForm(forms.Form):
    """A form its page shows: invalid input and refusals appear next to the field they concern, and the
    page re-renders with what was typed (never a password) instead of an error page.

    `refusal_fields` maps a refusal code (or a prefix of codes, "password.") to the field it is about. The
    page shows the refusal whole above the form (error_block.html: who can fix it) and, for a field, the
    message again beside that field, which carries aria-invalid."""

    bound_field_class = PageBoundField
    refusal_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        # Inputs keep the plain ids hand-written pages had (#new_password), which tests and labels use.
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)

    def field_for(self, code: str) -> str | None:
        """The field a refusal is about: its code in `refusal_fields`, else the longest key ending in "."
        or "_" that the code starts with ("password." for every password rule)."""
        field = self.refusal_fields.get(code)
        if field is None:
            prefixes = [key for key in self.refusal_fields if key.endswith((".", "_")) and code.startswith(key)]
            field = self.refusal_fields[max(prefixes, key=len)] if prefixes else None
        return field if field in self.fields else None

    def show_refusal(self, error: UserFacingError) -> None:
        """Put a service's refusal next to its field (the page still shows it whole above the form)."""
        field = self.field_for(error.code)
        if field is not None and self.is_bound:
            if not hasattr(self, "cleaned_data"):
                self.full_clean()
            self.add_error(field, error.message)

    def first_refusal(self) -> UserFacingError:
        """The refusal "field.invalid" for the first invalid field, for the block above the form."""
        return refusal_for(self, next(iter(self.errors)))
