"""Page input of the class-change pages (issue 10)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField


class ClassChangeRequestForm(forms.Form):
    to_class_id = IdField(label=_("Class"))
    reason = forms.CharField(label=_("Reason"), required=False, strip=False)


class ClassChangeDecisionForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, strip=False)
