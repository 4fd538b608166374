"""Page input of the academic score import and the scores table (EVA-6): an invalid field is a 400 naming it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from renrentong.core.web.forms import IdField


class UploadForm(forms.Form):
    file = forms.FileField(required=False)  # its absence is the import's own refusal (import.file_missing)


class ScoreFilterForm(forms.Form):
    """The school's scores table: its filters, kept in the page's links and the export's."""

    school_year = forms.IntegerField(label=_("School year"), min_value=2000, max_value=2100, required=False)
    item = IdField(label=_("Item"))
    class_id = IdField(label=_("Class"))
    name = forms.CharField(label=_("Name"), max_length=32, required=False, strip=True)
