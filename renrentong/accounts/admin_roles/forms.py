"""Page input of the school admin application page (ADM-6)."""

from __future__ import annotations

from django import forms

from renrentong.core.web.forms import NumberField, PageForm
from renrentong.orgs.forms import not_found


class ApplicationForm(PageForm):
    """A teacher applies (with a reason) or withdraws an application; an id that is no number is not found."""

    refusals = {"withdraw": not_found}

    withdraw = NumberField()
    reason = forms.CharField(required=False, strip=False)
