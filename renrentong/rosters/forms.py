"""The rosters pages' input (IMP-1..6): uploads, the rows view, slips and exports. Invalid input is a
400 refusal that names the field, never a 500."""

from __future__ import annotations

from django import forms

from renrentong.core.text import MAX_ID
from renrentong.core.web.forms import IdListField

from renrentong.rosters.models import ImportRow

ID = {"min_value": 1, "max_value": MAX_ID, "required": False}


class UploadForm(forms.Form):
    file = forms.FileField(required=False)  # its absence is the import's own refusal (import.file_missing)
    kind = forms.CharField(required=False, max_length=32)
    school_id = forms.IntegerField(**ID)


class JobRowsForm(forms.Form):
    """Lenient: the rows view falls back to the defaults for what does not clean."""

    outcome = forms.ChoiceField(choices=[("", "")] + list(ImportRow.Outcome.choices), required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)


class CommitForm(forms.Form):
    create_missing_classes = forms.BooleanField(required=False)


class SlipsForm(forms.Form):
    who = forms.ChoiceField(choices=[("students", "students"), ("parents", "parents")], required=False)


class ChosenAccountsForm(forms.Form):
    """The accounts chosen in the user table, for their slips."""

    account_ids = IdListField(label="账号", required=False)


class RosterExportForm(forms.Form):
    school_id = forms.IntegerField(**ID)
    class_id = forms.IntegerField(**ID)


