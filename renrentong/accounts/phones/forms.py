"""Input of the phone pages (ACC-8): parsed here, decided by the services."""

from __future__ import annotations

from django import forms

from renrentong.core.schemas import MAX_ID


class PhoneCodeForm(forms.Form):
    phone = forms.CharField(required=False, strip=False)


class PhoneBindForm(forms.Form):
    code = forms.CharField(required=False, strip=False)
    current_password = forms.CharField(required=False, strip=False)


class PhoneLookupForm(forms.Form):
    phone = forms.CharField(required=False, strip=False)


class UnbindForm(forms.Form):
    account_id = forms.IntegerField(min_value=1, max_value=MAX_ID)
