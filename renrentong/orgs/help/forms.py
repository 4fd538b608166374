"""Page input of the FAQ editor (HELP-2). An id that is no number is "not found", as any id outside the scope."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import NumberField, PageForm
from renrentong.orgs.forms import not_found


class RegionChoiceForm(PageForm):
    refusals = {"region": not_found}

    region = NumberField()


class ContactForm(PageForm):
    contact = forms.CharField(required=False, strip=False)


class EntryForm(PageForm):
    refusals = {"entry": not_found}

    entry = NumberField()
    category = forms.CharField(required=False, strip=False)
    question = forms.CharField(required=False, strip=False)
    answer = forms.CharField(required=False, strip=False)
    position = NumberField(maximum=100000, label=_("Order"))
