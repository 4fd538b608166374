from __future__ import annotations

from django import forms


class PasswordChangeForm(forms.Form):
    current_password = forms.CharField(required=False, strip=False)
    new_password = forms.CharField(required=False, strip=False)
    repeat_password = forms.CharField(required=False, strip=False)
