from __future__ import annotations

from django import forms

FIELDS = ("school", "account_name", "name", "id_number", "phone", "token", "code")


class RegisterForm(forms.Form):
    action = forms.CharField(required=False)
    school = forms.CharField(required=False, strip=False)
    account_name = forms.CharField(required=False, strip=False)
    name = forms.CharField(required=False, strip=False)
    id_number = forms.CharField(required=False, strip=False)
    phone = forms.CharField(required=False, strip=False)
    token = forms.CharField(required=False, strip=False)
    code = forms.CharField(required=False, strip=False)
    password = forms.CharField(required=False, strip=False)
    repeat_password = forms.CharField(required=False, strip=False)


class RegistrationStatusForm(forms.Form):
    action = forms.CharField(required=False)
    identifier = forms.CharField(required=False, strip=False)
    password = forms.CharField(required=False, strip=False)
    school = forms.CharField(required=False, strip=False)
