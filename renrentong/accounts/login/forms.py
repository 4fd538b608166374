from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField, PasswordField, ShownForm


class LoginForm(ShownForm):
    """The login page renders identifier and password with the pack; `altcha` and `next` it writes by hand."""

    identifier = forms.CharField(label=_("Account number, phone, ID number or student number"), required=False,
                                 strip=False, widget=forms.TextInput(attrs={
                                     "autocomplete": "username", "autofocus": True, "required": True}))
    password = PasswordField(label=_("Password"), widget=forms.PasswordInput(attrs={"required": True}))
    altcha = forms.CharField(required=False)
    next = forms.CharField(required=False)

    refusal_fields = {"login.missing_fields": "identifier", "login.unknown_account": "identifier",
                      "login.ambiguous": "identifier", "login.wrong_password": "password",
                      "login.wrong_password_challenge_next": "password"}


class IdentitySwitchForm(forms.Form):
    identity_id = IdField(required=True)


class SchoolPickForm(forms.Form):
    school = forms.CharField(max_length=64, required=False)


class NetworkAddForm(forms.Form):
    network = forms.CharField(max_length=64, required=False)
    threshold = forms.IntegerField(min_value=0, max_value=1_000_000, required=False)
    note = forms.CharField(max_length=100, required=False)


class NetworkRemoveForm(forms.Form):
    remove = IdField(required=True)


class SecondFactorForm(forms.Form):
    action = forms.CharField(max_length=16, required=False)
    method = forms.CharField(max_length=16, required=False)
    code = forms.CharField(max_length=16, required=False)


class TotpSetupForm(forms.Form):
    action = forms.CharField(max_length=16, required=False)
    code = forms.CharField(max_length=16, required=False)
    secret = forms.CharField(max_length=128, required=False)
    uri = forms.CharField(max_length=1000, required=False)
