from __future__ import annotations

from django import forms

from renrentong.core.web.forms import IdField


class LoginForm(forms.Form):
    identifier = forms.CharField(required=False, strip=False)
    password = forms.CharField(required=False, strip=False)
    altcha = forms.CharField(required=False)
    next = forms.CharField(required=False)


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
