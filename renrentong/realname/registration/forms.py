from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import PasswordField, ShownForm

FIELDS = ("school", "account_name", "name", "id_number", "phone", "token", "code")


class RegisterForm(ShownForm):
    """The registration page renders the account, name, ID number and passwords with the pack; the school
    (with its htmx suggestions), the phone and its code it writes by hand."""

    action = forms.CharField(required=False)
    school = forms.CharField(required=False, strip=False)
    account_name = forms.CharField(
        label=_("Account name"), required=False, strip=False,
        help_text=_("6-16 letters or digits with at least one letter, e.g. your name in pinyin and the last 4 "
                    "characters of your ID number."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "maxlength": "32", "required": True}))
    name = forms.CharField(label=_("Real name (as on the ID card)"), required=False, strip=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name", "required": True}))
    id_number = forms.CharField(label=_("ID number"), required=False, strip=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off", "maxlength": "32",
                                                              "required": True}))
    phone = forms.CharField(required=False, strip=False)
    token = forms.CharField(required=False, strip=False)
    code = forms.CharField(required=False, strip=False)
    password = PasswordField(label=_("Password"), autocomplete="new-password",
                             widget=forms.PasswordInput(attrs={"required": True}))
    repeat_password = PasswordField(label=_("Repeat the password"), autocomplete="new-password",
                                    widget=forms.PasswordInput(attrs={"required": True}))

    refusal_fields = {"registration.account_name_": "account_name", "registration.invalid_name": "name",
                      "registration.invalid_id_number": "id_number", "registration.id_": "id_number",
                      "password.mismatch": "repeat_password", "password.": "password"}

    def __init__(self, *args, rules: list | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].rules = rules or []


class RegistrationStatusForm(forms.Form):
    action = forms.CharField(required=False)
    identifier = forms.CharField(required=False, strip=False)
    password = forms.CharField(required=False, strip=False)
    school = forms.CharField(required=False, strip=False)
