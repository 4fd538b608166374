"""Page input of real-name verification, the registry and the registration queue."""

from __future__ import annotations

from django import forms

from renrentong.core.web.forms import IdField, OptionalIdField


class VerifyForm(forms.Form):
    action = forms.CharField(required=False)
    role = forms.CharField(required=False, strip=False)
    name = forms.CharField(required=False, strip=False)
    id_number = forms.CharField(required=False, strip=False)
    number = forms.CharField(required=False, strip=False)
    continue_at_other_school = forms.CharField(required=False)


class UnbindForm(forms.Form):
    binding_id = IdField(required=True)


class RegistrySearchForm(forms.Form):
    q = forms.CharField(required=False, strip=False)
    role = forms.CharField(required=False, strip=False)
    class_id = OptionalIdField()
    school_id = OptionalIdField()
    retired = forms.CharField(required=False)
    page = forms.CharField(required=False)


class RegistryActionForm(forms.Form):
    action = forms.CharField(required=False)
    school_id = OptionalIdField()
    entry_id = OptionalIdField()
    role = forms.CharField(required=False, strip=False)
    name = forms.CharField(required=False, strip=False)
    id_number = forms.CharField(required=False, strip=False)
    number = forms.CharField(required=False, strip=False)
    class_name = forms.CharField(required=False, strip=False)
    holder_id_number = forms.CharField(required=False, strip=False)


class ApplicationDecisionForm(forms.Form):
    application_id = IdField(required=True)
    action = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)
