from __future__ import annotations

from django import forms

from renrentong.core.web.forms import IdField


class CodeLoginForm(forms.Form):
    action = forms.CharField(max_length=16, required=False)
    phone = forms.CharField(required=False)
    code = forms.CharField(required=False)
    next = forms.CharField(required=False)


class AccountChoiceForm(forms.Form):
    account_id = IdField(required=True)
