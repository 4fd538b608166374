from __future__ import annotations

from django import forms

from renrentong.core.web.forms import IdField, OptionalIdField

KINDS = ("student", "teacher", "parent", "admin")


class ResetFilterForm(forms.Form):
    kind = forms.CharField(required=False)
    class_id = OptionalIdField()
    q = forms.CharField(required=False, strip=False)

    def clean_kind(self) -> str:
        kind = self.cleaned_data.get("kind")
        return kind if kind in KINDS else "student"

    def clean_q(self) -> str:
        return (self.cleaned_data.get("q") or "")[:64]


class IdListField(forms.Field):
    """The accounts ticked in a list: every value that is an id (others name nothing and are dropped)."""

    widget = forms.MultipleHiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value) -> list[int]:
        one = OptionalIdField()
        return [i for i in (one.to_python(v) for v in (value or [])) if i is not None]


class ResetForm(forms.Form):
    account_id = IdListField()
    mode = forms.CharField(required=False)
    password = forms.CharField(required=False, strip=False)


class ChildrenForm(forms.Form):
    action = forms.CharField(required=False)
    name = forms.CharField(required=False, strip=False)
    id_number = forms.CharField(required=False, strip=False)
    sex = forms.CharField(required=False, strip=False)
    relation = forms.CharField(required=False, strip=False)
    account = forms.CharField(required=False, strip=False)
    password = forms.CharField(required=False, strip=False)


class PersonChoiceForm(forms.Form):
    person_id = IdField(required=True)


class LinkRequestForm(forms.Form):
    request_id = IdField(required=True)


class LinkDecisionForm(forms.Form):
    decision = forms.CharField(required=False)
    request_id = OptionalIdField()
    back = forms.CharField(required=False)


class ChildPasswordForm(forms.Form):
    new_password = forms.CharField(required=False, strip=False)
    repeat_password = forms.CharField(required=False, strip=False)


class GuardianRemovalForm(forms.Form):
    guardian_id = IdField(required=True)
