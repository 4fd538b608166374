"""Page input of real-name verification, the registry and the registration queue."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, OptionalIdField, ShownForm


class VerifyForm(ShownForm):
    """Real-name verification (RN-2): role, name, ID number and number through the form pack; the
    "continue at that school" box the page writes by hand when the refusal asks for it."""

    action = forms.CharField(required=False)
    # A CharField with a select: the service names an unknown role (realname.invalid_role).
    role = forms.CharField(label=_("Verify as"), required=False, strip=False, widget=forms.Select)
    name = forms.CharField(label=_("Real name (as on the ID card)"), required=False, strip=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name", "required": True}))
    id_number = forms.CharField(label=_("ID number"), required=False, strip=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": "32",
                                                              "required": True}))
    number = forms.CharField(label=_("Teacher certificate number or student number"), required=False, strip=False,
                             widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": "32"}))
    continue_at_other_school = forms.CharField(required=False)

    refusal_fields = {"realname.invalid_role": "role", "realname.role_mismatch": "role",
                      "realname.invalid_id_number": "id_number", "realname.name_id_swapped": "id_number",
                      "realname.number_mismatch": "number", "realname.student_needs_class": "number"}

    def __init__(self, *args, roles=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].widget.choices = list(roles)


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
