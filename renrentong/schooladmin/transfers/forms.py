"""Page input of the transfer pages (ADM-5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField


class SchoolSearchForm(forms.Form):
    q = forms.CharField(label=_("School"), required=False)

    def query(self) -> str:
        return self.cleaned_data["q"].strip()[:64]


class TransferRequestForm(forms.Form):
    to_school_id = IdField(label=_("School"))


class TransferDecisionForm(forms.Form):
    class_id = IdField(label=_("Class"))
    reason = forms.CharField(label=_("Reason"), required=False, strip=False)
